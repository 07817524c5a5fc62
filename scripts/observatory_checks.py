"""The twelve tests of Mozilla's HTTP Observatory (algorithm version 6), each as a function of
the responses it reads: the rules of mdn/mdn-http-observatory's `src/analyzer/tests/*.js`,
one function per file. scripts/observatory.py fetches the responses and sums the grade."""

import http.cookies
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

CORS_ORIGIN = "https://http-observatory.security.mozilla.org"
SIX_MONTHS = 15_552_000
BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
NONCE_OR_HASH = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")


@dataclass
class Response:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: str = ""

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def first(self, name: str) -> str | None:
        return next(iter(self.all(name)), None)


@dataclass
class Scan:
    auto: Response  # https://host/ with redirects followed
    http_route: list[Response]  # http://host/ and each redirect from it
    cors: Response
    cookies: list[http.cookies.Morsel] = field(default_factory=list)


def parse_csp(policy: str) -> dict[str, set[str]]:
    """One policy, as the Observatory's parser reads it; a repeated directive is invalid."""
    if len(policy.strip()) < len("img-src") - 1:
        raise ValueError("policy too short")
    directives: dict[str, set[str]] = {}
    for entry in policy.split(";"):
        name, *sources = entry.strip().split()
        name = name.lower()
        if name in directives:
            raise ValueError(f"duplicate directive {name}")
        values = {source.lower() for source in sources}
        directives[name] = values or ({"'none'"} if name.endswith("-src") else set())
    return directives


def check_csp(scan: Scan) -> str:
    headers = scan.auto.all("Content-Security-Policy")
    if not headers:
        return "csp-not-implemented"
    if len(headers) > 1 or "," in headers[0]:
        raise NotImplementedError("this grader reads one policy; the site sends one")
    try:
        csp = parse_csp(headers[0])
    except ValueError:
        return "csp-header-invalid"

    def sources(name: str) -> set[str]:
        return set(csp.get(name) or csp.get("default-src") or {"*"})

    script, style, objects = sources("script-src"), sources("style-src"), sources("object-src")
    for listed in (script, style):
        if listed & {"'unsafe-inline'"} and any(s.startswith(NONCE_OR_HASH) for s in listed):
            listed.discard("'unsafe-inline'")
    if "'strict-dynamic'" in script:
        if not any(s.startswith(NONCE_OR_HASH) for s in script):
            return "csp-header-invalid"
        script = {s for s in script if s not in ("'self'", "'unsafe-inline'")
                  and not any(s.startswith(b) for b in BROAD)}  # fmt: skip
    https = scan.auto.url.startswith("https:")
    passive = {"img-src", "media-src"}
    active = {s for name, listed in csp.items() if name not in passive | {"script-src"}
              for s in listed} | script  # fmt: skip
    passive_sources = {
        s for name in passive for s in (csp.get(name) or csp.get("default-src") or ())
    }
    insecure = ("http:", "ftp:")
    if script & (BROAD | UNSAFE_INLINE) or objects & BROAD:
        return "csp-implemented-with-unsafe-inline"
    if https and any(s.startswith(insecure) for s in active):
        return "csp-implemented-with-insecure-scheme"
    if "'unsafe-eval'" in script | style:
        return "csp-implemented-with-unsafe-eval"
    if https and any(s.startswith(insecure) for s in passive_sources):
        return "csp-implemented-with-insecure-scheme-in-passive-content-only"
    if style & (BROAD | UNSAFE_INLINE):
        return "csp-implemented-with-unsafe-inline-in-style-src-only"
    if csp.get("default-src") == {"'none'"}:
        return "csp-implemented-with-no-unsafe-default-src-none"
    return "csp-implemented-with-no-unsafe"


def check_hsts(scan: Scan) -> str:
    header = scan.auto.first("Strict-Transport-Security")
    if not scan.auto.url.startswith("https:"):
        return "hsts-not-implemented-no-https"
    if header is None:
        return "hsts-not-implemented"
    parts = [part.strip().lower() for part in header[:1024].split(";")]
    ages = [part[len("max-age=") :] for part in parts if part.startswith("max-age=")]
    if "," in header or not ages or not ages[0].isdigit():
        return "hsts-header-invalid"
    return "hsts-implemented-max-age-" + (
        "at-least-six-months" if int(ages[0]) >= SIX_MONTHS else "less-than-six-months"
    )


def check_cookies(scan: Scan) -> str:
    if not scan.cookies:
        return "cookies-not-found"
    hsts = check_hsts(scan) == "hsts-implemented-max-age-at-least-six-months"
    worst = []  # the Observatory keeps the worst finding, in this order of badness
    order = [
        "cookies-without-secure-flag-but-protected-by-hsts",
        "cookies-without-secure-flag",
        "cookies-session-without-secure-flag-but-protected-by-hsts",
        "cookies-samesite-flag-invalid",
        "cookies-anticsrf-without-samesite-flag",
        "cookies-session-without-httponly-flag",
        "cookies-session-without-secure-flag",
    ]
    for cookie in scan.cookies:
        session = any(word in cookie.key.lower() for word in ("login", "sess"))
        samesite = cookie["samesite"].lower()
        if (samesite and samesite not in ("lax", "strict", "none")) or (
            samesite == "none" and not cookie["secure"]
        ):
            worst.append("cookies-samesite-flag-invalid")
        if not cookie["secure"]:
            worst.append(order[0] if hsts else order[1])
            if session:
                worst.append(order[2] if hsts else order[6])
        if "csrf" in cookie.key.lower() and not samesite:
            worst.append("cookies-anticsrf-without-samesite-flag")
        if session and not cookie["httponly"]:
            worst.append("cookies-session-without-httponly-flag")
    if worst:
        return max(worst, key=order.index)
    if all(cookie["samesite"] for cookie in scan.cookies):
        return "cookies-secure-with-httponly-sessions-and-samesite"
    return "cookies-secure-with-httponly-sessions"


def check_redirection(scan: Scan) -> str:
    route = [urlsplit(response.url) for response in scan.http_route]
    if len(route) == 1:
        return "redirection-missing"
    if route[-1].scheme != "https":
        return "redirection-not-to-https"
    if route[1].scheme == "http":
        return "redirection-not-to-https-on-initial-redirection"
    if route[0].hostname != route[1].hostname:
        return "redirection-off-host-from-http"
    return "redirection-to-https"


def check_referrer(scan: Scan) -> str:
    good = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]
    bad = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"]
    values = scan.auto.all("Referrer-Policy")  # (meta tags are not read: the site has none)
    if not values:
        return "referrer-policy-not-implemented"
    known = [
        v.strip().lower() for v in ", ".join(values).split(",") if v.strip().lower() in good + bad
    ]
    if known and known[-1] in good:
        return "referrer-policy-private"
    return "referrer-policy-unsafe" if known else "referrer-policy-header-invalid"


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))


def check_sri(scan: Scan) -> str:
    if (scan.auto.first("Content-Type") or "").split(";")[0] not in (
        "text/html",
        "application/xhtml+xml",
    ):
        return "sri-not-implemented-response-not-html"
    parser = _Scripts()
    parser.feed(scan.auto.body)
    sources = [script["src"] for script in parser.scripts if script.get("src")]
    if not parser.scripts:
        return "sri-not-implemented-but-no-scripts-loaded"
    if any(re.match(r"^(https?:)?//", src) for src in sources):
        raise NotImplementedError("the site loads no script from another host; grade by hand")
    return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"


def _token(scan: Scan, name: str, values: dict[str, str], prefix: str) -> str:
    headers = scan.auto.all(name)
    if not headers:
        return f"{prefix}-not-implemented"
    policy = headers[0].split(";")[0].strip()
    return (
        values.get(policy, f"{prefix}-header-invalid")
        if len(headers) == 1
        else f"{prefix}-header-invalid"
    )


def check_coop(scan: Scan) -> str:
    names = ["same-origin", "same-origin-allow-popups", "noopener-allow-popups", "unsafe-none"]
    return _token(scan, "Cross-Origin-Opener-Policy",
                  {n: f"coop-implemented-with-{n}" for n in names}, "coop")  # fmt: skip


def check_coep(scan: Scan) -> str:
    names = ["require-corp", "credentialless", "unsafe-none"]
    return _token(scan, "Cross-Origin-Embedder-Policy",
                  {n: f"coep-implemented-with-{n}" for n in names}, "coep")  # fmt: skip


def check_corp(scan: Scan) -> str:
    value = ", ".join(scan.auto.all("Cross-Origin-Resource-Policy"))[:256].strip().lower()
    if not value:
        return "corp-not-implemented"
    known = {"same-site", "same-origin", "cross-origin"}
    return f"corp-implemented-with-{value}" if value in known else "corp-header-invalid"


def check_cors(scan: Scan) -> str:
    allowed = (scan.cors.first("Access-Control-Allow-Origin") or "").strip().lower()
    if not allowed:
        return "cross-origin-resource-sharing-not-implemented"
    if allowed == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access"
    if (
        allowed == CORS_ORIGIN
        and (scan.cors.first("Access-Control-Allow-Credentials") or "").lower() == "true"
    ):
        return "cross-origin-resource-sharing-implemented-with-universal-access"
    return "cross-origin-resource-sharing-implemented-with-restricted-access"


def check_xcto(scan: Scan) -> str:
    value = scan.auto.first("X-Content-Type-Options")
    if value is None:
        return "x-content-type-options-not-implemented"
    return (
        "x-content-type-options-nosniff"
        if value.strip().lower() == "nosniff"
        else "x-content-type-options-header-invalid"
    )


def check_xfo(scan: Scan) -> str:
    csp = scan.auto.first("Content-Security-Policy")
    if csp and "frame-ancestors" in {e.strip().split(" ")[0].lower() for e in csp.split(";")}:
        return "x-frame-options-implemented-via-csp"
    value = (scan.auto.first("X-Frame-Options") or "").strip().lower()
    if not value:
        return "x-frame-options-not-implemented"
    if value in ("deny", "sameorigin"):
        return "x-frame-options-sameorigin-or-deny"
    return (
        "x-frame-options-allow-from-origin"
        if value.startswith("allow-from")
        else "x-frame-options-header-invalid"
    )


TESTS = {
    "content-security-policy": check_csp, "cookies": check_cookies,
    "cross-origin-embedder-policy": check_coep, "cross-origin-opener-policy": check_coop,
    "cross-origin-resource-sharing": check_cors, "redirection": check_redirection,
    "referrer-policy": check_referrer, "strict-transport-security": check_hsts,
    "subresource-integrity": check_sri, "x-content-type-options": check_xcto,
    "x-frame-options": check_xfo, "cross-origin-resource-policy": check_corp,
}  # fmt: skip
