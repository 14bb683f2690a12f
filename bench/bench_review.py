"""Server-side review speed: a 1,500-paragraph contract (about 100 pages) and ten times that.

Prints numbers; asserts nothing. Run with `make bench`.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from addin_server.engine.review import Options, Paragraph, review  # noqa: E402
from addin_server.playbook import default_playbook  # noqa: E402
from bench.contracts import contract as synthetic  # noqa: E402

def contract(n: int) -> list[Paragraph]:
    """The shipped sample agreement, then varied boilerplate with a few risky clauses (bench/contracts.py)."""
    return [Paragraph(p["id"], p["text"]) for p in synthetic(n)]


def measure(n: int, runs: int) -> tuple[float, float, int]:
    playbook = default_playbook()
    doc = contract(n)
    review(doc, Options(), playbook)  # warm caches (compiled patterns)
    times = []
    for _ in range(runs):
        t = time.process_time()  # CPU time of this process: one core, whatever else the machine runs
        review(doc, Options(), playbook)
        times.append((time.process_time() - t) * 1000)
    tracemalloc.start()
    review(doc, Options(), playbook)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), min(times), peak


def main() -> None:
    print("review benchmark (server-side, one core, no HTTP)")
    print(f"{'paragraphs':>10} {'characters':>11} {'median ms':>10} {'best ms':>8} {'peak MiB':>9}   (CPU ms)")
    results = {}
    for n, runs in ((1500, 15), (15000, 3)):
        med, best, peak = measure(n, runs)
        chars = sum(len(p.text) for p in contract(n))
        results[n] = med
        print(f"{n:>10} {chars:>11} {med:>10.1f} {best:>8.1f} {peak / 2**20:>9.1f}")
    print(f"scaling 15,000 / 1,500 paragraphs: {results[15000] / results[1500]:.1f}x time for 10x paragraphs")
    print("budget: under 100 ms for 1,500 paragraphs")


if __name__ == "__main__":
    main()
