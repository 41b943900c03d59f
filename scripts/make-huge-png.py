"""A 50000x50000 grayscale PNG of a few hundred bytes: its header claims the size, its data is
cut short (decoders refuse it by size before reading the pixels). For the image-bomb test."""
import struct
import sys
import zlib


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)


width = height = 50000
header = struct.pack('>IIBBBBB', width, height, 8, 0, 0, 0, 0)
rows = b''.join(b'\x00' + b'\x00' * width for _ in range(4))
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b'')
with open(sys.argv[1], 'wb') as f:
    f.write(png)
