#!/usr/bin/python3
"""Fault suite: real lxa-hub serve (central_hub on PostgreSQL), two lxa-node run (two centers, drop folders)
and a REST sender under a mixed workload, one fault at a time; every artifact sent is checked in the hub's
database and storage. Prints one table and the line `faults survived S/T, bytes lost B, duplicates D`.

Run through bench/faults/run.sh (it builds the Release binaries and installs what is missing); needs root
(tmpfs mounts, network namespaces). See docs/reliability.md.
"""

import argparse
import datetime
import json
import os
import random
import signal
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # bench/: transfer_bench
sys.path.insert(0, HERE)

import scenarios  # noqa: E402,F401 - registers its faults
import scenarios_world  # noqa: E402,F401 - registers its faults
from env import Env, Suite  # noqa: E402
from lab import Cluster, remove_tree  # noqa: E402
from network import SUFFIX, Link  # noqa: E402
from registry import FAULTS  # noqa: E402
from verify import Outcome, verify, wait_delivered  # noqa: E402

REDUCED = ["hub SIGKILL mid-transfer", "PostgreSQL restart -m immediate mid-transfer",
           "disk full on the hub's storage", "network: partition"]
SHORT = {"hub-kill-transfer": "hub SIGKILL mid-transfer", "hub-kill-commit": "hub SIGKILL mid-commit",
         "node-kill-transfer": "node SIGKILL mid-transfer", "node-kill-take": "node SIGKILL mid-take (outbox)",
         "hub-down": "hub down while the node admits files",
         "pg-restart-transfer": "PostgreSQL restart -m immediate mid-transfer",
         "pg-restart-delivermany": "PostgreSQL restart -m immediate mid-DeliverMany",
         "disk-full-hub": "disk full on the hub's storage", "disk-full-node": "disk full on the node's data root",
         "net-delay": "network: 200 ms delay", "net-loss": "network: 5 % loss", "net-partition": "network: partition",
         "net-drop": "network: link drops mid-stream", "cert-revoked": "certificate revoked mid-run",
         "clock-skew": "node clock 10 minutes off", "soak": "soak: hub SIGKILLed every 30-90 s"}


def run_fault(suite, name):
    fn, options = FAULTS[name]
    options = {k: (v(suite.scale) if callable(v) else v) for k, v in options.items()}
    link = None
    env = None
    try:
        if options.pop("network", False):
            link = Link(SUFFIX)
            link.create()
            options["link"] = link
        env = Env(suite, SHORT_BY_NAME[name], **options)
        fn(env)
        if env.fault_end is None:
            env.mark_fault_end()
        delivered = wait_delivered(suite.cluster, env.database, env.workload, suite.scale.deliver_timeout_s)
        if env.rest:
            env.rest.join(suite.scale.deliver_timeout_s)
        if not delivered:
            time.sleep(2)
        outcome = verify(name, suite.cluster, env.database, env.hub, env.workload, env.fault_end)
        outcome.problems += env.problems
        outcome.notes += [n for n in env.notes if n]
        if not delivered:
            outcome.problems.append(f"not everything arrived within {suite.scale.deliver_timeout_s} s")
        for node in env.nodes.values():
            if node.quarantined():
                outcome.problems.append(f"{node.name} quarantined {len(node.quarantined())} file(s)")
    except Exception as error:  # noqa: BLE001 - a harness failure is reported in the table, never hidden
        outcome = Outcome(name)
        if env:
            outcome.tried = len(env.workload.sent)
            outcome.bytes_lost = sum(a.size for a in env.workload.sent)
        outcome.problems.append(f"harness: {error}")
        traceback.print_exc()
    finally:
        if env:
            env.close()
        if link:
            link.destroy()
    return outcome


SHORT_BY_NAME = {v: k for k, v in SHORT.items()}


def print_table(outcomes):
    header = f"{'fault':<48} | {'tried':>6} | {'survived':>8} | {'bytes lost':>10} | {'duplicates':>10} | {'recovery s':>10}"
    print(header)
    print("-" * len(header))
    for o in outcomes:
        recovery = f"{o.recovery_s:.1f}" if o.recovery_s is not None else "-"
        survived = f"{o.stored_once}" + ("" if o.survived else " NO")
        print(f"{o.name:<48} | {o.tried:>6} | {survived:>8} | {o.bytes_lost:>10} | {o.duplicates:>10} | {recovery:>10}")
    for o in outcomes:
        for line in o.notes:
            print(f"  note  {o.name}: {line}")
        for line in o.problems:
            print(f"  FAIL  {o.name}: {line}")
    survived = sum(1 for o in outcomes if o.survived)
    print(f"faults survived {survived}/{len(outcomes)}, bytes lost {sum(o.bytes_lost for o in outcomes)}, "
          f"duplicates {sum(o.duplicates for o in outcomes)}")


def select(args):
    if args.only:
        names = []
        for item in args.only.split(","):
            item = item.strip()
            if item not in SHORT:
                sys.exit(f"faults: unknown fault '{item}' (known: {', '.join(SHORT)})")
            names.append(SHORT[item])
        return names
    return REDUCED if args.reduced else list(SHORT.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma list of faults: " + ", ".join(SHORT))
    parser.add_argument("--reduced", action="store_true", help="the CI set and sizes (videos 8-48 MiB, short outages)")
    parser.add_argument("--json", help="also write the outcomes as JSON to this path")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--repo", default=os.path.dirname(os.path.dirname(HERE)))
    parser.add_argument("--hub-dll", required=True)
    parser.add_argument("--node-dll", required=True)
    args = parser.parse_args()
    if os.getuid() != 0:
        sys.exit("faults: needs root (tmpfs mounts, network namespaces, a PostgreSQL cluster of its own)")
    names = select(args)
    random.seed(args.seed)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = tempfile.mkdtemp(prefix="lxa-faults-")
    os.chmod(work, 0o755)
    cluster = Cluster(work)
    outcomes = []
    started = datetime.datetime.now(datetime.timezone.utc)
    try:
        cluster.start()
        suite = Suite(args, cluster, work)
        for name in names:
            print(f"  fault: {name} …", file=sys.stderr, flush=True)
            began = time.monotonic()
            outcomes.append(run_fault(suite, name))
            o = outcomes[-1]
            print(f"  fault: {name}: {'survived' if o.survived else 'NOT survived'} ({time.monotonic() - began:.0f} s)",
                  file=sys.stderr, flush=True)
    finally:
        cluster.stop()
        if not args.keep:
            remove_tree(work)
    print(f"\nfault suite {'--reduced ' if args.reduced else ''}{started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores")
    print_table(outcomes)
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"fault": o.name, "tried": o.tried, "survived": o.survived, "stored_once": o.stored_once,
                        "bytes_lost": o.bytes_lost, "duplicates": o.duplicates, "recovery_s": o.recovery_s,
                        "problems": o.problems, "notes": o.notes} for o in outcomes], f, indent=2)
    return 0 if outcomes and all(o.survived for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
