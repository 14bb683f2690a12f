"""What the other side did with our last round, and what we answer (issue 13), on the engine's own
review of each round's text: the contract is reviewed, its changes applied, and the other side's
answer made by editing the text as they would (reject a clause, reword it, accept it, leave it open).
The .docx and LibreOffice round trips are in tests/docx/test_docx_rounds.py."""

from dataclasses import dataclass

from addin_server.engine.apply import changes_for
from addin_server.engine.apply import apply_all
from addin_server.engine.document import Paragraph
from addin_server.negotiation import answer_round, next_log
from addin_server.negotiation.log import RoundLog
from tests.helpers import SEED_STANDARD, paras, run


@dataclass(frozen=True)
class Rev:
    kind: str
    author: str | None
    text: str


@dataclass(frozen=True)
class Para:
    id: str
    text: str
    revisions: tuple = ()


def round_one(text: str, **options):
    """Our first redline of ``text``: the review, the changes as the writer would apply them, the
    log it leaves, and the text with every change of ours accepted."""
    ps = paras(text)
    result = run(ps, **options)
    changes = changes_for(result)
    report = [{"finding_id": c["finding_id"], "status": "applied", "reason": None} for c in changes]
    log = next_log(RoundLog(), [], result, changes, report, "TermScore")
    return result, log, apply_all(ps, result["findings"])


def round_two(log, texts: list[Paragraph], revisions: dict[str, tuple] | None = None, **options):
    result = run(texts, **options)
    doc = [Para(p.id, p.text, (revisions or {}).get(p.id, ())) for p in texts]
    outcomes = answer_round(log, result, doc, "TermScore")
    return result, {o.rule_id: o for o in outcomes}, outcomes


def _words(suggestion: dict) -> list[str]:
    return [p["text"] for p in suggestion["paragraphs"]]


def without(paragraphs, words: str):
    """The text with the paragraph holding ``words`` taken out (their rejection of our clause)."""
    return [p for p in paragraphs if words not in p.text]


def reworded(paragraphs, old: str, new: str):
    return [Paragraph(p.id, p.text.replace(old, new), p.style, p.list_label) for p in paragraphs]


def test_a_clause_they_struck_gets_the_next_position_never_the_one_they_struck():
    first, log, accepted = round_one(SEED_STANDARD)
    ai = next(f for f in first["findings"] if f["rule_id"] == "ai.prohibition-missing")
    result, outcome, _ = round_two(log, without(accepted, "Prohibition on AI Training"))
    o = outcome["ai.prohibition-missing"]
    assert (o.status, o.protected, o.rung, o.walk_away) == ("struck", False, 1, False)
    finding = next(f for f in result["findings"] if f["rule_id"] == "ai.prohibition-missing")
    assert _words(finding["suggestion"]) == _words(ai["alternatives"][0]) != _words(ai["suggestion"])
    assert finding["round"]["status"] == "struck"
    ours = {x["rule_id"]: x for x in result["negotiation"]["ours"]}
    assert ours["ai.prohibition-missing"]["next"] == finding["suggestion"]
    assert "could not accept our AI-training clause" in o.reply and "unreasonably withheld" in o.reply
    assert result["negotiation"]["round"] == 2
    assert "struck 1" in result["negotiation"]["summary"]


def test_when_the_fallback_is_struck_too_the_finding_says_it_is_the_walk_away_point():
    first, log, accepted = round_one(SEED_STANDARD)
    second, _, prior = round_two(log, without(accepted, "Prohibition on AI Training"))
    changes = changes_for(second)
    report = [{"finding_id": c["finding_id"], "status": "applied", "reason": None} for c in changes]
    log2 = next_log(log, prior, second, changes, report, "TermScore")
    assert [r.number for r in log2.rounds] == [1, 2]
    offered = apply_all(without(accepted, "Prohibition on AI Training"), second["findings"])
    third, outcome, _ = round_two(log2, without(offered, "Prohibition on AI Training"))
    o = outcome["ai.prohibition-missing"]
    assert (o.status, o.walk_away, o.rung) == ("struck", True, None)
    finding = next(f for f in third["findings"] if f["rule_id"] == "ai.prohibition-missing")
    assert finding["suggestion"] is None and finding["round"]["walk_away"]
    assert "not able to sign" in o.reply
    assert third["negotiation"]["round"] == 3


def test_a_clause_they_accepted_is_accepted_and_watched_in_later_rounds():
    _, log, accepted = round_one(SEED_STANDARD)
    result, outcome, _ = round_two(log, accepted)
    assert {o.status for o in outcome.values()} == {"accepted"}
    assert all(o.protected and o.rung is None for o in outcome.values())
    assert "accepted" in result["negotiation"]["summary"] and "struck" not in result["negotiation"]["summary"]


def test_our_change_still_marked_as_a_tracked_change_is_pending():
    _, log, accepted = round_one(SEED_STANDARD)
    clause = next(p for p in accepted if "Prohibition on AI Training" in p.text)
    result, outcome, _ = round_two(log, accepted, {clause.id: (Rev("insertion", "TermScore", clause.text),)})
    assert outcome["ai.prohibition-missing"].status == "pending"
    assert "still pending" in result["negotiation"]["summary"]


def test_their_rewording_that_keeps_the_protection_is_accepted_as_modified():
    _, log, accepted = round_one(SEED_STANDARD)
    clause = next(p.text for p in accepted if "Prohibition on AI Training" in p.text)
    theirs = reworded(accepted, clause, "3.4 AI. The Agency will not use the Deliverables to train any "
                                        "artificial intelligence model.")
    _, outcome, _ = round_two(log, theirs)
    o = outcome["ai.prohibition-missing"]
    assert (o.status, o.protected, o.rung) == ("modified", True, None)


def test_their_rewording_that_keeps_our_words_but_not_the_protection_is_weakened():
    _, log, accepted = round_one(SEED_STANDARD)
    theirs = reworded(accepted, "shall not, and shall not permit any affiliate, client, vendor or other third party to,",
                      "may")
    result, outcome, _ = round_two(log, theirs)
    o = outcome["ai.prohibition-missing"]
    assert (o.status, o.protected, o.rung) == ("modified", False, 1)
    assert "weakened 1" in result["negotiation"]["summary"]


def test_an_edit_is_found_again_after_they_add_a_paragraph_before_it():
    _, log, accepted = round_one(SEED_STANDARD)
    shifted = [Paragraph(f"p-{i}", p.text) for i, p in enumerate([Paragraph("x", "0. Recitals. The parties agree.")]
                                                                   + list(accepted))]
    restored = reworded(shifted, "are not works made for hire", "are works made for hire")
    _, outcome, _ = round_two(log, restored)
    o = outcome["ownership.work-made-for-hire"]
    assert (o.status, o.rung) == ("struck", 1)
    assert o.paragraph_id == "p-4"  # where the ownership clause is now, not p3, its place in round one
    assert outcome["ownership.assignment-no-carveout"].status == "accepted"  # in the same paragraph, kept


def test_a_limit_that_makes_the_restored_word_harmless_is_not_called_struck():
    # They put "perpetual, irrevocable" back, but the licence is now limited to the project: the
    # risk our deletion answered is gone, so the protection stands (in their words).
    _, log, accepted = round_one(SEED_STANDARD)
    restored = reworded(accepted, "a worldwide license", "a perpetual, irrevocable, worldwide license")
    _, outcome, _ = round_two(log, restored)
    assert outcome["usage.perpetual-irrevocable"].protected


def test_under_the_low_profile_the_fallback_comes_first_and_its_strike_is_the_walk_away_point():
    _, log, accepted = round_one(SEED_STANDARD, agency_risk="low")
    ai = next(p for p in log.last.protections if p.rule_id == "ai.prohibition-missing")
    assert ai.rung == 1
    _, outcome, _ = round_two(log, without(accepted, "Prohibition on AI Training"), agency_risk="low")
    assert outcome["ai.prohibition-missing"].walk_away
