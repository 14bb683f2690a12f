"""Train the playbook's clause model on the CUAD development set, and cross-validate it.

    python -m addin_server.evaluation.train        # writes addin_server/playbook/clause_model.json

Training needs scikit-learn (``pip install -e '.[train]'``, part of ``.[test]``); the review itself
never imports it. Every setting is fixed here, not searched per run:

- one L1-regularised logistic regression per modelled type (``C = 2``), so most weights are exactly
  zero and the shipped model is a few hundred readable features;
- trained on the sentences where the type is plausible (the same candidates ``ClauseModel.refine``
  scores), labelled by the lawyers' annotations under the evaluation's matching rule;
- features computed from the patterns' own tags (``addin_server.playbook.model.features``);
- thresholds ``lo = 0.05`` (withdraw a pattern's tag) and ``hi = 0.5`` (add an untagged one).

The modelled types are those where cross-validation showed the model improving precision, recall
and contract agreement together; for perpetual-or-irrevocable and liquidated-damages the patterns
alone measured better, so the model leaves them alone.

Cross-validation splits by contract (never sentences of one contract on both sides): contract ``i``
of the name-sorted list is in fold ``i % 5``, and its sentences are tagged by a model trained on the
other four folds. That is what ``make eval`` reports.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from datetime import date

from ..engine.review import Paragraph, analyse
from ..engine.terms import find_terms
from ..playbook import Playbook, load_playbook
from ..playbook.model import MODEL_PATH, ClauseModel, TypeModel, candidates, features
from .cuad import CATEGORY_TO_TYPE, Contract, gold_segments, load_contracts

MODELLED = ("license-grant", "ip-assignment", "audit-rights")
C = 2.0
LO, HI = 0.05, 0.5
FOLDS = 5
_CATEGORY = {t: c for c, t in CATEGORY_TO_TYPE.items()}


@dataclass
class Doc:
    """One contract as the model sees it: its sentences in order, with what the patterns found."""

    name: str
    texts: list[str]
    tags: list[set[str]]
    maybe: list[frozenset[str]]
    gold: dict[str, set[int]]  # clause type -> indices of the sentences the lawyers marked


def documents(contracts: list[Contract], playbook: Playbook) -> list[Doc]:
    """Each contract's sentences, tagged by the patterns alone, through ``analyse`` as in a review
    (every CUAD segment is sent as one paragraph)."""
    rules_only = replace(playbook, model=None)
    docs = []
    for c in contracts:
        paras = [Paragraph(f"p{i}", s.text) for i, s in enumerate(c.segments)]
        infos = analyse(paras, rules_only, find_terms([(p.id, p.text) for p in paras]))
        gold_seg = {t: gold_segments(c.segments, c.spans.get(_CATEGORY[t], [])) for t in MODELLED}
        texts, tags, maybe, gold = [], [], [], {t: set() for t in MODELLED}
        for info in infos:
            for s in info.sentences:
                for t in MODELLED:
                    if info.index in gold_seg[t]:
                        gold[t].add(len(texts))
                texts.append(s.seg.text)
                tags.append(s.types)
                maybe.append(s.maybe)
        docs.append(Doc(c.name, texts, tags, maybe, gold))
    return docs


def _rows(docs: list[Doc], t: str) -> tuple[list[set[str]], list[bool]]:
    X, y = [], []
    for d in docs:
        n = len(d.texts)
        for i in candidates(t, d.tags, d.maybe):  # the sentences ClauseModel.refine scores, no more
            X.append(features(d.texts[i], d.tags[i], d.tags[i - 1] if i else None,
                              d.tags[i + 1] if i + 1 < n else None))
            y.append(i in d.gold[t])
    return X, y


def train(docs: list[Doc], types: tuple[str, ...] = MODELLED) -> ClauseModel:
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:  # pragma: no cover - depends on the environment
        sys.exit("training the clause model needs scikit-learn: pip install -e '.[train]'")
    import numpy as np

    models = {}
    for t in types:
        X, y = _rows(docs, t)
        vec = DictVectorizer()
        m = vec.fit_transform([dict.fromkeys(f, 1) for f in X])
        m.indices, m.indptr = m.indices.astype(np.int32), m.indptr.astype(np.int32)  # liblinear wants 32-bit
        lr = LogisticRegression(C=C, l1_ratio=1.0, solver="liblinear", max_iter=1000, random_state=0)
        lr.fit(m, np.array(y))
        names = vec.get_feature_names_out()
        weights = {str(names[j]): round(float(w), 6) for j, w in enumerate(lr.coef_[0]) if abs(w) > 1e-6}
        models[t] = TypeModel(t, round(float(lr.intercept_[0]), 6), weights, LO, HI)
    return ClauseModel(models, {
        "trained_on": f"CUAD v1 development set ({len(docs)} contracts, {sum(len(d.texts) for d in docs)} sentences)",
        "algorithm": f"L1 logistic regression (liblinear), C={C}",
        "attribution": "Contains material from CUAD v1 (The Atticus Project, CC BY 4.0)",
    })


def fold_of(index: int) -> int:
    return index % FOLDS


def crossval_models(docs: list[Doc]) -> list[ClauseModel]:
    """Model ``k`` is trained on every contract outside fold ``k``."""
    return [train([d for i, d in enumerate(docs) if fold_of(i) != k]) for k in range(FOLDS)]


def main() -> None:
    docs = documents(load_contracts(), load_playbook(model_path=None))
    model = train(docs)
    model.meta["trained"] = date.today().isoformat()
    MODEL_PATH.write_text(json.dumps(model.to_dict(), indent=1, sort_keys=False) + "\n", encoding="utf-8")
    sizes = ", ".join(f"{t} {len(m.weights)}" for t, m in model.types.items())
    print(f"wrote {MODEL_PATH} (non-zero weights: {sizes})")


if __name__ == "__main__":
    main()
