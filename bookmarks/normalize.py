"""Bookmark URLs are stored normalised, so the same page cannot be bookmarked twice."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that say how a reader arrived, not what the page is.
TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url", "oly_enc_id",
    "oly_anon_id", "vero_id", "s_cid", "si", "spm",
}  # fmt: skip


def is_tracking(param: str) -> bool:
    name = param.lower()
    return name.startswith(("utm_", "pk_", "mtm_")) or name in TRACKING_PARAMS


def normalize_url(url: str) -> str:
    """Lowercase scheme and host, no default port, no fragment, no tracking parameters.

    Everything else (path case, other parameters and their order) is kept: it may matter.
    Text that does not parse as a URL comes back stripped, for validation to reject.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    netloc = host
    if port and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    if parts.username:
        userinfo = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{userinfo}@{netloc}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)],
        doseq=True,
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def domain_of(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")
