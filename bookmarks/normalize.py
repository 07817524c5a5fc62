"""Bookmark URLs are stored normalised, so the same page cannot be bookmarked twice."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that say how a reader arrived, not what the page is.
TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url", "oly_enc_id",
    "oly_anon_id", "vero_id", "s_cid", "si", "spm",
}  # fmt: skip


class InvalidURL(ValueError):
    """A URL that cannot be read; the message says why, in words for the author."""


def is_tracking(param: str) -> bool:
    name = param.lower()
    return name.startswith(("utm_", "pk_", "mtm_")) or name in TRACKING_PARAMS


def _split(url: str) -> tuple:
    try:
        parts = urlsplit(url)
        return parts, parts.port  # .port raises for a port out of range or not a number
    except ValueError as error:  # "http://[" and its like
        raise InvalidURL(f"This URL cannot be read: {error}.") from error


def normalize_url(url: str) -> str:
    """Lowercase scheme and host, no default port, no fragment, no tracking parameters.

    Everything else (path case, other parameters and their order) is kept: it may matter.
    Raises InvalidURL for what cannot be parsed; what it returns normalises to itself.
    """
    parts, port = _split(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    # An IPv6 address keeps its brackets, or the colons would read as a port.
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    if parts.username:
        userinfo = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{userinfo}@{netloc}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)],
        doseq=True,
    )
    normalized = urlunsplit((scheme, netloc, parts.path or "/", query, ""))
    _split(normalized)  # what is stored must read back
    return normalized


def domain_of(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")
