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

SAMPLE = Path(__file__).resolve().parents[1] / "addin_server" / "samples" / "agency-design-agreement.txt"
FILLER = [
    "The Agency shall pay each invoice within thirty (30) days of receipt, and late amounts bear interest at one percent per month.",
    "Each party shall comply with all applicable laws and regulations in performing its obligations under this Agreement.",
    "Any notice under this Agreement must be in writing and delivered by hand, by courier or by email to the addresses set out above.",
    "The Designer shall perform the Services in a professional manner consistent with industry standards.",
    "Neither party is liable for any failure or delay caused by events beyond its reasonable control.",
    "This Agreement may be amended only by a written instrument signed by both parties.",
]


def contract(n: int) -> list[Paragraph]:
    base = [l for l in SAMPLE.read_text().split("\n") if l.strip()]
    out = list(base)
    i = 0
    while len(out) < n:
        out.append(f"{10 + i // 6}.{i % 6 + 1} " + FILLER[i % len(FILLER)])
        i += 1
    return [Paragraph(f"p-{k}", t) for k, t in enumerate(out[:n])]


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
