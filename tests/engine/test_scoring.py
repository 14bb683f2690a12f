"""The score: what each finding costs, and that the same risk found twice costs once."""

from addin_server.engine.scoring import BUDGET, charge
from tests.helpers import paras, run


def test_a_rule_found_again_costs_nothing_more():
    taken = charge([("usage.perpetual-irrevocable", "usage-rights", 8),
                    ("usage.all-media", "usage-rights", 7),
                    ("usage.perpetual-irrevocable", "usage-rights", 8)])
    assert taken == [8, 7, 0]


def test_a_category_never_loses_more_than_it_has():
    taken = charge([("a.one", "remedies", 12), ("a.two", "remedies", 12)])
    assert taken == [12, BUDGET["remedies"] - 12]


def test_a_category_the_score_does_not_count_charges_nothing():
    assert charge([("x.y", "not-a-category", 5)]) == [None]


def test_the_same_licence_words_in_two_clauses_cost_once():
    # "perpetual" in the licence of the work and again in the licence of the feedback: one risk
    one = ("This Agreement is between Acme Ltd (the \"Agency\") and Jo Park (the \"Designer\").\n"
           "The Designer grants the Agency a perpetual licence to reproduce the Work Product.\n"
           "The Agency shall pay the fees.")
    two = one + "\nThe Designer grants the Agency a perpetual licence to reproduce any sketches."
    first, second = run(paras(one)), run(paras(two))
    perpetual = [f for f in second["findings"] if f["rule_id"] == "usage.perpetual-irrevocable"]
    assert len(perpetual) == 2 and sorted(f["points_lost"] for f in perpetual)[0] == 0
    assert second["score"]["value"] == first["score"]["value"]
