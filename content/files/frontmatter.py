"""Front matter: YAML between `---` lines (Jekyll, Hugo, this site's export) or TOML between
`+++` lines (Hugo), then the Markdown body, kept byte for byte."""

from __future__ import annotations

import tomllib

import yaml

FENCES = {"---": "yaml", "+++": "toml"}


class FrontMatterError(ValueError):
    pass


def split(text: str) -> tuple[dict, str]:
    """(front matter, body). A file without front matter is all body.

    The one blank line that conventionally follows the closing fence is not part of the
    body, so `dump()` and `split()` give back exactly the body they were given.
    """
    text = text.removeprefix("\ufeff")
    first, newline, rest = text.partition("\n")
    fence = first.rstrip("\r")
    if fence not in FENCES or not newline:
        return {}, text
    closing = {fence, "..."} if fence == "---" else {fence}
    lines = rest.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.rstrip("\r\n") in closing:
            source = "".join(lines[:number])
            body = "".join(lines[number + 1 :])
            return _parse(source, FENCES[fence]), _drop_separator(body)
    raise FrontMatterError(f"the front matter opened with {fence} is never closed")


def _drop_separator(body: str) -> str:
    for separator in ("\r\n", "\n"):
        if body.startswith(separator):
            return body[len(separator) :]
    return body


def _parse(source: str, language: str) -> dict:
    try:
        data = tomllib.loads(source) if language == "toml" else yaml.safe_load(source)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as error:
        raise FrontMatterError(
            f"the {language.upper()} front matter is invalid: {error}"
        ) from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError(f"the front matter is a {type(data).__name__}, not a mapping")
    return data


def dump(meta: dict, body: str) -> str:
    """YAML front matter (keys in the given order, nothing folded) and the body as it is."""
    source = yaml.safe_dump(
        meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=float("inf")
    )
    return f"---\n{source}---\n\n{body}"
