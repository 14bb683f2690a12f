"""Issue 11, "negation and duty are ignored": risky words under a negation are not risky, and a duty
of the freelancer is not tightened against the freelancer. One test per named error, each with the
plain sentence beside it so the rule is shown still to fire."""

import pytest

from tests.helpers import paras, run

HEAD = 'This Agreement is between Northwind Media Ltd. (the "Agency") and Sam Ortiz (the "Designer").\n'
GRANT = "The Designer grants the Agency a licence to use the Work Product solely for the Project.\n"


def _rules_on(body: str, pid: str = "p1") -> set[str]:
    return {f["rule_id"] for f in run(paras(HEAD + body))["findings"] if f["paragraph_id"] == pid}


@pytest.mark.parametrize("negated,plain,rule", [
    # "shall not be deemed a work for hire" is not a work made for hire
    ("The Work Product shall not be deemed a work made for hire.",
     "The Work Product shall be deemed a work made for hire.", "ownership.work-made-for-hire"),
    ("Nothing in this Agreement shall make the Work Product a work made for hire.",
     "The Work Product is a work made for hire.", "ownership.work-made-for-hire"),
    # "Nothing in this Agreement grants ... a perpetual licence" (a licence granted here is limited to the
    # project by the purpose-limit fix instead, which makes its duration harmless: the duration is
    # flagged on its own only where no grant is limited, as in "the licences ... are perpetual")
    ("Nothing in this Agreement makes the licences granted to the Agency perpetual or irrevocable.",
     "The licences granted to the Agency are perpetual and irrevocable.", "usage.perpetual-irrevocable"),
    ("The Agency shall have no right to exhibit the Work Product in perpetuity.",
     "The Agency may exhibit the Work Product in perpetuity.", "usage.perpetual-irrevocable"),
    ("In no event may the Agency use the Work Product in all media now known or hereafter devised.",
     "The Agency may exhibit the Work Product in all media now known or hereafter devised.", "usage.all-media"),
    ("Under no circumstances may the Agency create derivative works of the Work Product.",
     "The Agency may create derivative works of the Work Product.", "derivatives.ai-models"),
    ("The Designer does not grant the Agency any transferable licence in the Work Product.",
     "The Designer grants the Agency a transferable licence in the Work Product.", "usage.sublicensable-transferable"),
    ("The Agency may not use the Work Product for any purpose without the Designer's prior written consent.",
     "The Designer grants the Agency a licence to use the Work Product for any purpose.", "usage.any-purpose"),
])
def test_a_negated_risky_phrase_does_not_fire_and_the_plain_one_does(negated, plain, rule):
    assert rule not in _rules_on(negated), negated
    assert rule in _rules_on(plain), plain


@pytest.mark.parametrize("covenant", [
    "The Designer shall not use the Agency's trade secrets for any purpose except the Project.",
    "The Designer shall not use the Agency's Confidential Information for any purpose, except to perform the Services.",
    "The Designer agrees not to use any information of the Agency for any purpose whatsoever other than the Project.",
])
def test_a_covenant_not_to_use_secrets_other_than_for_the_project_is_a_limit_not_an_any_purpose_grant(covenant):
    assert "usage.any-purpose" not in _rules_on(covenant)


def test_a_negation_in_a_lists_lead_in_reaches_its_items_in_their_own_paragraphs():
    body = ("The Agency shall not:\n"
            "(a) sublicense the Work Product;\n"
            "(b) use the Work Product in all media now known or hereafter devised; or\n"
            "(c) create derivative works of the Work Product.")
    findings = run(paras(HEAD + body))["findings"]
    assert not [f for f in findings if f["paragraph_id"] in {"p2", "p3", "p4"}], findings
    # the same items with no negated lead-in are flagged
    body = body.replace("The Agency shall not:", "The Designer grants the Agency the right to:")
    flagged = {f["rule_id"] for f in run(paras(HEAD + body))["findings"] if f["paragraph_id"] in {"p3", "p4"}}
    assert "usage.all-media" in flagged


@pytest.mark.parametrize("duty", [
    "Confidential Information shall be held in strict confidence by the Designer and not disclosed to any third party.",
    "The Designer's obligations of confidentiality cover all Confidential Information, which it shall not disclose to any third party.",
])
def test_a_confidentiality_duty_of_the_freelancer_is_not_edited_to_bind_the_freelancer(duty):
    # (a confidentiality agreement alone: where rights are granted, the AI covenant is the one AI clause)
    assert "confidentiality.ai-ingestion" not in _rules_on(duty)
    # the same duty on the agency is completed
    mirrored = duty.replace("Designer", "Agency")
    assert "confidentiality.ai-ingestion" in _rules_on(mirrored)


def test_a_freelancers_duty_not_to_train_ai_is_not_tightened_and_is_not_the_agencys_ai_clause():
    duty = "The Designer shall not use the Agency's Confidential Information to train any artificial intelligence model."
    r = run(paras(HEAD + GRANT + duty))
    rules = {f["rule_id"] for f in r["findings"]}
    assert "ai.prohibition-incomplete" not in rules
    assert "ai.prohibition-missing" in rules  # it protects the agency, not the designer's work
    mirrored = run(paras(HEAD + GRANT + duty.replace("The Designer shall not use the Agency's Confidential Information",
                                                     "The Agency shall not use the Work Product")))
    assert "ai.prohibition-missing" not in {f["rule_id"] for f in mirrored["findings"]}


def test_obligor_reads_the_passive_the_possessive_and_both_sides():
    from addin_server.engine.direction import obligor
    from addin_server.engine.terms import find_terms
    terms = find_terms([("p0", HEAD.strip())])
    assert obligor("Confidential Information shall be held in confidence by the Designer.", terms) == "provider"
    assert obligor("The Designer's duties of non-use survive termination.", terms) == "provider"
    assert obligor("The Agency shall keep the Work Product confidential.", terms) == "client"
    assert obligor("The Agency's materials shall be kept confidential by the Designer.", terms) == "provider"
    assert obligor("Each party shall hold the other party's information in confidence.", terms) == "both"
    assert obligor("The Agency and the Designer shall each keep the terms confidential.", terms) == "both"
    assert obligor("Information will be kept confidential.", terms) is None
    # a warranty binds its giver; a party's name as a modifier ("Agency data") binds no one
    assert obligor("The Designer warrants that no Agency data will be shared.", terms) == "provider"
    assert obligor("AI tools used with Agency data shall be configured to keep it private.", terms) is None


def test_the_freelancers_warranty_about_the_clients_data_is_not_the_ai_clause_the_work_needs():
    # under "The Designer warrants that:", an item that keeps the agency's data out of model training
    # is the designer's promise to the agency; and the designer's duty to show its records on request
    # is the agency's audit, not the designer's
    body = (GRANT + "The Designer warrants that:\n"
            "(a) AI tools used with Agency data shall be configured to prevent the data from being used for model training;\n"
            "(b) the Designer keeps a record of the AI tools it uses.\n"
            "The Designer shall, upon request, provide reasonable documentation of the AI tools it uses.")
    rules = {f["rule_id"] for f in run(paras(HEAD + body))["findings"]}
    assert {"ai.prohibition-missing", "remedies.audit-missing"} <= rules
    mirrored = body.replace("AI tools used with Agency data shall be configured to prevent the data from being used for model training",
                            "the Agency shall not use the Work Product for model training")
    assert "ai.prohibition-missing" not in {f["rule_id"] for f in run(paras(HEAD + mirrored))["findings"]}


@pytest.mark.parametrize("negated,plain", [
    ("Nothing in this Agreement grants the Agency a perpetual licence to the Work Product.",
     "The Designer grants the Agency a perpetual licence to the Work Product."),
    ("No perpetual licence is granted to the Agency.", "A perpetual licence is granted to the Agency."),
    ("The Agency shall not use the Work Product in perpetuity.", "The Agency may use the Work Product in perpetuity."),
    ("The Agency's licence is not irrevocable.", "The Agency's licence is irrevocable."),
])
def test_a_negated_perpetual_licence_is_not_tagged_perpetual(negated, plain):
    """The perpetual-or-irrevocable clause type (playbook/clauses/) vetoes negated matches (negation_vetoes) instead of
    its own hand-written negation exclusions; "may not be revoked" still means irrevocable."""
    from addin_server.engine.review import tag_sentence
    from addin_server.playbook import default_playbook
    pb = default_playbook()
    assert "perpetual-or-irrevocable" not in tag_sentence(negated, pb)
    assert "perpetual-or-irrevocable" in tag_sentence(plain, pb)
    assert "perpetual-or-irrevocable" in tag_sentence("Such rights may not be revoked by the Designer.", pb)


def test_keeping_the_clients_own_data_out_of_training_is_not_the_creators_ai_clause():
    # agreement set 14 (docs/accuracy.md), in our own words: a consultant's promise about client data
    promise = "Most AI vendors let customers switch off training, so client data will not be used for model training."
    r = run(paras(HEAD + GRANT + promise))
    assert "ai.prohibition-missing" in {f["rule_id"] for f in r["findings"]}
    about_the_work = run(paras(HEAD + GRANT + promise.replace("client data", "the Work Product")))
    assert "ai.prohibition-missing" not in {f["rule_id"] for f in about_the_work["findings"]}
