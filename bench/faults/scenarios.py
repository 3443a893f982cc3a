"""The faults. Each gets a fresh world (Env), starts the workload, injects its fault, marks when the fault
ended and may note problems; faults.py then waits (bounded) for delivery and verifies."""

import os
import random
import time

import transfer_bench as tb
from env import KIB, MIB
from lab import sleep_until
from registry import fault



def biggest_video(env):
    return max(max(v) for v in env.scale.videos.values())


def mixed_until_in_flight(env):
    """The whole workload (nodes and REST), until a video streams."""
    env.start_nodes()
    env.mix_all()
    env.start_rest(spread_s=5)
    env.wait_in_flight(biggest_video(env) // 4)


def restart_hub(env, pause_s=1.0):
    env.hub.kill()
    time.sleep(pause_s)
    env.hub.start()


# -- processes killed ----------------------------------------------------------------------------------
@fault("hub SIGKILL mid-transfer")
def hub_kill_transfer(env):
    mixed_until_in_flight(env)
    restart_hub(env)
    env.mark_fault_end()


@fault("hub SIGKILL mid-commit")
def hub_kill_commit(env):
    """Killed the moment a video's incoming file is complete: the hub is verifying, placing and recording it."""
    env.start_nodes()
    env.mix_all()
    env.start_rest(spread_s=5)
    sizes = {s for v in env.scale.videos.values() for s in v}
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not sizes.intersection(env.incoming_part_sizes()):
        time.sleep(0.002)
    complete = sizes.intersection(env.incoming_part_sizes())
    if not complete:
        env.problems.append("the commit moment was not caught within 300 s")
    restart_hub(env)
    env.notes.append(f"killed with a complete incoming file of {max(complete or [0]) // MIB} MiB being committed")
    env.mark_fault_end()


@fault("node SIGKILL mid-transfer")
def node_kill_transfer(env):
    env.start_nodes()
    env.mix_all()
    env.wait_in_flight(biggest_video(env) // 4)
    for node in env.nodes.values():
        node.kill()
    time.sleep(1)
    env.start_nodes()
    env.mark_fault_end()


@fault("node SIGKILL mid-take (outbox)")
def node_kill_take(env):
    """A burst of drops and three SIGKILLs while the node hashes and takes them into its outbox."""
    env.start_nodes()
    node = env.nodes["node-a"]
    count = 100 if env.scale.reduced else 400
    moves = env.workload.drop_mix(node, {"pdf": [random.randint(8, 64) * KIB for _ in range(count)],
                                         "video": [8 * MIB, 24 * MIB]}, defer=True)
    for move in moves:
        move()
    env.mix("node-b")
    for _ in range(3):
        time.sleep(random.uniform(1.0, 2.0))
        node.kill()
        node.start()
    env.mark_fault_end()


@fault("hub down while the node admits files")
def hub_down(env):
    env.start_nodes()
    env.hub.kill()
    down_s = env.scale.hub_down_s
    started = time.monotonic()
    for wave in range(3):
        sleep_until(started + wave * down_s / 3)
        for name in env.nodes:
            env.mix(name, videos=wave == 1)
    sleep_until(started + down_s)
    left = [f for n in env.nodes.values() for f in os.listdir(n.folder("report_import"))]
    if left:
        env.problems.append(f"{len(left)} file(s) still in the drop folders after {down_s} s: not admitted")
    else:
        env.notes.append(f"hub down {down_s} s; the nodes admitted every file meanwhile")
    env.hub.start()
    env.mark_fault_end()


# -- PostgreSQL --------------------------------------------------------------------------------------
@fault("PostgreSQL restart -m immediate mid-transfer")
def pg_restart_transfer(env):
    mixed_until_in_flight(env)
    env.cluster.restart_immediate()
    env.mark_fault_end()


@fault("PostgreSQL restart -m immediate mid-DeliverMany")
def pg_restart_deliver_many(env):
    env.start_nodes()
    count = 150 if env.scale.reduced else 600
    for node in env.nodes.values():
        env.workload.drop_mix(node, {"pdf": [random.randint(4, 32) * KIB for _ in range(count)]})
    tb.wait_until(lambda: env.active_count() >= 10, 120, "small artifacts to flow")
    env.cluster.restart_immediate()
    env.mark_fault_end()
    env.notes.append(f"restarted with {env.active_count()} of {2 * count} small artifacts stored")
