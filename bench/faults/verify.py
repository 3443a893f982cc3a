"""What the hub holds after a fault, checked against what was sent: its database and its storage folder."""

import os
import time

from workload import stored_sha256

ACTIVE = "status NOT IN ('error', 'lost')"


def active_jobs(cluster, database):
    """(center, sha256) of every active upload job."""
    rows = cluster.query(database, f"SELECT c.center_key, j.content_hash FROM upload_jobs j "
                                   f"JOIN centers c ON c.id = j.source_center_id WHERE {ACTIVE}")
    return {(r[0], r[1]) for r in rows}


def wait_delivered(cluster, database, workload, timeout_s, poll_s=0.5, alive=None):
    """Waits (bounded) until every sent artifact has an active job in its center; True when all arrived."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with workload.lock:
            wanted = {(a.center, a.sha256) for a in workload.sent}
        try:
            if wanted <= active_jobs(cluster, database):
                return True
        except RuntimeError:
            pass  # PostgreSQL restarting: ask again
        if alive:
            alive()
        time.sleep(poll_s)
    return False


class Outcome:
    def __init__(self, name):
        self.name = name
        self.tried = 0
        self.stored_once = 0
        self.bytes_lost = 0
        self.duplicates = 0
        self.recovery_s = None
        self.problems = []
        self.notes = []

    @property
    def survived(self):
        return (self.tried > 0 and self.stored_once == self.tried and self.bytes_lost == 0 and self.duplicates == 0
                and not self.problems)


def verify(name, cluster, database, hub, workload, fault_end_epoch):
    """Every artifact sent: exactly one active job in its own center, status not failed, stored bytes with its SHA-256.
    Duplicates: extra active jobs of an artifact, jobs of it in another center, stored files no job names."""
    out = Outcome(name)
    sent = list(workload.sent)
    out.tried = len(sent)
    rows = cluster.query(database, "SELECT c.center_key, j.content_hash, j.size_bytes, j.status, j.storage_path, "
                                   "j.storage_encoding, extract(epoch from j.created_at) FROM upload_jobs j "
                                   "JOIN centers c ON c.id = j.source_center_id")
    jobs = {}
    for center, sha, size, status, path, storage_class, created in rows:
        jobs.setdefault(sha, []).append({"center": center, "size": int(size), "status": status, "path": path,
                                         "class": storage_class, "created": float(created)})
    last_stored = None
    for artifact in sent:
        mine = [j for j in jobs.get(artifact.sha256, []) if j["status"] not in ("error", "lost")]
        right = [j for j in mine if j["center"] == artifact.center]
        wrong = [j for j in mine if j["center"] != artifact.center]
        out.duplicates += max(0, len(right) - 1) + len(wrong)
        if wrong:
            out.problems.append(f"{artifact.name}: stored in another center ({wrong[0]['center']})")
        if len(right) != 1 or not stored_correctly(hub, right[0], artifact):
            out.bytes_lost += artifact.size
            if not right:
                out.problems.append(f"{artifact.name} ({artifact.via}, {artifact.size} B): not stored")
            continue
        out.stored_once += 1
        last_stored = max(last_stored or 0, right[0]["created"])
    known = {(j["path"]) for js in jobs.values() for j in js}
    orphans = stored_files_without_job(hub, known)
    if orphans:
        out.duplicates += len(orphans)
        out.problems.append(f"{len(orphans)} stored file(s) no job names (half-stored), e.g. {orphans[0]}")
    unknown = sum(1 for sha, js in jobs.items() if sha not in {a.sha256 for a in sent}
                  for j in js if j["status"] not in ("error", "lost"))
    if unknown:
        out.problems.append(f"{unknown} active job(s) of content nobody sent")
    if last_stored is not None and fault_end_epoch is not None:
        out.recovery_s = max(0.0, last_stored - fault_end_epoch)
    return out


def stored_correctly(hub, job, artifact):
    path = os.path.join(hub.storage, job["path"])
    if job["size"] != artifact.size or not os.path.isfile(path):
        return False
    try:
        return stored_sha256(path, job["class"], hub.master_key) == artifact.sha256
    except (ValueError, OSError, Exception):  # noqa: BLE001 - a file that does not decrypt is not stored correctly
        return False


def stored_files_without_job(hub, known_paths):
    centers = os.path.join(hub.storage, "centers")
    orphans = []
    for dirpath, _, files in os.walk(centers):
        for name in files:
            relative = os.path.relpath(os.path.join(dirpath, name), hub.storage)
            if relative not in known_paths and not name.startswith("."):
                orphans.append(relative)
    return orphans
