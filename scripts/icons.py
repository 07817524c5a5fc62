"""Draw the favicon: static/icons/favicon.svg, PNGs for browsers and home screens, and
static/icons/favicon.ico (16, 32 and 48 px), which /favicon.ico serves.

    .tools/bin/uv run python scripts/icons.py

The mark is a page of notes: three lines on a rounded blue square. The PNG and ICO files are
drawn with Pillow from the same geometry as the SVG, four times oversized then scaled down.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
BLUE, WHITE = "#0b57d0", "#ffffff"
# In a 64-unit square: the background's corner radius, and the lines (x0, y, x1) and their width.
RADIUS = 14
LINES = [(15, 18, 49), (15, 28, 43), (15, 38, 49), (15, 48, 33)]
LINE_WIDTH = 5


def svg() -> str:
    lines = "".join(f'<path d="M{x0} {y}H{x1}"/>' for x0, y, x1 in LINES)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="{RADIUS}" fill="{BLUE}"/>'
        f'<g stroke="{WHITE}" stroke-width="{LINE_WIDTH}" stroke-linecap="round">{lines}</g>'
        "</svg>\n"
    )


def png(size: int, padding: float = 0) -> Image.Image:
    """The mark at `size` px; `padding` (a fraction) leaves a margin, as home screens want."""
    scale = 4 * size / 64
    big = Image.new("RGBA", (4 * size, 4 * size), BLUE if padding else (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    inset = padding * 4 * size
    s = (4 * size - 2 * inset) / 64  # units to pixels inside the margin
    if not padding:
        draw.rounded_rectangle((0, 0, 4 * size - 1, 4 * size - 1), RADIUS * scale, fill=BLUE)
    half = LINE_WIDTH * s / 2
    for x0, y, x1 in LINES:
        box = (
            inset + x0 * s - half,
            inset + y * s - half,
            inset + x1 * s + half,
            inset + y * s + half,
        )
        draw.rounded_rectangle(box, half, fill=WHITE)
    return big.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "favicon.svg").write_text(svg(), encoding="utf-8")
    png(32).save(OUT / "favicon-32.png", optimize=True)
    png(192).save(OUT / "icon-192.png", optimize=True)
    # Home screens round the corners themselves and want a full square.
    png(180, padding=0.08).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    png(48).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    for path in sorted(OUT.iterdir()):
        print(path.relative_to(OUT.parent.parent), path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
