"""Load test on loopback: gunicorn with the shipped config, a mix of small and 1,500-paragraph reviews.

    python bench/load.py                       # 20 s, 90 % 40-paragraph / 10 % 1,500-paragraph
    python bench/load.py --mix 40:1 --duration 15   # the 40-paragraph throughput target alone
    python bench/load.py --url http://127.0.0.1:8000  # against a server already running

Prints throughput, p50/p99 latency and errors per kind and overall; exits 1 on any error.

The client is a few threads of ``http.client``, one connection per request (as gunicorn's sync
workers serve them), bodies encoded once up front. Not locust: on a 2-core machine shared with the
server, locust's own CPU cost (gevent, stats) would be charged to the server's numbers; a review costs
milliseconds of server CPU and this client microseconds, so the measurement is the server's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.contracts import review_body  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def start_gunicorn(workers: int | None, log_path: Path) -> tuple[subprocess.Popen, int, object]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TERMSCORE_")}
    env.update({"TERMSCORE_BIND": f"127.0.0.1:{port}",
                # The limiter stays on, so its cost is measured; one client would otherwise hit it.
                "TERMSCORE_RATE_LIMIT": "10000000 per minute",
                "TERMSCORE_ACCESS_LOG": os.environ.get("TERMSCORE_ACCESS_LOG", "1")})
    if workers:
        env["TERMSCORE_WORKERS"] = str(workers)
    log = open(log_path, "wb")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited: see {log_path}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                conn.close()
                time.sleep(1.0)  # let every worker boot
                return proc, port, log
        except OSError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not become ready")


def server_cpu_seconds(master: int | None) -> float | None:
    """utime + stime of gunicorn's master and workers, from /proc (Linux), in seconds."""
    if master is None:
        return None
    tick = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        total = 0
        for pid in [str(master), *children]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / tick
    except (OSError, IndexError, ValueError):
        return None


def run(host: str, port: int, mix: list[tuple[int, float]], duration: float, concurrency: int,
        warmup: float, master: int | None = None) -> dict:
    bodies = {n: json.dumps(review_body(n, seed=n)).encode() for n, _ in mix}
    sizes, weights = zip(*mix)
    results: list[tuple[int, float, object]] = []
    lock = threading.Lock()
    start_at = time.monotonic() + warmup
    stop_at = start_at + duration

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        local = []
        while True:
            now = time.monotonic()
            if now >= stop_at:
                break
            n = rng.choices(sizes, weights)[0]
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=60)
                conn.request("POST", "/api/v1/review", body=bodies[n], headers={"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                outcome: object = resp.status
                conn.close()
            except (OSError, http.client.HTTPException) as exc:
                outcome = type(exc).__name__
            elapsed = time.perf_counter() - t0
            if now >= start_at:
                local.append((n, elapsed, outcome))
        with lock:
            results.extend(local)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    time.sleep(max(0.0, start_at - time.monotonic()))
    cpu_start = server_cpu_seconds(master)
    time.sleep(max(0.0, stop_at - time.monotonic()))
    cpu_end = server_cpu_seconds(master)
    for t in threads:
        t.join()

    report: dict = {"duration_s": duration, "concurrency": concurrency, "kinds": {}}
    for n in sizes:
        mine = [r for r in results if r[0] == n]
        ok = [r[1] for r in mine if r[2] == 200]
        report["kinds"][n] = {
            "requests": len(mine), "errors": len(mine) - len(ok),
            "per_s": round(len(ok) / duration, 1),
            "p50_ms": round(percentile(ok, 0.50) * 1000, 1), "p99_ms": round(percentile(ok, 0.99) * 1000, 1),
        }
    ok_all = [r[1] for r in results if r[2] == 200]
    report["total"] = {"requests": len(results), "errors": len(results) - len(ok_all),
                       "per_s": round(len(ok_all) / duration, 1),
                       "p50_ms": round(percentile(ok_all, 0.50) * 1000, 1),
                       "p99_ms": round(percentile(ok_all, 0.99) * 1000, 1)}
    report["error_kinds"] = sorted({str(r[2]) for r in results if r[2] != 200})
    if cpu_start is not None and cpu_end is not None and ok_all:
        # The server's own CPU per review: what the machine's other load cannot distort much, and
        # what the throughput on dedicated cores would be (cores / CPU per review).
        per = (cpu_end - cpu_start) / len(ok_all)
        report["server_cpu_ms_per_review"] = round(per * 1000, 2)
        report["capacity_per_s_on_2_dedicated_cores"] = round(2 / per, 1) if per else None
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="an already running server; default: start gunicorn with deploy/gunicorn.conf.py")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured (default 20)")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=6, help="client threads (default 6)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the config's, CPUs + 1)")
    parser.add_argument("--mix", default="40:0.9,1500:0.1", help="paragraphs:weight,... (default 40:0.9,1500:0.1)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    mix = [(int(n), float(w)) for n, w in (part.split(":") for part in args.mix.split(","))]

    proc = log = None
    if args.url:
        parts = urlsplit(args.url)
        host, port = parts.hostname, parts.port or 80
    else:
        log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"termscore-load-{os.getpid()}.log"
        proc, port, log = start_gunicorn(args.workers, log_path)
        host = "127.0.0.1"
    try:
        report = run(host, port, mix, args.duration, args.concurrency, args.warmup,
                     proc.pid if proc is not None else None)
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
            log.close()
    report["cpus"] = os.cpu_count()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{args.duration:g} s, {args.concurrency} clients, {report['cpus']} CPUs, mix {args.mix}")
        for n, k in report["kinds"].items():
            print(f"  {n:>6} paragraphs: {k['requests']:>6} requests  {k['per_s']:>7} reviews/s  "
                  f"p50 {k['p50_ms']:>7} ms  p99 {k['p99_ms']:>7} ms  errors {k['errors']}")
        t = report["total"]
        print(f"  {'all':>6}           : {t['requests']:>6} requests  {t['per_s']:>7} reviews/s  "
              f"p50 {t['p50_ms']:>7} ms  p99 {t['p99_ms']:>7} ms  errors {t['errors']} {report['error_kinds'] or ''}")
        if "server_cpu_ms_per_review" in report:
            print(f"  server CPU {report['server_cpu_ms_per_review']} ms per review -> "
                  f"{report['capacity_per_s_on_2_dedicated_cores']} reviews/s on 2 dedicated cores")
    return 1 if report["total"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
