"""A small learned second opinion on some clause types, trained offline on the CUAD development set.

The playbook's patterns decide first. For each modelled clause type the model then reads the
sentences where the type is plausible (its keywords occur, a pattern tagged it, or a pattern tagged
a neighbouring sentence) and scores them with a sparse logistic regression over the sentence's words
and word pairs, the clause types the patterns found in it, and those found in the sentences just
before and after it. A pattern's tag stands unless the model is confident it is wrong (score below
``lo``) and the sentence has no operative words of grant ("hereby grants", "are hereby licensed");
a sentence no pattern tagged gains the type only when the model is more sure than not
(score at or above ``hi``).

Only inference lives here: pure Python, a dictionary lookup per feature, no third-party library.
Training (scikit-learn, an optional dependency) is in :mod:`addin_server.evaluation.train`, which
also measures the model honestly by contract-level cross-validation. The weights ship with the
package in ``clause_model.json``; nothing is fetched at run time.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

FEATURE_VERSION = 2
# The clause types whose pattern tags are features: those that say what a grant of rights is, which is
# what CUAD annotates. The freelancer's protections (a purpose limit, retained rights, remedies, the AI
# clauses) are outside CUAD's categories, so to a model trained on it their tags are only noise, and
# widening their patterns must not move it (version 1 read every type).
CONTEXT_TYPES = frozenset({
    "license-grant", "perpetual-or-irrevocable", "all-media", "any-purpose", "sublicensable-or-transferable",
    "work-made-for-hire", "ip-assignment", "derivative-works", "liquidated-damages", "audit-rights",
    "confidentiality",
})
MODEL_PATH = Path(__file__).with_name("clause_model.json")

_TOKEN = re.compile(r"[a-z]+|[0-9]+")
# Operative words ("hereby grants", "are hereby licensed", "hereby irrevocably assigns"): the contract
# itself says the sentence grants or transfers rights, and no statistical doubt outweighs that. The
# model may add tags around such a sentence but never withdraws a pattern's tag from it.
_OPERATIVE = re.compile(
    r"\bhereby\s+(?:\w+\s+){0,3}?(?:grant(?:s|ed)?|licen[cs](?:e|es|ed)|sub-?licen[cs](?:e|es|ed)|"
    r"assign(?:s|ed)?|convey(?:s|ed)?|transfer(?:s|red)?)\b", re.IGNORECASE)


def tokens(text: str) -> list[str]:
    """Lower-case words; every number reads as ``0`` (amounts and section numbers carry no meaning)."""
    return ["0" if w[0].isdigit() else w for w in _TOKEN.findall(text.lower())]


def features(text: str, tags: AbstractSet[str], before: AbstractSet[str] | None, after: AbstractSet[str] | None) -> set[str]:
    """The features of one sentence: words, adjacent word pairs, a length bucket, and the clause types
    the patterns found in it (``T:``), in the sentence before (``P:``) and in the one after (``N:``),
    of the types in :data:`CONTEXT_TYPES`.
    ``before`` / ``after`` are None at the start / end of the document."""
    words = tokens(text)
    out = set(words)
    out.update(f"{a}_{b}" for a, b in pairwise(words))
    out.add(f"len{min(len(words) // 10, 8)}")
    out.update("T:" + t for t in tags if t in CONTEXT_TYPES)
    if before is not None:
        out.update("P:" + t for t in before if t in CONTEXT_TYPES)
    if after is not None:
        out.update("N:" + t for t in after if t in CONTEXT_TYPES)
    return out


def candidates(t: str, tags: Sequence[AbstractSet[str]], maybe: Sequence[AbstractSet[str]]) -> list[int]:
    """The sentences the model scores for type ``t``: a keyword of the type occurs in it, or a
    pattern tagged it or the sentence just before or after it. Training uses the same list."""
    n = len(tags)
    hit = [t in x for x in tags]
    return [i for i in range(n)
            if hit[i] or t in maybe[i] or (i > 0 and hit[i - 1]) or (i + 1 < n and hit[i + 1])]


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


@dataclass(frozen=True)
class TypeModel:
    type: str
    bias: float
    weights: dict[str, float]
    lo: float  # probability below which a pattern's tag is withdrawn
    hi: float  # probability from which an untagged sentence gains the type

    @property
    def lo_logit(self) -> float:
        return _logit(self.lo)

    @property
    def hi_logit(self) -> float:
        return _logit(self.hi)

    def score(self, feats: AbstractSet[str]) -> float:
        """The log-odds that a sentence with these features is a clause of this type."""
        w = self.weights
        return self.bias + sum(w[f] for f in feats if f in w)

    def probability(self, feats: AbstractSet[str]) -> float:
        return 1.0 / (1.0 + math.exp(-self.score(feats)))


@dataclass(frozen=True)
class ClauseModel:
    types: dict[str, TypeModel]
    meta: dict = field(default_factory=dict)

    def refine(self, texts: Sequence[str], tags: Sequence[AbstractSet[str]],
               maybe: Sequence[AbstractSet[str]]) -> list[set[str]]:
        """The clause types of each sentence once the model has had its say.

        ``texts``, ``tags`` (types the patterns found) and ``maybe`` (types whose keywords occur) are
        per sentence, in document order. Features always use the patterns' tags, never the refined
        ones, exactly as in training."""
        n = len(texts)
        out = [set(t) for t in tags]
        cache: dict[int, set[str]] = {}
        for t, m in self.types.items():
            lo, hi = m.lo_logit, m.hi_logit
            for i in candidates(t, tags, maybe):
                tagged = t in tags[i]
                feats = cache.get(i)
                if feats is None:
                    feats = cache[i] = features(texts[i], tags[i], tags[i - 1] if i else None,
                                                tags[i + 1] if i + 1 < n else None)
                z = m.score(feats)
                if tagged and z < lo and not _OPERATIVE.search(texts[i]):
                    out[i].discard(t)
                elif not tagged and z >= hi:
                    out[i].add(t)
        return out

    def to_dict(self) -> dict:
        return {
            "meta": {**self.meta, "feature_version": FEATURE_VERSION},
            "types": {t: {"bias": m.bias, "lo": m.lo, "hi": m.hi,
                          "weights": dict(sorted(m.weights.items()))} for t, m in self.types.items()},
        }

    @classmethod
    def from_dict(cls, data: dict, source: str = "clause model") -> ClauseModel:
        from . import PlaybookError  # the playbook's own error: a broken model file stops start-up

        try:
            version = data["meta"]["feature_version"]
            if version != FEATURE_VERSION:
                raise PlaybookError(f"{source}: feature_version {version}, this code reads {FEATURE_VERSION}; retrain it")
            types = {}
            for t, d in data["types"].items():
                lo, hi = float(d["lo"]), float(d["hi"])
                if not 0.0 < lo <= hi < 1.0:
                    raise PlaybookError(f"{source}: {t}: thresholds need 0 < lo <= hi < 1, got {lo}, {hi}")
                types[t] = TypeModel(t, float(d["bias"]), {str(k): float(v) for k, v in d["weights"].items()}, lo, hi)
        except PlaybookError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise PlaybookError(f"{source}: malformed clause model ({type(exc).__name__}: {exc})") from None
        return cls(types, dict(data["meta"]))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ClauseModel:
        from . import PlaybookError

        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PlaybookError(f"{path}: cannot read the clause model ({exc})") from None
        return cls.from_dict(data, str(path))
