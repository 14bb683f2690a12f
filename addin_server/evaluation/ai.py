"""Our own AI-clause examples: positives in many styles, and hard negatives."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..playbook import Playbook, default_playbook
from .run import AI_TYPES, tag_segments

EXAMPLES = Path(__file__).with_name("ai_examples.toml")


@dataclass(frozen=True)
class AIExample:
    text: str
    expect: str | None  # an AI type, or None for "neither"
    style: str


@dataclass
class AIResult:
    total: int = 0
    correct: int = 0
    positives: int = 0
    negatives: int = 0
    failures: list[tuple[AIExample, set[str]]] = field(default_factory=list)


def load_examples(path: Path = EXAMPLES) -> list[AIExample]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)["example"]
    out = []
    for e in raw:
        expect = None if e["expect"] == "none" else e["expect"]
        if expect is not None and expect not in AI_TYPES:
            raise ValueError(f"{path.name}: unknown expect {e['expect']!r}")
        out.append(AIExample(e["text"], expect, e.get("style", "")))
    return out


def evaluate_examples(playbook: Playbook | None = None, examples: list[AIExample] | None = None) -> AIResult:
    playbook = playbook or default_playbook()
    examples = load_examples() if examples is None else examples
    res = AIResult()
    # each example is a document of its own: its parties must not leak into the others
    for ex in examples:
        got = tag_segments([ex.text], playbook)[0] & set(AI_TYPES)
        want = {ex.expect} if ex.expect else set()
        res.total += 1
        res.positives += ex.expect is not None
        res.negatives += ex.expect is None
        if got == want:
            res.correct += 1
        else:
            res.failures.append((ex, got))
    return res
