#!/usr/bin/env python3
"""Send one file to an LxAnnotate hub with Python grpcio, using only protos/ and a node certificate.

Generate the stubs first (Debian: apt install python3-grpcio python3-grpc-tools):

    python3 -m grpc_tools.protoc -I protos --python_out=OUT --grpc_python_out=OUT protos/lxannotate/v1/transfer.proto

then:

    PYTHONPATH=OUT python3 examples/python/lxa_send.py --hub hub.example.org:8444 \
        --ca node-ca.crt.pem --cert node.crt.pem --key node.key.pem \
        --content-type video/mp4 --source-system endoscopy FILE

It offers the file, uploads from the offset the hub already holds (so a re-run resumes), and prints
the hub's receipt as one JSON line.
"""
import argparse
import hashlib
import json
import os
import sys

import grpc

from lxannotate.v1 import transfer_pb2, transfer_pb2_grpc

CHUNK = 1024 * 1024


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def upload_messages(transfer_id, offset, path, max_chunk):
    yield transfer_pb2.UploadRequest(header=transfer_pb2.UploadHeader(transfer_id=transfer_id, offset=offset))
    with open(path, "rb") as handle:
        handle.seek(offset)
        for block in iter(lambda: handle.read(max_chunk), b""):
            yield transfer_pb2.UploadRequest(chunk=block)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub", required=True, help="host:port of the hub's transfer listener")
    parser.add_argument("--ca", required=True, help="PEM of the CA that signed the hub's server certificate")
    parser.add_argument("--cert", required=True, help="node client certificate (PEM)")
    parser.add_argument("--key", required=True, help="node private key (PEM)")
    parser.add_argument("--content-type", required=True)
    parser.add_argument("--source-system", default="python-client")
    parser.add_argument("--center-key", default="")
    parser.add_argument("file")
    args = parser.parse_args()

    with open(args.ca, "rb") as ca, open(args.cert, "rb") as cert, open(args.key, "rb") as key:
        credentials = grpc.ssl_channel_credentials(ca.read(), key.read(), cert.read())

    with grpc.secure_channel(args.hub, credentials) as channel:
        stub = transfer_pb2_grpc.TransferStub(channel)
        offer = stub.Offer(
            transfer_pb2.OfferRequest(
                sha256=sha256_of(args.file),
                size=os.path.getsize(args.file),
                content_type=args.content_type,
                original_filename=os.path.basename(args.file),
                center_key=args.center_key,
                source_system=args.source_system,
            ),
            timeout=30,
        )
        if offer.WhichOneof("result") == "already_stored":
            print(json.dumps({"upload_job_id": offer.already_stored.upload_job_id, "created": False, "bytes_sent": 0}))
            return 0

        ready = offer.transfer
        reply = stub.Upload(upload_messages(ready.transfer_id, ready.offset, args.file, ready.max_chunk_bytes or CHUNK), timeout=3600)
        print(json.dumps({
            "upload_job_id": reply.upload_job_id,
            "created": reply.created,
            "sha256": reply.sha256,
            "size": reply.size,
            "bytes_sent": os.path.getsize(args.file) - ready.offset,
        }))
        return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except grpc.RpcError as error:
        print(f"lxa_send: {error.code().name}: {error.details()}", file=sys.stderr)
        sys.exit(1)
