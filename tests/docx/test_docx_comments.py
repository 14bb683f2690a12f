"""Comments and reply threads in .docx files (issue 13): read with their authors, threads and
anchors; our answer written as a reply in the other side's thread, the way Word keeps threads."""

import io
import zipfile

from addin_server.docx import read_docx
from addin_server.docx.comments import W15_NS
from addin_server.docx.writer import redline_docx
from addin_server.negotiation.log import Protection
from addin_server.negotiation.threads import match_threads, thread_for
from addin_server.negotiation import TrackedChange, TrackedParagraph
from docx_factory import build_docx, p, r, read_part, replace_part

CONTRACT = p(r("The Designer grants the Agency a licence to use the Deliverables for the Campaign."))


def _their_comment(data: bytes):
    return next(c for c in read_docx(data).comments if c.author == "Agency")


def test_comments_are_read_with_author_text_and_the_paragraphs_they_cover():
    doc = read_docx(build_docx(CONTRACT))
    (c,) = doc.comments
    assert (c.author, c.text, c.parent_id, c.done) == ("Agency", "An earlier reviewer's comment.", None, False)
    assert [doc[pid].text for pid in c.paragraph_ids] == ["Existing commented paragraph."]


def test_a_reply_goes_into_the_thread_of_the_comment_it_answers():
    data = build_docx(CONTRACT)
    theirs = _their_comment(data)
    out, report = redline_docx(data, [{"finding_id": "f-1", "comment": "We would like to keep it.",
                                       "reply_to": theirs.id}], author="Designer")
    assert report == [{"finding_id": "f-1", "status": "commented", "reason": "reply"}]
    doc = read_docx(out)
    reply = next(c for c in doc.comments if c.author == "Designer")
    assert (reply.parent_id, reply.text, reply.paragraph_ids) == (theirs.id, "We would like to keep it.", theirs.paragraph_ids)
    package = zipfile.ZipFile(io.BytesIO(out))
    assert "word/commentsExtended.xml" in package.namelist()
    assert b"commentsExtended+xml" in package.read("[Content_Types].xml")
    assert b"relationships/commentsExtended" in package.read("word/_rels/document.xml.rels")
    assert [x.text for x in doc] == [x.text for x in read_docx(data)]  # the text is untouched

    # a second round appends to the same thread part and the same thread
    again, _ = redline_docx(out, [{"finding_id": "f-2", "comment": "Any news?", "reply_to": theirs.id}],
                            author="Designer")
    replies = [c for c in read_docx(again).comments if c.author == "Designer"]
    assert [c.parent_id for c in replies] == [theirs.id, theirs.id]
    assert [n for n in zipfile.ZipFile(io.BytesIO(again)).namelist() if "commentsExtended" in n] == \
        ["word/commentsExtended.xml"]


def test_a_reply_to_a_comment_the_file_does_not_have_is_skipped_and_says_why():
    data = build_docx(CONTRACT)
    out, report = redline_docx(data, [{"finding_id": "f-1", "comment": "Hello.", "reply_to": "999"}])
    assert report == [{"finding_id": "f-1", "status": "skipped", "reason": "unknown_comment"}]
    assert [c.text for c in read_docx(out).comments] == ["An earlier reviewer's comment."]


def test_a_damaged_thread_part_reads_as_comments_without_threads():
    data = build_docx(CONTRACT)
    theirs = _their_comment(data)
    out, _ = redline_docx(data, [{"finding_id": "f-1", "comment": "Reply.", "reply_to": theirs.id}])
    broken = replace_part(out, "word/commentsExtended.xml", b"<w15:commentsEx xmlns:w15='" + W15_NS.encode() + b"'><oops")
    comments = read_docx(broken).comments
    assert [c.text for c in comments] == ["An earlier reviewer's comment.", "Reply."]
    assert all(c.parent_id is None for c in comments)
    assert b"<oops" not in read_part(out, "word/commentsExtended.xml")


# --- which thread speaks about a protection -----------------------------------------------------

class _C:
    def __init__(self, id, author, text, paragraph_ids, parent_id=None, date=None, done=False, offset=None):
        self.id, self.author, self.text, self.parent_id = id, author, text, parent_id
        self.paragraph_ids, self.date, self.done, self.offset = tuple(paragraph_ids), date, done, offset


AUDIT = Protection("remedies.audit-missing", "insert", 0, "p-3", added="Right to Audit. If the Designer has reasons ...")
PARAS = [TrackedParagraph("p-4", "Right to Audit. If the Designer has reasons ..."),
         TrackedParagraph("p-9", "", (TrackedChange("deletion", 0, 0, "Liquidated Damages. The Agency shall pay ...",
                                                    "Agency"),))]


def test_their_comment_on_our_clause_or_their_reply_to_our_comment_is_the_thread_to_answer():
    mine = _C("5", "TermScore", "This only applies on reasonable suspicion.", ["p-4"], date="2026-12-01T10:00:00Z")
    reply = _C("7", "Agency", "We need this for our AI tools.", ["p-4"], parent_id="5", date="2026-12-02T09:00:00Z")
    elsewhere = _C("8", "Agency", "Fine.", ["p-1"])
    found = thread_for(AUDIT, "p-4", [mine, reply, elsewhere], PARAS, {"TermScore"})
    assert (found.root_id, found.author, found.text) == ("5", "Agency", "We need this for our AI tools.")


def test_a_thread_is_not_answered_when_our_word_is_the_last_resolved_or_answered_in_an_earlier_round():
    theirs = _C("7", "Agency", "We need this for our AI tools.", ["p-4"])
    ours_last = _C("9", "TermScore", "We would like to keep it.", ["p-4"], parent_id="7")
    assert thread_for(AUDIT, "p-4", [theirs, ours_last], PARAS, {"TermScore"}) is None
    resolved = _C("7", "Agency", "We need this for our AI tools.", ["p-4"], done=True)
    assert thread_for(AUDIT, "p-4", [resolved], PARAS, {"TermScore"}) is None
    answered = Protection(AUDIT.rule_id, "insert", 0, "p-3", added=AUDIT.added, answered="We need this for  our AI tools.")
    assert thread_for(answered, "p-4", [theirs], PARAS, {"TermScore"}) is None
    assert thread_for(AUDIT, "p-4", [theirs], PARAS, {"TermScore"}).root_id == "7"


def test_their_comment_on_the_clause_they_struck_is_found_where_their_deletion_stands():
    struck = Protection("remedies.liquidated-damages-missing", "insert", 0, "p-8",
                        added="Liquidated Damages. The Agency shall pay ...")
    on_deletion = _C("3", "Agency", "Too high.", ["p-9"])
    found = thread_for(struck, None, [on_deletion], PARAS, {"TermScore"})
    assert found is not None and found.text == "Too high."


def test_two_clauses_of_ours_in_one_paragraph_each_get_the_comment_that_starts_in_their_words():
    # they rejected the clause between two of ours, so the two now share a paragraph
    text = "Injunctive Relief. The Agency acknowledges ... Right to Audit. If the Designer has reasons ..."
    paras = [TrackedParagraph("p-8", text)]
    injunction = Protection("remedies.injunctive-relief-missing", "insert", 0, "p-7",
                            added="Injunctive Relief. The Agency acknowledges ...")
    audit = Protection(AUDIT.rule_id, "insert", 0, "p-3", added=AUDIT.added)
    comment = _C("9", "Agency", "We need this for our AI tools.", ["p-8"], offset=text.index("Right to Audit"))
    found = match_threads([(injunction, "p-8"), (audit, "p-8")], [comment], paras, {"TermScore"})
    assert found[0] is None and found[1].root_id == "9"
