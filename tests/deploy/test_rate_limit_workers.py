"""The documented rate limit holds for the whole machine, not per gunicorn worker (issue 10, item 10).

Before, the counts lived in each worker's memory (``memory://``), so two workers let a client make
twice the documented number of requests. Under gunicorn the config now shares a SQLite file on
/dev/shm between the workers; ``memory://``, when asked for explicitly, still counts per process
(as deploy/README.md says), and several machines need Redis.
"""

from __future__ import annotations

import threading
from pathlib import Path

from deploy_harness import request

LIMIT = 12


def _hammer(port: int, n: int, results: list) -> None:
    for _ in range(n):
        status, _, body = request(port, "GET", "/api/v1/playbook", timeout=20)
        results.append((status, body))


def _run(server, clients: int = 4, each: int = 10) -> list:
    results: list = []
    threads = [threading.Thread(target=_hammer, args=(server.port, each, results)) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == clients * each
    return results


def _pids_served(server) -> set[int]:
    return {r["pid"] for r in server.log_records() if r.get("logger") == "gunicorn.access"}


def test_two_workers_allow_the_documented_limit_not_twice_it(gunicorn):
    server = gunicorn(workers=2, rate_limit=f"{LIMIT} per minute")
    server.wait_workers(2)
    results = _run(server)
    served = _pids_served(server)
    assert len(served) == 2, f"the requests reached {len(served)} worker(s): the test proves nothing"
    statuses = [status for status, _ in results]
    assert statuses.count(200) == LIMIT, statuses
    assert statuses.count(429) == len(results) - LIMIT
    refused = next(body for status, body in results if status == 429)
    assert refused["error"]["code"] == "rate_limited" and f"{LIMIT} per 1 minute" in refused["error"]["message"]
    store = [r["msg"] for r in server.log_records() if "rate-limit store" in r.get("msg", "")]
    assert store and "sqlite" in store[0]
    path = Path(store[0].split("sqlite://", 1)[1].split()[0])
    assert path.exists()
    server.stop()
    assert not path.exists(), "the shared count file outlived the server"


def test_memory_storage_when_asked_for_counts_per_worker_as_documented(gunicorn):
    server = gunicorn(workers=2, rate_limit=f"{LIMIT} per minute", rate_limit_storage="memory://")
    server.wait_workers(2)
    results = _run(server)
    statuses = [status for status, _ in results]
    ok_by_pid = {}
    for r in server.log_records():
        if r.get("logger") == "gunicorn.access" and r["path"] == "/api/v1/playbook" and r["status"] == 200:
            ok_by_pid[r["pid"]] = ok_by_pid.get(r["pid"], 0) + 1
    # each worker counts its own LIMIT: the machine lets through up to workers x LIMIT
    assert all(n <= LIMIT for n in ok_by_pid.values()), ok_by_pid
    if len(ok_by_pid) == 2:
        assert statuses.count(200) > LIMIT, statuses
    readme = (Path(__file__).resolve().parents[2] / "deploy" / "README.md").read_text()
    assert "`memory://` counts per process" in readme
