# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of real display servers for the deploy tests, standard library only.

xwd_to_png: an X server's root window (`xwd -root`, 24/32-bit TrueColor) to PNG.
write_png:  RGB rows to an 8-bit PNG (what tests/ui/harness.read_png reads back).
"""
import struct
import zlib


def write_png(path, width, height, rows):
    """rows: height byte strings of width*3 RGB bytes."""
    raw = b"".join(b"\x00" + bytes(r) for r in rows)

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(chunk(b"IEND", b""))


def xwd_to_png(xwd, path):
    """Decodes an XWD dump (bytes) of a 24 or 32 bits-per-pixel TrueColor screen and
    writes it as PNG. Returns (width, height)."""
    f = struct.unpack(">25I", xwd[:100])
    header_size, fmt, width, height = f[0], f[2], f[4], f[5]
    byte_order, bpp, stride, ncolors = f[7], f[11], f[12], f[19]
    rmask, gmask, bmask = f[14], f[15], f[16]
    if fmt != 2 or bpp not in (24, 32):
        raise ValueError("unsupported XWD: format %d, %d bits per pixel" % (fmt, bpp))
    start = header_size + 12 * ncolors
    order = "<" if byte_order == 0 else ">"

    def shift(mask):
        s = 0
        while mask and not mask & 1:
            mask >>= 1
            s += 1
        return s
    rs, gs, bs = shift(rmask), shift(gmask), shift(bmask)
    nb = bpp // 8
    rows = []
    for y in range(height):
        line = xwd[start + y * stride:start + y * stride + width * nb]
        if nb == 4:
            px = struct.unpack(order + "%dI" % width, line)
        else:
            px = [int.from_bytes(line[i:i + 3], "little" if order == "<" else "big")
                  for i in range(0, width * 3, 3)]
        row = bytearray(width * 3)
        row[0::3] = bytes((p & rmask) >> rs for p in px)
        row[1::3] = bytes((p & gmask) >> gs for p in px)
        row[2::3] = bytes((p & bmask) >> bs for p in px)
        rows.append(row)
    write_png(path, width, height, rows)
    return width, height
