"""The one place that orchestrates a review: validated input in, response body out."""

from __future__ import annotations

import logging
import time

from .engine.review import Options, Paragraph, review
from .playbook import default_playbook

log = logging.getLogger("addin_server.review")


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
    return review_paragraphs(paragraphs, options)


def catalog() -> dict:
    return default_playbook().catalog()
