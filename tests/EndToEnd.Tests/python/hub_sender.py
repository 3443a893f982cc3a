"""A Python-era site node's hub transfer sender, written from the wire description only.

Speaks the three media generations to /api/media/hub/transfers/ with `requests` over HTTPS and a client
certificate, and prints one JSON line: {"status": <HTTP status>, "body": <JSON body or text>}.
"""
import argparse
import json
import os
import sys
import tempfile
import time

import requests

import hub_envelope


def session(args):
    s = requests.Session()
    # Only the hub's CA, never a bundle or proxy from the environment (requests would prefer those).
    s.trust_env = False
    s.verify = args.ca
    if args.cert:
        s.cert = (args.cert, args.key)
    s.headers["X-Network-Node-Key"] = args.node_key
    if args.secret is not None:
        s.headers["X-Network-Node-Secret"] = args.secret
    for header in args.header or []:
        name, _, value = header.partition("=")
        s.headers[name] = value
    return s


def report(response):
    try:
        body = response.json()
    except ValueError:
        body = response.text
    print(json.dumps({"status": response.status_code, "body": body, "redirect": response.is_redirect}))


def url(args, path):
    return args.url.rstrip("/") + "/api/media/hub/transfers/" + path


def create(args):
    with open(args.payload, "rb") as handle:
        payload = json.load(handle)
    report(session(args).post(url(args, ""), json=payload, allow_redirects=False, timeout=60))


def status(args):
    report(session(args).get(url(args, args.transfer_key + "/status/"), allow_redirects=False, timeout=60))


def identity_of(status_body):
    keys = ["transfer_key", "source_node_key", "source_center_key", "target_node_key", "resource_kind", "resource_hash", "transfer_mode"]
    identity = {k: status_body[k] for k in keys}
    identity["media_role"] = "processed"
    return identity


def media(args):
    s = session(args)
    target = url(args, args.transfer_key + "/media/")
    if args.mode == "plain":
        with open(args.file, "rb") as handle:
            report(s.post(target, data={"media_role": "processed"}, files={"file": ("media.bin", handle, "application/octet-stream")}, allow_redirects=False, timeout=120))
        return

    work = tempfile.mkdtemp()
    if args.reuse:
        with open(os.path.join(args.reuse, "envelope.json"), "rb") as handle:
            metadata = json.load(handle)
        ciphertext = os.path.join(args.reuse, "ciphertext.bin")
    else:
        current = s.get(url(args, args.transfer_key + "/status/"), timeout=60).json()
        recipient = hub_envelope.load_public_pem(args.recipient)
        ciphertext = os.path.join(work, "ciphertext.bin")
        metadata = hub_envelope.encrypt_file(args.file, ciphertext, identity_of(current), recipient)

    if args.save:
        os.makedirs(args.save, exist_ok=True)
        with open(os.path.join(args.save, "envelope.json"), "w") as handle:
            json.dump(metadata, handle)
        with open(ciphertext, "rb") as source, open(os.path.join(args.save, "ciphertext.bin"), "wb") as copy:
            copy.write(source.read())

    with open(ciphertext, "rb") as handle:
        body = bytearray(handle.read())
    if args.tamper == "ciphertext":
        body[len(body) // 2] ^= 0x01
    elif args.tamper == "nonce":
        nonce = bytearray(hub_envelope.unb64u(metadata["payload_nonce"]))
        nonce[0] ^= 0x01
        metadata["payload_nonce"] = hub_envelope.b64u(bytes(nonce))
    if args.truncate:
        body = body[: len(body) - args.truncate]

    envelope_text = json.dumps(metadata, sort_keys=True, separators=(",", ":"))
    if args.pad_envelope:
        # Whitespace inside the object: still valid JSON, but larger than the header limit.
        envelope_text = "{" + " " * args.pad_envelope + envelope_text[1:]

    if args.mode == "multipart":
        report(s.post(target, data={"media_role": "processed", "envelope": envelope_text}, files={"file": ("media.enc", bytes(body), "application/octet-stream")}, allow_redirects=False, timeout=120))
        return

    headers = {"Content-Type": "application/octet-stream", "X-Hub-Media-Role": "processed", "X-Hub-Media-Envelope": envelope_text}
    if args.hold_until:
        # A slow sender: the first bytes, then nothing until the signal file appears (bounded wait).
        def chunks():
            yield bytes(body[:1024])
            deadline = time.monotonic() + 60
            while not os.path.exists(args.hold_until) and time.monotonic() < deadline:
                time.sleep(0.05)
            yield bytes(body[1024:])

        report(s.post(target, data=chunks(), headers=headers, allow_redirects=False, timeout=120))
        return

    report(s.post(target, data=bytes(body), headers=headers, allow_redirects=False, timeout=120))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--node-key", required=True)
    parser.add_argument("--secret")
    parser.add_argument("--header", action="append")
    commands = parser.add_subparsers(dest="command", required=True)
    c = commands.add_parser("create")
    c.add_argument("--payload", required=True)
    st = commands.add_parser("status")
    st.add_argument("--transfer-key", required=True)
    m = commands.add_parser("media")
    m.add_argument("--transfer-key", required=True)
    m.add_argument("--mode", choices=["plain", "multipart", "raw"], required=True)
    m.add_argument("--file")
    m.add_argument("--recipient")
    m.add_argument("--reuse")
    m.add_argument("--save")
    m.add_argument("--tamper", choices=["ciphertext", "nonce"])
    m.add_argument("--truncate", type=int, default=0)
    m.add_argument("--pad-envelope", type=int, default=0)
    m.add_argument("--hold-until")
    args = parser.parse_args()
    {"create": create, "status": status, "media": media}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
