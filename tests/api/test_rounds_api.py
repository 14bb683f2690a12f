"""Negotiation rounds through the JSON API, as the Word pane will drive them (issue 13): the pane
sends the round log it reads from the document and the other side's tracked changes, and asks the
server for the next log to store after applying. The server keeps nothing between the calls."""

from addin_server.engine.apply import apply_all
from addin_server.engine.document import Paragraph
from addin_server.negotiation.log import RoundLog
from tests.helpers import SEED_STANDARD

PARAS = [{"id": f"p{i}", "text": t} for i, t in enumerate(SEED_STANDARD.splitlines())]
THEIRS = " The Agency may also use the Deliverables to train its own AI tools."


def _review(client, paragraphs, round_log=None, **negotiation):
    r = client.post("/api/v1/review", json={"paragraphs": paragraphs,
                                            "negotiation": {"round_log": round_log, **negotiation}})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _log(client, review, applied, round_log=None, **extra):
    r = client.post("/api/v1/round-log", json={"round_log": round_log, "review": review, "applied": applied, **extra})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_a_round_trip_through_the_json_api(client):
    first = _review(client, PARAS)
    assert first["negotiation"]["round"] == 1 and first["negotiation"]["ours"] == []
    applied = [f["id"] for f in first["findings"] if f["suggestion"] and not f.get("covered_by")]
    logged = _log(client, first, applied)
    assert logged["round"] == 1
    assert {p.rule_id for p in RoundLog.from_xml(logged["round_log"].encode()).last.protections} >= {
        f["rule_id"] for f in first["findings"] if f["id"] in applied}

    # the agency accepts everything but the AI clause, and adds a sentence of its own, tracked
    accepted = apply_all([Paragraph(p["id"], p["text"]) for p in PARAS], first["findings"])
    back = [{"id": p.id, "text": p.text} for p in accepted if "Prohibition on AI Training" not in p.text]
    last = back[-1]
    start = len(last["text"])
    last["text"] += THEIRS
    last["revisions"] = [{"kind": "insertion", "author": "Agency", "start": start, "end": len(last["text"]),
                          "text": THEIRS}]
    second = _review(client, back, logged["round_log"])
    n = second["negotiation"]
    ours = {o["rule_id"]: o for o in n["ours"]}
    assert n["round"] == 2
    assert ours["ai.prohibition-missing"]["status"] == "struck" and ours["ai.prohibition-missing"]["rung"] == 1
    assert ours["remedies.audit-missing"]["status"] == "accepted"
    on_theirs = [f for f in second["findings"] if f.get("tracked_change", {}).get("author") == "Agency"]
    assert on_theirs and n["theirs"] == [f["id"] for f in on_theirs]
    assert "added 1 new risk" in n["summary"]

    ai = next(f for f in second["findings"] if f["rule_id"] == "ai.prohibition-missing")
    logged2 = _log(client, second, [ai["id"]], logged["round_log"])
    log = RoundLog.from_xml(logged2["round_log"].encode())
    assert logged2["round"] == 2 and [r.number for r in log.rounds] == [1, 2]
    assert next(p for p in log.last.protections if p.rule_id == "ai.prohibition-missing").rung == 1
    assert next(p for p in log.last.protections if p.rule_id == "remedies.audit-missing").answer == "standing"


def test_without_a_negotiation_the_review_is_as_before(client):
    r = client.post("/api/v1/review", json={"paragraphs": PARAS}).get_json()
    assert "negotiation" not in r


def test_revisions_that_do_not_fit_their_paragraph_are_refused_by_name(client):
    for revision, words in [
        ({"kind": "insertion", "start": 0, "end": 99, "text": "x"}, "start <= end"),
        ({"kind": "insertion", "start": 0, "end": 3, "text": "xyz"}, "insertion's text"),
        ({"kind": "deletion", "start": 0, "end": 3, "text": "abc"}, "start must equal end"),
        ({"kind": "paste", "start": 0, "end": 0}, "Must be one of"),
    ]:
        r = client.post("/api/v1/review", json={"paragraphs": [{"id": "a", "text": "The Agency may use it.",
                                                                "revisions": [revision]}]})
        assert r.status_code == 422, revision
        assert words in r.get_json()["error"]["message"] or words in str(r.get_json()["error"]["details"])


def test_a_round_log_request_that_is_not_a_review_is_refused(client):
    first = _review(client, PARAS)
    for body, words in [
        ({"review": {"findings": "x"}, "applied": []}, "findings"),
        ({"review": {"findings": [{"id": "f-1"}]}, "applied": []}, "findings"),
        ({"review": first, "applied": [], "round_log": "<rounds"}, "round_log"),
        ({"review": {**first, "negotiation": {"ours": [{"rule_id": "x", "status": "struck", "protected": False,
                                                         "settled": False}]}}, "applied": []}, "last round"),
        ({"applied": []}, "review"),
    ]:
        r = client.post("/api/v1/round-log", json=body)
        assert r.status_code == 422, (body.keys(), r.get_json())
        assert words in str(r.get_json()["error"]), r.get_json()


def test_without_the_tracked_changes_a_change_in_the_text_is_in_text_and_asked_to_be_confirmed(client):
    """A Word that cannot give its tracked changes: our words in the text may be accepted or still
    marked, and the review says so rather than telling the freelancer the agency accepted them."""
    first = _review(client, PARAS)
    applied = [f["id"] for f in first["findings"] if f["suggestion"] and not f.get("covered_by")]
    logged = _log(client, first, applied)
    ours_applied = apply_all([Paragraph(p["id"], p["text"]) for p in PARAS], first["findings"])
    back = [{"id": p.id, "text": p.text} for p in ours_applied]
    second = _review(client, back, logged["round_log"], revisions_read=False)
    statuses = {o["status"] for o in second["negotiation"]["ours"]}
    assert statuses == {"in_text"}, statuses
    summary = second["negotiation"]["summary"]
    assert "Agency accepted" not in summary and "does not say which" in summary, summary
    assert "Please confirm that you accept" in second["negotiation"]["reply"]


def test_our_changes_are_known_by_every_name_a_round_of_ours_was_recorded_under(client):
    """In Word our tracked changes carry the Word user's name. The round log records it, so in the
    next round a change still marked under that name is ours and pending, even when the pane sends
    no name or another one (another computer); the same words under the agency's name are theirs."""
    first = _review(client, PARAS)
    applied = [f["id"] for f in first["findings"] if f["suggestion"] and not f.get("covered_by")]
    logged = _log(client, first, applied, author="Jane Doe")
    assert RoundLog.from_xml(logged["round_log"].encode()).last.author == "Jane Doe"
    accepted = apply_all([Paragraph(p["id"], p["text"]) for p in PARAS], first["findings"])

    def back(author):
        out = []
        for p in accepted:
            para = {"id": p.id, "text": p.text}
            if "Prohibition on AI Training" in p.text:  # our clause, still a tracked insertion
                para["revisions"] = [{"kind": "insertion", "author": author, "start": 0, "end": len(p.text),
                                      "text": p.text}]
            out.append(para)
        return out

    def ai_status(paragraphs, **negotiation):
        n = _review(client, paragraphs, logged["round_log"], **negotiation)["negotiation"]
        return next(o["status"] for o in n["ours"] if o["rule_id"] == "ai.prohibition-missing"), n["theirs"]

    assert ai_status(back("Jane Doe")) == ("pending", [])
    assert ai_status(back("Jane Doe"), author="J. Doe")[0] == "pending"
    assert ai_status(back("J. Doe"), author="J. Doe")[0] == "pending"
    assert ai_status(back("Agency"))[0] == "accepted"


def test_their_comment_on_one_of_our_clauses_is_the_thread_our_answer_goes_into(client):
    first = _review(client, PARAS)
    applied = [f["id"] for f in first["findings"] if f["suggestion"] and not f.get("covered_by")]
    logged = _log(client, first, applied)
    accepted = apply_all([Paragraph(p["id"], p["text"]) for p in PARAS], first["findings"])
    back = [{"id": p.id, "text": p.text} for p in accepted if "Prohibition on AI Training" not in p.text]
    audit = next(p for p in back if "Right to Audit" in p["text"])
    comments = [
        {"id": "c1", "author": "TermScore", "text": "This only applies on reasonable suspicion.",
         "paragraph_ids": [audit["id"]]},
        {"id": "c2", "author": "Agency", "text": "We need this for our AI tools.", "parent_id": "c1",
         "paragraph_ids": [audit["id"]]},
    ]
    second = _review(client, back, logged["round_log"], comments=comments)
    ours = {o["rule_id"]: o for o in second["negotiation"]["ours"]}
    assert ours["remedies.audit-missing"]["thread"] == {"comment_id": "c1", "author": "Agency",
                                                       "text": "We need this for our AI tools."}
    assert [o["rule_id"] for o in second["negotiation"]["ours"] if o["thread"]] == ["remedies.audit-missing"]
    # the log of the round the pane writes remembers the comment answered
    logged2 = _log(client, second, [], logged["round_log"])
    answered = next(p for p in RoundLog.from_xml(logged2["round_log"].encode()).last.protections
                    if p.rule_id == "remedies.audit-missing")
    assert answered.answered == "We need this for our AI tools."
    # and the next review with the same comments has no thread left to answer
    third = _review(client, back, logged2["round_log"], comments=comments)
    assert not [o for o in third["negotiation"]["ours"] if o["thread"]]


def test_a_comment_on_a_paragraph_the_request_does_not_have_is_refused_by_name(client):
    r = client.post("/api/v1/review", json={"paragraphs": PARAS, "negotiation": {
        "round_log": None, "comments": [{"id": "c1", "text": "Hello", "paragraph_ids": ["nope"]}]}})
    assert r.status_code == 422
    assert "'nope' is not the id of a paragraph" in str(r.get_json()["error"])
