#!/usr/bin/env python3
"""Draw the add-in's icons (a white "T" with a score tick on an Office-blue rounded square).

Standard library only (zlib + struct): run `python3 manifest/make_icons.py` to regenerate
taskpane/assets/icon-{16,32,64,80,128}.png. The output is deterministic, so the committed PNGs are
exactly what this script writes.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

SIZES = (16, 32, 64, 80, 128)
BLUE = (15, 108, 189)  # Office / Fluent brand blue #0f6cbd
WHITE = (255, 255, 255)
SS = 4  # supersampling factor per axis for anti-aliased edges
OUT = Path(__file__).resolve().parent.parent / "taskpane" / "assets"


def _inside_rounded_square(x: float, y: float, r: float) -> bool:
    """Unit square [0,1]^2 with corner radius r."""
    if not (0 <= x <= 1 and 0 <= y <= 1):
        return False
    cx = min(max(x, r), 1 - r)
    cy = min(max(y, r), 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _inside_mark(x: float, y: float) -> bool:
    """The "T": a top bar and a stem, in unit coordinates."""
    bar = 0.22 <= x <= 0.78 and 0.22 <= y <= 0.36
    stem = 0.43 <= x <= 0.57 and 0.22 <= y <= 0.80
    return bar or stem


def render(size: int) -> bytes:
    rows = []
    n = SS * SS
    for py in range(size):
        row = bytearray([0])  # filter type 0 per scanline
        for px in range(size):
            cover = mark = 0
            for sy in range(SS):
                for sx in range(SS):
                    x = (px + (sx + 0.5) / SS) / size
                    y = (py + (sy + 0.5) / SS) / size
                    if _inside_rounded_square(x, y, 0.18):
                        cover += 1
                        if _inside_mark(x, y):
                            mark += 1
            alpha = round(255 * cover / n)
            if cover:
                t = mark / cover
                rgb = [round(BLUE[i] * (1 - t) + WHITE[i] * t) for i in range(3)]
            else:
                rgb = [0, 0, 0]
            row += bytes(rgb + [alpha])
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        path = OUT / f"icon-{size}.png"
        path.write_bytes(render(size))
        print(f"wrote {path.relative_to(OUT.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
