"""A shareable report of a review (or of a negotiation round), as Markdown or PDF.

The report is read from a review response (``POST /api/v1/review``, the .docx routes, the CLI's
``--json``): the score and what it rests on, the parties, the round and the reply to send with it,
each finding with the words it is about, what we propose and what we tell the other side, and the
questions for the agency. One list of blocks (:func:`blocks`) is written two ways: Markdown
(:func:`to_markdown`) and PDF (:func:`to_pdf`, with fpdf2 and a Unicode font).

Contract words are in the report because the user asked for the file; nothing here logs or keeps
them.

Example::

    >>> from addin_server.report import blocks, to_markdown
    >>> to_markdown(blocks({"score": {"value": 40, "max": 100, "grade": "D", "profile": "high",
    ...                               "categories": []}, "findings": []}))[:40]
    '# Contract review\\n\\nScore: **40/100** (D)'
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

FORMATS = ("markdown", "pdf")
#: where a Unicode TrueType font for PDF reports is looked for (Debian's fonts-dejavu-core first)
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
QUOTE_CHARS = 400  # the words a finding is about, at most


class ReportError(ValueError):
    """The review cannot be reported; the message says why."""


class FontMissing(ReportError):
    """A PDF was asked for and no Unicode font is installed."""


@dataclass(frozen=True)
class Block:
    """One piece of the report: a heading (``level`` 1-3), a paragraph, a list item, a quotation of
    the contract, or a table (``rows``, the first the header)."""

    kind: str  # heading | text | item | quote | table
    text: str = ""
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


def blocks(review: Mapping, *, title: str | None = None, paragraphs: Mapping[str, str] | None = None) -> list[Block]:
    """The report of ``review`` (a review response). ``paragraphs``: paragraph id -> text, to quote
    the words of findings whose suggestion does not carry its paragraph. Raises ReportError when
    ``review`` is not a review response."""
    try:
        score, findings = review["score"], review["findings"]
        if not isinstance(score, Mapping) or not isinstance(findings, list):
            raise TypeError("score and findings")
        value, top = int(score["value"]), int(score.get("max", 100))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ReportError(f"review is not a review response (no {exc}): send the response of a review.") from None
    paragraphs = dict(paragraphs or {})
    out = [Block("heading", title or "Contract review", 1)]
    line = f"Score: **{value}/{top}**"
    if score.get("grade"):
        line += f" ({score['grade']})"
    if score.get("profile"):
        line += f", agency risk profile {score['profile']}"
    out.append(Block("text", line + "."))
    parties = review.get("parties") if isinstance(review.get("parties"), Mapping) else {}
    if parties.get("provider") or parties.get("client"):
        who = f"Parties: {parties.get('provider') or '?'} (creates the work) and {parties.get('client') or '?'}"
        if review.get("work_term"):
            who += f"; the work: “{review['work_term']}”"
        out.append(Block("text", who + "."))
    if score.get("explanation"):
        out.append(Block("text", str(score["explanation"])))
    categories = [c for c in score.get("categories") or () if isinstance(c, Mapping)] if isinstance(
        score.get("categories"), list) else []
    if categories:
        out.append(Block("table", rows=(("Category", "Score"),) + tuple(
            (str(c.get("title", c.get("id", ""))), f"{c.get('value', 0)}/{c.get('max', 0)}") for c in categories)))

    out += _round(review.get("negotiation"))

    shown = [f for f in findings if isinstance(f, Mapping) and not f.get("covered_by")]
    shown.sort(key=lambda f: (SEVERITY_ORDER.get(str(f.get("severity")), 3), -_number(f.get("points_lost"))))
    out.append(Block("heading", f"Findings ({len(shown)})", 2))
    if not shown:
        out.append(Block("text", "Nothing to report: no risky language and no missing protection was found."))
    for n, f in enumerate(shown, 1):
        out += _finding(n, f, paragraphs)

    asked = review.get("questions")
    questions = [q for q in asked if isinstance(q, str)] if isinstance(asked, list) else []
    if questions:
        out.append(Block("heading", "Questions for the agency", 2))
        out += [Block("item", q, n) for n, q in enumerate(questions, 1)]
    return out


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _round(negotiation) -> list[Block]:
    if not isinstance(negotiation, Mapping) or not _number(negotiation.get("round")) > 1:
        return []
    out = [Block("heading", f"Round {negotiation['round']}", 2)]
    if negotiation.get("summary"):
        out.append(Block("text", str(negotiation["summary"])))
    rows = [("Our change", "What they did", "Our answer")]
    for o in negotiation.get("ours") if isinstance(negotiation.get("ours"), list) else ():
        if not isinstance(o, Mapping) or o.get("settled"):
            continue
        did = str(o.get("status", ""))
        if did == "modified":
            did += ", protection kept" if o.get("protected") else ", weakened"
        answer = "walk-away point" if o.get("walk_away") else str(o.get("reply") or "")
        rows.append((str(o.get("title") or o.get("rule_id", "")), did, answer))
    if len(rows) > 1:
        out.append(Block("table", rows=tuple(rows)))
    if negotiation.get("reply"):
        out.append(Block("heading", "Reply to send with this round", 3))
        out += [Block("quote", line) for line in str(negotiation["reply"]).split("\n") if line.strip()]
    return out


def _finding(n: int, f: Mapping, paragraphs: dict[str, str]) -> list[Block]:
    severity = str(f.get("severity") or "").upper()
    lost = f.get("points_lost")
    head = f"{n}. {f.get('title') or f.get('rule_id', 'Finding')}"
    head += f" ({severity}" + (f", −{lost} points)" if lost else ")") if severity else ""
    out = [Block("heading", head, 3)]
    where = f.get("paragraph_id")
    words = _words(f, paragraphs)
    if words:
        out.append(Block("quote", words))
    elif not where:
        out.append(Block("text", "Missing from the contract."))
    if f.get("message"):
        out.append(Block("text", str(f["message"])))
    if f.get("tracked_change"):
        tc = f["tracked_change"] if isinstance(f["tracked_change"], Mapping) else {}
        out.append(Block("text", f"These words are in a tracked {tc.get('kind', 'change')} by "
                                 f"{tc.get('author') or 'the other side'}: rejecting that change removes the risk."))
    out += _suggestion(f.get("suggestion"))
    comment = f.get("comment")
    said = comment.get("counterparty") if isinstance(comment, Mapping) else comment
    if said:
        out.append(Block("text", f"What we tell the other side: {said}"))
    return out


def _words(f: Mapping, paragraphs: dict[str, str]) -> str:
    span = f.get("span")
    pid = f.get("paragraph_id") if isinstance(f.get("paragraph_id"), str) else None
    s = f.get("suggestion") if isinstance(f.get("suggestion"), Mapping) else {}
    text = s.get("original") if pid and s.get("paragraph_id") == pid else None
    text = text if isinstance(text, str) else paragraphs.get(pid or "")
    if not text or not isinstance(span, Mapping):
        return ""
    try:
        words = text[int(span["start"]):int(span["end"])].strip()
    except (KeyError, TypeError, ValueError):
        return ""
    return words if len(words) <= QUOTE_CHARS else words[:QUOTE_CHARS - 1].rstrip() + "…"


def _suggestion(s) -> list[Block]:
    if not isinstance(s, Mapping):
        return []
    if s.get("type") == "insert":
        out = [Block("text", "We propose adding:")]
        added = s.get("paragraphs") if isinstance(s.get("paragraphs"), list) else ()
        out += [Block("quote", str(p.get("text", ""))) for p in added if isinstance(p, Mapping)]
        return out
    original = s.get("original") if isinstance(s.get("original"), str) else ""
    changes = []
    for e in s.get("edits") if isinstance(s.get("edits"), list) else ():
        try:
            old, new = original[int(e["start"]):int(e["end"])], str(e.get("text") or "")
        except (KeyError, TypeError, ValueError):
            continue
        if old and new:
            changes.append(f"replace “{old.strip()}” with “{new.strip()}”")
        elif old:
            changes.append(f"delete “{old.strip()}”")
        elif new:
            before = " ".join(original[:int(e["start"])].split()[-4:])
            changes.append(f"add “{new.strip()}” after “{before}”" if before else f"add “{new.strip()}” at the start")
    if not changes:
        return []
    return [Block("text", "We propose to " + "; ".join(changes) + ".")]


# --- Markdown -----------------------------------------------------------------------------------

def _md_escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Iterable[Block]) -> str:
    lines: list[str] = []
    for b in report:
        if b.kind == "heading":
            lines += ["#" * b.level + " " + b.text, ""]
        elif b.kind == "text":
            lines += [b.text, ""]
        elif b.kind == "item":
            lines.append(f"{b.level}. {b.text}")
        elif b.kind == "quote":
            lines += ["> " + b.text.replace("\n", " "), ""]
        elif b.kind == "table":
            header, *rows = b.rows
            lines.append("| " + " | ".join(_md_escape_cell(c) for c in header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(_md_escape_cell(c) for c in r) + " |" for r in rows]
            lines.append("")
    text = "\n".join(lines).rstrip() + "\n"
    return text.replace("\n\n\n", "\n\n")


# --- PDF ----------------------------------------------------------------------------------------

def font_path() -> str:
    """The TrueType font PDF reports are written in: ``TERMSCORE_REPORT_FONT``, else DejaVu Sans
    where Debian (fonts-dejavu-core) and others put it. Raises FontMissing when there is none."""
    configured = os.environ.get("TERMSCORE_REPORT_FONT")
    for candidate in ([configured] if configured else []) + list(FONT_PATHS):
        if candidate and Path(candidate).is_file():
            return candidate
    raise FontMissing("PDF reports need a Unicode font: install fonts-dejavu-core, or set TERMSCORE_REPORT_FONT "
                      "to a .ttf file. The Markdown report works without it.")


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def _printable(text: str) -> str:
    """Control characters and lone surrogates, which no PDF text can hold, as nothing."""
    return _UNPRINTABLE.sub("", text)


def _printable_md(text: str) -> str:
    return _UNPRINTABLE.sub("", text.replace("\x0b", " "))


def to_pdf(report: Iterable[Block], title: str = "Contract review") -> bytes:
    """The report as a PDF (A4), every character of the contract's words kept (Unicode font)."""
    from fpdf import FPDF  # imported here: only PDF reports need it

    # fpdf2 logs the characters its font lacks: contract text, which never goes to a log
    logging.getLogger("fpdf").setLevel(logging.CRITICAL)
    report = [Block(b.kind, _printable(b.text), b.level, tuple(tuple(_printable(c) for c in r) for r in b.rows))
              for b in report]
    title = _printable(title)
    regular = font_path()
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("TermScore")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("Body", "", regular)
    bold = Path(regular).with_name(Path(regular).stem + "-Bold.ttf")
    pdf.add_font("Body", "B", str(bold) if bold.is_file() else regular)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for b in report:
        pdf.set_x(pdf.l_margin)
        if b.kind == "heading":
            pdf.set_font("Body", "B", {1: 16, 2: 13}.get(b.level, 11))
            pdf.ln(2)
            pdf.multi_cell(width, 7, b.text)
            pdf.ln(1)
        elif b.kind == "text":
            pdf.set_font("Body", "", 10)
            pdf.multi_cell(width, 5, b.text, markdown=True)
            pdf.ln(1.5)
        elif b.kind == "item":
            pdf.set_font("Body", "", 10)
            pdf.multi_cell(width, 5, f"{b.level}. {b.text}")
            pdf.ln(1)
        elif b.kind == "quote":
            pdf.set_font("Body", "", 9.5)
            pdf.set_text_color(70, 70, 70)
            pdf.set_x(pdf.l_margin + 6)
            pdf.multi_cell(width - 6, 4.8, b.text)
            pdf.set_text_color(0, 0, 0)
            pdf.ln(1.5)
        elif b.kind == "table":
            pdf.set_font("Body", "", 9)
            with pdf.table(text_align="LEFT", line_height=4.8, first_row_as_headings=True) as table:
                for r in b.rows:
                    row = table.row()
                    for c in r:
                        row.cell(c)
            pdf.ln(2)
    return bytes(pdf.output())


def render(review: Mapping, fmt: str = "markdown", *, title: str | None = None,
           paragraphs: Mapping[str, str] | None = None) -> tuple[bytes, str]:
    """The report as (bytes, media type) in ``fmt`` (markdown | pdf)."""
    if fmt not in FORMATS:
        raise ReportError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}.")
    report = blocks(review, title=title, paragraphs=paragraphs)
    if fmt == "pdf":
        return to_pdf(report, title or "Contract review"), "application/pdf"
    return _printable_md(to_markdown(report)).encode("utf-8"), "text/markdown; charset=utf-8"
