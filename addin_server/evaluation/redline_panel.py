"""How close the product's redline comes to the one a freelancer's lawyer would send (issue 12's
expected-redline panel): ``python -m addin_server.evaluation.redline_panel`` prints it.

The panel (``tests/eval/expected_redlines/*.toml``, one file per real contract of ../shared/corpus)
was written blind by a helper acting as the creator's lawyer, from the contract alone: for each risk
the fix she would send, as the effect it must have (``must`` / ``must_not``: regular expressions the
paragraph after a good edit matches / does not match), with her reasoning and her own wording
(``send``, illustrative only); the new clauses she would add and where they belong; the paragraphs a
redline must leave alone (``keep``); and, per fix, what would leave the creator worse off
(``harmful``).

The product reviews each contract for the creator (profile "high"), Apply all writes its changes,
and each change (one finding's suggestion: an edit of a paragraph, or new paragraphs after one) is
graded:

``sendable``
    it is where an expected fix is, and the paragraph after it has that fix's effect;
``needs work``
    it is where an expected fix is, without (all of) its effect;
``unwanted``
    it edits a paragraph the lawyer keeps, or changes something she would not touch at all (a new
    clause she does not ask for, an edit where she has none);
``harmful``
    its words match a ``harmful`` pattern of the contract's panel.

The panel's side is counted too: the expected fixes the product makes (in effect), and the keeps it
respects. Only paragraph ids, fix ids and counts are printed, never the contracts' text.
"""

from __future__ import annotations

import re
import sys
from itertools import combinations
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..engine.apply import apply_all, chosen
from ..engine.review import Options, Paragraph, review
from ..playbook import Playbook, default_playbook
from .cuad import CORPUS_DIR, REPO_ROOT, line_paragraphs

PANEL_DIR = REPO_ROOT / "tests" / "eval" / "expected_redlines"
ACTIONS = ("edit", "insert", "keep")
GRADES = ("sendable", "needs work", "unwanted", "harmful")


class PanelError(ValueError):
    """A panel file that cannot be used: the message names the file and the fix."""


@dataclass(frozen=True)
class ExpectedFix:
    id: str
    risk: str
    action: str  # edit | insert | keep
    line: int  # the paragraph (for insert: the one after which the clause belongs)
    quote: str  # words of that line, to check the line is the one the lawyer meant
    must: tuple[re.Pattern, ...]
    must_not: tuple[re.Pattern, ...]
    harmful: tuple[re.Pattern, ...]
    before: int | None  # insert only: the clause lands after ``line`` and before this line

    def has_effect(self, text: str) -> bool:
        return all(p.search(text) for p in self.must) and not any(p.search(text) for p in self.must_not)

    def covers(self, anchor_line: int) -> bool:
        """Whether a clause inserted after ``anchor_line`` is where this insert belongs."""
        return self.line <= anchor_line < (self.before if self.before is not None else self.line + 1)


@dataclass(frozen=True)
class Panel:
    name: str
    contract: Path
    fixes: tuple[ExpectedFix, ...]

    def paragraphs(self) -> list[Paragraph]:
        return list(line_paragraphs(self.contract))


def _patterns(raw: dict, key: str, where: str) -> tuple[re.Pattern, ...]:
    try:
        return tuple(re.compile(p, re.IGNORECASE) for p in raw.get(key, ()))
    except re.error as e:
        raise PanelError(f"{where}: bad {key} pattern: {e}") from None


def load_panel(path: Path, corpus: Path = CORPUS_DIR) -> Panel:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    contract = corpus / data["contract"]
    lines = contract.read_text(encoding="utf-8", errors="replace").splitlines()
    fixes = []
    for raw in data.get("fix", ()):
        where = f"{path.name} fix {raw.get('id')!r}"
        if raw.get("action") not in ACTIONS:
            raise PanelError(f"{where}: action must be one of {ACTIONS}")
        line = raw["line"]
        if not 1 <= line <= len(lines) or raw["quote"] not in lines[line - 1]:
            raise PanelError(f"{where}: its quote is not on line {line}")
        fixes.append(ExpectedFix(raw["id"], raw["risk"], raw["action"], line, raw["quote"],
                                 _patterns(raw, "must", where), _patterns(raw, "must_not", where),
                                 _patterns(raw, "harmful", where), raw.get("before")))
    return Panel(path.stem, contract, tuple(fixes))


def load_panels(folder: Path = PANEL_DIR, corpus: Path = CORPUS_DIR) -> list[Panel]:
    return [load_panel(p, corpus) for p in sorted(folder.glob("*.toml"))]


@dataclass(frozen=True)
class Change:
    """One finding's suggestion as Apply all writes it."""

    rule_id: str
    kind: str  # "edit" | "insert"
    line: int  # the paragraph edited, or the one the new paragraphs follow
    text: str  # the paragraph after the edit, or the inserted paragraphs joined
    grade: str
    fix_id: str | None  # the expected fix it was graded against


@dataclass(frozen=True)
class PanelResult:
    name: str
    changes: tuple[Change, ...]
    made: tuple[str, ...]  # ids of the expected edits and inserts the product made, in effect
    expected: tuple[str, ...]  # ids of every expected edit and insert
    kept: tuple[str, ...]  # ids of the keeps left alone
    keeps: tuple[str, ...]  # ids of every keep

    def count(self, grade: str) -> int:
        return sum(c.grade == grade for c in self.changes)


def _line(pid: str) -> int:
    return int(pid[1:].split("+")[0])


def grade_contract(panel: Panel, playbook: Playbook, options: Options | None = None) -> PanelResult:
    paragraphs = panel.paragraphs()
    findings = review(paragraphs, options or Options(agency_risk="high", party="provider"), playbook)["findings"]
    # the paragraphs Apply all changes, as it leaves them (every edit of a paragraph applied together)
    edited = {f["suggestion"]["paragraph_id"] for f in chosen(findings) if f["suggestion"]["type"] == "edit"}
    after = {p.id: p.text for p in apply_all(paragraphs, findings) if p.id in edited}
    harmful = [p for fx in panel.fixes for p in fx.harmful]
    at_line: dict[int, list[ExpectedFix]] = {}
    for fx in panel.fixes:
        if fx.action != "insert":
            at_line.setdefault(fx.line, []).append(fx)
    inserts = [fx for fx in panel.fixes if fx.action == "insert"]

    # new clauses are judged together where they land: the lawyer's one covenant "with an injunction"
    # may come as the product's ban and its injunction clause side by side. A clause is part of the fix
    # when the fix's effect needs it (without it the others fall short); the rest are not asked for
    added = [(f, _line(f["suggestion"]["insert_after"]), "\n".join(p["text"] for p in f["suggestion"]["paragraphs"]))
             for f in chosen(findings) if f["suggestion"]["type"] == "insert"]
    needed: dict[str, ExpectedFix] = {}  # finding id -> the insert fix it is part of
    for fx in inserts:
        here = [(f, text) for f, line, text in added if fx.covers(line)][:8]
        # the fewest of them that together have the fix's effect (a clause she did not ask for may
        # break it: a damages clause that overrides the cap she would carve out in the cap itself)
        best = next((group for size in range(1, len(here) + 1) for group in combinations(here, size)
                     if fx.has_effect("\n".join(t for _, t in group))), ())
        for f, _ in best:
            needed[f["id"]] = fx

    changes: list[Change] = []
    made: set[str] = {fx.id for fx in needed.values()}
    for f in chosen(findings):
        s = f["suggestion"]
        if s["type"] == "edit":
            line, text, kind = _line(s["paragraph_id"]), after[s["paragraph_id"]], "edit"
            here = at_line.get(line, [])
            keep = next((fx for fx in here if fx.action == "keep"), None)
            wanted = [fx for fx in here if fx.action == "edit"]
            good = [fx for fx in wanted if fx.has_effect(text)]
        else:
            line, kind = _line(s["insert_after"]), "insert"
            text = "\n".join(p["text"] for p in s["paragraphs"])
            keep = None
            wanted = [fx for fx in inserts if fx.covers(line)]
            good = [needed[f["id"]]] if f["id"] in needed else []
        made.update(fx.id for fx in good)
        if not good and wanted and kind == "insert" and any(fx.id in made for fx in wanted):
            wanted = []  # the fix is made by the others; this clause was not asked for
        if any(p.search(text) for p in harmful):
            grade, fix = "harmful", None
        elif keep is not None:
            grade, fix = "unwanted", keep.id
        elif good:
            grade, fix = "sendable", good[0].id
        elif wanted:
            grade, fix = "needs work", wanted[0].id
        else:
            grade, fix = "unwanted", None
        changes.append(Change(f["rule_id"], kind, line, text, grade, fix))
    # an expected edit can take several of the product's changes to the same paragraph: judged on the
    # paragraph they leave together
    for fx in panel.fixes:
        if fx.action == "edit" and f"L{fx.line}" in after and fx.has_effect(after[f"L{fx.line}"]):
            made.add(fx.id)
    expected = tuple(fx.id for fx in panel.fixes if fx.action != "keep")
    keeps = tuple(fx.id for fx in panel.fixes if fx.action == "keep")
    kept = tuple(fx.id for fx in panel.fixes if fx.action == "keep" and f"L{fx.line}" not in after)
    return PanelResult(panel.name, tuple(changes), tuple(sorted(made)), expected, kept, keeps)


@dataclass(frozen=True)
class PanelReport:
    results: tuple[PanelResult, ...]

    @property
    def changes(self) -> int:
        return sum(len(r.changes) for r in self.results)

    def count(self, grade: str) -> int:
        return sum(r.count(grade) for r in self.results)

    def share(self, grade: str) -> float:
        return self.count(grade) / self.changes if self.changes else 0.0

    @property
    def fixes_made(self) -> tuple[int, int]:
        return sum(len(r.made) for r in self.results), sum(len(r.expected) for r in self.results)

    @property
    def keeps_held(self) -> tuple[int, int]:
        return sum(len(r.kept) for r in self.results), sum(len(r.keeps) for r in self.results)


def measure(panels: list[Panel] | None = None, playbook: Playbook | None = None) -> PanelReport:
    playbook = playbook or default_playbook()
    return PanelReport(tuple(grade_contract(p, playbook) for p in (load_panels() if panels is None else panels)))


def report(res: PanelReport) -> str:
    made, expected = res.fixes_made
    held, keeps = res.keeps_held
    lines = [f"Expected-redline panel: {len(res.results)} real contracts, {res.changes} changes by Apply all "
             f"(creator's side, profile high)",
             "  " + ", ".join(f"{g} {res.count(g)} ({100 * res.share(g):.0f} %)" for g in GRADES),
             f"  the lawyer's fixes made in effect: {made}/{expected}; paragraphs she keeps left alone: {held}/{keeps}",
             "",
             "| Contract | Changes | Sendable | Needs work | Unwanted | Harmful | Her fixes made | Keeps held |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in res.results:
        lines.append(f"| {r.name[:44]} | {len(r.changes)} | {r.count('sendable')} | {r.count('needs work')} | "
                     f"{r.count('unwanted')} | {r.count('harmful')} | {len(r.made)}/{len(r.expected)} | "
                     f"{len(r.kept)}/{len(r.keeps)} |")
    lines.append("")
    for r in res.results:
        for c in r.changes:
            if c.grade != "sendable":
                lines.append(f"  {r.name[:40]}: {c.grade:<10} {c.kind:<6} L{c.line:<4} {c.rule_id}"
                             + (f" (against {c.fix_id})" if c.fix_id else ""))
        for fid in sorted(set(r.expected) - set(r.made)):
            lines.append(f"  {r.name[:40]}: not made   {fid}")
    return "\n".join(lines)


def by_rule(res: PanelReport) -> Counter:
    """(rule id, grade) -> changes: which rules' changes a lawyer would not send."""
    return Counter((c.rule_id, c.grade) for r in res.results for c in r.changes)


def main(argv: list[str]) -> int:
    res = measure()
    print(report(res))
    if "--rules" in argv:
        for (rule, grade), n in sorted(by_rule(res).items()):
            print(f"  {rule:<44} {grade:<10} {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
