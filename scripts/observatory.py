"""Grade a site's HTTP headers the way Mozilla's HTTP Observatory does, without leaving the
machine: the rules of its scanner (algorithm version 6: the tests in src/analyzer/tests/,
the modifiers in src/grader/charts.js and the sum in src/scanner/index.js of
mdn/mdn-http-observatory), applied to responses fetched from a server you name.

    .tools/bin/uv run --frozen python scripts/observatory.py http://127.0.0.1:8000 \\
        --host example.com --behind-proxy [--path /admin/login/]

--behind-proxy talks plain HTTP to an app server and says which scheme the client used in
X-Forwarded-Proto, as the TLS-terminating proxy does. What a local run cannot see: whether
the certificate is valid (taken as valid) and whether the host is on the HSTS preload list
(taken as not: no bonus).

The score starts at 100 and adds each test's modifier; bonuses count only when the score
without them is at least 90. 100 and over is A+, then A (90), A- (85), B+ (80), B (70),
B- (65), C+ (60), C (50), C- (45), D+ (40), D (30), D- (25), F.
"""

import argparse
import http.client
import http.cookies
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

CORS_ORIGIN = "https://http-observatory.security.mozilla.org"
SIX_MONTHS = 15_552_000
GRADES = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
          (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F")]  # fmt: skip
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


Fetch = Callable[[str, str, dict[str, str]], Response]  # (method, url, headers)


@dataclass
class Scan:
    auto: Response  # https://host/ with redirects followed
    http_route: list[Response]  # http://host/ and each redirect from it
    cors: Response
    cookies: list[http.cookies.Morsel] = field(default_factory=list)


def follow(fetch: Fetch, url: str, limit: int = 10) -> list[Response]:
    route = [fetch("GET", url, {})]
    while route[-1].status in (301, 302, 303, 307, 308) and len(route) <= limit:
        route.append(fetch("GET", urljoin(route[-1].url, route[-1].first("Location") or ""), {}))
    return route


def retrieve(fetch: Fetch, host: str, path: str = "/") -> Scan:
    auto = follow(fetch, f"https://{host}{path}")[-1]
    scan = Scan(auto, follow(fetch, f"http://{host}{path}"), fetch("OPTIONS", auto.url, {
        "Access-Control-Request-Method": "GET", "Origin": CORS_ORIGIN}))  # fmt: skip
    for response in (auto, fetch("GET", f"https://{host}/robots.txt", {})):
        for header in response.all("Set-Cookie"):
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            scan.cookies.extend(jar.values())
    return scan


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


MODIFIERS = {
    "csp-implemented-with-no-unsafe-default-src-none": 10, "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10, "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20, "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    "cookies-secure-with-httponly-sessions-and-samesite": 5,
    "cookies-secure-with-httponly-sessions": 0,
    "cookies-not-found": 0, "cookies-without-secure-flag-but-protected-by-hsts": -5,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20, "cookies-samesite-flag-invalid": -20,
    "cookies-anticsrf-without-samesite-flag": -20, "cookies-session-without-httponly-flag": -30,
    "cookies-session-without-secure-flag": -40,
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    "redirection-to-https": 0, "redirection-off-host-from-http": -5,
    "redirection-not-to-https-on-initial-redirection": -10, "redirection-not-to-https": -20,
    "redirection-missing": -20,
    "referrer-policy-private": 5, "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5, "referrer-policy-header-invalid": -5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10, "hsts-not-implemented": -20,
    "hsts-header-invalid": -20, "hsts-not-implemented-no-https": -20,
    "sri-not-implemented-response-not-html": 0, "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "x-content-type-options-nosniff": 0, "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    "x-frame-options-implemented-via-csp": 5, "x-frame-options-sameorigin-or-deny": 5,
    "x-frame-options-allow-from-origin": 0, "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    "corp-implemented-with-same-origin": 10, "corp-implemented-with-same-site": 10,
    "corp-implemented-with-cross-origin": 0, "corp-not-implemented": 0, "corp-header-invalid": -5,
    **{f"coep-implemented-with-{n}": 10 for n in ("require-corp", "credentialless")},
    "coep-implemented-with-unsafe-none": 0, "coep-not-implemented": 0, "coep-header-invalid": -5,
    **{f"coop-implemented-with-{n}": 10 for n in
       ("same-origin", "same-origin-allow-popups", "noopener-allow-popups")},
    "coop-implemented-with-unsafe-none": 0, "coop-not-implemented": 0, "coop-header-invalid": -5,
}  # fmt: skip
TESTS = {
    "content-security-policy": check_csp, "cookies": check_cookies,
    "cross-origin-embedder-policy": check_coep, "cross-origin-opener-policy": check_coop,
    "cross-origin-resource-sharing": check_cors, "redirection": check_redirection,
    "referrer-policy": check_referrer, "strict-transport-security": check_hsts,
    "subresource-integrity": check_sri, "x-content-type-options": check_xcto,
    "x-frame-options": check_xfo, "cross-origin-resource-policy": check_corp,
}  # fmt: skip


@dataclass
class Grade:
    score: int
    grade: str
    results: dict[str, tuple[str, int]]  # test -> (result, modifier)


def grade(scan: Scan) -> Grade:
    if not (200 <= scan.auto.status < 400 or scan.auto.status in (401, 403)):
        raise ValueError(f"the Observatory refuses to grade a {scan.auto.status} response")
    results = {name: (result := test(scan), MODIFIERS[result]) for name, test in TESTS.items()}
    with_bonus = 100 + sum(modifier for _, modifier in results.values())
    without = 100 + sum(modifier for _, modifier in results.values() if modifier < 0)
    score = max(0, with_bonus if without >= 90 else without)
    letter = next(letter for floor, letter in GRADES if min(score - score % 5, 100) >= floor)
    return Grade(score, letter, results)


def fetcher(base: str, behind_proxy: bool) -> Fetch:
    """Requests for https://host/… and http://host/… sent to `base` (a plain-HTTP app server
    behind a stand-in proxy, or a local server that answers for itself)."""
    server = urlsplit(base)

    def fetch(method: str, url: str, headers: dict[str, str]) -> Response:
        target = urlsplit(url)
        sent = {"Host": target.netloc, "Accept": "text/html,*/*;q=0.8", **headers}
        if behind_proxy:
            sent |= {"X-Forwarded-Proto": target.scheme, "X-Forwarded-For": "203.0.113.9"}
        connection = http.client.HTTPConnection(server.hostname, server.port or 80, timeout=30)
        try:
            connection.request(
                method, target.path + (f"?{target.query}" if target.query else ""), headers=sent
            )
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            return Response(url, response.status, list(response.headers.items()), body)
        finally:
            connection.close()

    return fetch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="where the app server listens, e.g. http://127.0.0.1:8000")
    parser.add_argument("--host", default="localhost", help="the site's host name (Host header)")
    parser.add_argument("--path", default="/", help="the page to grade (default: /)")
    parser.add_argument("--behind-proxy", action="store_true", help="send X-Forwarded-Proto")
    options = parser.parse_args()
    result = grade(
        retrieve(fetcher(options.base, options.behind_proxy), options.host, options.path)
    )
    for name, (outcome, modifier) in result.results.items():
        print(f"{name:32} {modifier:+4d}  {outcome}")
    print(f"{'score':32} {result.score:4d}  grade {result.grade}")


if __name__ == "__main__":
    main()
