"""The one place that orchestrates a review: validated input in, response body out."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from . import negotiation
from .docx.comments import Comment
from .engine.review import Options, Paragraph, review
from .playbook import default_playbook

log = logging.getLogger("addin_server.review")

SAMPLE = Path(__file__).parent / "samples" / "agency-design-agreement.txt"


def paragraphs_from_text(text: str) -> list[Paragraph]:
    """One paragraph per non-blank line (Word's paragraphs, as plain text gives them)."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    return [Paragraph(f"p-{i}", line) for i, line in enumerate(lines) if line.strip()]


def warm_up() -> float:
    """Review the bundled sample once, so that the lexicons, the clause model and the compiled
    patterns every review needs are loaded before the first request rather than during it (about
    0.2 s, which a short request deadline would otherwise spend on the first review of each worker).
    Returns the seconds it took. Our own sample: no user's text is involved."""
    started = time.perf_counter()
    review(paragraphs_from_text(SAMPLE.read_text(encoding="utf-8")), Options(), default_playbook())
    seconds = time.perf_counter() - started
    log.info("warm-up review ms=%.1f", seconds * 1000)
    return seconds


def review_paragraphs(paragraphs: list[Paragraph], options: Options) -> dict:
    started = time.perf_counter()
    result = review(paragraphs, options, default_playbook())
    # Sizes, timings and rule ids only: contract text never reaches a log.
    log.info(
        "review paragraphs=%d chars=%d findings=%d rules=%s score=%d ms=%.1f",
        len(paragraphs), result["stats"]["characters"], len(result["findings"]),
        ",".join(sorted({f["rule_id"] for f in result["findings"]})), result["score"]["value"],
        (time.perf_counter() - started) * 1000,
    )
    return result


def review_request(body: dict) -> dict:
    """Review a validated ``ReviewRequest`` body."""
    opts = body.get("options") or {}
    options = Options(
        agency_risk=opts.get("agency_risk", "high"), project_name=opts.get("project_name") or None,
        liquidated_damages=opts.get("liquidated_damages") or None, party=opts.get("party", "provider"),
    )
    paragraphs = [Paragraph(p["id"], p["text"], p.get("style"), p.get("list_label")) for p in body["paragraphs"]]
    result = review_paragraphs(paragraphs, options)
    asked = body.get("negotiation")
    tracked = [negotiation.TrackedParagraph(p["id"], p["text"], tuple(negotiation.TrackedChange(**r) for r in
                                                                       p.get("revisions") or ()))
               for p in body["paragraphs"]]
    log, error = _round_log((asked or {}).get("round_log"))
    ours = negotiation.our_authors(log, (asked or {}).get("author"))
    if any(p.revisions for p in tracked):
        negotiation.mark_their_insertions(result, tracked, ours)
    if asked is not None:
        # the pane's comments, as the .docx reader reads a file's (one typed value for both)
        comments = [Comment(c["id"], c["author"], c["date"], c["text"], c["parent_id"], c["resolved"],
                            tuple(c["paragraph_ids"]), c["offset"]) for c in asked.get("comments") or ()]
        negotiation.answer_round(log, result, tracked, ours, error, asked.get("revisions_read", True), comments)
    return result


def _round_log(xml: str | None) -> tuple[negotiation.RoundLog, str | None]:
    """The round log the pane read from the document (its custom XML part's text), as the .docx
    routes read it from the file."""
    return negotiation.read_log({negotiation.NAMESPACE: xml.encode("utf-8")} if xml else {})


def round_log_request(body: dict) -> dict:
    """The document's round log with this round added, from a ``RoundLogRequest``: the review the
    pane applied and which of its changes. Raises ValueError when the review is not one."""
    log, error = _round_log(body.get("round_log"))
    if error:
        raise ValueError(f"round_log: {error}")
    updated = negotiation.record_applied(log, body["review"], set(body["applied"]), body.get("alternatives") or {},
                                         body.get("author") or "TermScore")
    return {"round": updated.last.number, "round_log": updated.to_xml().decode("utf-8")}


def catalog() -> dict:
    return default_playbook().catalog()
