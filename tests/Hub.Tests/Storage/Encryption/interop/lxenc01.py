#!/usr/bin/python3
"""Independent LXENC01 implementation used as an interoperability reference in tests.

Written from the format description in docs/architecture.md (Encrypted artifacts), using only the
Python standard library and Debian's python3-cryptography:

  magic b"LXENC01\\n" | u32be header length | header (compact JSON, sorted keys) | records
  record = u32be ciphertext length | AES-256-GCM(chunk) ciphertext followed by the 16-byte tag
  chunk nonce = nonce_prefix (8 bytes) | u32be chunk counter; chunk AAD = the exact header bytes
  data key: 32 random bytes, AES-GCM wrapped under the master key, AAD b"lx-annotate:dek-wrap:v1"

Usage:
  lxenc01.py encrypt KEYFILE SRC DST [--chunk-size N] [--seed HEX]
  lxenc01.py decrypt KEYFILE SRC DST        (DST "-" writes to standard output)

KEYFILE holds the master key as URL-safe base64 (16, 24 or 32 bytes). --seed makes the random
values (data key, nonces) deterministic; it exists only to regenerate checked-in fixtures.
"""

import base64
import hashlib
import json
import os
import struct
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"LXENC01\n"
WRAP_AAD = b"lx-annotate:dek-wrap:v1"
TAG = 16
MAX_HEADER = 64 * 1024
MAX_CHUNK = 64 * 1024 * 1024


class FormatError(Exception):
    pass


def b64(data):
    return base64.urlsafe_b64encode(data).decode("ascii")


def unb64(text):
    return base64.b64decode(text, altchars=b"-_", validate=True)


def load_key(path):
    with open(path, "r", encoding="ascii") as handle:
        key = unb64(handle.read().strip())
    if len(key) not in (16, 24, 32):
        raise FormatError("master key must be 16, 24 or 32 bytes")
    return key


class Randomness:
    def __init__(self, seed):
        self.seed = seed
        self.counter = 0

    def take(self, size):
        if self.seed is None:
            return os.urandom(size)
        self.counter += 1
        return hashlib.sha256(self.seed + struct.pack(">I", self.counter)).digest()[:size]


def read_exact(source, size):
    data = bytearray()
    while len(data) < size:
        part = source.read(size - len(data))
        if not part:
            break
        data.extend(part)
    return bytes(data)


def encrypt(master_key, source, destination, chunk_size, rng):
    if not 0 < chunk_size <= MAX_CHUNK:
        raise FormatError("chunk size out of range")
    dek = rng.take(32)
    wrap_nonce = rng.take(12)
    header = {
        "version": 1,
        "algorithm": "AESGCM-chunked-v1",
        "chunk_size": chunk_size,
        "wrapped_dek": b64(AESGCM(master_key).encrypt(wrap_nonce, dek, WRAP_AAD)),
        "wrap_nonce": b64(wrap_nonce),
        "nonce_prefix": b64(rng.take(8)),
    }
    header_bytes = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    destination.write(MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes)
    prefix = unb64(header["nonce_prefix"])
    cipher = AESGCM(dek)
    counter = 0
    while True:
        chunk = read_exact(source, chunk_size)
        if not chunk:
            return
        sealed = cipher.encrypt(prefix + struct.pack(">I", counter), chunk, header_bytes)
        destination.write(struct.pack(">I", len(sealed)) + sealed)
        counter += 1


def decrypt(master_key, source, destination):
    if read_exact(source, 8) != MAGIC:
        raise FormatError("magic missing")
    raw_length = read_exact(source, 4)
    if len(raw_length) != 4:
        raise FormatError("header length truncated")
    (header_length,) = struct.unpack(">I", raw_length)
    if not 0 < header_length <= MAX_HEADER:
        raise FormatError("header length out of range")
    header_bytes = read_exact(source, header_length)
    if len(header_bytes) != header_length:
        raise FormatError("header truncated")
    header = json.loads(header_bytes)
    if header.get("version") != 1 or header.get("algorithm") != "AESGCM-chunked-v1":
        raise FormatError("unsupported version or algorithm")
    chunk_size = header["chunk_size"]
    if not isinstance(chunk_size, int) or not 0 < chunk_size <= MAX_CHUNK:
        raise FormatError("chunk size out of range")
    try:
        dek = AESGCM(master_key).decrypt(unb64(header["wrap_nonce"]), unb64(header["wrapped_dek"]), WRAP_AAD)
    except InvalidTag:
        raise FormatError("master key does not open the data key") from None
    prefix = unb64(header["nonce_prefix"])
    cipher = AESGCM(dek)
    counter = 0
    last_seen = False
    # Each chunk is verified before any of its bytes are written.
    while True:
        raw = read_exact(source, 4)
        if not raw:
            return
        if len(raw) != 4:
            raise FormatError("record length truncated")
        (length,) = struct.unpack(">I", raw)
        if last_seen or not TAG < length <= chunk_size + TAG:
            raise FormatError("unexpected record after the last chunk or bad record length")
        last_seen = length < chunk_size + TAG
        sealed = read_exact(source, length)
        if len(sealed) != length:
            raise FormatError("record truncated")
        try:
            plain = cipher.decrypt(prefix + struct.pack(">I", counter), sealed, header_bytes)
        except InvalidTag:
            raise FormatError("chunk %d failed authentication" % counter) from None
        destination.write(plain)
        counter += 1


def main(argv):
    if len(argv) < 5 or argv[1] not in ("encrypt", "decrypt"):
        sys.stderr.write(__doc__)
        return 2
    key = load_key(argv[2])
    options = argv[5:]
    chunk_size = 1024 * 1024
    seed = None
    while options:
        name, value, options = options[0], options[1], options[2:]
        if name == "--chunk-size":
            chunk_size = int(value)
        elif name == "--seed":
            seed = bytes.fromhex(value)
        else:
            raise FormatError("unknown option " + name)
    with open(argv[3], "rb") as source:
        out = sys.stdout.buffer if argv[4] == "-" else open(argv[4], "wb")
        try:
            if argv[1] == "encrypt":
                encrypt(key, source, out, chunk_size, Randomness(seed))
            else:
                decrypt(key, source, out)
        finally:
            if out is not sys.stdout.buffer:
                out.close()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except FormatError as error:
        sys.stderr.write("lxenc01.py: %s\n" % error)
        sys.exit(1)
