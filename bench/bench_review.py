"""Server-side review speed: a 1,500-paragraph contract (about 100 pages) and ten times that, and
single long paragraphs (risky sentences, real contract language, boilerplate) up to the 50,000-character
paragraph limit.

Prints numbers; asserts nothing. Run with `make bench`.
"""

from __future__ import annotations

import json
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


#: Real published clauses (../shared/corpus/real-world, read at run time, never copied here): licences
#: and AI terms written by others, for a long paragraph of language nobody here wrote.
REAL_CLAUSES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real-world" / "ai_clauses.jsonl"
RISKY_SENTENCES = [
    "The Designer grants to the Agency a perpetual, irrevocable, worldwide license to use the Work Product in all media now known or hereafter devised for any purpose.",
    "The Agency may use the Work Product for any purpose, including to train or improve machine learning models.",
    "The Agency may modify, adapt and create derivative works of the Work Product without further consent.",
]


def _paragraph_of(sentences: list[str], chars: int) -> str:
    out, n, i = [], 0, 0
    while n < chars:
        out.append(sentences[i % len(sentences)])
        n += len(out[-1]) + 1
        i += 1
    return " ".join(out)[:chars]


def long_paragraphs(chars: int) -> dict[str, str]:
    """One paragraph of ``chars`` characters per kind of text."""
    from bench.contracts import _BOILERPLATE

    kinds = {"risky sentences": _paragraph_of(RISKY_SENTENCES, chars),
             "boilerplate (baseline)": _paragraph_of([b.format(project="the Project") for b in _BOILERPLATE], chars)}
    if REAL_CLAUSES.exists():
        from addin_server.evaluation.realworld import load_clauses

        real = [c.text for c in load_clauses(REAL_CLAUSES.parent)]
        kinds["real clauses (corpus)"] = _paragraph_of([t.replace("\n", " ") for t in real], chars)
    return kinds


def measure_paragraph(text: str, runs: int) -> tuple[float, float, int]:
    playbook = default_playbook()
    doc = [Paragraph("p-1", text)]
    review(doc, Options(), playbook)
    times = []
    for _ in range(runs):
        t = time.process_time()
        result = review(doc, Options(), playbook)
        times.append((time.process_time() - t) * 1000)
    return statistics.median(times), min(times), len(result["findings"])


def main_paragraphs() -> None:
    print("one long paragraph (server-side, one core, CPU ms; target: 50,000 characters under 500 ms)")
    print(f"{'kind':<24} {'characters':>10} {'median ms':>10} {'best ms':>8} {'findings':>9}")
    for chars in (20_000, 50_000):
        for kind, text in long_paragraphs(chars).items():
            med, best, n = measure_paragraph(text, 5)
            print(f"{kind:<24} {chars:>10} {med:>10.1f} {best:>8.1f} {n:>9}")


CUAD_CONTRACTS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "cuad-dev" / "contracts"


def real_contract_paragraphs(n: int) -> list[Paragraph]:
    """``n`` paragraphs of real contract language: the CUAD development contracts (read at run time,
    never copied here), line by line, long lines cut into sentence-sized pieces, in a fixed order."""
    from addin_server.evaluation.cuad import segment_text

    out: list[Paragraph] = []
    for path in sorted(CUAD_CONTRACTS.glob("*.txt")):
        for seg in segment_text(path.read_text(encoding="utf-8", errors="replace")):
            out.append(Paragraph(f"p-{len(out)}", seg.text))
            if len(out) == n:
                return out
    return out


def phases(doc: list[Paragraph], runs: int) -> dict[str, float]:
    """Median CPU ms of each part of the review (review(phases=...)), over ``runs`` reviews."""
    playbook = default_playbook()
    review(doc, Options(), playbook)
    seen: list[dict[str, float]] = []
    for _ in range(runs):
        ph: dict[str, float] = {}
        review(doc, Options(), playbook, phases=ph)
        seen.append(ph)
    return {k: statistics.median(p[k] for p in seen) * 1000 for k in seen[0]}


def breakdown(ph: dict[str, float]) -> str:
    """One line: where the review's time goes (the redline is a part of the rules and compose)."""
    redline = ph["redline"]
    return (f"parties {ph['parties']:.1f}, tagging {ph['tagging']:.1f}, "
            f"rules {ph['rules'] + ph['compose'] - redline:.1f}, redline {redline:.1f} ms")


def main_codec_ratio() -> None:
    """The review of real contract language against decoding its request and encoding its response
    (the least any server must do with it): how many times the codec's cost the review is."""
    if not CUAD_CONTRACTS.exists():
        print("real contract language: ../shared/corpus/cuad-dev is not here; skipped")
        return
    playbook = default_playbook()
    doc = real_contract_paragraphs(1500)
    request = json.dumps({"paragraphs": [{"id": p.id, "text": p.text} for p in doc]})
    result = review(doc, Options(), playbook)
    reviews, codecs = [], []
    for _ in range(9):
        t = time.process_time()
        review(doc, Options(), playbook)
        reviews.append(time.process_time() - t)
        t = time.process_time()
        json.loads(request)
        json.dumps(result, ensure_ascii=False)
        codecs.append(time.process_time() - t)
    med_review, med_codec = statistics.median(reviews) * 1000, statistics.median(codecs) * 1000
    chars = sum(len(p.text) for p in doc)
    print("real contract language (CUAD development contracts), 1,500 paragraphs, "
          f"{chars:,} characters, {len(result['findings'])} findings")
    print(f"  review {med_review:.1f} ms, request decode + response encode {med_codec:.2f} ms: "
          f"review = {med_review / med_codec:.0f}x the codec (issue 11 target: 15x)")
    print(f"  where it goes (CPU ms, median of 9): {breakdown(phases(doc, 9))}; "
          f"15x the codec is {15 * med_codec:.0f} ms, 3x is {3 * med_codec:.0f} ms")


def main_limits() -> None:
    """Requests at the documented size limits, through the app in-process: each costs less than 2 s of
    CPU (the 1.8 s review budget, then a 413), whatever the text; a real-sized contract is reviewed."""

    from addin_server import create_app
    from addin_server.config import Settings

    client = create_app(Settings(rate_limit="off")).test_client()
    cases = {
        "100 x 50,000 risky characters": [_paragraph_of(RISKY_SENTENCES, 50_000)] * 100,
        "20,000 x 250 risky characters": [_paragraph_of(RISKY_SENTENCES, 250)] * 20_000,
        "15,000-paragraph contract": [p.text for p in contract(15_000)],
        "1,500-paragraph contract": [p.text for p in contract(1_500)],
    }
    print("requests at the limits (through the app, in-process; CPU s of the request; target: under 2 s)")
    print(f"{'request':<32} {'body MB':>8} {'status':>7} {'CPU s':>6}")
    for name, texts in cases.items():
        body = json.dumps({"paragraphs": [{"id": f"p-{i}", "text": t} for i, t in enumerate(texts)]})
        started = time.thread_time()
        status = client.post("/api/v1/review", data=body, content_type="application/json").status_code
        print(f"{name:<32} {len(body) / 1e6:>8.1f} {status:>7} {time.thread_time() - started:>6.2f}")


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
    print(f"1,500 paragraphs, where it goes (CPU ms, median of 15): {breakdown(phases(contract(1500), 15))}")
    print()
    main_paragraphs()
    print()
    main_codec_ratio()
    print()
    main_limits()


if __name__ == "__main__":
    main()
