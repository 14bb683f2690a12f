"""Issue 11's floors on the real-world development batch (../shared/corpus/real-world, in CI too).

Scored by :func:`addin_server.evaluation.realworld.evaluate_real_world`, the function ``make eval``
prints, so the two cannot disagree. ``RATCHET`` holds the counts measured when this test was
written (docs/accuracy.md, "Real-world development batch, first try, 2026-12-01"): none may drop.
Each floor not reached yet is a strict expected failure: it turns red the day it is reached, and
then its ``BELOW_FLOOR`` entry must go (and the ratchet be raised). Never lower a floor or a count
to make this pass: report the change in docs/accuracy.md.
"""

from __future__ import annotations

import time

import pytest

from addin_server.evaluation.realworld import (
    EXPECTED_STANCE, FLOORS, PROTECTIONS, REAL_WORLD_DIR, evaluate_real_world,
)

# right answers, as counts (measured 2026-12-01; see the module docstring)
RATCHET = {
    # 76 at first try (patterns); 106 since the AI-use frame (engine/frames.py) replaced them
    "ai_stance": 106,
    "ai:ai_training_prohibition": 18,
    "ai:vendor_no_training": 14,
    "ai:ai_training_permission": 23,
    "ai:project_limited_license": 10,
    "ai:risky_broad_license": 18,
    "ai:ai_use_by_author_disclosure": 10,
    "ai:unrelated_ai_mention": 13,
    "presence:ai_training_prohibition": 5,
    "presence:purpose_limited_license": 5,  # 4 at first try; 5 since limits in platform terms' words
    "presence:user_retains_underlying": 5,  # 3 at first try; 5 since "you retain ownership", "does not claim ownership"
    # 3 at first try; 4 once "we/you" parties were read (Kick's remedy is Kick's); 5 once an arbitration
    # clause's "public injunctive relief" stopped counting as the remedy
    "presence:injunctive_relief": 5,
    "presence:liquidated_damages": 5,
    "presence:audit_right": 5,
    # 5 at first try; 7 once grants in plain language were read (gyanl lines 24, 25); 8 once a duration
    # said after the noun was read ("the licences granted ... are perpetual", Kick line 6)
    "risky_flagged": 8,
    "silent_on_ai": 5,
}

# floors not reached on 2026-12-01 (strict xfail: remove the entry the day it is reached)
BELOW_FLOOR = {
    "risky_flagged",
}

COUNTS = {
    "ai_training_prohibition": 19, "ai_training_permission": 23, "vendor_no_training": 14,
    "project_limited_license": 10, "risky_broad_license": 18, "ai_use_by_author_disclosure": 10,
    "unrelated_ai_mention": 13,
}


@pytest.fixture(scope="module")
def result():
    # never skip: CI has ../shared, and a missing corpus must not pass as "nothing to check"
    assert (REAL_WORLD_DIR / "ai_clauses.jsonl").is_file(), f"real-world corpus missing at {REAL_WORLD_DIR}"
    assert (REAL_WORLD_DIR / "contracts" / "labels.json").is_file(), f"contract labels missing at {REAL_WORLD_DIR}"
    started = time.perf_counter()
    res = evaluate_real_world()
    res.seconds = time.perf_counter() - started
    return res


def _tallies(res):
    out = {"ai_stance": res.clauses.overall}
    out.update({f"ai:{cat}": t for cat, t in res.clauses.by_category.items()})
    out.update({f"presence:{p.label}": res.contracts.presence_of(p.label) for p in PROTECTIONS})
    out["risky_flagged"] = res.contracts.risky_flagged
    out["silent_on_ai"] = res.contracts.silent_on_ai
    return out


def test_corpus_is_complete(result):
    assert set(COUNTS) == set(EXPECTED_STANCE)
    assert result.clauses.overall.total == 107
    assert {cat: t.total for cat, t in result.clauses.by_category.items()} == COUNTS
    contracts = result.contracts.contracts
    assert len(contracts) == 5
    assert all(len(c.presence) == 6 for c in contracts)
    assert result.contracts.risky_flagged.total == 9
    assert result.contracts.silent_on_ai.total == 5


def test_fast_enough(result):
    assert result.seconds < 10, f"scoring the batch took {result.seconds:.1f} s"


@pytest.mark.parametrize("figure", sorted(RATCHET))
def test_no_regression(result, figure):
    t = _tallies(result)[figure]
    assert t.right >= RATCHET[figure], f"{figure}: {t} right, was {RATCHET[figure]}"


def _floor_cases():
    figures = ["ai_stance", *(f"presence:{p.label}" for p in PROTECTIONS), "risky_flagged", "silent_on_ai"]
    return [pytest.param(f, marks=[pytest.mark.xfail(strict=True, reason=(
        f"below issue 11's floor on 2026-12-01 ({RATCHET[f]} right; docs/accuracy.md); "
        "the floor is not lowered"))] if f in BELOW_FLOOR else [], id=f) for f in figures]


@pytest.mark.parametrize("figure", _floor_cases())
def test_floor(result, figure):
    value, floor = result.floor_checks()[figure]
    assert value >= floor, f"{figure}: {100 * value:.0f} % < {100 * floor:.0f} %"


def test_floors_are_the_issues():
    assert FLOORS == {"ai_stance": 0.95, "presence": 0.95, "risky_flagged": 0.90, "silent_on_ai": 1.0}
