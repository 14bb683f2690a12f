"""The review and the redline of a .docx file: the same engine, with the file's own paragraphs."""

from __future__ import annotations

import logging
import time

from .config import Settings
from .docx import DocxError, read_docx
from .docx.writer import redline_docx
from .engine.apply import changes_for
from .engine.review import Options, Paragraph
from .negotiation import answer_round, mark_their_insertions, next_log, our_authors, read_log, thread_replies
from .service import review_paragraphs

log = logging.getLogger("addin_server.docx")


def _paragraphs(doc) -> list[Paragraph]:
    return [Paragraph(p.id, p.text, p.style, p.list_label) for p in doc]


def check_text_limits(doc, settings: Settings) -> None:
    """The text limits of ``POST /api/v1/review`` (``max_paragraphs``, ``max_paragraph_chars``,
    ``max_total_chars``), for the paragraphs read from a .docx: a ``text_limit`` DocxError (413)
    naming the limit, a paragraph id and sizes, never the text."""
    paragraphs = doc.paragraphs
    if len(paragraphs) > settings.max_paragraphs:
        raise DocxError("text_limit", f"Too many paragraphs: {len(paragraphs)} (limit {settings.max_paragraphs}).")
    total = 0
    for p in paragraphs:
        if len(p.text) > settings.max_paragraph_chars:
            raise DocxError("text_limit", f"Paragraph {p.id} is longer than {settings.max_paragraph_chars} "
                                          f"characters ({len(p.text)} characters).")
        total += len(p.text)
    if total > settings.max_total_chars:
        raise DocxError("text_limit", f"Document too long: {total} characters (limit {settings.max_total_chars}).")


def review_docx_bytes(data: bytes, options: Options, settings: Settings | None = None,
                      author: str = "TermScore") -> dict:
    """The JSON review of a .docx, plus the paragraphs it read (ids are stable for the same file).

    The text reviewed is the text with every tracked change accepted: what the other side proposes.
    Each paragraph lists its tracked changes (``revisions``, with their authors; ``ours`` when made
    under ``author``, the name our own redlines are written under), and a finding whose words the
    other side inserted says so (``tracked_change``): the risk is in their proposal, and rejecting
    that change in Word removes it. ``settings`` gives the text limits (default: the documented
    defaults).

    ``negotiation`` says which round the document is in (from the round log our redlines keep in
    it), what the other side did with each change of our last round, and what we answer: a struck
    or weakened protection's finding carries its next position (negotiation/rounds.py)."""
    return _review_docx(data, options, settings, author)[0]


def _review_docx(data: bytes, options: Options, settings: Settings | None, author: str):
    doc = read_docx(data)
    check_text_limits(doc, settings or Settings())
    paragraphs = _paragraphs(doc)
    if not any(p.text.strip() for p in paragraphs):
        raise ValueError("The document has no text to review.")
    result = review_paragraphs(paragraphs, options)
    log, log_error = read_log(doc.custom_xml)
    ours = our_authors(log, author)
    result["paragraphs"] = [p.to_request() | {"flags": _flags(p)} | _revisions(p, ours) for p in doc]
    if doc.comments:
        result["comments"] = [c.to_wire() | {"ours": c.author in ours} for c in doc.comments]
    mark_their_insertions(result, doc.paragraphs, ours)
    outcomes = answer_round(log, result, doc.paragraphs, ours, log_error, comments=doc.comments)
    return result, log, outcomes


def _revisions(p, ours: frozenset[str]) -> dict:
    if not p.revisions:
        return {}
    return {"revisions": [r.to_wire() | {"ours": r.author in ours} for r in p.revisions]}


def _flags(p) -> list[str]:
    return [name for name in ("in_table", "has_revisions", "has_fields", "has_content_controls", "has_comments")
            if getattr(p, name)]


def redline_docx_bytes(data: bytes, options: Options, author: str = "TermScore", ids: set[str] | None = None,
                       audience: str = "counterparty", alternatives: dict[str, int] | None = None,
                       exclude: set[str] = frozenset(), settings: Settings | None = None):
    """Review the file and write the chosen suggestions into it as tracked changes with comments.

    Returns ``(docx bytes, report, review)``; the report says, per finding, whether its change was
    applied, left as a comment only, or skipped, and why. From round two on, our answer to each
    protection the other side commented on goes into their thread as a reply (report entries with
    reason ``reply``), and a walk-away point gets a comment on its clause.
    """
    started = time.perf_counter()
    result, rounds, outcomes = _review_docx(data, options, settings, author)
    if exclude:
        ids = (ids if ids is not None else {f["id"] for f in result["findings"]}) - set(exclude)
    changes = changes_for(result, ids, audience, alternatives)
    # our answers to their comments: replies in their threads (and the walk-away points)
    # (to the other side only, and only for the findings chosen)
    replies = [r for r in thread_replies(outcomes) if audience == "counterparty" and (
        ids is None or r["finding_id"] in ids or r["finding_id"].startswith("round:"))]
    # the changes the writer could apply go into the file's round log
    out, report = redline_docx(data, changes + replies, author=author, custom_xml=lambda report: next_log(
        rounds, outcomes, result, changes, report[:len(changes)], author).to_xml())
    log.info("redline bytes_in=%d bytes_out=%d changes=%d applied=%d ms=%.1f", len(data), len(out), len(changes),
             sum(1 for r in report if r["status"] == "applied"), (time.perf_counter() - started) * 1000)
    return out, report, result
