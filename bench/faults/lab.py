"""The processes of the fault suite: a throwaway PostgreSQL cluster, lxa-hub serve, lxa-node run.

Helpers shared with the transfer benchmark (ports, waits, the pretend identity provider, the hub's
environment) come from bench/transfer_bench.py.
"""

import glob
import os
import shutil
import signal
import subprocess
import time

import transfer_bench as tb

NODE_TIMESTAMPS = {
    "Logging__Console__FormatterOptions__TimestampFormat": "yyyy-MM-ddTHH:mm:ss.fffZ ",
    "Logging__Console__FormatterOptions__UseUtcTimestamp": "true",
}


def pg_bin_dir():
    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(os.path.join(directory, "initdb"), os.X_OK):
            return directory
    raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")


class Cluster:
    """A PostgreSQL cluster of its own (the suite restarts it: never the shared test cluster)."""

    def __init__(self, work):
        self.bin = pg_bin_dir()
        self.data = os.path.join(work, "pgdata")
        self.sock = os.path.join(work, "pgsock")
        self.log = os.path.join(work, "postgres.log")
        self.port = None
        for path in (self.data, self.sock):
            os.makedirs(path, exist_ok=True)
        open(self.log, "a").close()
        if os.getuid() == 0:
            # initdb refuses to run as root: the cluster belongs to the postgres user then.
            subprocess.run(["chown", "-R", "postgres:postgres", self.data, self.sock, self.log], check=True)

    def _as_pg(self, argv, **kwargs):
        if os.getuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, **kwargs)

    def start(self):
        self._as_pg([f"{self.bin}/initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                     "--locale=C.UTF-8"], check=True, capture_output=True)
        for _ in range(3):
            self.port = tb.free_port()
            if self._pg_ctl("start", check=False).returncode == 0:
                return
        raise RuntimeError(f"PostgreSQL did not start; see {self.log}")

    def _pg_ctl(self, verb, *extra, check=True):
        # fsync stays on: the hub's durable checkpoints commit to this database.
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sock} -c max_connections=300"
        return self._as_pg([f"{self.bin}/pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "-o", options,
                            *extra, verb], check=check, capture_output=True)

    def restart_immediate(self):
        """`pg_ctl restart -m immediate`: every backend dies without a checkpoint, recovery replays the WAL."""
        self._pg_ctl("restart", "-m", "immediate")

    def stop(self):
        if self.port:
            self._pg_ctl("stop", "-m", "fast", check=False)

    def createdb(self, name):
        self._as_pg([f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name],
                    check=True, capture_output=True)
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def dropdb(self, name):
        self._as_pg([f"{self.bin}/dropdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "--if-exists",
                     "--force", name], check=False, capture_output=True)

    def query(self, database, sql):
        """Rows of `sql` as lists of strings (psql unaligned, no headers)."""
        result = subprocess.run([f"{self.bin}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                                 "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"psql: {result.stderr.strip()}")
        return [line.split("\t") for line in result.stdout.splitlines() if line]


class Controlled:
    """A child process with a log file (self.proc, self.log, self.log_path): SIGKILL, SIGTERM, its log."""

    def kill(self):
        """SIGKILL: no shutdown, no flush; what is not durable is gone."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self._close_log()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(45)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._close_log()

    def _close_log(self):
        if self.log:
            self.log.close()
            self.log = None

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


class HubArgs:
    """What transfer_bench.Hub reads from its argparse namespace."""

    def __init__(self, hub_dll, database_url, hub_env):
        self.hub_dll = hub_dll
        self.database_url = database_url
        self.hub_env = hub_env


class Hub(Controlled, tb.Hub):
    """lxa-hub serve (central_hub on PostgreSQL) for two centers with one node each; it can be SIGKILLed."""

    def __init__(self, hub_dll, database_url, work, certs, jwks_file, transfer_host="127.0.0.1", extra_env=None):
        super().__init__(HubArgs(hub_dll, database_url, dict(extra_env or {})), work, certs, jwks_file)
        self.transfer_host = transfer_host
        self.env["LXA_HUB_TRANSFER_URL"] = f"https://{transfer_host}:{self.transfer_port}"
        self.env["LXA_HUB_LOCAL_SOCKET"] = "off"
        with open(self.env["LX_ANNOTATE_MASTER_KEY_FILE"]) as f:
            self.master_key = f.read().strip()

    def register(self, centers_and_nodes, certs):
        self.cli("migrate")
        for center, node in centers_and_nodes:
            self.cli("centers", "add", center, "--name", f"Center {center}", "--actor", "faults")
            self.cli("nodes", "add", node, "--center-key", center, "--actor", "faults")
            self.cli("nodes", "cert", "add", node, os.path.join(certs, "nodes", f"{node}.crt.pem"), "--actor", "faults")



class Node(Controlled):
    """lxa-node run watching its drop folders, optionally inside a network namespace or with a shifted clock."""

    def __init__(self, node_dll, work, name, center, certs, hub_url, root=None):
        self.node_dll = node_dll
        self.name = name
        self.center = center
        self.root = root or os.path.join(work, "nodes", name)
        os.makedirs(self.root, exist_ok=True)
        self.log_path = os.path.join(work, f"node-{name}.log")
        self.proc = None
        self.log = None
        self.netns = None
        self.extra_env = {}
        self.env = tb.clean_env()
        self.env.update(NODE_TIMESTAMPS)
        self.env.update({
            "ENDOREG_DEPLOYMENT_ROLE": "site_node",
            "LX_ANNOTATE_ENCRYPTED_DATA_DIR": self.root,
            "LX_ANNOTATE_DEFAULT_CENTER": center,
            "LXA_NODE_HUB_URL": hub_url,
            "LXA_NODE_CERT_FILE": os.path.join(certs, "nodes", f"{name}.crt.pem"),
            "LXA_NODE_KEY_FILE": os.path.join(certs, "nodes", f"{name}.key.pem"),
            "LXA_NODE_HUB_CA_FILE": os.path.join(certs, "node-ca.crt.pem"),
            "WATCHER_STABLE_AFTER_SECONDS": "1",
            "WATCHER_POLL_INTERVAL_SECONDS": "1",
        })

    def folder(self, kind):
        path = os.path.join(self.root, "import", kind)
        os.makedirs(path, exist_ok=True)
        return path

    def writer_dir(self):
        """Where files are written before they are renamed into a drop folder (same filesystem: atomic)."""
        path = os.path.join(self.root, "writer")
        os.makedirs(path, exist_ok=True)
        return path

    def start(self):
        argv = [*tb.dotnet_command(self.node_dll), "run"]
        if self.netns:
            argv = ["ip", "netns", "exec", self.netns, *argv]
        env = dict(self.env)
        env.update(self.extra_env)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(argv, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        tb.wait_until(lambda: self.proc.poll() is not None or os.path.isdir(os.path.join(self.root, "import", "video_import")),
                      120, f"lxa-node {self.name} to start")
        if self.proc.poll() is not None:
            raise RuntimeError(f"lxa-node {self.name} exited with {self.proc.returncode}; see {self.log_path}")

    def waiting_files(self):
        """Files still on the node: drop folders (not yet taken) and the outbox (taken, not yet confirmed)."""
        found = []
        for sub in ("import", os.path.join("node", "outbox")):
            for dirpath, _, files in os.walk(os.path.join(self.root, sub)):
                found += [os.path.join(dirpath, f) for f in files]
        return found

    def quarantined(self):
        directory = os.path.join(self.root, "quarantine")
        return sorted(f for f in os.listdir(directory) if not f.endswith(".reason.json")) if os.path.isdir(directory) else []


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)


def sleep_until(deadline):
    remaining = deadline - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)
