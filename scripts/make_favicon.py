"""Write the site icon — a white column (an «опора») on the accent blue — as SVG and ICO.

The two files in ``src/opora/web/static/opora/`` are built from the same rectangles here, with
the standard library only (no image packages, nothing downloaded):

    python scripts/make_favicon.py
"""

from __future__ import annotations

import struct
from pathlib import Path

SIZE, RADIUS = 32, 6
ACCENT, WHITE = (0x1F, 0x5F, 0xA8), (0xFF, 0xFF, 0xFF)  # --accent of opora.css
# (x, y, width, height): the capital, the shaft, the base of a column
PARTS = [(7, 6, 18, 4), (12, 10, 8, 13), (6, 23, 20, 4)]
STATIC = Path(__file__).resolve().parents[1] / "src" / "opora" / "web" / "static" / "opora"


def svg() -> str:
    rects = "".join(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="#fff"/>'
                    for x, y, w, h in PARTS)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">'
            f'<rect width="{SIZE}" height="{SIZE}" rx="{RADIUS}" fill="#1f5fa8"/>{rects}</svg>\n')


def _inside_rounded(x: int, y: int) -> bool:
    cx = min(max(x + 0.5, RADIUS), SIZE - RADIUS)
    cy = min(max(y + 0.5, RADIUS), SIZE - RADIUS)
    return (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= RADIUS ** 2


def _pixel(x: int, y: int) -> tuple[int, int, int, int]:
    if not _inside_rounded(x, y):
        return (0, 0, 0, 0)
    white = any(px <= x < px + w and py <= y < py + h for px, py, w, h in PARTS)
    r, g, b = WHITE if white else ACCENT
    return (r, g, b, 255)


def ico() -> bytes:
    """One 32×32 32-bit image (BGRA rows bottom-up, then an empty AND mask)."""
    pixels = bytearray()
    for y in reversed(range(SIZE)):
        for x in range(SIZE):
            r, g, b, a = _pixel(x, y)
            pixels += bytes((b, g, r, a))
    mask = bytes(SIZE * 4)  # 32 one-bit pixels per row = 4 bytes; transparency is in alpha
    header = struct.pack("<IiiHHIIiiII", 40, SIZE, SIZE * 2, 1, 32, 0, len(pixels) + len(mask),
                         0, 0, 0, 0)
    image = header + bytes(pixels) + mask
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 6 + 16)
    return directory + entry + image


def main() -> None:
    (STATIC / "favicon.svg").write_text(svg(), encoding="utf-8")
    (STATIC / "favicon.ico").write_bytes(ico())


if __name__ == "__main__":
    main()
