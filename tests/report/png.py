"""png.py - just enough PNG for the browser test: read a screenshot into
rows of pixels (8-bit RGB or RGBA, not interlaced: what Chromium writes),
and write a cropped copy for looking at part of a tall page.

    python3 png.py crop IN.png OUT.png Y0 Y1    rows Y0..Y1 of IN into OUT
"""
import struct
import sys
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunks(data):
    if data[:8] != SIGNATURE:
        raise ValueError("not a PNG file")
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise ValueError("truncated chunk %r" % kind)
        yield kind, body
        pos += 12 + length


def header(data):
    """(width, height, bit depth, colour type) from IHDR."""
    for kind, body in chunks(data):
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            return w, h, depth, ctype, interlace
    raise ValueError("no IHDR")


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode(data):
    """(width, height, channels, rows): rows are bytes, unfiltered."""
    w, h, depth, ctype, interlace = header(data)
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError("unsupported PNG: depth %d, colour type %d, interlace %d"
                         % (depth, ctype, interlace))
    ch = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(b for k, b in chunks(data) if k == b"IDAT"))
    stride = w * ch
    if len(raw) != h * (stride + 1):
        raise ValueError("IDAT holds %d bytes, want %d" % (len(raw), h * (stride + 1)))
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(ch, stride):
                line[i] = (line[i] + line[i - ch]) & 255
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif f == 3:
            for i in range(stride):
                left = line[i - ch] if i >= ch else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                left = line[i - ch] if i >= ch else 0
                up_left = prev[i - ch] if i >= ch else 0
                line[i] = (line[i] + _paeth(left, prev[i], up_left)) & 255
        elif f != 0:
            raise ValueError("bad filter %d in row %d" % (f, y))
        rows.append(bytes(line))
        prev = line
    return w, h, ch, rows


def encode(w, ch, rows):
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff))
    ihdr = struct.pack(">IIBBBBB", w, len(rows), 8, 2 if ch == 3 else 6, 0, 0, 0)
    raw = b"".join(b"\0" + r for r in rows)
    return (SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 6))
            + chunk(b"IEND", b""))


def main(argv):
    if len(argv) != 6 or argv[1] != "crop":
        print(__doc__.strip())
        return 2
    with open(argv[2], "rb") as f:
        w, h, ch, rows = decode(f.read())
    y0, y1 = max(0, int(argv[4])), min(h, int(argv[5]))
    with open(argv[3], "wb") as f:
        f.write(encode(w, ch, rows[y0:y1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
