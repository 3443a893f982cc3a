#!/usr/bin/python3
"""EventPipe CPU profile of both sides of one `lxa-node push` (run through bench/profile/run.sh).

Sets up the same hub as bench/transfer_bench.py (central_hub on PostgreSQL, mTLS transfer listener), warms it up
with one push of the file, then traces the hub (attached by pid) and a new push process (launched under
dotnet-trace) during one more push of the same size with new content. Both traces are converted to speedscope
JSON and summed up by bench/profile/analyze.py into a table of CPU by category per side.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import transfer_bench as tb  # noqa: E402

PERF_ENV = {"DOTNET_PerfMapEnabled": "1", "DOTNET_EnableWriteXorExecute": "0"}
PROFILE_PROVIDERS = "Microsoft-DotNETCore-SampleProfiler,Microsoft-Windows-DotNETRuntime:0x1C000018:4"


def trace_cmd(tool, output):
    # SampleProfiler: managed stacks of every thread each millisecond; the runtime keywords (loader, JIT, GC,
    # method rundown) let the stacks be resolved to method names.
    return [tool, "collect", "--providers", PROFILE_PROVIDERS, "-o", output]


def convert(tool, nettrace):
    subprocess.run([tool, "convert", "--format", "Speedscope", nettrace], check=True, stdout=subprocess.DEVNULL)
    return os.path.splitext(nettrace)[0] + ".speedscope.json"


def perf_record(bench, path, out, name, send):
    """One more upload (new content) by `send(path)` while `perf record -a` samples every CPU at 999 Hz.
    `send` returns the sender's pid or None; the result names the pids to report on."""
    bench.hub.clear_stored()
    tb.renew_content(path)
    data = os.path.join(out, f"perf-{name}.data")
    recorder = subprocess.Popen(["perf", "record", "-a", "-F", "999", "-o", data], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)
    cpu_before = bench.cpu_snapshot()
    started = time.monotonic()
    sender = send(path)
    seconds = time.monotonic() - started
    cpu = bench.cpu_since(cpu_before)
    recorder.send_signal(signal.SIGINT)
    recorder.wait(120)
    bench.hub.clear_stored()
    return {"data": data, "hub_pid": bench.hub.proc.pid, "sender_pid": sender, "seconds": seconds,
            "hub_cpu_seconds": cpu["receiver_cpu"], "postgres_cpu_seconds": cpu.get("postgres_cpu"), "load": os.getloadavg()[0]}


def perf_runs(bench, path, out):
    def push(p):
        env = bench.node_env()
        env.update(PERF_ENV)
        node = subprocess.Popen([*tb.dotnet_command(bench.args.node_dll), "push", p], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if node.wait(3600) != 0:
            raise RuntimeError(f"push under perf failed ({node.returncode})")
        return node.pid

    def curl(p):
        bench.curl(p)
        return None

    return {"perf": {"push": perf_record(bench, path, out, "push", push), "curl": perf_record(bench, path, out, "curl", curl)}}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", help="where the traces, their speedscope files and the summary are written")
    parser.add_argument("--size", type=tb.parse_size, default=tb.parse_size("1G"))
    parser.add_argument("--trace-tool", default=os.environ.get("DOTNET_TRACE", "dotnet-trace"))
    parser.add_argument("--perf", action="store_true",
                        help="also record a push and a curl upload with `perf record -a` (on-CPU samples, kernel and native code included)")
    parser.add_argument("--hub-env", action="append")
    parser.add_argument("--node-env", action="append")
    parser.add_argument("--work")
    parser.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--hub-dll", required=True)
    parser.add_argument("--node-dll", required=True)
    args = parser.parse_args()
    # perf resolves JIT-compiled methods through /tmp/perf-PID.map; EventPipe does not need it.
    # (W^X off: JIT code in anonymous memory, where perf looks the map up, instead of a memfd double mapping.)
    args.hub_env = {**PERF_ENV, **tb.env_pairs(args.hub_env)} if args.perf else tb.env_pairs(args.hub_env)
    args.node_env = tb.env_pairs(args.node_env)
    out = os.path.abspath(args.out_dir)
    os.makedirs(out, exist_ok=True)

    bench = tb.Bench(args)
    try:
        bench.setup()
        path = bench.source_file(args.size)
        tb.renew_content(path)
        bench.push([path])  # warm-up: the traced push meets a hub that has run this path once
        bench.hub.clear_stored()
        tb.renew_content(path)

        hub_trace = os.path.join(out, "hub.nettrace")
        node_trace = os.path.join(out, "node.nettrace")
        tracer = subprocess.Popen(trace_cmd(args.trace_tool, hub_trace) + ["-p", str(bench.hub.proc.pid)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.PIPE)
        time.sleep(3)  # the session is open once the tool has connected; a few seconds of idle hub cost little
        cpu_before = bench.cpu_snapshot()
        load_before = os.getloadavg()
        started = time.monotonic()
        # EventPipe's sample profiler needs the JIT runtime: a Native AOT node is pushed untraced (perf sees it).
        native_node = not args.node_dll.endswith(".dll")
        node_cmd = [*tb.dotnet_command(args.node_dll), "push", path]
        node = subprocess.run(node_cmd if native_node else trace_cmd(args.trace_tool, node_trace) + ["--", *node_cmd],
                              env=bench.node_env(), capture_output=True, text=True, timeout=3600)
        seconds = time.monotonic() - started
        cpu = bench.cpu_since(cpu_before)
        tracer.send_signal(signal.SIGINT)
        tracer.wait(120)
        if node.returncode != 0:
            raise RuntimeError(f"traced push failed ({node.returncode}): {node.stdout[-2000:]} {node.stderr[-2000:]}")
        perf = perf_runs(bench, path, out) if args.perf else {}
        summary = {**perf, "size": args.size, "seconds": seconds, "hub_cpu_seconds": cpu["receiver_cpu"],
                   "postgres_cpu_seconds": cpu.get("postgres_cpu"), "load_before": load_before, "load_after": os.getloadavg(),
                   "hub": convert(args.trace_tool, hub_trace), "node": None if native_node else convert(args.trace_tool, node_trace)}
        with open(os.path.join(out, "run.json"), "w") as f:
            json.dump(summary, f, indent=2)
        print(json.dumps(summary, indent=2))
    finally:
        if bench.hub:
            bench.hub.stop()


if __name__ == "__main__":
    main()
