"""``python -m addin_server.evaluation``: print the accuracy tables (``--errors TYPE`` lists errors).

After the CUAD and own-example tables, the real-world development batch (:mod:`.realworld`) with
issue 11's floors; ``--real-world`` prints that part alone (a second, no CUAD run)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import replace

from ..playbook import default_playbook
from .ai import evaluate_examples
from .clause_examples import evaluate_clause_examples
from .floors import FLOORS
from .order import measure as measure_order
from .order import table as order_table
from .redline_panel import measure as measure_panel
from .redline_panel import report as panel_report
from .realworld import error_lines as real_world_errors
from .realworld import evaluate_real_world
from .realworld import table as real_world_table
from .run import AI_TYPES, evaluate


def table(report, ai, clauses=None) -> str:
    f = FLOORS
    lines = [
        f"TermScore clause tagging, CUAD v1 development set ({report.contracts} contracts, "
        f"{report.segments:,} segments), {dt.date.today().isoformat()}",
        f"Tagged by: {report.method}.",
        "",
        "| Clause type | CUAD category | Precision | Recall | F1 | Span recall | Contract agreement |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for s in report.scores.values():
        def mark(v, floor):
            return f"{v:.3f}" + ("" if v >= floor else " (below floor)")
        lines.append(
            f"| `{s.type}` | {s.category} | {mark(s.precision, f['precision'])} | {s.recall:.3f} "
            f"| {s.f1:.3f} | {mark(s.span_recall, f['span_recall'])} | {mark(s.agreement, f['agreement'])} |")
    lines.append(f"| all five | | | | | | {report.agreement:.3f} |")
    lines += [
        "",
        "| AI clauses | Result |",
        "|---|---:|",
    ]
    for t in AI_TYPES:
        lines.append(f"| `{t}` false positives on CUAD | {len(report.ai_hits[t])} in {report.segments:,} segments "
                     f"({report.ai_fp_per_10k(t):.2f} per 10,000) |")
    lines.append(f"| own examples correct | {ai.correct} / {ai.total} "
                 f"({ai.positives} positives, {ai.negatives} negatives and hard negatives) |")
    if clauses is not None:
        per_type = sum(1 for c, t in clauses.by_type.values() if c == t)
        lines += [
            "",
            "| Freelance clause examples | Result |",
            "|---|---:|",
            f"| recognised correctly (positives and look-alikes) | {clauses.correct} / {clauses.total} "
            f"({per_type} of {len(clauses.by_type)} clause types all right) |",
        ]
    lines += [
        "",
        f"Floors (issue 11): segment precision >= {f['precision']:.2f}, span recall >= {f['span_recall']:.2f}, "
        f"contract agreement >= {f['agreement']:.2f} per type (segment recall is held as a ratchet), "
        f"AI false positives < {f['ai_fp_per_10k']:g} per 10,000 segments, all AI examples correct.",
        f"Tagging time: {report.seconds:.1f} s for {report.characters / 1e6:.1f} M characters.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m addin_server.evaluation")
    ap.add_argument("--errors", metavar="TYPE", help="list the segment errors of one clause type")
    ap.add_argument("--contracts", action="store_true", help="list contract-level disagreements")
    how = ap.add_mutually_exclusive_group()
    how.add_argument("--patterns-only", action="store_true", help="leave the clause model out")
    how.add_argument("--shipped", action="store_true",
                     help="use the shipped model as is (trained on these contracts: optimistic)")
    ap.add_argument("--real-world", action="store_true",
                    help="only the real-world development batch (../shared/corpus/real-world)")
    args = ap.parse_args(argv)
    playbook = default_playbook()
    if args.patterns_only:
        playbook = replace(playbook, model=None)
    if args.real_world:
        print_real_world(playbook)
        return 0
    report = evaluate(playbook=playbook, keep_errors=bool(args.errors), crossval=not args.shipped)
    ai = evaluate_examples()
    clauses = evaluate_clause_examples()
    print(table(report, ai, clauses))
    for ex, got in clauses.failures:
        print(f"  clause example wrong [{ex.type} expected {ex.expect}; got {sorted(got) or 'none'}] {ex.text}")
    if ai.failures:
        print("\nAI examples wrong:")
        for ex, got in ai.failures:
            print(f"  [{ex.expect or 'none'} / got {sorted(got) or 'none'}] {ex.text}")
    for t, hits in report.ai_hits.items():
        for name, text in hits:
            print(f"\nAI false positive ({t}) in {name}: {text[:300]}")
    if args.errors:
        for s in report.scores.values():
            if s.type == args.errors:
                for kind, name, text in s.errors:
                    print(f"\n{kind} {name[:40]}: {' '.join(text.split())[:400]}")
    if args.contracts:
        for s in report.scores.values():
            for n in s.doc_fp:
                print(f"contract FP {s.type}: {n}")
            for n in s.doc_fn:
                print(f"contract FN {s.type}: {n}")
    print()
    print_real_world(playbook)
    print("\nThe score against a freelancer's lawyer (addin_server/evaluation/score_order.toml)\n")
    print(order_table(measure_order(playbook)))
    print("\nThe redline against a freelancer's lawyer's (tests/eval/expected_redlines, evaluation/redline_panel.py)\n")
    print(panel_report(measure_panel(playbook=playbook)))
    return 0


def print_real_world(playbook) -> None:
    res = evaluate_real_world(playbook)
    print(real_world_table(res))
    lines = real_world_errors(res)
    if lines:
        print("\nReal-world errors (ids of ../shared/corpus/real-world/ai_clauses.jsonl, lines of contracts/):")
        print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
