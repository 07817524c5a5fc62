"""The production topology: nginx (`nginx.conf`, rendered by `nginx.py`) in front of gunicorn,
run together by `serve.py` for `make serve`, the proxy tests and `make bench-http`."""
