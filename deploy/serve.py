"""The production topology on one machine: nginx in front of gunicorn.

    python -m deploy.serve [--port 8000]     # `make serve`: both, until Ctrl-C
    python -m deploy.serve render --docker   # the Docker image's nginx.conf, on stdout

nginx listens on the port; gunicorn on a private Unix socket beside it. The nginx
configuration is rendered from `deploy/nginx.conf`; the proxy tests and `make bench-http` run
the same `Topology` on ports of their own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from deploy.nginx import TopologyError, docker_config, nginx_binary, nginx_context, render
from site_project.localdb import MAX_SOCKET_PATH, free_port

BASE_DIR = Path(__file__).resolve().parent.parent


def die_with_parent() -> None:
    """Linux: a server we start gets SIGTERM if we die first (a killed test run or benchmark
    must not leave nginx and gunicorn behind)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_gunicorn(
    bind: str, env: dict[str, str], output=subprocess.DEVNULL, cwd: Path = BASE_DIR
) -> subprocess.Popen:
    """gunicorn as production runs it (gunicorn.conf.py) on `bind`, dying with its parent.
    Not yet answering: callers wait for it in the way their `bind` allows. `cwd`: the checkout
    to serve (`bench/compare_revisions.py` serves another revision beside this one)."""
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", str(cwd / "gunicorn.conf.py"),
         "site_project.wsgi"],
        cwd=cwd, env={**env, "BIND": bind}, stdout=output, stderr=output,
        preexec_fn=die_with_parent,
    )  # fmt: skip


def wait_for(check, what: str, timeout: float = 30, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise TopologyError(f"{what} exited with status {process.returncode}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise TopologyError(f"{what} did not start within {timeout:.0f} s")


@dataclass
class Topology:
    """nginx on `port` (127.0.0.1), gunicorn behind it; files under `run_dir`.

    `env` is added to gunicorn's environment (DATABASE_URL, GUNICORN_MAX_REQUESTS…): nginx
    and gunicorn share the generation file and the bypass token through it.
    """

    port: int
    run_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    access_log: str = "off"
    quiet: bool = True
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def app_env(self) -> dict[str, str]:
        return {"PROXY_GENERATION_FILE": str(self.run_dir / "generation"), **os.environ, **self.env}

    def upstream(self) -> str:
        socket_path = self.run_dir / "gunicorn.sock"
        if len(str(socket_path)) <= MAX_SOCKET_PATH:
            return f"unix:{socket_path}"
        return f"127.0.0.1:{free_port()}"

    def start(self) -> Topology:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        # A fresh cache: pages kept by an earlier run may belong to another database.
        shutil.rmtree(self.run_dir / "cache", ignore_errors=True)
        env = self.app_env
        # The file nginx and gunicorn will share (an environment's own path wins).
        if env["PROXY_GENERATION_FILE"]:
            Path(env["PROXY_GENERATION_FILE"]).unlink(missing_ok=True)
        upstream = self.upstream()
        if upstream.startswith("unix:"):
            Path(upstream.removeprefix("unix:")).unlink(missing_ok=True)
        config = self.run_dir / "nginx.conf"
        config.write_text(self.render(upstream, env))
        # Quiet (tests, benchmarks): their output kept in run_dir/server.log, to read after a 500.
        output = open(self.run_dir / "server.log", "ab") if self.quiet else None  # noqa: SIM115
        app = start_gunicorn(upstream, env, output)
        self.processes.append(app)
        wait_for(lambda: self._accepts(upstream), "gunicorn", process=app)
        self.check(config)
        nginx = subprocess.Popen(
            [nginx_binary(), "-c", str(config), "-p", str(self.run_dir), "-g", "daemon off;"],
            stdout=output,
            stderr=output,
            preexec_fn=die_with_parent,
        )
        self.processes.append(nginx)
        if output:
            output.close()  # the servers hold their own copies
        # Ready when a worker answers through nginx (gunicorn's socket accepts before that).
        wait_for(self._answers, "nginx and a gunicorn worker", timeout=60, process=nginx)
        return self

    def render(self, upstream: str, env: dict[str, str]) -> str:
        """The configuration, with what nginx and gunicorn share taken from gunicorn's `env`."""
        from django.conf import settings

        return render(
            **nginx_context(
                run_dir=self.run_dir,
                listen=f"127.0.0.1:{self.port}",
                upstream=upstream,
                access_log=self.access_log,
                generation_file=env["PROXY_GENERATION_FILE"],
                bypass_token=env.get("PAGE_CACHE_BYPASS_TOKEN", ""),
                static_root=env.get("STATIC_ROOT", settings.STATIC_ROOT),
                media_root=env.get("MEDIA_ROOT", settings.MEDIA_ROOT),
            )
        )

    def check(self, config: Path) -> None:
        """`nginx -t`: the configuration as rendered is valid."""
        result = subprocess.run(
            [nginx_binary(), "-t", "-q", "-c", str(config), "-p", str(self.run_dir)],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise TopologyError(f"nginx -t failed:\n{result.stderr}")

    def _answers(self) -> bool:
        with urllib.request.urlopen(f"{self.url}/livez", timeout=5) as response:
            return response.status == 200

    @staticmethod
    def _accepts(address: str) -> bool:
        if address.startswith("unix:"):
            with socket.socket(socket.AF_UNIX) as probe:
                probe.connect(address.removeprefix("unix:"))
                return True
        host, port = address.rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=1):
            return True

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    def __enter__(self) -> Topology:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(port: int, run_dir: Path) -> int:
    """Run both until Ctrl-C (or until one of them stops)."""
    # nginx logs every request; gunicorn's own access log would say it again, less well.
    topology = Topology(
        port, run_dir, env={"GUNICORN_ACCESS_LOG": ""}, access_log="/dev/stdout", quiet=False
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with topology:
        print(f"Serving {topology.url}/ through nginx; gunicorn behind it, in {run_dir}/.")
        try:
            while all(process.poll() is None for process in topology.processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            return 0
    return 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "render"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--docker", action="store_true", help="render the Docker image's config")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings")
    import django

    django.setup()
    from django.conf import settings

    run_dir = settings.DATA_DIR / "run"
    try:
        if args.command == "serve":
            return serve(args.port, run_dir)
        if args.docker:
            sys.stdout.write(docker_config())
        else:
            topology = Topology(args.port, run_dir)
            sys.stdout.write(topology.render(topology.upstream(), topology.app_env))
    except TopologyError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
