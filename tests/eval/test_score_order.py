"""The score orders real contracts as a freelancer's lawyer does (issue 12, item 9).

The lawyer's blind scores are in addin_server/evaluation/score_order.toml; the contracts are under
../shared/corpus (CI has it). At 16ed171 the same seven scored Kendall's tau 0.37, and the designer's
own form (lawyer 80) scored 35, below the Common Paper contractor agreement (work made for hire,
lawyer 13) at 40."""

from pathlib import Path

import pytest

from addin_server.evaluation.order import TIE, OrderResult, Ranked, load_order, measure

TAU_FLOOR = 0.6  # measured 0.68 on 2026-12-02: a ratchet, not a target


@pytest.fixture(scope="module")
def order():
    return measure()


def test_the_score_ranks_the_contracts_as_the_lawyer_does(order):
    assert order.kendall_tau >= TAU_FLOOR, order.ranked


def test_every_friendly_form_scores_above_every_risky_one(order):
    assert order.friendly and order.risky
    assert order.friendly_above_risky, order.ranked


def test_agency_paper_silent_on_ai_scores_40_or_less(order):
    assert order.risky_at_most_40, [r for r in order.risky if r.ours > 40]


def test_kendall_tau_leaves_out_the_lawyers_ties_and_counts_ours_half_wrong():
    same = OrderResult((Ranked("a", 80, 70, ""), Ranked("b", 78, 90, ""), Ranked("c", 20, 10, "")))
    assert abs(80 - 78) <= TIE and same.kendall_tau == 1.0  # a-b is the lawyer's tie
    tied = OrderResult((Ranked("a", 80, 50, ""), Ranked("c", 20, 50, "")))
    assert tied.kendall_tau == -1.0


def test_a_contract_missing_from_the_corpus_is_an_error(tmp_path: Path):
    data = tmp_path / "order.toml"
    data.write_text('[[contract]]\nfile = "nowhere.txt"\nlawyer = 50\nreason = "x"\n')
    with pytest.raises(FileNotFoundError):
        load_order(data, tmp_path)
