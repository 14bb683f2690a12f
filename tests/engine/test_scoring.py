"""The score: what each finding costs, and that the same risk found twice costs once."""

from addin_server.engine.exposure import PROJECT_LIMITED
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


PARTIES = 'This Agreement is between Acme Ltd (the "Agency") and Jo Park (the "Designer").\n'


def _score(grant: str) -> dict:
    return run(paras(PARTIES + "The Designer will design the Agency's packaging and the Agency shall pay the fees.\n" + grant))["score"]


def test_a_missing_protection_costs_what_the_grant_gives_away():
    # the same silence on AI, against ever narrower grants: everything at once, on payment, on payment
    # of the project's work only, a licence for the project
    everything = _score("The Designer hereby assigns to the Agency all right, title and interest in the Work Product.")
    paid = _score("Upon payment in full, the Designer assigns to the Agency all right, title and interest in the Work Product.")
    project = _score("Upon payment in full, the Agency will own the final designs the Designer creates for this project.")
    licence = _score("The Designer grants the Agency a non-exclusive licence to use the Work Product solely for the Project.")
    assert everything["exposure"]["share"] == 1.0 and licence["exposure"]["share"] <= PROJECT_LIMITED
    assert everything["value"] < paid["value"] < project["value"] < licence["value"]
    assert everything["value"] <= 40 and licence["value"] >= 80


def test_work_made_for_hire_with_no_ai_clause_is_agency_paper():
    score = _score("All Work Product shall be deemed a work made for hire, and the Designer hereby assigns to the "
                   "Agency all right, title and interest in it.")
    assert score["value"] <= 40 and score["exposure"]["paragraph_id"] == "p2"
