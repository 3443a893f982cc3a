#!/usr/bin/python3
"""Transfer benchmark: raw TLS pipe baseline vs curl to REST vs lxa-node push over mTLS gRPC.

Run through bench/run.sh (it builds the Release binaries and installs what is missing). Everything runs on
loopback against real processes: lxa-hub serve (central_hub on SQLite), lxa-node push, openssl, curl.
Prints one table and writes the results as JSON to the path given as first argument.
"""

import argparse
import base64
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

MIB = 1024 * 1024
CENTER = "bench"
NODE = "bench-node"
ISSUER = "https://idp.bench/realms/lx"
AUDIENCE = "lx-annotate"
# An MP4 'ftyp' box: the REST gateway takes the type from the first bytes.
MP4_HEADER = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
PDF_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
NONCE_OFFSET = 64
TIMESTAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z) ")


def parse_size(text):
    m = re.fullmatch(r"(\d+)([KMG]?)(i?B)?", text.strip(), re.IGNORECASE)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 64M, 1G, 100K)")
    return int(m.group(1)) * {"": 1, "K": 1024, "M": MIB, "G": 1024 * MIB}[m.group(2).upper()]


def size_list(text):
    return [parse_size(t) for t in text.split(",") if t.strip()]


def human(size):
    if size >= 1024 * MIB and size % (1024 * MIB) == 0:
        return f"{size // (1024 * MIB)}G"
    if size >= MIB and size % MIB == 0:
        return f"{size // MIB}M"
    return f"{size // 1024}K"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    """True when a socket listens on the port (read from /proc, so no connection is spent)."""
    needle = f":{port:04X} "
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                for line in f.readlines()[1:]:
                    cols = line.split()
                    if cols[1].endswith(needle.strip()) and cols[3] == "0A":
                        return True
        except FileNotFoundError:
            pass
    return False


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what}")


def vm_hwm(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("VmHWM not found")


def reset_hwm(pid):
    # Writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0).
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_cpu_seconds(pid, children=False):
    """User + system CPU seconds of a process (with children=True also of its reaped children)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state): utime, stime, cutime, cstime are fields 14-17.
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLK_TCK


def postgres_cpu_seconds(database_url):
    """CPU seconds of the PostgreSQL cluster serving the bench: its postmaster (with the backends it has
    reaped) plus its live children. None when the postmaster is not found (an external database)."""
    port = urllib.parse.urlparse(database_url).port
    postmaster = None
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if argv and os.path.basename(argv[0]) == b"postgres" and f"-p {port}".encode() in b" ".join(argv):
            postmaster = int(pid)
            break
    if postmaster is None:
        return None
    total = proc_cpu_seconds(postmaster, children=True)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == postmaster:
                total += proc_cpu_seconds(int(pid))
        except (OSError, ValueError):
            continue
    return total


def time_v_cpu(path):
    """User + system CPU seconds from a /usr/bin/time -v output file."""
    total = 0.0
    with open(path) as f:
        for line in f:
            if "User time (seconds)" in line or "System time (seconds)" in line:
                total += float(line.rsplit(":", 1)[1])
    return total


def time_v_rss(path):
    """Maximum resident set size from a /usr/bin/time -v output file, in bytes."""
    with open(path) as f:
        for line in f:
            if "Maximum resident set size" in line:
                return int(line.rsplit(":", 1)[1]) * 1024
    return None


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwks_and_token(directory, centers=(CENTER,)):
    """An RSA key of a pretend identity provider: JWKS file for the hub, RS256 bearer token (for `centers`) for the bench."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    jwks = {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "bench",
                      "n": b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
                      "e": b64url(numbers.e.to_bytes(3, "big"))}]}
    path = os.path.join(directory, "jwks.json")
    with open(path, "w") as f:
        json.dump(jwks, f)
    now = int(time.time())
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "bench"}).encode())
    claims = b64url(json.dumps({"iss": ISSUER, "aud": AUDIENCE, "sub": "bench", "iat": now, "nbf": now - 60,
                                "exp": now + 6 * 3600, "center_keys": list(centers)}).encode())
    signature = key.sign(f"{header}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return path, f"{header}.{claims}.{b64url(signature)}"


def write_random_file(path, size, header):
    with open(path, "wb") as f:
        f.write(header)
        remaining = size - len(header)
        while remaining > 0:
            n = min(remaining, 8 * MIB)
            f.write(os.urandom(n))
            remaining -= n


def renew_content(path):
    """New bytes at a fixed offset: every run sends content the hub has not stored yet (no dedup)."""
    with open(path, "r+b") as f:
        f.seek(NONCE_OFFSET)
        f.write(os.urandom(32))


SIZE_NONCE = [0]


def new_size(path, size):
    """The file cut a few bytes short of `size`, by a count not used before in this run: like two recordings, no
    two artifacts the hub stores have the same size, so a push may offer a file before hashing it."""
    SIZE_NONCE[0] += 1
    os.truncate(path, size - SIZE_NONCE[0])


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            block = f.read(4 * MIB)
            if not block:
                return h.hexdigest()
            h.update(block)


class Hub:
    def __init__(self, args, work, certs, jwks_file):
        self.args = args
        self.root = os.path.join(work, "hub")
        os.makedirs(self.root, exist_ok=True)
        self.api_port = free_port()
        self.transfer_port = free_port()
        self.log_path = os.path.join(work, "hub.log")
        self.log = None
        self.proc = None
        self.env = clean_env()
        self.env.update({
            "ENDOREG_DEPLOYMENT_ROLE": "central_hub",
            "LX_ANNOTATE_ENCRYPTED_DATA_DIR": self.root,
            "LXA_HUB_API_URL": f"https://127.0.0.1:{self.api_port}",
            "LXA_HUB_TRANSFER_URL": f"https://127.0.0.1:{self.transfer_port}",
            "LXA_HUB_TLS_CERT_FILE": os.path.join(certs, "hub.crt.pem"),
            "LXA_HUB_TLS_KEY_FILE": os.path.join(certs, "hub.key.pem"),
            "LXA_HUB_NODE_CA_FILE": os.path.join(certs, "node-ca.crt.pem"),
            "DATABASE_URL": args.database_url,
            "LXA_HUB_UPLOAD_MAX_BYTES": str(64 * 1024 * MIB),
            "OIDC_ISSUER": ISSUER,
            "OIDC_AUDIENCE": AUDIENCE,
            "OIDC_JWKS_FILE": jwks_file,
            "Logging__Console__FormatterOptions__TimestampFormat": "yyyy-MM-ddTHH:mm:ss.fffZ ",
            "Logging__Console__FormatterOptions__UseUtcTimestamp": "true",
        })
        self.env.update(args.hub_env)
        self.storage = os.path.join(self.root, "storage")
        # central_hub stores encrypted: a throwaway master key (URL-safe base64 of 32 bytes, private file).
        key_file = os.path.join(work, "master.key")
        with open(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(base64.urlsafe_b64encode(os.urandom(32)).decode("ascii"))
        self.env.setdefault("LX_ANNOTATE_MASTER_KEY_FILE", key_file)

    def cli(self, *arguments):
        result = subprocess.run(["dotnet", self.args.hub_dll, *arguments], env=self.env, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(f"lxa-hub {' '.join(arguments)} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def setup(self, certs):
        self.cli("migrate")
        self.cli("centers", "add", CENTER, "--name", "Benchmark center", "--actor", "bench")
        self.cli("nodes", "add", NODE, "--center-key", CENTER, "--actor", "bench")
        self.cli("nodes", "cert", "add", NODE, os.path.join(certs, "nodes", f"{NODE}.crt.pem"), "--actor", "bench")

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(["dotnet", self.args.hub_dll, "serve"], env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(lambda: self.proc.poll() is not None or (listening(self.api_port) and listening(self.transfer_port)), 120, "lxa-hub to listen")
        if self.proc.poll() is not None:
            raise RuntimeError(f"lxa-hub exited with {self.proc.returncode}; see {self.log_path}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log:
            self.log.close()

    def log_offset(self):
        self.log.flush()
        return os.path.getsize(self.log_path)

    def log_since(self, offset):
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace").splitlines()

    def reset_peak(self):
        reset_hwm(self.proc.pid)

    def peak(self):
        return vm_hwm(self.proc.pid)

    def clear_stored(self):
        """Removes stored artifact files (not their database rows) so a long run does not fill the disk."""
        centers = os.path.join(self.storage, "centers")
        if os.path.isdir(centers):
            for dirpath, _, files in os.walk(centers):
                for name in files:
                    os.remove(os.path.join(dirpath, name))

    def incoming_partial_bytes(self):
        incoming = os.path.join(self.storage, "incoming")
        total = 0
        if os.path.isdir(incoming):
            for name in os.listdir(incoming):
                if name.endswith(".part") and not name.startswith("stage-"):
                    try:
                        total += os.path.getsize(os.path.join(incoming, name))
                    except FileNotFoundError:
                        pass
        return total


def dotnet_command(path):
    """How to start a published program: `dotnet X.dll`, or a native executable (Native AOT) as it is."""
    return ["dotnet", path] if path.endswith(".dll") else [path]


def clean_env():
    env = {k: v for k, v in os.environ.items() if not (k.startswith("LXA_") or k.startswith("OIDC_") or k.startswith("DJANGO_DB_")
                                                      or k in ("DATABASE_URL", "STORAGE_DIR", "DATA_DIR", "LX_ANNOTATE_DATA_DIR",
                                                               "ENDOREG_DEPLOYMENT_ROLE", "LX_ANNOTATE_ENCRYPTED_DATA_DIR",
                                                               "LX_ANNOTATE_DEFAULT_CENTER", "ENFORCE_AUTH"))}
    env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1"
    env["DOTNET_NOLOGO"] = "1"
    return env


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = args.work or tempfile.mkdtemp(prefix="lxa-bench-")
        os.makedirs(self.work, exist_ok=True)
        self.certs = os.path.join(self.work, "certs")
        self.files = os.path.join(self.work, "files")
        os.makedirs(self.files, exist_ok=True)
        self.node_count = 0
        self.results = {"rows": [], "extra": {}}
        self.hub = None
        self.token = None

    # -- setup ---------------------------------------------------------------------------------------
    def setup(self):
        subprocess.run(["bash", os.path.join(self.args.repo, "certs-dev", "generate.sh"), "--out", self.certs, "--node", NODE],
                       check=True, stdout=subprocess.DEVNULL)
        jwks_file, self.token = make_jwks_and_token(self.work)
        self.hub = Hub(self.args, self.work, self.certs, jwks_file)
        self.hub.setup(self.certs)
        self.hub.start()

    def node_env(self):
        self.node_count += 1
        root = os.path.join(self.work, "nodes", str(self.node_count))
        os.makedirs(root, exist_ok=True)
        env = clean_env()
        env.update({
            "ENDOREG_DEPLOYMENT_ROLE": "site_node",
            "LX_ANNOTATE_ENCRYPTED_DATA_DIR": root,
            "LX_ANNOTATE_DEFAULT_CENTER": CENTER,
            "LXA_NODE_HUB_URL": f"https://127.0.0.1:{self.hub.transfer_port}",
            "LXA_NODE_CERT_FILE": os.path.join(self.certs, "nodes", f"{NODE}.crt.pem"),
            "LXA_NODE_KEY_FILE": os.path.join(self.certs, "nodes", f"{NODE}.key.pem"),
            "LXA_NODE_HUB_CA_FILE": os.path.join(self.certs, "node-ca.crt.pem"),
            "Logging__Console__FormatterOptions__TimestampFormat": "yyyy-MM-ddTHH:mm:ss.fffZ ",
            "Logging__Console__FormatterOptions__UseUtcTimestamp": "true",
        })
        env.update(self.args.node_env)
        return env

    def source_file(self, size, header=MP4_HEADER, name=None):
        path = os.path.join(self.files, name or f"src-{human(size)}.mp4")
        if not os.path.exists(path) or os.path.getsize(path) != size:
            write_random_file(path, size, header)
        return path

    # -- the three ways of sending -------------------------------------------------------------------
    def baseline(self, path):
        port = free_port()
        received = os.path.join(self.work, "baseline.bin")
        srv_time = os.path.join(self.work, "time-s_server.txt")
        cli_time = os.path.join(self.work, "time-s_client.txt")
        digest_file = os.path.join(self.work, "baseline.sha256")
        # s_server's stdin stays open (a pipe the bench never writes to): on EOF it would close the connection.
        server = subprocess.Popen(
            f"/usr/bin/time -v -o {srv_time} openssl s_server -accept 127.0.0.1:{port} -naccept 1 -quiet "
            f"-cert {self.certs}/hub.crt.pem -key {self.certs}/hub.key.pem -CAfile {self.certs}/node-ca.crt.pem "
            f"-Verify 1 -verify_return_error | tee {received} | sha256sum > {digest_file}",
            shell=True, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL)
        wait_until(lambda: listening(port), 30, "openssl s_server")
        expected = sha256_file(path)
        started = time.monotonic()
        with open(path, "rb") as source:
            client = subprocess.run(
                ["/usr/bin/time", "-v", "-o", cli_time, "openssl", "s_client", "-connect", f"127.0.0.1:{port}",
                 "-cert", f"{self.certs}/nodes/{NODE}.crt.pem", "-key", f"{self.certs}/nodes/{NODE}.key.pem",
                 "-CAfile", f"{self.certs}/node-ca.crt.pem", "-verify_return_error", "-nocommands", "-quiet", "-no_ign_eof"],
                stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=3600)
            server.wait(3600)
        elapsed = time.monotonic() - started
        server.stdin.close()
        with open(digest_file) as f:
            digest = f.read().split()[0]
        os.remove(received)
        if client.returncode != 0 or digest != expected:
            raise RuntimeError(f"baseline failed: s_client exit {client.returncode}, digest {'ok' if digest == expected else 'differs'}")
        return {"seconds": elapsed, "receiver_rss": time_v_rss(srv_time), "sender_rss": time_v_rss(cli_time),
                "receiver_cpu": time_v_cpu(srv_time), "sender_cpu": time_v_cpu(cli_time), "load": os.getloadavg()[0]}

    def curl(self, path):
        time_file = os.path.join(self.work, "time-curl.txt")
        self.hub.reset_peak()
        cpu_before = self.cpu_snapshot()
        started = time.monotonic()
        result = subprocess.run(
            ["/usr/bin/time", "-v", "-o", time_file, "curl", "-sS", "--fail-with-body", "--http1.1",
             "--cacert", f"{self.certs}/node-ca.crt.pem", "--cert", f"{self.certs}/nodes/{NODE}.crt.pem",
             "--key", f"{self.certs}/nodes/{NODE}.key.pem", "-H", f"Authorization: Bearer {self.token}",
             "-H", f"Idempotency-Key: bench-{uuid.uuid4()}", "-F", f"file=@{path};type=video/mp4",
             "-F", f"center_key={CENTER}", "-F", "source_system=bench",
             f"https://127.0.0.1:{self.hub.api_port}/api/upload/"],
            capture_output=True, text=True, timeout=3600)
        elapsed = time.monotonic() - started
        if result.returncode != 0 or '"upload_id"' not in result.stdout:
            raise RuntimeError(f"curl upload failed ({result.returncode}): {result.stdout.strip()} {result.stderr.strip()}")
        return {"seconds": elapsed, "receiver_rss": self.hub.peak(), "sender_rss": time_v_rss(time_file),
                "sender_cpu": time_v_cpu(time_file), **self.cpu_since(cpu_before)}

    def push(self, paths, env=None, timeout=3600):
        """lxa-node push until the hub's receipt; returns times, RSS and what the hub logged."""
        env = env or self.node_env()
        time_file = os.path.join(self.work, f"time-push-{uuid.uuid4().hex}.txt")
        log_from = self.hub.log_offset()
        started = time.monotonic()
        result = subprocess.run(["/usr/bin/time", "-v", "-o", time_file, *dotnet_command(self.args.node_dll), "push", *paths],
                                env=env, capture_output=True, text=True, timeout=timeout)
        elapsed = time.monotonic() - started
        if result.returncode != 0:
            raise RuntimeError(f"lxa-node push failed ({result.returncode}): {result.stdout[-2000:]} {result.stderr[-2000:]}")
        rss = time_v_rss(time_file)
        cpu = time_v_cpu(time_file)
        os.remove(time_file)
        return {"seconds": elapsed, "sender_rss": rss, "sender_cpu": cpu, "hub_log": self.hub.log_since(log_from),
                "output": result.stdout}

    # -- measurements --------------------------------------------------------------------------------
    def push_run(self, path):
        self.hub.reset_peak()
        cpu_before = self.cpu_snapshot()
        r = self.push([path])
        out = {"seconds": r["seconds"], "receiver_rss": self.hub.peak(), "sender_rss": r["sender_rss"],
               "sender_cpu": r["sender_cpu"], **self.cpu_since(cpu_before)}
        phase = transfer_phase_seconds(r["hub_log"])
        if phase is not None:
            out["transfer_seconds"] = phase
        return out

    def throughput(self, size):
        path = self.source_file(size)
        rows = []
        # Interleaved (baseline, curl, push; baseline, curl, push; …): a change in the machine's load hits all three alike.
        # "push, size stored": the same file at the size of the push just before, whose job the center holds: the
        # hub needs the hash before it opens a transfer, so this push hashes the file first (the path for content
        # the hub may already store).
        samples = {"baseline": [], "curl": [], "push": [], "push_size_stored": []}
        for _ in range(self.args.runs):
            for name, fn in (("baseline", self.baseline), ("curl", self.curl), ("push", self.push_run), ("push_size_stored", self.push_run)):
                renew_content(path)
                if name != "push_size_stored":
                    new_size(path, size)
                samples[name].append(fn(path))
                self.hub.clear_stored()
        os.truncate(path, size)
        base, rest, grpc, hashed = (summarize(samples[k]) for k in ("baseline", "curl", "push", "push_size_stored"))
        base_mibs = size / MIB / base["seconds"]
        curl_mibs = size / MIB / rest["seconds"]
        for name, m in (("baseline openssl s_server/s_client", base), ("curl -F to REST /api/upload/", rest),
                        ("lxa-node push (mTLS gRPC), end to end", grpc),
                        ("lxa-node push, a stored size (hashed before the offer)", hashed)):
            mibs = size / MIB / m["seconds"]
            rows.append({"measure": name, "size": human(size), "mib_s": mibs, "ratio": mibs / base_mibs, "x_curl": mibs / curl_mibs,
                         "receiver_peak_rss_mib": m.get("receiver_rss", 0) / MIB, "sender_peak_rss_mib": m.get("sender_rss", 0) / MIB,
                         "samples_seconds": m["samples_seconds"], **cpu_per_gib(m, size),
                         "detail": cpu_text(m, size, "s_server" if m is base else "hub", "s_client" if m is base else "sender")})
        for name, m in (("lxa-node push, transfer phase (Offer to receipt)", grpc),
                        ("lxa-node push, a stored size, transfer phase", hashed)):
            if "transfer_seconds" in m:
                mibs = size / MIB / m["transfer_seconds"]
                rows.append({"measure": name, "size": human(size), "mib_s": mibs, "ratio": mibs / base_mibs, "x_curl": mibs / curl_mibs})
        rows.append(cpu_ratio_row(rest, grpc, size))
        return rows

    def memory_vs_size(self, sizes):
        peaks = {}
        for size in sizes:
            path = self.source_file(size)
            renew_content(path)
            r = self.push_run(path)
            peaks[human(size)] = r["receiver_rss"]
            self.last_big = path
        small, big = sizes[0], sizes[-1]
        ratio = peaks[human(big)] / peaks[human(small)]
        self.results["extra"]["memory_vs_size"] = {k: v / MIB for k, v in peaks.items()}
        return [{"measure": f"hub peak RSS {human(big)} / {human(small)} (push)", "size": human(big),
                 "value": ratio, "detail": ", ".join(f"{k}: {v / MIB:.0f} MiB" for k, v in peaks.items())}]

    def dedup(self):
        path = self.last_big
        size = os.path.getsize(path)
        hash_started = time.monotonic()
        sha256_file(path)
        hash_seconds = time.monotonic() - hash_started
        self.hub.reset_peak()
        env = self.node_env()
        r = self.push([path], env=env)
        received = sum(received_bytes(r["hub_log"]))
        stored = any("already stored" in line for line in r["hub_log"])
        # The same file pushed once more from the same node root: the sender's hash comes from its cache.
        again = self.push([path], env=env)
        received_again = sum(received_bytes(again["hub_log"]))
        self.results["extra"]["dedup"] = {"push_seconds": r["seconds"], "hash_seconds_python": hash_seconds,
                                          "bytes_sent": received, "hub_answered_already_stored": stored,
                                          "repush_same_node_seconds": again["seconds"], "repush_same_node_bytes_sent": received_again}
        return [{"measure": "dedup re-push of a stored file (fresh node root)", "size": human(size), "value": r["seconds"],
                 "detail": f"{r['seconds']:.2f} s push total (a sha256 of the file alone: {hash_seconds:.2f} s); "
                           f"{received} bytes sent; already_stored={'yes' if stored else 'NO'}"},
                {"measure": "dedup re-push, same node root (hash cached)", "size": human(size), "value": again["seconds"],
                 "detail": f"{again['seconds']:.2f} s push total; {received_again} bytes sent"}]

    def resume(self, size):
        path = self.source_file(size)
        renew_content(path)
        env = self.node_env()
        log_from = self.hub.log_offset()
        first = subprocess.Popen([*dotnet_command(self.args.node_dll), "push", path], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: first.poll() is not None or self.hub.incoming_partial_bytes() >= size // 2, 1800, "the push to pass 50 %")
        finally:
            first.kill()
            first.wait()
        killed_at = self.hub.incoming_partial_bytes()
        time.sleep(1)
        second = self.push([path], env=env)
        lines = self.hub.log_since(log_from)
        calls = received_bytes(lines)
        total = sum(calls)
        chunk = 1 * MIB
        self.hub.clear_stored()
        self.results["extra"]["resume"] = {"bytes_per_call": calls, "total_received": total, "size": size,
                                           "partial_at_kill": killed_at, "second_push_seconds": second["seconds"]}
        return [{"measure": "resume after killing the sender at ~50 %", "size": human(size), "value": total / size,
                 "detail": f"{total} bytes in {len(calls)} calls for {size} ({(total - size) / chunk:+.2f} chunks of 1 MiB)"}]

    def small_files(self, count, size, rounds):
        """`count` small PDFs through one push process, then the same files (new content) through REST, `rounds`
        times on the same hub: round 1 meets a freshly started hub (its JIT warm-up included), later rounds
        a hub that has run these paths before, as a long-running hub has. Every push is a new lxa-node
        process, start-up included."""
        directory = os.path.join(self.files, "small")
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        paths = []
        for i in range(count):
            p = os.path.join(directory, f"r{i:05d}.pdf")
            write_random_file(p, size, PDF_HEADER)
            paths.append(p)
        rows = []
        for round_no in range(1, rounds + 1):
            hub_state = "fresh hub" if round_no == 1 else f"round {round_no}, warm hub"
            if round_no > 1:
                for p in paths:
                    renew_content(p)
            self.hub.reset_peak()
            cpu_before = self.cpu_snapshot()
            r = self.push(paths)
            push_rate = count / r["seconds"]
            push_rss = self.hub.peak()
            push_cpu = self.cpu_detail(cpu_before, count, sender=r["sender_cpu"])
            for p in paths:
                renew_content(p)
            cpu_before = self.cpu_snapshot()
            client_before = os.times()
            rest_rate, rest_rss, errors = self.rest_many(paths)
            client_after = os.times()
            client_cpu = (client_after.user - client_before.user) + (client_after.system - client_before.system)
            rest_cpu = self.cpu_detail(cpu_before, count, sender=client_cpu)
            rows += [{"measure": f"{count} x {human(size)} through push (one process), {hub_state}", "size": human(size),
                      "value": push_rate, "unit": "artifacts/s", "receiver_peak_rss_mib": push_rss / MIB,
                      "sender_peak_rss_mib": r["sender_rss"] / MIB, "detail": push_cpu},
                     {"measure": f"{count} x {human(size)} through REST (one keep-alive connection), {hub_state}",
                      "size": human(size), "value": rest_rate, "unit": "artifacts/s", "receiver_peak_rss_mib": rest_rss / MIB,
                      "detail": f"{errors} errors; {rest_cpu}"}]
        # Only now: deleting thousands of files right before a round slows the file creations of that round
        # (ext4 skips recently freed inodes when it allocates new ones), which is the bench's doing, not the hub's.
        self.hub.clear_stored()
        return rows

    def cpu_snapshot(self):
        return {"hub": proc_cpu_seconds(self.hub.proc.pid), "postgres": postgres_cpu_seconds(self.args.database_url)}

    def cpu_since(self, before):
        """Hub and PostgreSQL CPU seconds since `before`, with the 1-minute load average now."""
        after = self.cpu_snapshot()
        out = {"receiver_cpu": after["hub"] - before["hub"], "load": os.getloadavg()[0]}
        if before["postgres"] is not None and after["postgres"] is not None:
            out["postgres_cpu"] = after["postgres"] - before["postgres"]
        return out

    def cpu_detail(self, before, count, sender):
        """CPU milliseconds per artifact since `before`: hub, sender, PostgreSQL (where it can be read)."""
        after = self.cpu_snapshot()
        parts = [f"CPU ms/artifact: hub {1000 * (after['hub'] - before['hub']) / count:.1f}",
                 f"sender {1000 * sender / count:.1f}"]
        if before["postgres"] is not None and after["postgres"] is not None:
            parts.append(f"postgres {1000 * (after['postgres'] - before['postgres']) / count:.1f}")
        return ", ".join(parts)

    def rest_many(self, paths):
        import requests
        session = requests.Session()
        session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace the node CA
        session.verify = f"{self.certs}/node-ca.crt.pem"
        session.cert = (f"{self.certs}/nodes/{NODE}.crt.pem", f"{self.certs}/nodes/{NODE}.key.pem")
        session.headers["Authorization"] = f"Bearer {self.token}"
        url = f"https://127.0.0.1:{self.hub.api_port}/api/upload/"
        self.hub.reset_peak()
        errors = 0
        started = time.monotonic()
        for p in paths:
            with open(p, "rb") as f:
                response = session.post(url, files={"file": (os.path.basename(p), f, "application/pdf")},
                                        data={"center_key": CENTER, "source_system": "bench"}, timeout=120)
            if response.status_code != 201:
                errors += 1
        elapsed = time.monotonic() - started
        session.close()
        return len(paths) / elapsed, self.hub.peak(), errors

    def concurrency(self, n, size, single_mibs):
        paths = []
        for i in range(n):
            path = self.source_file(size, name=f"conc-{i:02d}.mp4")
            renew_content(path)
            paths.append(path)
        envs = [self.node_env() for _ in range(n)]
        self.hub.reset_peak()
        started = time.monotonic()
        procs = [subprocess.Popen([*dotnet_command(self.args.node_dll), "push", p], env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                 for p, e in zip(paths, envs)]
        errors = 0
        for proc in procs:
            proc.communicate(timeout=3600)
            errors += proc.returncode != 0
        elapsed = time.monotonic() - started
        aggregate = n * size / MIB / elapsed
        peak = self.hub.peak()
        self.hub.clear_stored()
        return [{"measure": f"{n} concurrent pushes (separate lxa-node processes)", "size": human(size), "mib_s": aggregate,
                 "value": aggregate / single_mibs if single_mibs else None, "receiver_peak_rss_mib": peak / MIB,
                 "detail": f"{errors} errors; aggregate / single push of {human(size)} = {aggregate / single_mibs:.2f}" if single_mibs else f"{errors} errors"}]

    def single_push_mibs(self, size):
        path = self.source_file(size)
        renew_content(path)
        r = self.push_run(path)
        self.hub.clear_stored()
        return size / MIB / r["seconds"]


def summarize(samples):
    """Median seconds (and transfer phase) of the runs; the highest peak RSS of any run."""
    pick = lambda key: [s[key] for s in samples if s.get(key) is not None]
    out = {"seconds": statistics.median(pick("seconds")), "samples_seconds": pick("seconds")}
    for key in ("receiver_rss", "sender_rss", "transfer_seconds", "receiver_cpu", "sender_cpu", "postgres_cpu", "load"):
        values = pick(key)
        if values:
            out[key] = max(values) if key.endswith("rss") else statistics.median(values)
    return out


def cpu_per_gib(m, size):
    """CPU seconds per GiB of the medians in `m` (receiver = hub or s_server, sender = lxa-node, curl or s_client)."""
    gib = size / (1024 * MIB)
    out = {key + "_s_per_gib": m[key] / gib for key in ("receiver_cpu", "sender_cpu", "postgres_cpu") if m.get(key) is not None}
    if m.get("load") is not None:
        out["load"] = m["load"]
    return out


def cpu_text(m, size, receiver, sender):
    c = cpu_per_gib(m, size)
    parts = [f"{name} {c[key]:.2f}" for name, key in ((sender, "sender_cpu_s_per_gib"), (receiver, "receiver_cpu_s_per_gib"),
                                                     ("postgres", "postgres_cpu_s_per_gib")) if key in c]
    return f"CPU s/GiB: {', '.join(parts)}; load {m.get('load', 0):.1f}" if parts else ""


def cpu_ratio_row(rest, grpc, size):
    """Push's CPU per GiB over curl's, per side and in total (hub + sender + PostgreSQL), medians of the same invocation."""
    r, g = cpu_per_gib(rest, size), cpu_per_gib(grpc, size)
    keys = ("sender_cpu_s_per_gib", "receiver_cpu_s_per_gib", "postgres_cpu_s_per_gib")
    total = lambda c: sum(c.get(k, 0) for k in keys)
    ratio = lambda a, b: a / b if b else None
    shown = lambda key: f"{ratio(g.get(key, 0), r.get(key, 0)):.2f}" if ratio(g.get(key, 0), r.get(key, 0)) is not None else "—"
    detail = (f"node/curl {shown(keys[0])}, hub {shown(keys[1])}, postgres {g.get(keys[2], 0):.2f} vs {r.get(keys[2], 0):.2f}; "
              f"total {total(g):.2f} vs {total(r):.2f} s/GiB")
    return {"measure": "CPU per GiB, push / curl (all processes)", "size": human(size), "value": ratio(total(g), total(r)),
            "push_cpu_s_per_gib": g, "curl_cpu_s_per_gib": r, "detail": detail}


def received_bytes(lines):
    """Bytes the hub received per Upload call (EventIds 3007 and 3003 of TransferReceiver)."""
    out = []
    for line in lines:
        m = re.search(r"call from offset \d+ received (\d+) bytes", line) or re.search(r"\((\d+) received in this call\)", line)
        if m:
            out.append(int(m.group(1)))
    return out


def transfer_phase_seconds(lines):
    """From the hub's 'Transfer … opened' to its 'completed' log line (timestamps of the hub's console log)."""
    opened = completed = None
    for line in lines:
        m = TIMESTAMP.match(line)
        if not m:
            continue
        if " opened for center " in line and opened is None:
            opened = m.group(1)
        elif " completed as job " in line:
            completed = m.group(1)
    if opened and completed:
        parse = lambda s: datetime.datetime.strptime(s[:23], "%Y-%m-%dT%H:%M:%S.%f")
        return (parse(completed) - parse(opened)).total_seconds()
    return None


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()
    return {"nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
            "load_average_at_start": [round(x, 2) for x in load],
            "openssl": subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip(),
            "dotnet": subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()}


def print_table(rows):
    header = f"{'measure':<58} {'size':>5} {'MiB/s':>8} {'x base':>7} {'x curl':>7} {'value':>9} {'hub RSS':>8} {'sender':>7}  detail"
    print(header)
    print("-" * len(header))
    for r in rows:
        fmt = lambda key, spec: format(r[key], spec) if r.get(key) is not None else ""
        print(f"{r['measure']:<58} {r.get('size', ''):>5} {fmt('mib_s', '8.1f'):>8} {fmt('ratio', '7.2f'):>7} {fmt('x_curl', '7.2f'):>7} "
              f"{fmt('value', '9.2f'):>9} {fmt('receiver_peak_rss_mib', '8.0f'):>8} {fmt('sender_peak_rss_mib', '7.0f'):>7}  {r.get('detail', '')}")
    print("RSS in MiB (peak: VmHWM of the hub, /usr/bin/time -v of the sender; baseline: s_server / s_client). "
          "'value': ratio, seconds or artifacts/s as the measure says.")


def env_pairs(items):
    out = {}
    for item in items or []:
        key, _, value = item.partition("=")
        out[key] = value
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("json_out", help="where to write the results (JSON)")
    parser.add_argument("--sizes", type=size_list, default=size_list("256M,1G"), help="file sizes for the throughput rows (default 256M,1G)")
    parser.add_argument("--runs", type=int, default=3, help="runs per throughput measurement; the median is reported (default 3)")
    parser.add_argument("--memory-sizes", type=size_list, default=size_list("64M,1G"), help="sizes for hub peak RSS vs size (default 64M,1G)")
    parser.add_argument("--resume-size", type=parse_size, default=None, help="file size for the resume row (default: the largest of --sizes)")
    parser.add_argument("--small-count", type=int, default=1000)
    parser.add_argument("--small-size", type=parse_size, default=parse_size("100K"))
    parser.add_argument("--small-rounds", type=int, default=2,
                        help="rounds of the small-file section on the same hub (round 1: freshly started hub)")
    parser.add_argument("--concurrency", default="8,32", help="concurrent pushes (default 8,32; empty to skip)")
    parser.add_argument("--concurrency-size", type=parse_size, default=parse_size("64M"))
    parser.add_argument("--skip", default="", help="comma list of sections to skip: throughput,memory,dedup,resume,small,concurrency")
    parser.add_argument("--hub-env", action="append", help="KEY=VALUE for the hub (e.g. DOTNET_gcServer=1)")
    parser.add_argument("--node-env", action="append", help="KEY=VALUE for lxa-node")
    parser.add_argument("--work", help="working directory (default: a new one under $TMPDIR, removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--database-url", required=True, help="an empty PostgreSQL database for the hub (postgres://…)")
    parser.add_argument("--hub-dll", required=True)
    parser.add_argument("--node-dll", required=True, help="lxa-node.dll, or the Native AOT lxa-node executable")
    parser.add_argument("--label", default="", help="free text stored in the JSON (e.g. the tuning step)")
    args = parser.parse_args()
    args.hub_env = env_pairs(args.hub_env)
    args.node_env = env_pairs(args.node_env)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    bench = Bench(args)
    rows = []
    started = datetime.datetime.now(datetime.timezone.utc)
    info = machine()
    try:
        bench.setup()
        if "throughput" not in skip:
            for size in args.sizes:
                rows += bench.throughput(size)
                print_progress(rows)
        if "memory" not in skip:
            rows += bench.memory_vs_size(sorted(args.memory_sizes))
            if "dedup" not in skip:
                rows += bench.dedup()
            bench.hub.clear_stored()
            print_progress(rows)
        if "resume" not in skip:
            rows += bench.resume(args.resume_size or max(args.sizes))
            print_progress(rows)
        if "small" not in skip:
            rows += bench.small_files(args.small_count, args.small_size, args.small_rounds)
            print_progress(rows)
        counts = [int(c) for c in args.concurrency.split(",") if c.strip()]
        if "concurrency" not in skip and counts:
            single = bench.single_push_mibs(args.concurrency_size)
            rows.append({"measure": "single push (reference for concurrency)", "size": human(args.concurrency_size), "mib_s": single})
            for n in counts:
                rows += bench.concurrency(n, args.concurrency_size, single)
                print_progress(rows)
    finally:
        if bench.hub:
            bench.hub.stop()
        info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        document = {"label": args.label, "started_utc": started.isoformat(timespec="seconds"),
                    "finished_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                    "machine": info, "parameters": {"sizes": [human(s) for s in args.sizes], "runs": args.runs,
                                                    "hub_env": args.hub_env, "node_env": args.node_env},
                    "rows": rows, "extra": bench.results["extra"]}
        with open(args.json_out, "w") as f:
            json.dump(document, f, indent=2)
        if not args.keep and not args.work:
            shutil.rmtree(bench.work, ignore_errors=True)
    print()
    print(f"machine: {info['nproc']} x {info['cpu']}, load {info['load_average_at_start']} -> {info['load_average_at_end']}")
    print_table(rows)
    print(f"\nJSON: {args.json_out}")


def print_progress(rows):
    r = rows[-1]
    print(f"  done: {r['measure']} {r.get('size', '')}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
