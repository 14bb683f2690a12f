"""Negotiation in rounds, in the document: the round log the document carries (log.py), what the
other side did with our last round and what we answer (rounds.py), and the glue the .docx routes
use (this module). The server keeps nothing between rounds: the log travels in the file."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace
from typing import Collection, Sequence

from ..engine.apply import changes_for
from ..playbook import default_playbook
from .log import NAMESPACE, Protection, Round, RoundLog, RoundLogError
from .rounds import Outcome, ParagraphLike, advance, assess, carried, ladder, offered_rung, summary
from .threads import CommentLike, Thread, match_threads, reply_in_thread

__all__ = ["NAMESPACE", "Protection", "Round", "RoundLog", "RoundLogError", "Thread", "TrackedChange", "TrackedParagraph",
           "read_log", "answer_round", "mark_their_insertions", "next_log", "our_authors", "record_applied",
           "thread_replies"]


@dataclass(frozen=True)
class TrackedChange:
    """A tracked change as the Word pane reads it (``POST /api/v1/review``'s ``revisions``): offsets
    into the paragraph's text with every change accepted."""

    kind: str
    start: int
    end: int
    text: str = ""
    author: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class TrackedParagraph:
    id: str
    text: str
    revisions: tuple[TrackedChange, ...] = field(default_factory=tuple)


def read_log(custom_xml: dict[str, bytes]) -> tuple[RoundLog, str | None]:
    """The document's round log (empty before our first redline), and why it could not be read, if
    it could not: a damaged log starts the negotiation afresh rather than failing the review."""
    data = custom_xml.get(NAMESPACE)
    if data is None:
        return RoundLog(), None
    try:
        return RoundLog.from_xml(data), None
    except RoundLogError as exc:
        return RoundLog(), str(exc)


def our_authors(log: RoundLog, author: str | None) -> frozenset[str]:
    """The names our tracked changes are written under: the one the caller gives and each one an
    earlier round of ours was recorded under (with neither, TermScore). In Word our changes carry
    the Word user's name, which may change between rounds (another computer); every earlier name
    stays ours."""
    names = {r.author for r in log.rounds if r.author} | ({author} if author else set())
    return frozenset(names or {"TermScore"})


def mark_their_insertions(result: dict, paragraphs: Sequence[ParagraphLike], ours: Collection[str]) -> None:
    """A finding whose words are (mostly) in the other side's tracked insertion says so
    (``tracked_change``: kind, author, date): the risk is in their proposal, and rejecting that
    change removes it. Our own insertions (written under a name in ``ours``) are not theirs."""
    by_id = {p.id: p for p in paragraphs}
    for f in result["findings"]:
        p = by_id.get(f["paragraph_id"])
        if p is None or not f["span"]:
            continue
        start, end = f["span"]["start"], f["span"]["end"]
        for r in p.revisions:
            if r.kind in ("insertion", "move_to") and r.author not in ours:
                overlap = min(end, r.end) - max(start, r.start)
                if overlap > 0 and overlap * 2 >= end - start:
                    f["tracked_change"] = {"kind": r.kind, "author": r.author, "date": getattr(r, "date", None)}
                    break


def answer_round(log: RoundLog, result: dict, paragraphs: Sequence[ParagraphLike], ours: Collection[str],
                 log_error: str | None = None, revisions_read: bool = True,
                 comments: Sequence[CommentLike] = ()) -> list[Outcome]:
    """Set ``result["negotiation"]`` for the round the document is in, and move each struck or
    weakened protection's finding to its next position. Returns the previous round's outcomes,
    each with the other side's open comment thread about it, if any (``comments``: the document's
    comments and replies, threads.py)."""
    previous = log.last
    theirs = [f["id"] for f in result["findings"] if f.get("tracked_change")]
    outcomes: list[Outcome] = []
    rules = {r.id: (r.title, r.protection) for r in default_playbook().rules}
    if previous is not None:
        outcomes = assess(previous, result["findings"], paragraphs, ours, rules, revisions_read)
        outcomes = _with_threads(outcomes, previous, comments, paragraphs, ours, rules)
        result["findings"] = advance(result["findings"], outcomes)
    by_finding = {f["id"]: f for f in result["findings"]}
    ours = [o.to_wire(by_finding.get(o.finding_id, {}).get("suggestion") if o.rung is not None else None)
            for o in outcomes]
    client = (result.get("party_names") or {}).get("client") or "the other side"
    number = log.next_number
    negotiation = {"round": number, "ours": ours, "theirs": theirs,
                   "summary": summary(number, outcomes, len(theirs), client),
                   "reply": cover_message(outcomes, theirs, result, rules)}
    if log_error:
        negotiation["log_error"] = log_error
    result["negotiation"] = negotiation
    return outcomes


def _with_threads(outcomes: list[Outcome], previous: Round, comments: Sequence[CommentLike],
                  paragraphs: Sequence[ParagraphLike], ours: Collection[str],
                  rules: dict[str, tuple[str, str]]) -> list[Outcome]:
    """Each outcome with news, and the open thread of theirs about it (each thread answered once)."""
    if not comments:
        return outcomes
    open_items = [(i, prot, o) for i, (prot, o) in enumerate(zip(previous.protections, outcomes)) if not o.settled]
    found = match_threads([(prot, o.paragraph_id) for _, prot, o in open_items], comments, paragraphs, ours)
    out = list(outcomes)
    for (i, _, o), thread in zip(open_items, found):
        if thread is not None:
            out[i] = replace(o, thread=thread, reply=reply_in_thread(o, rules.get(o.rule_id, ("", "change"))[1]))
    return out


def thread_replies(outcomes: list[Outcome]) -> list[dict]:
    """Our answers that go into the document as comments (writer change list, docx/writer.py): a
    reply in the other side's thread where they commented on a protection, and, at a walk-away
    point (no change to mark), a comment on the clause saying so."""
    out = []
    for o in outcomes:
        if o.settled or not o.reply:
            continue
        key = o.finding_id or f"round:{o.rule_id}"
        if o.thread is not None:
            out.append({"finding_id": key, "comment": o.reply, "reply_to": o.thread.root_id})
        elif o.walk_away and o.paragraph_id:
            out.append({"finding_id": key, "comment": o.reply, "paragraph_id": o.paragraph_id})
    return out


def cover_message(outcomes: list[Outcome], theirs: list[str], result: dict, rules: dict[str, tuple[str, str]]) -> str:
    """A short, polite message to send with the round's redline: what we accept, what is still open,
    what we propose instead, and where we cannot move. Empty in round one (the redline's comments
    speak for it). Changes accepted or still open are named together, one line each. ``rules``: rule
    id -> (title, what our change for it is called)."""
    news = [o for o in outcomes if not o.settled]
    if not news and not theirs:
        return ""

    def named(statuses: tuple[str, ...]) -> str:
        return _names([rules.get(o.rule_id, ("", "change"))[1] for o in news if o.status in statuses])

    accepted, pending = named(("accepted",)), named(("pending", "in_text"))
    lines = ["Thank you for your changes to the draft. Our answers are marked in the document:"]
    if accepted:
        lines.append(f"- Thank you for accepting our {accepted}.")
    lines += [f"- {o.reply}" for o in news if o.status not in ("accepted", "pending", "in_text")]
    if pending:
        lines.append(f"- Please confirm that you accept our {pending}, still marked as changes.")
    by_id = {f["id"]: f for f in result["findings"]}
    for fid in theirs:
        f = by_id.get(fid)
        if f is not None:
            lines.append(f"- {f['title']}: we cannot accept the new wording as it stands; our change is marked.")
    lines.append("We look forward to your reply.")
    return "\n".join(lines)


def _names(items: list[str]) -> str:
    """"audit clause, limit on the media and AI-training clause", each named once, in order."""
    unique = list(dict.fromkeys(items))
    if len(unique) <= 2:
        return " and ".join(unique)
    return ", ".join(unique[:-1]) + " and " + unique[-1]


def next_log(log: RoundLog, outcomes: list[Outcome], result: dict, changes: list[dict], report: list[dict],
             author: str, today: _dt.date | None = None) -> RoundLog:
    """The log with this round added: the changes the redline applied, by rule and ladder position,
    and the earlier protections that stand or are at their walk-away point."""
    by_id = {f["id"]: f for f in result["findings"]}
    status_of = {o.finding_id: o.status for o in outcomes if o.finding_id}
    protections: list[Protection] = carried(outcomes, log.last) if log.last else []
    for change, done in zip(changes, report):
        if done["status"] != "applied":
            continue
        owner = by_id.get(change["finding_id"])
        if owner is None:
            continue
        suggestion = change["suggestion"]
        for f in [owner] + [by_id[c] for c in owner.get("covers", []) if c in by_id]:
            protections.append(_proposed(f, suggestion, status_of.get(f["id"])))
    # the comment of theirs each protection's reply answered (thread_replies), not to answer twice
    answered = {o.rule_id: o.thread.text for o in outcomes if o.thread is not None and not o.settled}
    protections = [replace(p, answered=answered[p.rule_id]) if p.rule_id in answered else p for p in protections]
    round_ = Round(log.next_number, (today or _dt.date.today()).isoformat(), author, tuple(protections))
    return log.with_round(round_)


def _proposed(finding: dict, suggestion: dict, status: str | None) -> Protection:
    advanced = (finding.get("round") or {}).get("rung")
    if advanced is not None:
        # moved up the ladder this round (rounds.advance): its suggestion is that rung, its
        # alternatives the rungs after it
        offered = [finding["suggestion"]] + list(finding.get("alternatives") or [])
        rung = advanced + next((i for i, s in enumerate(offered) if s == suggestion), 0)
    else:
        rung = next((i for i, s in enumerate(ladder(finding)) if s == suggestion), offered_rung(finding))
    if suggestion["type"] == "insert":
        added = "\n".join(p["text"] for p in suggestion["paragraphs"])
        return Protection(finding["rule_id"], "insert", rung, suggestion.get("insert_after"), status=status,
                          added=added)
    original = suggestion.get("original") or ""
    edits = suggestion.get("edits") or []
    added = "\n".join(e["text"] for e in edits if e.get("text", "").strip())
    removed = "\n".join(original[e["start"]:e["end"]] for e in edits if e["end"] > e["start"])
    return Protection(finding["rule_id"], "edit", rung, suggestion.get("paragraph_id"), status=status,
                      added=added, removed=removed, anchor=suggestion.get("revised") or "")


def record_applied(log: RoundLog, review: dict, applied: set[str], alternatives: dict[str, int], author: str,
                   today: _dt.date | None = None) -> RoundLog:
    """The log with the round the pane has just written added: ``review`` is this round's response
    of ``POST /api/v1/review`` (its findings and its ``negotiation``), ``applied`` the findings whose
    changes were applied (``alternatives``: the fallback applied instead, by index). Raises
    ValueError when ``review`` is not such a response."""
    try:
        findings = review["findings"]
        if not isinstance(findings, list) or not all(isinstance(f, dict) and "id" in f and "rule_id" in f for f in findings):
            raise ValueError("review.findings must be the findings of a review response.")
        outcomes = [Outcome.from_wire(o) for o in (review.get("negotiation") or {}).get("ours", [])]
        changes = changes_for(review, applied, "counterparty", alternatives)
        report = [{"finding_id": c["finding_id"], "status": "applied", "reason": None} for c in changes]
        previous = log.last.protections if log.last else ()
        if [o.rule_id for o in outcomes] != [p.rule_id for p in previous]:
            raise ValueError("review.negotiation does not answer the last round of this round_log: review the "
                             "document with its round_log first.")
        return next_log(log, outcomes, review, changes, report, author, today)
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ValueError(f"review is not a review response ({type(exc).__name__}: {exc}).") from None
