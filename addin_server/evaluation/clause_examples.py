"""Our own examples of the freelance clause types, in the words real contracts use.

CUAD measures five types on corporate contracts; the review lives on freelance agreements written in
many styles (US and English drafting, publishing, photography, voice work). Each example is one
paragraph; ``expect = true`` means the review must recognise the clause type in it, ``false`` that it
must not (hard negatives: a waiver that is "irrevocable", title to printed copies, a ban on
modification). Recognition is judged on what the findings work from (``ParaInfo.types``): a clause
the review fails to see there is a clause it would call missing. The examples live beside each
type's patterns, in ``playbook/clauses/<id>.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.review import Paragraph, analyse
from ..engine.terms import find_terms
from ..playbook import Playbook, default_playbook

@dataclass(frozen=True)
class ClauseExample:
    type: str
    expect: bool
    text: str
    style: str


@dataclass
class ClauseResult:
    total: int = 0
    correct: int = 0
    by_type: dict[str, list[int]] = field(default_factory=dict)  # type -> [correct, total]
    failures: list[tuple[ClauseExample, set[str]]] = field(default_factory=list)


def load_examples(playbook: Playbook | None = None) -> list[ClauseExample]:
    """Every clause type's own examples (``[[example]]`` in its file, ``playbook/clauses/<id>.toml``)."""
    playbook = playbook or default_playbook()
    return [ClauseExample(ct.id, e.expect, e.text, e.style)
            for ct in playbook.clause_types.values() for e in ct.examples]


def evaluate_clause_examples(playbook: Playbook | None = None,
                             examples: list[ClauseExample] | None = None) -> ClauseResult:
    playbook = playbook or default_playbook()
    examples = load_examples(playbook=playbook) if examples is None else examples
    res = ClauseResult()
    for ex in examples:  # each example is a document of its own
        paras = [Paragraph("p1", ex.text)]
        got = analyse(paras, playbook, find_terms([("p1", ex.text)]))[0].types
        ok = (ex.type in got) == ex.expect
        res.total += 1
        res.correct += ok
        tally = res.by_type.setdefault(ex.type, [0, 0])
        tally[0] += ok
        tally[1] += 1
        if not ok:
            res.failures.append((ex, got))
    return res
