"""Does the score order contracts as a freelancer's lawyer would? (issue 12, item 9)

``score_order.toml`` holds a lawyer's blind scores of real contracts under ``../shared/corpus``. The
review's score is held to three things: the rank correlation (Kendall's tau, pairs the lawyer scored
within :data:`TIE` points of each other left out), the friendly forms (lawyer >= 80) above every risky
one (lawyer <= 40), and the risky ones at 40 or below, where the issue puts agency paper silent on AI.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from ..engine.document import Options
from ..engine.review import review
from ..playbook import Playbook, default_playbook
from .cuad import CORPUS_DIR, line_paragraphs

ORDER_PATH = Path(__file__).with_name("score_order.toml")
TIE = 5  # points: the lawyer has no real preference between contracts this close
FRIENDLY, RISKY = 80, 40


@dataclass(frozen=True)
class Ranked:
    file: str
    lawyer: int
    ours: int
    reason: str


@dataclass(frozen=True)
class OrderResult:
    ranked: tuple[Ranked, ...]

    @property
    def kendall_tau(self) -> float:
        """Concordant minus discordant over the pairs the lawyer does not call a tie."""
        agree = disagree = 0
        for a, b in combinations(self.ranked, 2):
            if abs(a.lawyer - b.lawyer) <= TIE:
                continue
            lawyer, ours = a.lawyer - b.lawyer, a.ours - b.ours
            if lawyer * ours > 0:
                agree += 1
            elif lawyer * ours < 0:
                disagree += 1
            else:
                disagree += 0.5  # a tie we make where the lawyer sees a difference: half wrong
        pairs = agree + disagree
        return (agree - disagree) / pairs if pairs else 1.0

    @property
    def friendly(self) -> tuple[Ranked, ...]:
        return tuple(r for r in self.ranked if r.lawyer >= FRIENDLY)

    @property
    def risky(self) -> tuple[Ranked, ...]:
        return tuple(r for r in self.ranked if r.lawyer <= RISKY)

    @property
    def friendly_above_risky(self) -> bool:
        return all(f.ours > r.ours for f in self.friendly for r in self.risky)

    @property
    def risky_at_most_40(self) -> bool:
        return all(r.ours <= RISKY for r in self.risky)


def load_order(path: Path = ORDER_PATH, corpus: Path = CORPUS_DIR) -> list[tuple[Path, int, str]]:
    """(contract path, lawyer's score, reason) of each entry; a missing contract is an error."""
    out = []
    for entry in tomllib.loads(path.read_text(encoding="utf-8"))["contract"]:
        file = corpus / entry["file"]
        if not file.is_file():
            raise FileNotFoundError(f"{path.name}: {entry['file']} is not under {corpus}")
        out.append((file, int(entry["lawyer"]), entry["reason"]))
    return out


def measure(playbook: Playbook | None = None, path: Path = ORDER_PATH, corpus: Path = CORPUS_DIR) -> OrderResult:
    """Review each contract (one paragraph per line, the default profile and side) and pair its score
    with the lawyer's."""
    playbook = playbook or default_playbook()
    ranked = []
    for file, lawyer, reason in load_order(path, corpus):
        ours = review(list(line_paragraphs(file)), Options(), playbook)["score"]["value"]
        ranked.append(Ranked(file.name, lawyer, ours, reason))
    return OrderResult(tuple(ranked))


def table(res: OrderResult) -> str:
    lines = ["| Contract | Lawyer | Score |", "|---|---:|---:|"]
    for r in sorted(res.ranked, key=lambda r: -r.lawyer):
        lines.append(f"| {r.file.removesuffix('.txt')} | {r.lawyer} | {r.ours} |")
    lines += ["", f"Kendall's tau against the lawyer (ties within {TIE} points left out): {res.kendall_tau:.2f}; "
              f"friendly forms above every risky one: {'yes' if res.friendly_above_risky else 'NO'}; "
              f"risky ones at {RISKY} or below: {'yes' if res.risky_at_most_40 else 'NO'}."]
    return "\n".join(lines)
