"""Run the tagger over the corpus through the review's own code path and score it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from ..engine.review import Paragraph, analyse
from ..engine.terms import find_terms
from ..playbook import Playbook, default_playbook
from .cuad import CATEGORY_TO_TYPE, Contract, gold_segments, load_contracts

AI_TYPES = ("ai-training-prohibition", "ai-training-permission")


def tag_segments(texts: list[str], playbook: Playbook) -> list[set[str]]:
    """Clause types of each text, each sent as one paragraph, exactly as ``review()`` computes
    ``clauses[].types`` (``analyse`` over the paragraphs, with the contract's own terms: ``reported``)."""
    paras = [Paragraph(f"p{i}", t) for i, t in enumerate(texts)]
    terms = find_terms([(p.id, p.text) for p in paras])
    return [info.reported for info in analyse(paras, playbook, terms)]


@dataclass
class TypeScore:
    type: str
    category: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    spans: int = 0  # annotations (a span may cover several segments)
    spans_found: int = 0  # annotations with at least one tagged positive segment
    doc_agree: int = 0
    doc_total: int = 0
    doc_fp: list[str] = field(default_factory=list)
    doc_fn: list[str] = field(default_factory=list)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, contract, text)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def span_recall(self) -> float:
        return self.spans_found / self.spans if self.spans else 1.0

    @property
    def agreement(self) -> float:
        return self.doc_agree / self.doc_total if self.doc_total else 1.0


@dataclass
class Report:
    contracts: int
    segments: int
    characters: int
    seconds: float
    scores: dict[str, TypeScore]
    ai_hits: dict[str, list[tuple[str, str]]]  # type -> [(contract, text)] (all false positives)
    method: str = "patterns only"

    @property
    def agreement(self) -> float:
        total = sum(s.doc_total for s in self.scores.values())
        return sum(s.doc_agree for s in self.scores.values()) / total if total else 1.0

    def ai_fp_per_10k(self, t: str | None = None) -> float:
        hits = sum(len(v) for k, v in self.ai_hits.items() if t is None or k == t)
        return hits * 10_000 / self.segments if self.segments else 0.0


def evaluate(contracts: list[Contract] | None = None, playbook: Playbook | None = None,
             keep_errors: bool = False, crossval: bool = True, docs: list | None = None) -> Report:
    """Tag every contract through ``analyse`` and score the tags against the annotations.

    With a clause model in the playbook and ``crossval`` (the default), each contract is tagged by a
    model trained on the other folds' contracts only (:mod:`.train`): the honest estimate of how the
    shipped model does on contracts it has not seen. ``crossval=False`` uses the playbook as given
    (with the shipped model, trained on these very contracts, that number is optimistic).
    ``docs``: the contracts as :func:`.train.documents` gives them, when the caller has them already."""
    contracts = load_contracts() if contracts is None else contracts
    playbook = playbook or default_playbook()
    per_contract = [playbook] * len(contracts)
    method = "patterns only" if playbook.model is None else "patterns and the shipped clause model"
    if playbook.model is not None and crossval:
        from .train import FOLDS, crossval_models, documents, fold_of

        models = crossval_models(docs if docs is not None else documents(contracts, playbook))
        # one playbook per fold, not per contract: each copy builds its keyword scanner anew
        folds = [replace(playbook, model=m) for m in models]
        per_contract = [folds[fold_of(i)] for i in range(len(contracts))]
        method = f"patterns and the clause model, {FOLDS}-fold cross-validation by contract"
    scores = {c: TypeScore(t, c) for c, t in CATEGORY_TO_TYPE.items()}
    ai_hits: dict[str, list[tuple[str, str]]] = {t: [] for t in AI_TYPES}
    n_seg = n_chars = 0
    elapsed = 0.0
    for contract, pb in zip(contracts, per_contract):
        started = time.perf_counter()
        tags = tag_segments([s.text for s in contract.segments], pb)
        elapsed += time.perf_counter() - started
        n_seg += len(tags)
        n_chars += sum(len(s.text) for s in contract.segments)
        for t in AI_TYPES:
            ai_hits[t].extend((contract.name, contract.segments[i].text) for i, tg in enumerate(tags) if t in tg)
        for category, sc in scores.items():
            annotations = contract.spans.get(category, [])
            gold = gold_segments(contract.segments, annotations)
            pred = {i for i, tg in enumerate(tags) if sc.type in tg}
            sc.tp += len(gold & pred)
            sc.fp += len(pred - gold)
            sc.fn += len(gold - pred)
            for parts in annotations:
                sc.spans += 1
                if gold_segments(contract.segments, [parts]) & pred:
                    sc.spans_found += 1
            has, said = contract.labels.get(category, bool(annotations)), bool(pred)
            sc.doc_total += 1
            sc.doc_agree += has == said
            if said and not has:
                sc.doc_fp.append(contract.name)
            elif has and not said:
                sc.doc_fn.append(contract.name)
            if keep_errors:
                sc.errors += [("FP", contract.name, contract.segments[i].text) for i in sorted(pred - gold)]
                sc.errors += [("FN", contract.name, contract.segments[i].text) for i in sorted(gold - pred)]
    return Report(len(contracts), n_seg, n_chars, elapsed, scores, ai_hits, method)
