"""Faults of the world around the processes: full disks, the network, certificates, clocks; and the soak."""

import os
import random
import re
import shutil
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from env import KIB, LIBFAKETIME, MIB, issue_certificates
from registry import fault
from scenarios import restart_hub

NO_SPACE = re.compile(r"no space left|disk (is )?full|SQLITE_FULL|ENOSPC|insufficient storage|storage is full", re.IGNORECASE)


def node_a_workload_mib(scale):
    return sum(scale.videos["node-a"]) // MIB + 48


# -- disks ---------------------------------------------------------------------------------------------
@fault("disk full on the hub's storage", hub_storage_mib=lambda s: 40 if s.reduced else 300)
def disk_full_hub(env):
    """Storage (incoming and centers) on a tmpfs smaller than the workload; freed (grown) after a while."""
    env.start_nodes()
    env.mix_all()
    env.start_rest(spread_s=5)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not NO_SPACE.search(env.hub.log_text()):
        time.sleep(0.5)
    time.sleep(10)
    if not NO_SPACE.search(env.hub.log_text()):
        env.problems.append("the hub's log never said that its storage is full")
    # A node is told why, not "Exception was thrown by handler": the hub answers RESOURCE_EXHAUSTED naming the storage.
    for name, node in env.nodes.items():
        if "Exception was thrown by handler" in node.log_text():
            env.problems.append(f"{name} was answered 'Exception was thrown by handler' instead of a full storage")
    waiting = sum(len(n.waiting_files()) for n in env.nodes.values())
    env.notes.append(f"storage full: {waiting} file(s) waiting on the nodes, {env.active_count()} stored")
    env.resize_tmpfs(env.hub.storage, 4096)
    env.mark_fault_end()


@fault("disk full on the node's data root", node_a_tmpfs_mib=node_a_workload_mib)
def disk_full_node(env):
    """node-a's data root is a tmpfs: its files are written, the rest filled, then they are dropped."""
    env.start_nodes()
    node = env.nodes["node-a"]
    moves = env.mix("node-a", defer=True)
    filler = os.path.join(node.root, "filler.bin")
    fill(filler)
    for move in moves:
        move()
    env.mix("node-b")
    time.sleep(20)
    if not NO_SPACE.search(node.log_text()):
        env.problems.append("node-a's log never said that its disk is full")
    env.notes.append(f"node disk full for 20 s: {len(node.waiting_files())} file(s) kept on node-a, "
                     f"{len(node.quarantined())} quarantined")
    os.remove(filler)
    env.mark_fault_end()


def fill(path):
    """Writes until the filesystem is full (ENOSPC)."""
    block = b"\0" * MIB
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                f.write(block)
        except OSError:
            pass
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass


# -- the network between node-a (in its namespace) and the hub ---------------------------------------
@fault("network: 200 ms delay", network=True)
def net_delay(env):
    port = env.link.delay_url_port(env.hub.transfer_port, 0.2)
    env.nodes["node-a"].env["LXA_NODE_HUB_URL"] = f"https://{env.hub.transfer_host}:{port}"
    lasting_fault_run(env, "delay")


@fault("network: 5 % loss", network=True)
def net_loss(env):
    env.link.loss(5)
    lasting_fault_run(env, "loss")


def lasting_fault_run(env, what):
    """A fault that lasts the whole run: recovery is counted from the start of the workload."""
    env.mark_fault_end()
    env.start_nodes()
    env.mix_all()
    env.notes.append(f"{what} by {env.link.method()}")


def node_a_in_flight(env, fraction):
    """Nodes started, node-a's share dropped, until its biggest video has `fraction` of its bytes at the hub."""
    env.start_nodes()
    env.mix("node-a")
    env.wait_in_flight(int(max(env.scale.videos["node-a"]) * fraction))


@fault("network: partition", network=True)
def net_partition(env):
    node_a_in_flight(env, 1 / 8)
    env.link.partition()
    env.mix("node-b")
    time.sleep(env.scale.partition_s)
    env.link.heal()
    env.mark_fault_end()
    env.notes.append(f"partition of {env.scale.partition_s} s by {env.link.method()}")


@fault("network: link drops mid-stream", network=True)
def net_drop(env):
    node_a_in_flight(env, 1 / 4)
    env.link.drop_mid_stream(5)
    env.mark_fault_end()
    env.mix("node-b")


# -- certificates and clocks ---------------------------------------------------------------------------
@fault("certificate revoked mid-run")
def cert_revoked(env):
    """node-a's certificate is revoked mid-transfer; the operator registers a new one and restarts the node."""
    node_a_in_flight(env, 1 / 4)
    certs = env.suite.certs
    with open(os.path.join(certs, "nodes", "node-a.crt.pem"), "rb") as f:
        thumbprint = x509.load_pem_x509_certificate(f.read()).fingerprint(hashes.SHA256()).hex().upper()
    env.hub.cli("nodes", "cert", "revoke", "node-a", thumbprint, "--reason", "fault suite", "--actor", "faults")
    env.mix("node-a", videos=False)
    env.mix("node-b")
    time.sleep(15)
    node = env.nodes["node-a"]
    if not re.search(r"revoked|Unauthenticated|PermissionDenied|certificate", node.log_text(), re.IGNORECASE):
        env.problems.append("node-a's log does not say why the hub refuses it")
    env.notes.append(f"revoked: {len(node.waiting_files())} file(s) kept on node-a, {len(node.quarantined())} quarantined")
    renewed = os.path.join(env.work, "certs-renewed")
    os.makedirs(renewed)
    for name in ("node-ca.crt.pem", "node-ca.key.pem"):
        shutil.copy(os.path.join(certs, name), renewed)
    issue_certificates(env.suite.args.repo, renewed, "--node", "node-a")
    env.hub.cli("nodes", "cert", "add", "node-a", os.path.join(renewed, "nodes", "node-a.crt.pem"), "--actor", "faults")
    node.stop()
    node.env["LXA_NODE_CERT_FILE"] = os.path.join(renewed, "nodes", "node-a.crt.pem")
    node.env["LXA_NODE_KEY_FILE"] = os.path.join(renewed, "nodes", "node-a.key.pem")
    node.start()
    env.mark_fault_end()


@fault("node clock 10 minutes off")
def clock_skew(env):
    """node-a runs 10 minutes ahead, node-b 10 minutes behind (libfaketime; monotonic clocks untouched)."""
    for name, offset in (("node-a", "+10m"), ("node-b", "-10m")):
        env.nodes[name].extra_env = {"LD_PRELOAD": LIBFAKETIME, "FAKETIME": offset, "FAKETIME_DONT_FAKE_MONOTONIC": "1",
                                     "FAKETIME_DONT_RESET": "1"}
    env.mark_fault_end()
    started = time.time()
    env.start_nodes()
    env.mix_all()
    env.start_rest()
    for name, expected in (("node-a", 600), ("node-b", -600)):
        offset = log_clock_offset(env.nodes[name].log_text(), started)
        if offset is None or abs(offset - expected) > 120:
            env.problems.append(f"{name}'s clock is not 10 minutes off (offset seen in its log: {offset})")
        else:
            env.notes.append(f"{name} clock offset {offset:+.0f} s")


def log_clock_offset(text, real_start):
    m = re.search(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.\d+Z ", text, re.MULTILINE)
    if not m:
        return None
    import calendar
    logged = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S"))
    return logged - real_start


# -- soak ----------------------------------------------------------------------------------------------
@fault("soak: hub SIGKILLed every 30-90 s")
def soak(env):
    scale = env.scale
    env.start_nodes()
    env.start_rest(spread_s=60, count=40 if scale.reduced else 200)
    stop = threading.Event()
    kills = []
    killer = threading.Thread(target=kill_hub_repeatedly, args=(env, stop, kills), daemon=True)
    killer.start()
    waves = 10
    for wave in range(waves):
        for node in env.nodes.values():
            small = {"pdf": [random.randint(2, 20) * KIB for _ in range(scale.soak_small // waves // 2)],
                     "pair": [random.randint(2, 20) * KIB for _ in range(scale.soak_small // waves // 2)]}
            if wave % (waves // max(1, scale.soak_large)) == 0:
                small["video"] = [random.randint(*[s // MIB for s in scale.soak_large_size]) * MIB]
            env.workload.drop_mix(node, small)
        time.sleep(scale.soak_wave_gap_s)
    from verify import wait_delivered
    deadline = time.monotonic() + scale.soak_max_s
    while not stop.is_set() and time.monotonic() < deadline and len(kills) < scale.soak_max_kills:
        if wait_delivered(env.cluster, env.database, env.workload, 5):
            break
    stop.set()
    killer.join(180)
    env.mark_fault_end()
    env.notes.append(f"soak: {len(env.workload.sent)} artifacts, hub SIGKILLed {len(kills)} times "
                     f"(every {env.scale.soak_kill_every[0]}-{env.scale.soak_kill_every[1]} s, at most {env.scale.soak_max_kills})")


def kill_hub_repeatedly(env, stop, kills):
    low, high = env.scale.soak_kill_every
    while not stop.is_set() and len(kills) < env.scale.soak_max_kills:
        if stop.wait(random.uniform(low, high)):
            return
        restart_hub(env, pause_s=0.5)
        kills.append(time.time())
