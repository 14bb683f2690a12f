"""Every request and response schema of /api/v1, in one module."""

from __future__ import annotations

from flask import current_app
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates, validates_schema


def _no_surrogates(value: str, what: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(f"{what} contains an unpaired UTF-16 surrogate; send valid Unicode text.") from None


REVISION_KINDS = ("insertion", "deletion", "move_to", "move_from", "format")
MAX_REVISIONS = 500  # per paragraph
MAX_ROUND_LOG = 2_000_000  # characters: a log is a few kilobytes


class RevisionIn(Schema):
    """A tracked change in the paragraph as Word reads it, with offsets into ``text`` (the text with
    every tracked change accepted, as the paragraph is sent): an insertion's ``text`` is
    ``text[start:end]``; a deletion sits at ``start == end`` and ``text`` is what it deleted."""

    kind = fields.String(required=True, validate=validate.OneOf(REVISION_KINDS))
    author = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    date = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    start = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    end = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    text = fields.String(load_default="")


MAX_COMMENTS = 1_000  # per document


class CommentIn(Schema):
    """A comment or reply in the document as Word reads it (WordApi 1.4): a reply names the comment
    it answers (``parent_id``); ``paragraph_ids`` are the ids of the request's paragraphs its range
    covers, ``offset`` where the range starts in the first of them (optional)."""

    id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    author = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    date = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    text = fields.String(load_default="", validate=validate.Length(max=20_000))
    parent_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    resolved = fields.Boolean(load_default=False)
    paragraph_ids = fields.List(fields.String(validate=validate.Length(min=1, max=200)), load_default=list,
                                validate=validate.Length(max=MAX_REVISIONS))
    offset = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=0))


class NegotiationIn(Schema):
    round_log = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=MAX_ROUND_LOG),
                              metadata={"description": "The document's round log part as Word gives it "
                                                       "(customXmlParts, namespace urn:termscore:round-log:1); "
                                                       "null before our first redline."})
    author = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200),
                           metadata={"description": "The name our tracked changes are written under (in Word, the "
                                                    "Word user's name). Every name an earlier round of the log was "
                                                    "recorded under is ours too; with neither, TermScore."})
    revisions_read = fields.Boolean(load_default=True,
                                    metadata={"description": "false: the paragraphs come without their tracked changes "
                                                             "(a Word that cannot give them); a change of ours in the "
                                                             "text is then in_text, not accepted or pending."})
    comments = fields.List(fields.Nested(CommentIn), load_default=list, validate=validate.Length(max=MAX_COMMENTS),
                           metadata={"description": "The document's comments and replies (round two on): the other "
                                                    "side's open thread about one of our changes is where our answer "
                                                    "goes (negotiation.ours[].thread)."})


class ParagraphIn(Schema):
    """One paragraph. Lengths and Unicode are checked once for the whole list, in ReviewRequest."""

    id = fields.String(required=True, metadata={"description": "Client-chosen id, unique in the request (1-200 characters)."})
    text = fields.String(required=True, metadata={"description": "The paragraph exactly as in Word; offsets index this string."})
    style = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    list_label = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))
    revisions = fields.List(fields.Nested(RevisionIn), load_default=list, validate=validate.Length(max=MAX_REVISIONS),
                            metadata={"description": "The paragraph's tracked changes, with their authors (round two on)."})


class OptionsIn(Schema):
    agency_risk = fields.String(load_default="high", validate=validate.OneOf(["high", "medium", "low"]),
                                metadata={"description": "The seed's agency risk profile: how hard to push."})
    project_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    liquidated_damages = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    party = fields.String(load_default="provider", validate=validate.OneOf(["provider", "client"]),
                          metadata={"description": "Whose side we take; provider = the party that creates the work."})

    @validates_schema
    def _unicode(self, data: dict, **_) -> None:
        for key in ("project_name", "liquidated_damages"):
            if data.get(key):
                _no_surrogates(data[key], key)


class ReviewRequest(Schema):
    paragraphs = fields.List(fields.Nested(ParagraphIn), required=True)
    options = fields.Nested(OptionsIn, load_default=lambda: OptionsIn().load({}))
    negotiation = fields.Nested(NegotiationIn, load_default=None, allow_none=True,
                                metadata={"description": "Given (even with a null round_log), the response has "
                                                         "`negotiation`: the round, and what became of our last one."})

    @validates_schema(skip_on_field_errors=True)
    def _revisions(self, data: dict, **_) -> None:
        for i, p in enumerate(data["paragraphs"]):
            for j, r in enumerate(p.get("revisions") or ()):
                where = {i: {"revisions": {j: None}}}
                problem = None
                if not r["start"] <= r["end"] <= len(p["text"]):
                    problem = f"start and end must satisfy 0 <= start <= end <= {len(p['text'])} (the paragraph's length)."
                elif r["kind"] in ("insertion", "move_to") and p["text"][r["start"]:r["end"]] != r["text"]:
                    problem = "an insertion's text must be the paragraph's text from start to end."
                elif r["kind"] in ("deletion", "move_from") and r["start"] != r["end"]:
                    problem = "a deletion sits at one point of the text sent: start must equal end."
                if problem:
                    where[i]["revisions"][j] = [problem]
                    raise ValidationError(where, "paragraphs")

    @validates_schema(skip_on_field_errors=True)
    def _comments(self, data: dict, **_) -> None:
        comments = (data.get("negotiation") or {}).get("comments") or ()
        ids = {p["id"] for p in data["paragraphs"]}
        for i, c in enumerate(comments):
            unknown = [pid for pid in c["paragraph_ids"] if pid not in ids]
            if unknown:
                raise ValidationError({"comments": {i: {"paragraph_ids": [
                    f"{unknown[0]!r} is not the id of a paragraph of this request."]}}}, "negotiation")
            _no_surrogates(c["text"], "A comment's text")

    @validates_schema(skip_on_field_errors=True)
    def _paragraphs(self, data: dict, **_) -> None:
        value = data["paragraphs"]
        settings = current_app.config["TERMSCORE"]
        if not value:
            raise ValidationError("The document has no paragraphs to review.", "paragraphs")
        if len(value) > settings.max_paragraphs:
            raise ValidationError(f"Too many paragraphs: {len(value)} (limit {settings.max_paragraphs}).", "paragraphs")
        total = sum(len(p["text"]) for p in value)
        if total > settings.max_total_chars:
            raise ValidationError(f"Document too long: {total} characters (limit {settings.max_total_chars}).", "paragraphs")
        if not any(p["text"].strip() for p in value):
            raise ValidationError("The document is empty: every paragraph is blank.", "paragraphs")
        seen: set[str] = set()
        id_limit, text_limit = settings.max_id_chars, settings.max_paragraph_chars
        for i, p in enumerate(value):
            pid, text = p["id"], p["text"]
            if not pid or len(pid) > id_limit:
                raise ValidationError({i: {"id": [f"Paragraph id must be 1 to {id_limit} characters."]}}, "paragraphs")
            if len(text) > text_limit:
                raise ValidationError({i: {"text": [f"Paragraph text is longer than {text_limit} characters."]}}, "paragraphs")
            if pid in seen:
                raise ValidationError(f"Duplicate paragraph id {pid!r}: ids must be unique.", "paragraphs")
            seen.add(pid)
        # One encode of the whole request finds any unpaired surrogate; only then look for which.
        try:
            "".join(p["id"] + p["text"] + (p.get("style") or "") + (p.get("list_label") or "") for p in value).encode("utf-8")
        except UnicodeEncodeError:
            for i, p in enumerate(value):
                for key in ("id", "text", "style", "list_label"):
                    try:
                        (p.get(key) or "").encode("utf-8")
                    except UnicodeEncodeError:
                        raise ValidationError({i: {key: [f"Paragraph {key} contains an unpaired UTF-16 surrogate; send valid Unicode text."]}}, "paragraphs") from None


class AnchorTarget(Schema):
    text = fields.String()
    search = fields.String(metadata={"description": "Escaped for Word's search (^^, ^t, ^l)."})
    occurrence = fields.Integer()


class Anchor(Schema):
    mode = fields.String(metadata={"description": "replace | after | before"})
    target = fields.Nested(AnchorTarget, allow_none=True)
    head = fields.Nested(AnchorTarget)
    tail = fields.Nested(AnchorTarget)


class EditOut(Schema):
    start = fields.Integer()
    end = fields.Integer()
    text = fields.String()
    anchor = fields.Nested(Anchor)


class NewParagraph(Schema):
    text = fields.String()
    style = fields.String()
    list_label = fields.String(allow_none=True)


class Suggestion(Schema):
    type = fields.String(metadata={"description": "edit | insert"})
    label = fields.String()
    paragraph_id = fields.String()
    original = fields.String()
    revised = fields.String()
    edits = fields.List(fields.Nested(EditOut))
    shared_with = fields.String()
    insert_after = fields.String()
    order = fields.Integer()
    paragraphs = fields.List(fields.Nested(NewParagraph))


class Span(Schema):
    start = fields.Integer()
    end = fields.Integer()


class Comment(Schema):
    counterparty = fields.String()
    internal = fields.String()


class NearMissOut(Schema):
    paragraph_id = fields.String()
    span = fields.Nested(lambda: Span())
    section = fields.String(allow_none=True)
    reason = fields.String(metadata={"description": "other_side | definition | words_only"})
    explanation = fields.String()


class Evidence(Schema):
    looked_for = fields.List(fields.String(), metadata={"description": "The clause types searched for."})
    paragraphs = fields.Integer()
    sentences = fields.Integer()
    sections = fields.List(fields.String(), metadata={"description": "Top-level section numbers searched."})
    near_misses = fields.List(fields.Nested(NearMissOut))


class Finding(Schema):
    id = fields.String()
    rule_id = fields.String()
    kind = fields.String()
    severity = fields.String()
    category = fields.String()
    clause_type = fields.String()
    title = fields.String()
    message = fields.String()
    paragraph_id = fields.String(allow_none=True)
    span = fields.Nested(Span, allow_none=True)
    points = fields.Integer()
    points_lost = fields.Integer()
    comment = fields.Nested(Comment)
    suggestion = fields.Nested(Suggestion, allow_none=True)
    alternatives = fields.List(fields.Nested(Suggestion))
    position = fields.String(metadata={"description": "preferred: the suggestion is the rule's preferred fix and the "
                                                      "alternatives its fallbacks; fallback: the suggestion is the "
                                                      "fallback and the first alternative the preferred fix."})
    covered_by = fields.String()
    covers = fields.List(fields.String())
    evidence = fields.Nested(Evidence, metadata={"description": "Missing findings: what was searched, and what came closest."})
    tracked_change = fields.Dict(metadata={"description": ".docx only: the other side's tracked insertion the finding's "
                                                          "words are in (kind, author, date)."})


class CategoryScore(Schema):
    id = fields.String()
    title = fields.String()
    value = fields.Integer()
    max = fields.Integer()
    lost = fields.List(fields.Dict())


class Exposure(Schema):
    share = fields.Float()
    paragraph_id = fields.String(allow_none=True)
    types = fields.List(fields.String())


class Score(Schema):
    value = fields.Integer()
    max = fields.Integer()
    grade = fields.String()
    profile = fields.String()
    categories = fields.List(fields.Nested(CategoryScore))
    exposure = fields.Nested(Exposure)
    explanation = fields.String()


class ReviewResponse(Schema):
    score = fields.Nested(Score)
    profile = fields.Dict()
    parties = fields.Dict(keys=fields.String(), values=fields.String())
    parties_detected = fields.Dict()
    party_names = fields.Dict(keys=fields.String(), values=fields.String(),
                              metadata={"description": "How our sentences name each side mid-sentence: "
                                                       "\"the Agency\", \"Acme\"."})
    work_term = fields.String()
    project_term = fields.String(allow_none=True)
    defined_terms = fields.List(fields.Dict())
    form = fields.Dict(metadata={"description": "standard_terms: the creator accepts these terms by conduct (a "
                                                "platform's terms); paragraph_id: where it says so; not_asked: the "
                                                "missing-clause findings reported and scored with no clause written."})
    clauses = fields.List(fields.Dict())
    findings = fields.List(fields.Nested(Finding))
    questions = fields.List(fields.String())
    stats = fields.Dict()
    negotiation = fields.Dict(metadata={"description": "The round the document is in, what became of each change of "
                                                       "our last round, and a reply (docs/wire-format.md)."})


class ReportParagraph(Schema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    text = fields.String(required=True)


class ReportRequest(Schema):
    """A review to write up as a shareable report (Markdown, or PDF)."""

    review = fields.Dict(required=True, metadata={"description": "A review response (POST /api/v1/review or the "
                                                                 ".docx review), round included."})
    format = fields.String(load_default="markdown", validate=validate.OneOf(("markdown", "pdf")))
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200))
    paragraphs = fields.List(fields.Nested(ReportParagraph), load_default=list,
                             metadata={"description": "The paragraphs reviewed, to quote the words of each finding "
                                                      "(optional: a finding whose fix is an edit quotes from it)."})

    @validates_schema(skip_on_field_errors=True)
    def _size(self, data: dict, **_) -> None:
        settings = current_app.config["TERMSCORE"]
        if len(data["paragraphs"]) > settings.max_paragraphs:
            raise ValidationError(f"Too many paragraphs: {len(data['paragraphs'])} (limit {settings.max_paragraphs}).",
                                  "paragraphs")
        if sum(len(p["text"]) for p in data["paragraphs"]) > settings.max_total_chars:
            raise ValidationError(f"Paragraphs too long (limit {settings.max_total_chars} characters).", "paragraphs")


class RoundLogRequest(Schema):
    """What the pane applied of a review, to record as the document's next round."""

    round_log = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=MAX_ROUND_LOG))
    author = fields.String(load_default="TermScore", validate=validate.Length(min=1, max=200))
    review = fields.Dict(required=True, metadata={"description": "The response of POST /api/v1/review this round."})
    applied = fields.List(fields.String(validate=validate.Length(min=1, max=200)), required=True,
                          validate=validate.Length(max=5000),
                          metadata={"description": "The ids of the findings whose changes were applied."})
    alternatives = fields.Dict(keys=fields.String(), values=fields.Integer(strict=True), load_default=dict,
                               metadata={"description": "Finding id -> index of the alternative applied instead."})


class RoundLogResponse(Schema):
    round = fields.Integer()
    round_log = fields.String(metadata={"description": "The log with this round added: write it to the document."})


class ErrorBody(Schema):
    status = fields.Integer()
    code = fields.String()
    message = fields.String()
    details = fields.Dict()


class ErrorResponse(Schema):
    error = fields.Nested(ErrorBody)


class DocxReviewForm(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary", "description": "The .docx file."})
    options = fields.String(metadata={"description": "JSON object with the review options (agency_risk, project_name, liquidated_damages, party)."})
    author = fields.String(metadata={"description": "The name our tracked changes and comments are written under "
                                                    "(default TermScore): the file's revisions by anyone else are the "
                                                    "other side's."})


class RedlineForm(DocxReviewForm):
    findings = fields.String(metadata={"description": "JSON list of finding ids to apply (default: all)."})
    dismissed = fields.String(metadata={"description": "JSON list of finding ids not to apply."})
    alternatives = fields.String(metadata={"description": "JSON object: finding id -> index of the fallback to use instead."})
    comment_audience = fields.String(metadata={"description": "counterparty (default) or internal."})
