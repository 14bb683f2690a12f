"""Licence terms in the words real platform and licence terms use: plural licences, predicative
durations ("the licences granted ... are perpetual"), and purpose limits the contract already has.
Our own sentences; the real-text figures are in tests/eval/test_realworld.py."""

from __future__ import annotations

from tests.helpers import apply_and_rerun, paras, run

HEAD = 'This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").\n'


def _rules(result, paragraph=None):
    return [f["rule_id"] for f in result["findings"] if paragraph is None or f["paragraph_id"] == paragraph]


def test_licences_described_after_they_are_granted_are_flagged_and_the_fix_clears_them():
    doc = paras(HEAD + "2. The Designer grants the Agency a licence to use the Designs in print.\n"
                "3. The licences granted under clauses 2.1 and 2.2 are exclusive, perpetual, irrevocable, "
                "worldwide and sublicensable by the Agency to any party.")
    first = run(doc)
    third = doc[2].id
    assert {"usage.perpetual-irrevocable", "usage.sublicensable-transferable"} <= set(_rules(first, third))
    _, again = apply_and_rerun(doc, first)
    assert not {"usage.perpetual-irrevocable", "usage.sublicensable-transferable"} & set(_rules(again))


def test_a_licence_limited_to_operating_the_service_needs_no_purpose_limit():
    doc = paras(HEAD + "The Designer grants the Agency a licence to host and display the Designs solely for "
                "the limited purpose of operating the Agency's gallery website.")
    assert "usage.purpose-limitation" not in _rules(run(doc))


def test_a_licence_for_the_purposes_of_this_agreement_is_not_limited_and_the_fix_names_the_project():
    doc = paras(HEAD + "The Designer grants the Agency a licence to use the Designs solely for the purposes of "
                "this Agreement.")
    first = run(doc)
    assert "usage.purpose-limitation" not in _rules(first)  # one fix for one risk
    fix = next(f for f in first["findings"] if f["rule_id"] == "usage.agreement-purposes")
    assert fix["suggestion"]["revised"] == ("The Designer grants the Agency a licence to use the Designs solely for "
                                            "the project described in this Agreement.")
    _, again = apply_and_rerun(doc, first)
    assert not {"usage.purpose-limitation", "usage.agreement-purposes"} & set(_rules(again))
    named = run(doc, project_name="Spring Catalogue")
    fix = next(f for f in named["findings"] if f["rule_id"] == "usage.agreement-purposes")
    assert fix["suggestion"]["revised"].endswith("solely for the Spring Catalogue project.")


def test_a_licence_to_provide_and_improve_services_is_not_a_purpose_limit():
    doc = paras(HEAD + "The Designer grants the Agency a licence to use the Designs in order to provide, develop "
                "and improve its services.")
    assert "usage.purpose-limitation" in _rules(run(doc))
