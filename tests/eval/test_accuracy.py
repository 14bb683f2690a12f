"""CUAD accuracy floors of issue 11, held over the real corpus (../shared/corpus, present in CI too).

The floors are the issue's. If a number falls below its floor, do not lower it here: report the
shortfall in docs/accuracy.md and tell the lead.
"""

from __future__ import annotations

import time

import pytest

from addin_server.engine.review import Options, Paragraph, review
from addin_server.evaluation import CATEGORY_TO_TYPE, CORPUS_DIR, evaluate, load_contracts
from addin_server.evaluation.ai import evaluate_examples
from addin_server.evaluation.clause_examples import evaluate_clause_examples
from addin_server.evaluation.floors import BELOW_FLOOR, FLOORS, RATCHET
from addin_server.evaluation.run import tag_segments
from addin_server.evaluation.train import documents, train
from addin_server.playbook import default_playbook

TYPES = list(CATEGORY_TO_TYPE.values())


@pytest.fixture(scope="module")
def contracts():
    assert (CORPUS_DIR / "cuad-dev" / "clauses.jsonl").exists(), f"corpus missing at {CORPUS_DIR}"
    return load_contracts()


@pytest.fixture(scope="module")
def docs(contracts):
    return documents(contracts, default_playbook())


@pytest.fixture(scope="module")
def report(contracts, docs):
    started = time.perf_counter()
    rep = evaluate(contracts, docs=docs)
    rep.wall = time.perf_counter() - started
    return rep


def test_floors_are_measured_on_unseen_contracts(report):
    # the shipped model was trained on this corpus: only cross-validated numbers are honest
    assert "cross-validation by contract" in report.method


def test_shipped_model_is_what_training_produces(docs):
    """clause_model.json must be retrained (make train) whenever the patterns or the features change,
    since the model reads the patterns' tags; a stale model would make the floors above a fiction."""
    shipped = default_playbook().model
    assert shipped is not None
    fresh = train(docs)
    assert set(fresh.types) == set(shipped.types)
    for t, m in fresh.types.items():
        old = shipped.types[t]
        assert (old.lo, old.hi) == (m.lo, m.hi)
        assert abs(old.bias - m.bias) < 1e-3, f"{t}: stale clause model, run make train"
        drift = max(abs(m.weights.get(f, 0.0) - old.weights.get(f, 0.0)) for f in set(m.weights) | set(old.weights))
        assert drift < 1e-3, f"{t}: stale clause model (a weight moved by {drift:.4f}), run make train"


def _score(report, t):
    return next(s for s in report.scores.values() if s.type == t)


def test_corpus_is_complete(contracts, report):
    assert len(contracts) == 238
    assert report.segments > 50_000


def test_tagging_is_fast_enough_for_ci(report):
    # the whole development set (about 12 M characters, 64k segments) must tag in well under a
    # minute; about 12-20 s on a developer machine, the margin is for loaded CI runners
    assert report.seconds < 45, f"tagging took {report.seconds:.1f} s"


def test_keyword_prefilter_changes_no_tag(contracts, monkeypatch):
    """A clause type's `keywords` only skip sentences that no pattern of the type could match."""
    from addin_server.engine.review import tag_sentence
    from addin_server.playbook import Playbook

    playbook = default_playbook()
    texts = [s.text for c in contracts for s in c.segments[::3]]
    with_filter = [tag_sentence(t, playbook) for t in texts]
    monkeypatch.setattr(Playbook, "candidate_types", lambda self, text, among=None: frozenset(self.clause_types))
    without = [tag_sentence(t, playbook) for t in texts]
    diffs = [(len(t), sorted(a ^ b)) for t, a, b in zip(texts, with_filter, without) if a != b]
    assert not diffs, diffs[:10]  # lengths and types only: no contract text in test output


def test_a_patterns_quick_test_is_necessary(contracts):
    """A pattern's ``quick`` (playbook/__init__.py, _guarded) only skips texts the pattern cannot match:
    on CUAD's segments and every clause example, a match of the pattern contains a match of it."""
    playbook = default_playbook()
    texts = [s.text for c in contracts for s in c.segments[::3]]
    texts += [e.text for ct in playbook.clause_types.values() for e in ct.examples]
    quick = [(cid, p) for cid, ct in playbook.clause_types.items() for p in ct.patterns if p.quick is not None]
    assert quick, "no pattern has a quick test: this test checks nothing"
    wrong = [(cid, len(t)) for cid, p in quick for t in texts if p.regex.search(t) and not p.quick.search(t)]
    assert not wrong, wrong[:10]  # types and lengths only: no contract text in test output


def _floor_cases(metric):
    cases = []
    for t in TYPES:
        reached = BELOW_FLOOR.get((metric, t))
        marks = [pytest.mark.xfail(strict=True, reason=(
            f"below the issue's floor: {metric} {reached:.3f} < {FLOORS[metric]:.2f} "
            "(docs/accuracy.md); the floor is not lowered"))] if reached is not None else []
        cases.append(pytest.param(t, marks=marks, id=t))
    return cases


def _value(report, metric, t):
    s = _score(report, t)
    return {"precision": s.precision, "recall": s.recall, "span_recall": s.span_recall,
            "agreement": s.agreement}[metric]


def test_every_type_has_each_floor_or_ratchet():
    """Each of the five types is held on every metric the issue names (no metric left unwatched)."""
    assert {"precision", "span_recall", "agreement"} <= set(FLOORS), FLOORS
    assert {t for _, t in RATCHET} == set(TYPES), RATCHET
    assert {m for m, _ in BELOW_FLOOR} <= set(FLOORS), BELOW_FLOOR  # a retired floor left behind


@pytest.mark.parametrize("clause_type", _floor_cases("precision"))
def test_segment_precision(report, clause_type):
    v = _value(report, "precision", clause_type)
    assert v >= FLOORS["precision"], f"{clause_type}: precision {v:.3f}"


@pytest.mark.parametrize("clause_type", _floor_cases("span_recall"))
def test_span_recall(report, clause_type):
    v = _value(report, "span_recall", clause_type)
    assert v >= FLOORS["span_recall"], f"{clause_type}: span recall {v:.3f}"


@pytest.mark.parametrize("metric,clause_type", sorted(RATCHET))
def test_segment_recall_does_not_drop(report, metric, clause_type):
    """Segment recall has no floor in issue 11 (CUAD annotates whole sections); it may not drop."""
    v = _value(report, metric, clause_type)
    assert round(v, 3) >= RATCHET[(metric, clause_type)], f"{clause_type}: {metric} fell to {v:.3f}"


@pytest.mark.parametrize("clause_type", _floor_cases("agreement"))
def test_contract_agreement(report, clause_type):
    v = _value(report, "agreement", clause_type)
    assert v >= FLOORS["agreement"], f"{clause_type}: contract agreement {v:.3f}"


@pytest.mark.parametrize("metric,clause_type", sorted(BELOW_FLOOR))
def test_no_regression_below_floor(report, metric, clause_type):
    """Where a floor is not reached yet, the number reached may not drop."""
    v = _value(report, metric, clause_type)
    assert round(v, 3) >= BELOW_FLOOR[(metric, clause_type)], f"{clause_type}: {metric} fell to {v:.3f}"


def test_ai_false_positives_on_cuad(report):
    assert report.ai_fp_per_10k() < FLOORS["ai_fp_per_10k"], report.ai_hits


def test_ai_examples_all_correct():
    res = evaluate_examples()
    assert res.positives >= 30 and res.negatives >= 10
    assert not res.failures, [(e.expect, e.text) for e, _ in res.failures]


def test_freelance_clause_examples_all_correct():
    res = evaluate_clause_examples()
    assert res.total >= 40 and len(res.by_type) >= 10
    assert not res.failures, [(e.type, e.expect, e.text) for e, _ in res.failures]


def test_clauses_in_the_review_response_are_what_the_evaluation_scores(contracts):
    """The evaluation's tags are exactly review()'s clauses[].types, paragraph by paragraph."""
    playbook = default_playbook()
    for contract in contracts[:4]:
        texts = [s.text for s in contract.segments]
        body = review([Paragraph(f"p{i}", t) for i, t in enumerate(texts)], Options(), playbook)
        from_review = {c["paragraph_id"]: set(c["types"]) for c in body["clauses"]}
        tags = tag_segments(texts, playbook)
        assert from_review == {f"p{i}": t for i, t in enumerate(tags) if t}, contract.name
