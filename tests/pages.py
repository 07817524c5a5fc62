"""A web server on loopback with the pages the link fetcher meets in the wild: titles,
Open Graph tags, redirects, a huge page, a slow one. Started per test by `page_server`."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MB = 1_000_000
PAGES = {
    "/title": b"<html><head><title>  Plain &amp; simple\n page </title></head><body>x</body>",
    "/og": (
        b'<html><head><meta charset="utf-8"><title>Not this one</title>'
        b'<meta property="og:title" content="The Open Graph title">'
        b'<meta property="og:description" content="What the page is about &#8212; briefly.">'
        b'<meta name="description" content="Not this either"></head></html>'
    ),
    "/latin1": "<title>Caf\u00e9 cr\u00e8me</title>".encode("latin-1"),
    "/untitled": b"<html><body>No head at all</body></html>",
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def send(self, body: bytes, content_type: str = "text/html; charset=utf-8", **headers) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        path, _, query = self.path.partition("?")
        try:
            if path in PAGES:
                content_type = "text/html; charset=latin-1" if path == "/latin1" else "text/html"
                self.send(PAGES[path], content_type)
            elif path == "/redirect":
                self.redirect(query)  # /redirect?<location>
            elif path == "/loop":
                self.redirect("/loop")
            elif path == "/big":
                # 5 MB: a title first, a description past the first megabyte.
                head = b"<html><head><title>A huge page</title>"
                filler = b"<!--" + b"x" * (3 * MB) + b"-->"
                late = b'<meta property="og:description" content="Past the limit">'
                self.send(head + filler + late + b"y" * (2 * MB))
            elif path == "/gzip":
                self.send(gzip.compress(PAGES["/og"]), "text/html", Content_Encoding="gzip")
            elif path == "/slow":
                time.sleep(2)
                self.send(PAGES["/title"])
            elif path == "/pdf":
                self.send(b"%PDF-1.7", "application/pdf")
            else:
                self.send_error(404)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the fetcher hung up after what it needed


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client hanging up mid-request is what some tests are about


class PageServer:
    def __init__(self) -> None:
        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def requests(self) -> list[str]:
        return self.httpd.requests

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
