"""The mixed workload of a fault (videos, PDFs, preanonymized pairs, REST uploads) and its verification.

An artifact is known by (center, sha256): the hub stores content once per center, so "stored exactly once"
means one active upload job of that content in the sender's center, whose stored file has those bytes.
"""

import base64
import hashlib
import json
import os
import random
import threading
import time
from dataclasses import dataclass

import transfer_bench as tb
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MIB = tb.MIB
DROP_FOLDERS = {"video": "video_import", "pdf": "report_import", "pair": "preanonymized_import"}


@dataclass(frozen=True)
class Artifact:
    name: str
    kind: str
    center: str
    via: str
    size: int
    sha256: str


def write_artifact(path, kind, size):
    """Random content of `size` bytes with the header its type needs; returns its SHA-256."""
    if kind == "pair":
        data = "".join(random.choice("abcdefghij klmnop\n") for _ in range(size)).encode()
        with open(path, "wb") as f:
            f.write(data)
        return hashlib.sha256(data).hexdigest()
    tb.write_random_file(path, size, tb.MP4_HEADER if kind == "video" else tb.PDF_HEADER)
    return tb.sha256_file(path)


class Workload:
    """Writes artifacts into a node's drop folders (written aside, then renamed in) and keeps what was sent."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.sent = []
        self.count = 0
        self.lock = threading.Lock()

    def _name(self, kind):
        with self.lock:
            self.count += 1
            return f"{self.prefix}-{self.count:05d}"

    def prepare(self, node, kind, size):
        """Writes one artifact beside the drop folders; returns (artifact, move) where move() drops it."""
        stem = self._name(kind)
        ext = {"video": ".mp4", "pdf": ".pdf", "pair": ".txt"}[kind]
        staged = os.path.join(node.writer_dir(), stem + ext)
        sha = write_artifact(staged, kind, size)
        artifact = Artifact(stem + ext, kind, node.center, node.name, size, sha)
        folder = node.folder(DROP_FOLDERS[kind])
        if kind == "pair":
            with open(os.path.join(node.writer_dir(), stem + ".json"), "w") as f:
                json.dump({"center_key": node.center, "source_system": "sap_ish", "file_sha256": sha}, f)

        def move():
            if kind == "pair":
                os.rename(os.path.join(node.writer_dir(), stem + ".json"), os.path.join(folder, stem + ".json"))
            os.rename(staged, os.path.join(folder, stem + ext))
            with self.lock:
                self.sent.append(artifact)
        return artifact, move

    def drop(self, node, kind, size):
        artifact, move = self.prepare(node, kind, size)
        move()
        return artifact

    def drop_mix(self, node, sizes, defer=False):
        """One node's share of the mixed workload (`sizes` maps kind to a list of sizes): dropped now, or written
        aside only when `defer`, then the moves that drop them are returned."""
        moves = [self.prepare(node, kind, size)[1] for kind, kind_sizes in sizes.items() for size in kind_sizes]
        if not defer:
            for move in moves:
                move()
        return moves


class RestSender:
    """Posts PDFs to /api/upload/ in a thread, retrying (same Idempotency-Key) until the hub answers 200/201."""

    def __init__(self, hub, certs, token, workload, files_dir, centers, count, size, deadline_s):
        self.hub = hub
        self.certs = certs
        self.token = token
        self.workload = workload
        self.files_dir = files_dir
        self.centers = centers
        self.count = count
        self.size = size
        self.deadline_s = deadline_s
        self.errors = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self, spread_s=0.0):
        self.spread_s = spread_s
        self.thread.start()
        return self

    def join(self, timeout):
        self.thread.join(timeout)

    def _run(self):
        import requests
        deadline = time.monotonic() + self.deadline_s
        os.makedirs(self.files_dir, exist_ok=True)
        for i in range(self.count):
            center = self.centers[i % len(self.centers)]
            name = f"{self.workload.prefix}-rest-{i:04d}.pdf"
            path = os.path.join(self.files_dir, name)
            sha = write_artifact(path, "pdf", self.size)
            with self.workload.lock:
                self.workload.sent.append(Artifact(name, "pdf", center, "rest", self.size, sha))
            self._send(requests, path, name, center, deadline)
            if self.spread_s:
                time.sleep(self.spread_s / self.count)

    def _send(self, requests, path, name, center, deadline):
        backoff = 0.2
        while time.monotonic() < deadline:
            try:
                with requests.Session() as session, open(path, "rb") as f:
                    session.trust_env = False
                    response = session.post(f"https://127.0.0.1:{self.hub.api_port}/api/upload/",
                                            files={"file": (name, f, "application/pdf")},
                                            data={"center_key": center, "source_system": "faults"},
                                            headers={"Authorization": f"Bearer {self.token}", "Idempotency-Key": name},
                                            verify=os.path.join(self.certs, "node-ca.crt.pem"), timeout=60)
                if response.status_code in (200, 201):
                    return
                self.errors += 1
            except (requests.RequestException, OSError):
                self.errors += 1
            time.sleep(backoff)
            backoff = min(backoff * 2, 5.0)


def decrypt_lxenc01(path, master_key):
    """Plaintext of an LXENC01 file: header JSON is each chunk's additional data, nonce = prefix ‖ u32be counter."""
    key = base64.urlsafe_b64decode(master_key)
    with open(path, "rb") as f:
        blob = f.read()
    if not blob.startswith(b"LXENC01\n"):
        raise ValueError("not LXENC01")
    header_len = int.from_bytes(blob[8:12], "big")
    header_bytes = blob[12:12 + header_len]
    header = json.loads(header_bytes)
    b64 = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    dek = AESGCM(key).decrypt(b64(header["wrap_nonce"]), b64(header["wrapped_dek"]), b"lx-annotate:dek-wrap:v1")
    prefix = b64(header["nonce_prefix"])
    aes = AESGCM(dek)
    out = bytearray()
    pos, counter = 12 + header_len, 0
    while pos < len(blob):
        length = int.from_bytes(blob[pos:pos + 4], "big")
        record = blob[pos + 4:pos + 4 + length]
        out += aes.decrypt(prefix + counter.to_bytes(4, "big"), record, header_bytes)
        pos += 4 + length
        counter += 1
    return bytes(out)


def stored_sha256(path, storage_class, master_key):
    if storage_class == "encrypted":
        return hashlib.sha256(decrypt_lxenc01(path, master_key)).hexdigest()
    return tb.sha256_file(path)
