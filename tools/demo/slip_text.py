# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads ESC/POS bytes as the kiosk sends them to the receipt printer and
returns the text a person would see on the paper (GB18030 decoded, commands
dropped, [QR: ...] and [image] where the printer draws them, --- for the cut).
Used by the demo to show the slip it "printed" into a file."""
import sys


def slip_text(data):
    out, text, i = [], bytearray(), 0

    def flush():
        if text:
            out.append(text.decode("gb18030", errors="replace"))
            text.clear()
    while i < len(data):
        b = data[i]
        if b == 0x0A:
            flush()
            out.append("\n")
            i += 1
        elif b == 0x1B and i + 1 < len(data):  # ESC @ | ESC a n | ESC E n | ESC d n
            flush()
            if data[i + 1] == ord("d"):
                out.append("\n" * data[i + 2])
            i += 2 if data[i + 1] == ord("@") else 3
        elif b == 0x1C:  # FS & / FS . (Chinese character mode on/off)
            i += 2
        elif b == 0x1D and i + 1 < len(data):
            flush()
            c = data[i + 1]
            if c == ord("!"):  # GS ! n: size
                i += 3
            elif c == ord("V"):  # GS V 66 n: cut
                out.append("\n------------------------------ (cut)\n")
                i += 4 if data[i + 2] in (65, 66) else 3
            elif c == ord("(") and data[i + 2] == ord("k"):  # GS ( k pL pH cn fn ...
                n = data[i + 3] + 256 * data[i + 4]
                body = data[i + 5:i + 5 + n]
                if body[:3] == b"\x31\x50\x30":
                    out.append("[QR: %s]" % body[3:].decode("ascii", errors="replace"))
                i += 5 + n
            elif c == ord("v") and data[i + 2] == ord("0"):  # GS v 0 m xL xH yL yH data
                x = data[i + 4] + 256 * data[i + 5]
                y = data[i + 6] + 256 * data[i + 7]
                out.append("[image %dx%d dots]" % (x * 8, y))
                i += 8 + x * y
            else:
                i += 2
        else:
            text.append(b)
            i += 1
    flush()
    return "".join(out)


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        print(slip_text(f.read()))
