"""Helpers shared by the content tests: dedented Markdown sources, parsed HTML, and images
built byte by byte (also used by bench/upload_bench.py)."""

import struct
import textwrap
import zlib

import lxml.html

from content.markdown import render


def md(source: str) -> str:
    return textwrap.dedent(source).lstrip("\n")


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def tree(source: str) -> lxml.html.HtmlElement:
    return parse(render(md(source)).html)


def png_bomb(width: int, height: int) -> bytes:
    """A real, valid 1-bit PNG of `width`×`height` zero pixels, compressed to almost nothing
    (what a decompression bomb is): made row by row, never held whole in memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row) for _ in range(height)]
    idat = b"".join(parts) + compressor.flush()
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
