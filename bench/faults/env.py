"""One fault's world: a fresh database, a hub with two centers, a node per center, the workload and its sizes."""

import os
import random
import re
import shutil
import subprocess
import time

import transfer_bench as tb
from lab import Hub, Node
from network import HOST_IP
from workload import RestSender, Workload

MIB = tb.MIB
KIB = 1024
CENTERS = (("center-a", "node-a"), ("center-b", "node-b"))
LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


class Scale:
    """Sizes and durations: `full` is the issue's (videos 64-512 MiB, a 5-minute outage, a 60 s partition, a soak
    of 2 x 2000 small + 20 large); `reduced` is the CI set's, small enough for minutes on two cores."""

    def __init__(self, reduced):
        self.reduced = reduced
        if reduced:
            self.videos = {"node-a": [48 * MIB, 8 * MIB], "node-b": [32 * MIB]}
            self.pdfs, self.pairs, self.rest = 4, 2, 4
            self.hub_down_s, self.partition_s = 20, 15
            self.deliver_timeout_s = 150
            self.soak_small, self.soak_large, self.soak_large_size = 200, 2, (8 * MIB, 16 * MIB)
            self.soak_kill_every, self.soak_max_kills, self.soak_max_s = (5, 15), 4, 240
            self.soak_wave_gap_s = 3
        else:
            self.videos = {"node-a": [512 * MIB, 64 * MIB], "node-b": [256 * MIB, 128 * MIB]}
            self.pdfs, self.pairs, self.rest = 12, 6, 12
            self.hub_down_s, self.partition_s = 300, 60
            self.deliver_timeout_s = 900
            self.soak_small, self.soak_large, self.soak_large_size = 2000, 10, (64 * MIB, 128 * MIB)
            self.soak_kill_every, self.soak_max_kills, self.soak_max_s = (30, 90), 12, 1500
            # Ten waves over about four minutes: artifacts keep flowing across several kills.
            self.soak_wave_gap_s = 25


class Suite:
    """What every fault shares: the PostgreSQL cluster, the certificates, the identity provider's key."""

    def __init__(self, args, cluster, work):
        self.args = args
        self.cluster = cluster
        self.work = work
        self.scale = Scale(args.reduced)
        self.certs = os.path.join(work, "certs")
        issue_certificates(args.repo, self.certs, "--hub-name", HOST_IP, "--node", "node-a", "--node", "node-b")
        self.jwks_file, self.token = tb.make_jwks_and_token(work, centers=[c for c, _ in CENTERS])


def issue_certificates(repo, out, *arguments):
    """certs-dev/generate.sh with its clock an hour back: certificates issued an hour ago, as a deployed node's
    are, so a node whose clock is behind does not see the hub's certificate as not yet valid."""
    env = dict(os.environ, LD_PRELOAD=LIBFAKETIME, FAKETIME="-1h")
    subprocess.run(["bash", os.path.join(repo, "certs-dev", "generate.sh"), "--out", out, *arguments],
                   check=True, stdout=subprocess.DEVNULL, env=env)


class Env:
    def __init__(self, suite, name, hub_storage_mib=None, node_a_tmpfs_mib=None, link=None):
        self.suite = suite
        self.name = name
        self.scale = suite.scale
        self.cluster = suite.cluster
        self.work = os.path.join(suite.work, name)
        os.makedirs(self.work)
        self.database = re.sub(r"[^a-z0-9]", "_", name)
        url = self.cluster.createdb(self.database)
        self.mounts = []
        self.link = link
        transfer_host = HOST_IP if link else "127.0.0.1"
        self.hub = Hub(suite.args.hub_dll, url, self.work, suite.certs, suite.jwks_file, transfer_host=transfer_host)
        if hub_storage_mib:
            self.mount_tmpfs(self.hub.storage, hub_storage_mib)
        self.hub.register(CENTERS, suite.certs)
        self.hub.start()
        hub_url = f"https://{transfer_host}:{self.hub.transfer_port}"
        self.nodes = {}
        for center, node in CENTERS:
            root = None
            if node == "node-a" and node_a_tmpfs_mib:
                root = os.path.join(self.work, "node-a-root")
                self.mount_tmpfs(root, node_a_tmpfs_mib)
            self.nodes[node] = Node(suite.args.node_dll, self.work, node, center, suite.certs, hub_url, root=root)
        if link:
            self.nodes["node-a"].netns = link.ns
        self.workload = Workload(name)
        self.rest = None
        self.fault_end = None
        self.problems = []
        self.notes = []

    def mount_tmpfs(self, path, mib):
        os.makedirs(path, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={mib}m,mode=0750", "tmpfs", path], check=True)
        self.mounts.append(path)

    def resize_tmpfs(self, path, mib):
        subprocess.run(["mount", "-o", f"remount,size={mib}m", path], check=True)

    def start_nodes(self):
        for node in self.nodes.values():
            node.start()

    def mix(self, node_name, videos=True, defer=False):
        """One node's share of the mixed workload: videos (if asked), PDFs and preanonymized pairs."""
        node = self.nodes[node_name]
        rng = random.Random(f"{self.name}-{node_name}")
        sizes = {"pdf": [rng.randint(20, 400) * KIB for _ in range(self.scale.pdfs)],
                 "pair": [rng.randint(2, 40) * KIB for _ in range(self.scale.pairs)]}
        if videos:
            sizes = {"video": self.scale.videos[node_name], **sizes}
        return self.workload.drop_mix(node, sizes, defer=defer)

    def mix_all(self):
        for name in self.nodes:
            self.mix(name)

    def start_rest(self, spread_s=0.0, count=None):
        self.rest = RestSender(self.hub, self.suite.certs, self.suite.token, self.workload,
                               os.path.join(self.work, "rest"), [c for c, _ in CENTERS], count or self.scale.rest,
                               200 * KIB, self.scale.deliver_timeout_s).start(spread_s)

    def mark_fault_end(self):
        self.fault_end = time.time()

    def incoming_part_sizes(self):
        incoming = os.path.join(self.hub.storage, "incoming")
        sizes = []
        try:
            for name in os.listdir(incoming):
                if name.endswith(".part"):
                    try:
                        sizes.append(os.path.getsize(os.path.join(incoming, name)))
                    except FileNotFoundError:
                        pass
        except FileNotFoundError:
            pass
        return sizes

    def wait_in_flight(self, at_least, timeout_s=120):
        """Until a transfer has `at_least` bytes in the hub's incoming folder (real time, not checkpoints)."""
        tb.wait_until(lambda: any(s >= at_least for s in self.incoming_part_sizes()), timeout_s, f"{at_least} bytes in flight")

    def active_count(self):
        return int(self.cluster.query(self.database, "SELECT count(*) FROM upload_jobs WHERE status NOT IN ('error','lost')")[0][0])

    def close(self):
        for node in self.nodes.values():
            node.stop()
        self.hub.stop()
        if self.rest:
            self.rest.join(5)
        for path in reversed(self.mounts):
            subprocess.run(["umount", "-l", path], check=False)
        self.cluster.dropdb(self.database)
        if not self.suite.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)
