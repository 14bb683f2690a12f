"""Standard terms the creator accepts by conduct (a platform's terms of service) against a contract the
parties negotiate and sign (engine/form.py): the review reads and scores the risks in both, and writes
clauses into a platform's terms only for what a creator can hope to get from them."""

import pytest

from addin_server.engine.form import contract_form
from addin_server.engine.terms import find_terms
from tests.helpers import paras, run

NOT_ASKED_OF_A_PLATFORM = {"remedies.injunctive-relief-missing", "remedies.liquidated-damages-missing",
                           "remedies.audit-missing", "ownership.retained-rights-missing"}

# our own platform terms, in the drafting styles such terms use
PLATFORM = [
    ("Brushwork Terms of Service\n"
     "By creating an account or uploading any artwork, you agree to these Terms.\n"
     "You grant us a worldwide, perpetual licence to use, reproduce and display your artwork for any purpose.\n"
     "We may change these Terms at any time."),
    ("Welcome to Lyricly. These terms form an agreement between you and Lyricly Inc. (\"Lyricly\", \"we\").\n"
     "If you do not agree to these terms, do not upload any songs.\n"
     "You hereby grant Lyricly an irrevocable licence to use your songs in all media now known or hereafter devised."),
    ("Voicebox Talent Terms\n"
     "You hereby grant Voicebox a perpetual licence to use the recordings you submit.\n"
     "Your continued use of the Marketplace constitutes your acceptance of these Terms as amended."),
]

NEGOTIATED = [
    # signed: acceptance by signature is how a negotiated contract is made
    ('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").\n'
     "The Designer grants the Agency a perpetual licence to use the Work Product for any purpose.\n"
     "By signing below, you agree to the terms of this Agreement."),
    # the creator's own commission terms: "you" is the client, the creator offers the form
    ("My Commission Terms\n"
     "By commissioning me, you agree to these terms.\n"
     "I grant you a licence to use the artwork for personal purposes only."),
]


def _form(text: str):
    doc = paras(text)
    return contract_form(doc, find_terms([(p.id, p.text) for p in doc]))


@pytest.mark.parametrize("text", PLATFORM)
def test_terms_the_creator_accepts_by_conduct_are_standard_terms(text):
    form = _form(text)
    assert form.standard_terms and form.paragraph_id is not None


@pytest.mark.parametrize("text", NEGOTIATED)
def test_a_signed_contract_or_the_creators_own_terms_are_not(text):
    assert not _form(text).standard_terms


@pytest.mark.parametrize("text", PLATFORM)
def test_standard_terms_are_read_and_scored_but_not_asked_for_a_users_own_remedies(text):
    result = run(paras(text))
    by_rule = {f["rule_id"]: f for f in result["findings"]}
    # the risks are all read, and the AI-training clause is asked for
    assert by_rule["ai.prohibition-missing"]["suggestion"] is not None
    assert set(by_rule) & {"usage.perpetual-irrevocable", "usage.any-purpose", "usage.all-media"}
    # the clauses a platform does not add for one user are still reported, and cost points, but no
    # clause is written for them: Apply all leaves them alone
    unasked = {r for r, f in by_rule.items() if f["suggestion"] is None}
    assert unasked and unasked <= NOT_ASKED_OF_A_PLATFORM
    for rule in unasked:
        assert "standard terms" in by_rule[rule]["message"] and by_rule[rule]["points"] > 0
        assert not by_rule[rule]["alternatives"] and not by_rule[rule]["comment"]["counterparty"]
    assert result["form"]["standard_terms"] is True
    assert set(result["form"]["not_asked"]) == unasked


def test_standard_terms_cost_what_the_same_gaps_cost_in_a_negotiated_contract():
    """Not asking is not forgiving: the score of the terms is the score of the same words signed."""
    platform = run(paras(PLATFORM[0]))
    signed = run(paras(PLATFORM[0].replace("By creating an account or uploading any artwork, you agree to these Terms.",
                                           "By signing below, you agree to these Terms.")))
    assert signed["form"]["standard_terms"] is False
    assert platform["score"]["value"] == signed["score"]["value"]


def test_the_same_grant_in_a_negotiated_contract_is_asked_for_every_protection():
    signed = run(paras(NEGOTIATED[0]), agency_risk="high")
    asked = {f["rule_id"] for f in signed["findings"] if f["suggestion"] is not None}
    assert {"remedies.liquidated-damages-missing", "remedies.audit-missing"} <= asked
    assert signed["form"] == {"standard_terms": False, "paragraph_id": None, "not_asked": []}


def test_acting_for_the_platform_its_terms_are_its_own():
    """Reviewing for the party that offers the terms, nothing is left unasked for its form's sake."""
    result = run(paras(PLATFORM[0]), party="client")
    assert result["form"]["standard_terms"] is False


def test_in_a_platforms_terms_the_unnamed_work_is_what_you_upload():
    """Terms that never name the work get suggestions about "your content", not "the deliverables"."""
    result = run(paras(PLATFORM[0]))
    covenant = next(f for f in result["findings"] if f["rule_id"] == "ai.prohibition-missing")
    text = covenant["suggestion"]["paragraphs"][0]["text"]
    assert "use your content or any part of it to train" in text and "deliverables" not in text


def test_an_exclusive_licence_is_asked_away_in_a_platforms_terms_only():
    """A platform needs no exclusivity to host what you upload; a commissioned logo's exclusive
    licence is often the bargain, and is left alone."""
    platform = run(paras(PLATFORM[0].replace("a worldwide, perpetual licence", "an exclusive, worldwide, perpetual licence")))
    fix = next(f for f in platform["findings"] if f["rule_id"] == "usage.exclusive-in-standard-terms")
    assert "You grant us a non-exclusive, worldwide" in fix["suggestion"]["revised"]
    signed = run(paras('This Agreement is between Acme Ltd. (the "Client") and Jo Park (the "Designer").\n'
                       "The Designer grants the Client an exclusive licence to use the Logo for any purpose."))
    assert "usage.exclusive-in-standard-terms" not in {f["rule_id"] for f in signed["findings"]}
