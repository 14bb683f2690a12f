"""How often the review gets the parties and the work's name right on real contracts.

``python -m addin_server.evaluation.parties`` prints the figure and each miss. The judgement of what
is right lives in ``tests/engine/data/parties_gold.toml`` (judged by hand from each contract; file
names only). What is measured is what the review reports (``parties``, ``parties_detected``,
``work_term`` of ``review()``), so the figure is the one a user sees. The same function holds the
ratchet in ``tests/engine/test_terms_measured.py``.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..engine.review import Options, Paragraph, review
from ..playbook import Playbook, default_playbook
from .cuad import CORPUS_DIR

GOLD = Path(__file__).resolve().parents[2] / "tests" / "engine" / "data" / "parties_gold.toml"


@dataclass(frozen=True)
class GoldCase:
    file: str  # relative to ../shared/corpus
    provider: tuple[str, ...]  # any one is right; () = no side is named
    client: tuple[str, ...]
    mutual: bool  # neither side is the creator: the two names are right in either order
    work: tuple[str, ...]  # "" = the contract defines no name for the work


@dataclass(frozen=True)
class Reading:
    provider: str | None
    client: str | None
    work: str | None


@dataclass(frozen=True)
class Verdict:
    case: GoldCase
    read: Reading
    parties_right: bool
    work_right: bool


@dataclass(frozen=True)
class PartiesResult:
    verdicts: tuple[Verdict, ...]

    @property
    def parties(self) -> tuple[int, int]:
        return sum(v.parties_right for v in self.verdicts), len(self.verdicts)

    @property
    def work(self) -> tuple[int, int]:
        return sum(v.work_right for v in self.verdicts), len(self.verdicts)


def load_gold(path: Path = GOLD) -> list[GoldCase]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [GoldCase(c["file"], tuple(c["provider"]), tuple(c["client"]), bool(c.get("mutual", False)),
                     tuple(c["work"])) for c in data["case"]]


def paragraphs_of(text: str) -> list[Paragraph]:
    return [Paragraph(f"p{i}", line) for i, line in enumerate(l for l in text.splitlines() if l.strip())]


def read_contract(paragraphs: list[Paragraph], playbook: Playbook) -> Reading:
    body = review(paragraphs, Options(), playbook)
    found = body["parties_detected"]
    return Reading(body["parties"]["provider"] if found["provider"] else None,
                   body["parties"]["client"] if found["client"] else None,
                   body["work_term"])


def _same(name: str | None, accepted: tuple[str, ...]) -> bool:
    return name is not None and name.casefold() in {a.casefold() for a in accepted}


def judge(case: GoldCase, read: Reading) -> Verdict:
    if not case.provider and not case.client:
        parties = read.provider is None and read.client is None
    else:
        parties = _same(read.provider, case.provider) and _same(read.client, case.client)
        if case.mutual and not parties:
            parties = _same(read.provider, case.client) and _same(read.client, case.provider)
    work = (read.work or "").casefold() in {w.casefold() for w in case.work}
    return Verdict(case, read, parties, work)


def measure(playbook: Playbook | None = None, gold: Path = GOLD, corpus: Path = CORPUS_DIR) -> PartiesResult:
    """Read every judged contract and compare with the judgement: the one function the figure in
    docs/accuracy.md and its test come from."""
    playbook = playbook or default_playbook()
    verdicts = []
    for case in load_gold(gold):
        text = (corpus / case.file).read_text(encoding="utf-8", errors="replace")
        verdicts.append(judge(case, read_contract(paragraphs_of(text), playbook)))
    return PartiesResult(tuple(verdicts))


def report(res: PartiesResult) -> str:
    p, n = res.parties
    w, _ = res.work
    lines = [f"parties right: {p}/{n} ({100 * p / n:.0f} %)", f"work term right: {w}/{n} ({100 * w / n:.0f} %)", ""]
    for v in res.verdicts:
        if v.parties_right and v.work_right:
            continue
        what = []
        if not v.parties_right:
            what.append(f"parties {v.read.provider!r} / {v.read.client!r}, judged {'/'.join(v.case.provider) or '-'}"
                        f" / {'/'.join(v.case.client) or '-'}{' (mutual)' if v.case.mutual else ''}")
        if not v.work_right:
            what.append(f"work {v.read.work!r}, judged {' or '.join(repr(w) for w in v.case.work)}")
        lines.append(f"  {Path(v.case.file).name[:60]}: " + "; ".join(what))
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    if not CORPUS_DIR.exists():
        sys.exit(f"no corpus at {CORPUS_DIR}")
    print(report(measure()))
