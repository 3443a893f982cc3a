"""hub_media_envelope_v1 / x25519-hkdf-sha256-aes256gcm-v1, written from the wire description only.

An independent implementation (Python `cryptography`) used by the tests to talk to the hub and to produce
the known-answer vector the C# implementation is checked against.
"""
import base64
import hashlib
import json

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CONTRACT_VERSION = "hub_media_envelope_v1"
PROFILE = "x25519-hkdf-sha256-aes256gcm-v1"
WRAP_INFO = b"lx-hub-media-envelope-wrap-v1"
CHUNK = 1024 * 1024


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64u(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("utf-8")


def raw_public(public_key):
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key):
    return hashlib.sha256(raw_public(public_key)).hexdigest()


def load_public_pem(path):
    with open(path, "rb") as handle:
        return serialization.load_pem_public_key(handle.read())


def aad_of(metadata):
    return canonical({k: v for k, v in metadata.items() if k not in ("wrapped_data_encryption_key", "payload_tag")})


def fingerprint(metadata):
    return hashlib.sha256(canonical(metadata)).hexdigest()


def _kek(private_key, public_key, salt):
    shared = private_key.exchange(public_key)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=WRAP_INFO).derive(shared)


def encrypt_file(source, target, identity, recipient_public, ephemeral=None, wrap_salt=None, wrap_nonce=None, dek=None, payload_nonce=None):
    """Encrypts the file `source` into `target` (same length) and returns the 20-field metadata."""
    import os

    ephemeral = ephemeral or X25519PrivateKey.generate()
    wrap_salt = wrap_salt or os.urandom(16)
    wrap_nonce = wrap_nonce or os.urandom(12)
    dek = dek or os.urandom(32)
    payload_nonce = payload_nonce or os.urandom(12)

    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    plaintext_sha256 = digest.hexdigest()

    metadata = {
        "contract_version": CONTRACT_VERSION,
        "profile": PROFILE,
        **identity,
        "processed_media_hash": plaintext_sha256,
        "plaintext_sha256": plaintext_sha256,
        "plaintext_size": size,
        "recipient_key_id": key_id(recipient_public),
        "ephemeral_public_key": b64u(raw_public(ephemeral.public_key())),
        "wrap_salt": b64u(wrap_salt),
        "wrap_nonce": b64u(wrap_nonce),
        "payload_nonce": b64u(payload_nonce),
    }
    aad = aad_of(metadata)
    kek = _kek(ephemeral, recipient_public, wrap_salt)
    metadata["wrapped_data_encryption_key"] = b64u(AESGCM(kek).encrypt(wrap_nonce, dek, aad))

    encryptor = Cipher(algorithms.AES(dek), modes.GCM(payload_nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    with open(source, "rb") as handle, open(target, "wb") as out:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            out.write(encryptor.update(chunk))
        out.write(encryptor.finalize())
    metadata["payload_tag"] = b64u(encryptor.tag)
    assert len(metadata) == 20
    return metadata
