"""What the client checks share: one printed line per check, a stop at the first that fails, a PNG
written by hand (the clients' venvs have no imaging library), and the TLS files of the TLS pass."""
import collections
import os
import struct
import sys
import zlib

TlsFiles = collections.namedtuple("TlsFiles", "ca cert key")


def tls_files(argv):
    """The CA bundle, client certificate and key tls_certificates.py wrote in the directory argv[3] names (the
    TLS pass); None without one (the plaintext pass)."""
    if len(argv) < 4:
        return None
    return TlsFiles(*(os.path.join(argv[3], file) for file in ("ca.crt", "client.crt", "client.key")))


def check(name, condition, detail=None):
    print(("ok   " if condition else "FAIL ") + name + ("" if detail is None else ": " + str(detail)))
    if not condition:
        sys.exit(1)


def fails_with(error_matches, call):
    """(True, detail) when call raises an exception error_matches accepts; detail says what happened."""
    try:
        call()
    except Exception as e:  # each client has its own exception types: error_matches tells them apart
        return error_matches(e), type(e).__name__ + ": " + str(e)
    return False, "no error"


def png(width, height, rgb):
    """A solid-colour 8-bit RGB PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
