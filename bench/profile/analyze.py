#!/usr/bin/python3
"""Busy thread time of an EventPipe CPU-sampling trace (speedscope JSON from `dotnet-trace convert`) by category.

    analyze.py OUT_DIR            # the directory of bench/profile/profile_push.py: run.json, hub/node.speedscope.json
    analyze.py FILE.speedscope.json [--top N]

The SampleProfiler samples every managed thread each millisecond, running or not. A sample is "waiting" when
the thread sits in a known blocking wait (idle thread-pool workers, the socket event loop's epoll, timers,
Monitor/WaitHandle waits, the console logger's queue); the rest is busy: managed code, or native code reached
from managed code (OpenSSL, syscalls such as send/recv/pwrite/fsync, the hash). Each busy sample goes to the
category of the innermost frame that matches one (so TLS inside an HTTP/2 write counts as TLS, a memmove
inside protobuf parsing as copying); "inclusive" is the share of busy samples with the category anywhere on
the stack. fsync is busy thread time but mostly waiting for the disk, not CPU. A stack that stays unchanged for
more than STALE_MS (a thread that left managed code, e.g. the finalizer going back to its native wait) counts
only STALE_MS.
"""

import collections
import json
import os
import re
import subprocess
import sys

STALE_MS = 50.0

# Innermost match wins; the order matters only for a frame matching two patterns.
CATEGORIES = [
    ("fsync (disk wait)", r"Interop\+Sys\.FSync|FlushToDisk"),
    ("hashing (SHA-256)", r"IncrementalHash|HashProvider|Interop\+Crypto\.Evp(Digest|Md)|SHA256|HashAlgorithm"),
    ("encryption (LXENC01 AES-GCM)", r"AesGcm|LxEnc01|Interop\+Crypto\.EvpCipher"),
    ("copying (memmove, new arrays)", r"Buffer\.Memmove|SpanHelpers\.Memmove|Buffer\.BlockCopy|Array\.Copy|ByteString\.CopyFrom|\.ToByteArray|ToArray\(|BufferExtensions\.CopyTo|CopyToMultiSegment"),
    ("socket send/recv (kernel TCP)", r"Interop\+Sys\.(Send|Receive|Read|Write)(Msg)?\b|SocketPal\.TryComplete|SocketPal\.(Send|Receive)"),
    ("file read (node)", r"Interop\+Sys\.PRead|RandomAccess\.ReadAtOffset|RandomAccess\.ReadAsync|FileStream.*Read"),
    ("file write (pwrite)", r"Interop\+Sys\.PWrite|RandomAccess\.WriteAtOffset|RandomAccess\.WriteAsync"),
    ("TLS (SslStream/OpenSSL)", r"System\.Net\.Security|Interop\+Ssl|Interop\+OpenSsl|SafeSslHandle"),
    ("protobuf (parse/serialize)", r"Google\.Protobuf|LxAnnotate\.Shared\.Protos"),
    ("database (EF Core/Npgsql/SQLite)", r"Npgsql|EntityFrameworkCore|Microsoft\.Data\.Sqlite|SQLitePCL"),
    ("thread pool: idle workers spinning before they sleep", r"LowLevelSpinWaiter"),
    ("locking (contention)", r"Monitor\.Enter_Slowpath|Monitor\.ReliableEnter|Lock\.(TryEnterSlow|EnterAndGetCurrentThreadId)|SpinWait\.SpinOnce|SpinLock"),
    ("gRPC message framing", r"Grpc\.(AspNetCore|Net|Core)"),
    ("HTTP/2 framing and flow control", r"Http2|Hpack|System\.IO\.Pipelines|DuplexPipeStream|Kestrel"),
    ("sockets (other)", r"System\.Net\.Sockets"),
    ("logging", r"Microsoft\.Extensions\.Logging"),
    ("hosting, DI, configuration (start-up)", r"Microsoft\.Extensions\.(Hosting|DependencyInjection|Configuration)|Microsoft\.AspNetCore\.Builder|WebApplication"),
    ("application (LxAnnotate)", r"LxAnnotate"),
    ("thread pool: dispatch, waking workers, timers", r"System\.Threading"),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in CATEGORIES]

# A sample whose innermost managed frames are one of these is a thread waiting for work.
WAITS = re.compile(
    r"LowLevelLifoSemaphore\.WaitNative|LowLevelLifoSemaphore\.WaitForSignal|Monitor\.Wait\b|WaitHandle\.Wait|"
    r"WaitForSocketEvents|SocketAsyncEngine\.EventLoop$|Thread\.Sleep|GateThread|TimerQueue\.TimerThread|"
    r"ConsoleLoggerProcessor|FileSystemWatcher|ManualResetEventSlim\.Wait|SemaphoreSlim\.Wait\b|Heartbeat\.TimerLoop|"
    r"Thread\.Join|LowLevelMonitor|WaitSubsystem|SignalHandlerLoop|ConsoleLifetime|Console\.ReadKey")


def method(frame):
    return frame.split("!", 1)[-1].split("(", 1)[0]


def stacks(path):
    """Milliseconds per stack (tuple of frame names, root first) over all threads of the trace."""
    with open(path) as f:
        doc = json.load(f)
    names = [fr["name"] for fr in doc["shared"]["frames"]]
    weights = collections.Counter()
    stale = 0.0
    for profile in doc["profiles"]:
        stack, last = [], None
        for event in profile["events"]:
            if last is not None and stack:
                delta = event["at"] - last
                if delta > STALE_MS:
                    stale += delta - STALE_MS
                    delta = STALE_MS
                weights[tuple(names[i] for i in stack)] += delta
            last = event["at"]
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                stack.pop()
    return weights, stale


def is_wait(stack):
    managed = [method(f) for f in stack if "!" in f]
    if not managed:
        return True
    leaf = managed[-1]
    if stack[-1] == "UNMANAGED_CODE_TIME" and (leaf.endswith(("WorkerThread.WorkerThreadStart", "LowLevelLifoSemaphore.Wait"))):
        return True  # an idle worker in its native wait (the wait call inlined into these)
    return any(WAITS.search(m) for m in managed[-3:] if "SpinWaiter" not in m) and "LowLevelSpinWaiter" not in leaf


def categorize(stack):
    for frame in reversed(stack):
        m = method(frame)
        for name, rx in COMPILED:
            if rx.search(m):
                return name
    return "other (runtime, unresolved)"


def breakdown(path, top=0):
    weights, _ = stacks(path)
    busy = {s: w for s, w in weights.items() if not is_wait(s)}
    total = sum(busy.values())
    exclusive = collections.Counter()
    inclusive = collections.Counter()
    for s, w in busy.items():
        exclusive[categorize(s)] += w
        methods = [method(f) for f in s]
        for name, rx in COMPILED:
            if any(rx.search(m) for m in methods):
                inclusive[name] += w
    if top:
        others = collections.Counter()
        for s, w in busy.items():
            if categorize(s).startswith(("other", "thread pool", "application")):
                others[" < ".join(method(f)[-60:] for f in reversed(s[-5:]))] += w
        for k, v in others.most_common(top):
            print(f"  {100 * v / total:5.1f}% {k}", file=sys.stderr)
    return total, exclusive, inclusive


def table(title, path, cpu_seconds=None, top=0):
    total, exclusive, inclusive = breakdown(path, top)
    lines = [f"**{title}**: {total / 1000:.1f} s of busy thread time sampled"
             + (f"; {cpu_seconds:.2f} s of CPU measured for the process (/proc) in the same push" if cpu_seconds else ""), "",
             "| category | busy time % (innermost) | inclusive % |" + (" ≈ CPU s |" if cpu_seconds else ""),
             "|---|---:|---:|" + ("---:|" if cpu_seconds else "")]
    for name, w in exclusive.most_common():
        share = w / total
        row = f"| {name} | {100 * share:.1f} | {100 * inclusive.get(name, w) / total:.1f} |"
        if cpu_seconds:
            row += " — |" if name.startswith("fsync") else f" {share * cpu_seconds:.2f} |"
        lines.append(row)
    return "\n".join(lines)


KERNEL_GROUPS = [
    ("kernel: copying into the page cache (file writes)", r"copy_folio_from_iter|generic_perform_write|ext4|filemap|folio|mpage|iomap|jbd2|xas_|block_|__block|balance_dirty"),
    ("kernel: TCP over loopback (socket copies, stack)", r"_copy_to_iter|_copy_from_iter|tcp_|skb|sock|ip_|inet|__sys_(recv|send)|loopback|net_|netif|napi|softirq|__dev_|datagram"),
    ("kernel: scheduler, futex, sched_yield", r"sched|futex|switch|wake|_raw_spin_unlock_irqrestore|enqueue|dequeue|pick_|update_curr|native_write_msr|yield"),
    ("kernel: page faults, memory mapping", r"page_fault|clear_page|slab|unmap|zap_|mm_fault|anonymous_page|madvise|alloc_pages|get_page_from_freelist|rmqueue|free_"),
]
KERNEL_COMPILED = [(name, re.compile(rx)) for name, rx in KERNEL_GROUPS]


def perf_category(dso, sym):
    """What an on-CPU sample of `perf record` was doing, from its shared object and symbol."""
    if "kernel.kallsyms" in dso:
        return next((name for name, rx in KERNEL_COMPILED if rx.search(sym)), "kernel: other (syscall entry, fsync, …)")
    if "libcrypto" in dso or "libssl" in dso or "Cryptography.Native" in dso:
        return "OpenSSL: TLS AES-GCM and SHA-256 (stripped: not separable)"
    if "libclrjit" in dso:
        return "JIT compiler"
    if "libcoreclr" in dso:
        return "runtime native code (GC, allocation, thread-pool spin-waits)"
    if "libc.so" in dso:
        return "libc: memcpy/memset (copying, zeroing)" if re.search(r"mem(cpy|move|set)", sym) else "libc: other"
    if sym.startswith("[unknown]") and dso.endswith(".dll)"):
        return "managed: framework code (ReadyToRun, unresolved)"
    for name, rx in COMPILED:
        if rx.search(sym):
            return "managed: " + name
    return "other native (System.Native, loader, unresolved)"


def perf_samples(data, pid):
    """Samples per category of every thread of process `pid` in a `perf record -a` file."""
    script = subprocess.run(["perf", "script", "-i", data, "-F", "pid,ip,sym,dso"], capture_output=True, text=True).stdout
    counts = collections.Counter()
    for line in script.splitlines():
        parts = line.split(None, 2)
        if len(parts) < 3 or parts[0] != str(pid):
            continue
        rest = parts[2]
        dso = rest[rest.rfind(" ("):].strip() if " (" in rest else ""
        sym = rest[: len(rest) - len(dso)].strip() if dso else rest
        counts[perf_category(dso, sym)] += 1
    return counts


def perf_table(runs, size):
    """Hub during the push, hub during curl, node during the push: CPU seconds per GiB by category."""
    gib = size / 1024 ** 3
    push, curl = runs["push"], runs["curl"]
    columns = [("hub, push", perf_samples(push["data"], push["hub_pid"]), push["hub_cpu_seconds"]),
               ("hub, curl", perf_samples(curl["data"], curl["hub_pid"]), curl["hub_cpu_seconds"]),
               ("node, push", perf_samples(push["data"], push["sender_pid"]), None)]
    names = sorted({n for _, c, _ in columns for n in c}, key=lambda n: -columns[0][1].get(n, 0))
    lines = ["| category (perf, on-CPU) | " + " | ".join(f"{title} s/GiB" for title, _, _ in columns) + " |",
             "|---|" + "---:|" * len(columns)]

    def seconds(counts, cpu, name):
        # Scaled to the /proc figure where there is one (samples at 999 Hz otherwise).
        total = sum(counts.values()) or 1
        return (counts.get(name, 0) / total * cpu if cpu else counts.get(name, 0) / 999.0) / gib

    for name in names:
        lines.append(f"| {name} | " + " | ".join(f"{seconds(c, cpu, name):.2f}" for _, c, cpu in columns) + " |")
    lines.append("| **total** | " + " | ".join(f"**{(cpu if cpu else sum(c.values()) / 999.0) / gib:.2f}**" for _, c, cpu in columns) + " |")
    head = (f"perf record -a -F 999 during one more push ({push['seconds']:.1f} s, load {push['load']:.1f}) and one curl upload "
            f"({curl['seconds']:.1f} s, load {curl['load']:.1f}) of the same size; hub columns scaled to its /proc CPU. "
            f"PostgreSQL: {push['postgres_cpu_seconds'] or 0:.2f} s (push), {curl['postgres_cpu_seconds'] or 0:.2f} s (curl).")
    return head + "\n\n" + "\n".join(lines)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 0
    if top:
        args = [a for a in args if a != str(top)]
    target = args[0]
    if target.endswith(".json"):
        print(table(os.path.basename(target), target, top=top))
        return
    with open(os.path.join(target, "run.json")) as f:
        run = json.load(f)
    size_gib = run["size"] / 1024 ** 3
    print(f"Push of {size_gib:g} GiB in {run['seconds']:.1f} s under tracing; load average "
          f"{run['load_before'][0]:.1f} -> {run['load_after'][0]:.1f}; hub CPU {run['hub_cpu_seconds']:.2f} s, "
          f"PostgreSQL {run['postgres_cpu_seconds'] or 0:.2f} s.\n")
    print(table("Hub (lxa-hub serve)", run["hub"], run["hub_cpu_seconds"], top))
    print()
    if run["node"]:
        print(table("Node (lxa-node push)", run["node"], None, top))
    else:
        print("Node (lxa-node push): a Native AOT executable, not traced by EventPipe; see the perf table.")
    if run.get("perf"):
        print()
        print(perf_table(run["perf"], run["size"]))


if __name__ == "__main__":
    main()
