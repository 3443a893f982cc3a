"""Prints the envelope known-answer vector (JSON) from fixed inputs; its output is checked in as test data.

Private scalars are derived from labels (SHA-256 of the label), so no key material is stored anywhere.
"""
import hashlib
import json
import os
import sys
import tempfile

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

import hub_envelope


def scalar(label):
    return X25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode("ascii")).digest())


def main():
    inputs = {
        "recipient_label": "lxa-envelope-kat-recipient",
        "ephemeral_label": "lxa-envelope-kat-ephemeral",
        "wrap_salt_hex": "000102030405060708090a0b0c0d0e0f",
        "wrap_nonce_hex": "101112131415161718191a1b",
        "dek_hex": "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f",
        "payload_nonce_hex": "404142434445464748494a4b",
        "plaintext_hex": ("%PDF-1.4 known answer \u00e9 test payload\n".encode("utf-8") * 3).hex(),
        "identity": {
            "transfer_key": "node-kat__report__" + "ab" * 32 + "__processed_v1",
            "source_node_key": "node-kat",
            "source_center_key": "center-kat",
            "target_node_key": "hub",
            "resource_kind": "report",
            "resource_hash": "ab" * 32,
            "transfer_mode": "metadata_and_processed_media",
            "media_role": "processed",
        },
    }
    recipient = scalar(inputs["recipient_label"])
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "plain")
        target = os.path.join(work, "cipher")
        with open(source, "wb") as handle:
            handle.write(bytes.fromhex(inputs["plaintext_hex"]))
        metadata = hub_envelope.encrypt_file(
            source, target, inputs["identity"], recipient.public_key(),
            ephemeral=scalar(inputs["ephemeral_label"]),
            wrap_salt=bytes.fromhex(inputs["wrap_salt_hex"]),
            wrap_nonce=bytes.fromhex(inputs["wrap_nonce_hex"]),
            dek=bytes.fromhex(inputs["dek_hex"]),
            payload_nonce=bytes.fromhex(inputs["payload_nonce_hex"]))
        with open(target, "rb") as handle:
            ciphertext = handle.read()
    vector = {
        "inputs": inputs,
        "expected": {
            "envelope_json": hub_envelope.canonical(metadata).decode("ascii"),
            "aad_utf8": hub_envelope.aad_of(metadata).decode("ascii"),
            "fingerprint_sha256": hub_envelope.fingerprint(metadata),
            "ciphertext_hex": ciphertext.hex(),
        },
    }
    json.dump(vector, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
