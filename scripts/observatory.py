"""Grade a site's HTTP headers the way Mozilla's HTTP Observatory does, without leaving the
machine: the rules of its scanner (algorithm version 6: the tests in src/analyzer/tests/,
here in scripts/observatory_checks.py; the modifiers in src/grader/charts.js and the sum in
src/scanner/index.js of mdn/mdn-http-observatory), applied to responses fetched from a server.

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
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.observatory_checks import CORS_ORIGIN, TESTS, Response, Scan

GRADES = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
          (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F")]  # fmt: skip
Fetch = Callable[[str, str, dict[str, str]], Response]  # (method, url, headers)


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
