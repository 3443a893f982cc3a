"""A network namespace for one node, joined to the host by a veth pair, and the faults put on that link.

Delay, loss and partition use `tc netem` on the host's end of the veth when the kernel has it; kernels built
without sch_netem (CONFIG_NET_SCH_NETEM unset) get the same faults from nftables in the node's namespace
(loss: `numgen random`, partition: drop) and the delay from a relay that holds every chunk 200 ms in each
direction. A link that drops mid-stream: the link goes down and the node's connections are destroyed (`ss -K`).
"""

import os
import socket
import subprocess
import threading
import time
from collections import deque

# A /30 of 10.213.0.0/16 and interface names of this process's own, so two runs on one machine do not collide.
_SLOT = os.getpid() % 16384
HOST_IP = f"10.213.{_SLOT // 64}.{(_SLOT % 64) * 4 + 1}"
NODE_IP = f"10.213.{_SLOT // 64}.{(_SLOT % 64) * 4 + 2}"
SUFFIX = str(_SLOT)


def sh(*argv, check=True):
    return subprocess.run(list(argv), check=check, capture_output=True, text=True)


def has_netem():
    probe = f"lxafp{SUFFIX}"
    sh("ip", "link", "add", probe, "type", "dummy", check=False)
    try:
        return sh("tc", "qdisc", "add", "dev", probe, "root", "netem", "delay", "1ms", check=False).returncode == 0
    finally:
        sh("ip", "link", "del", probe, check=False)


class Link:
    def __init__(self, suffix):
        self.ns = f"lxaf{suffix}"
        self.host_dev = f"lxafh{suffix}"
        self.node_dev = f"lxafn{suffix}"
        self.netem = has_netem()
        self.relay = None
        self.up = False

    def create(self):
        self.destroy()
        sh("ip", "netns", "add", self.ns)
        sh("ip", "link", "add", self.host_dev, "type", "veth", "peer", "name", self.node_dev)
        sh("ip", "link", "set", self.node_dev, "netns", self.ns)
        sh("ip", "addr", "add", f"{HOST_IP}/30", "dev", self.host_dev)
        sh("ip", "link", "set", self.host_dev, "up")
        self._in_ns("ip", "addr", "add", f"{NODE_IP}/30", "dev", self.node_dev)
        self._in_ns("ip", "link", "set", self.node_dev, "up")
        self._in_ns("ip", "link", "set", "lo", "up")
        if not self.netem:
            self._in_ns("nft", "add", "table", "inet", "lxaf")
            for chain, hook in (("out", "output"), ("in", "input")):
                self._in_ns("nft", "add", "chain", "inet", "lxaf", chain,
                            f"{{ type filter hook {hook} priority 0 ; policy accept ; }}")
        self.up = True

    def _in_ns(self, *argv, check=True):
        return sh("ip", "netns", "exec", self.ns, *argv, check=check)

    def destroy(self):
        if self.relay:
            self.relay.close()
            self.relay = None
        sh("ip", "link", "del", self.host_dev, check=False)
        sh("ip", "netns", "del", self.ns, check=False)
        self.up = False

    def method(self):
        return "tc netem" if self.netem else "nftables + delay relay (kernel without sch_netem)"

    # -- faults ---------------------------------------------------------------------------------------
    def loss(self, percent):
        if self.netem:
            sh("tc", "qdisc", "replace", "dev", self.host_dev, "root", "netem", "loss", f"{percent}%")
            return
        for chain in ("out", "in"):
            self._in_ns("nft", "add", "rule", "inet", "lxaf", chain, "numgen", "random", "mod", "100", "<", str(percent), "drop")

    def partition(self):
        if self.netem:
            sh("tc", "qdisc", "replace", "dev", self.host_dev, "root", "netem", "loss", "100%")
            return
        for chain, field in (("out", "daddr"), ("in", "saddr")):
            self._in_ns("nft", "add", "rule", "inet", "lxaf", chain, "ip", field, HOST_IP, "drop")

    def delay_url_port(self, hub_port, delay_s):
        """Port the node must dial for a delayed link (netem: the hub's own; else a relay's)."""
        if self.netem:
            sh("tc", "qdisc", "replace", "dev", self.host_dev, "root", "netem", "delay", f"{int(delay_s * 1000)}ms")
            return hub_port
        self.relay = DelayRelay(HOST_IP, hub_port, delay_s)
        return self.relay.port

    def drop_mid_stream(self, down_s):
        """The link goes away under open connections: down, the node's sockets destroyed, back up after `down_s`."""
        sh("ip", "link", "set", self.host_dev, "down")
        self._in_ns("ss", "-K", "dst", HOST_IP, check=False)
        time.sleep(down_s)
        sh("ip", "link", "set", self.host_dev, "up")

    def heal(self):
        if self.netem:
            sh("tc", "qdisc", "del", "dev", self.host_dev, "root", check=False)
        else:
            for chain in ("out", "in"):
                self._in_ns("nft", "flush", "chain", "inet", "lxaf", chain, check=False)


class DelayRelay:
    """TCP relay on HOST_IP that forwards each chunk `delay_s` after it arrived, in order, both directions."""

    def __init__(self, host, target_port, delay_s):
        self.target = (host, target_port)
        self.delay_s = delay_s
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((host, 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                continue
            for a, b in ((client, upstream), (upstream, client)):
                self._pipe(a, b)

    def _pipe(self, src, dst):
        queue, cond = deque(), threading.Condition()

        def read():
            while True:
                try:
                    data = src.recv(256 * 1024)
                except OSError:
                    data = b""
                with cond:
                    queue.append((time.monotonic() + self.delay_s, data))
                    cond.notify()
                if not data:
                    return

        def write():
            while True:
                with cond:
                    while not queue:
                        cond.wait()
                    due, data = queue.popleft()
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                try:
                    if not data:
                        dst.shutdown(socket.SHUT_WR)
                        return
                    dst.sendall(data)
                except OSError:
                    src.close()
                    return
        threading.Thread(target=read, daemon=True).start()
        threading.Thread(target=write, daemon=True).start()

    def close(self):
        self.closed = True
        self.listener.close()
