"""Configuration and the HTTP client: everything `sitectl` knows about talking to a site.

It imports nothing of the site: it is a client, installable and usable on its own.
"""

from __future__ import annotations

import os
import time
import tomllib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class UsageError(Exception):
    """Wrong arguments or configuration: exit status 2."""


class Failure(Exception):
    """The site could not be reached, or refused: exit status 1."""

    def __init__(self, message: str, problem: dict | None = None) -> None:
        super().__init__(message)
        self.problem = problem or {"title": "Error", "detail": message}


def config_path(env: Mapping[str, str]) -> Path:
    if env.get("SITECTL_CONFIG"):
        return Path(env["SITECTL_CONFIG"]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path("~/.config").expanduser())
    return Path(base) / "sitectl" / "config.toml"


@dataclass(frozen=True)
class Config:
    url: str
    token: str

    @classmethod
    def load(cls, env: Mapping[str, str] = os.environ) -> Config:
        """SITECTL_URL and SITECTL_TOKEN, else `url` and `token` in the config file."""
        path = config_path(env)
        stored: dict = {}
        if path.exists():
            try:
                stored = tomllib.loads(path.read_text())
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
                raise UsageError(f"cannot read the config file {path}: {error}") from error
        url = (env.get("SITECTL_URL") or stored.get("url") or "").rstrip("/")
        token = env.get("SITECTL_TOKEN") or stored.get("token") or ""
        if not url:
            raise UsageError(
                f'no site URL: set SITECTL_URL=https://example.com or put url = "…" in {path}'
            )
        if not token:
            raise UsageError(
                'no API token: set SITECTL_TOKEN or put token = "…" in '
                f"{path} (the site's operator makes one with "
                "`python manage.py api_token create USERNAME`)"
            )
        return cls(url, token)


def _problem_message(problem: dict) -> str:
    errors = problem.get("errors") or []
    if errors:
        return "; ".join(f"{e.get('field') or 'input'}: {e.get('message')}" for e in errors)
    return problem.get("detail") or problem.get("title") or "error"


class Client:
    def __init__(self, config: Config, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self.http = httpx.Client(
            base_url=f"{config.url}/api/",
            headers={"Authorization": f"Bearer {config.token}", "Accept": "application/json"},
            timeout=TIMEOUT,
            transport=transport,
        )

    def request(
        self, method: str, path: str, *, body: dict | None = None, params: dict | None = None
    ) -> tuple[int, dict]:
        """(status, JSON answer). Creates carry an Idempotency-Key, so the one retry after a
        dropped connection cannot make a second item."""
        headers = {"Idempotency-Key": str(uuid.uuid4())} if method == "POST" else {}
        for attempt in (1, 2):
            try:
                response = self.http.request(
                    method, path, json=body, params=params, headers=headers
                )
                break
            except httpx.ConnectError as error:
                raise Failure(f"cannot reach {self.config.url}: {_reason(error)}") from error
            except httpx.TransportError as error:
                if attempt == 2:
                    raise Failure(f"{self.config.url} did not answer: {_reason(error)}") from error
                time.sleep(1)
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.status_code >= 400:
            problem = data if isinstance(data, dict) else {"detail": response.reason_phrase}
            problem.setdefault("status", response.status_code)
            message = f"{response.status_code} {_problem_message(problem)}"
            raise Failure(message, problem)
        if not isinstance(data, dict):
            raise Failure(f"{self.config.url} did not answer with JSON: is it this site?")
        return response.status_code, data


def _reason(error: httpx.HTTPError) -> str:
    text = str(error) or type(error).__name__
    return text.split("] ", 1)[-1]  # "[Errno 111] Connection refused" -> "Connection refused"
