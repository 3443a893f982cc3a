"""The faults by name, in the order of the table; each module of faults registers its own."""

FAULTS = {}


def fault(name, **env_options):
    """Registers a fault: `fn(env)` starts the workload, injects the fault and marks its end;
    `env_options` shape its world (hub storage on a tmpfs, a node in a network namespace, …)."""
    def register(fn):
        FAULTS[name] = (fn, env_options)
        return fn
    return register
