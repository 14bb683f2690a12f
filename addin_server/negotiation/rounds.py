"""Round two and every round after it: what the other side did with each change we proposed, and
what we answer.

The review of a returned document reads the text the other side proposes (their tracked changes
accepted). Each protection of the previous round (negotiation/log.py) is then one of:

- ``pending``: our tracked change is still there, neither accepted nor rejected;
- ``accepted``: our words stand as we wrote them and the risk is gone;
- ``modified``: they rewrote it. ``protected`` says whether the risk is still answered in their words
  (the rule's finding is gone) or the protection was weakened (the finding is back);
- ``struck``: our words are gone and the risk is back;
- ``in_text``: our words stand and the risk is gone, but the document's tracked changes were not
  read (a Word that cannot give them), so whether they accepted it or it is still marked as our
  change cannot be told: we ask them to confirm, as for a pending one.

A struck or weakened protection gets the next position of its rule's ladder (the preferred fix, then
the fallback), never the one they struck; when the ladder is exhausted, the finding says that this is
the walk-away point and proposes nothing. A protection they accepted is carried into the next round
as ``standing`` and watched: if a later round removes it, it is struck again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Collection, Sequence

from .log import Protection, Round
from .log import normalized as _norm
from .log import pieces as _pieces
from .threads import ParagraphLike, Thread

#: share of our words that must survive for a rewritten protection to count as theirs, not struck
_KEPT = 0.5
#: how much of the paragraph as we edited it another must hold to be taken for it after their edits
_SAME_PARAGRAPH = 0.6
_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class Outcome:
    """What became of one protection of the previous round, and what we answer."""

    rule_id: str
    title: str
    status: str                 # accepted | pending | struck | modified
    protected: bool             # the risk is answered in the text they propose
    settled: bool               # accepted in an earlier round and still standing: no news
    paragraph_id: str | None    # where our words, or the rule's finding, are now
    finding_id: str | None      # the finding of the rule in this round's review, if the risk is back
    rung: int | None            # the ladder position now proposed (None: nothing proposed)
    walk_away: bool             # the ladder is exhausted: nothing further to offer
    reply: str                  # a short answer for the thread and the cover message
    thread: Thread | None = None  # their open comment thread about it, where the reply goes

    @classmethod
    def from_wire(cls, o: dict) -> "Outcome":
        """An outcome as ``negotiation.ours`` gave it (the pane sends the review back to log the round)."""
        return cls(o["rule_id"], o.get("title") or o["rule_id"], o["status"], bool(o["protected"]), bool(o["settled"]),
                   o.get("paragraph_id"), o.get("finding_id"), o.get("rung"), bool(o.get("walk_away")), o.get("reply") or "",
                   Thread.from_wire(o["thread"]) if o.get("thread") else None)

    def to_wire(self, next_suggestion: dict | None) -> dict:
        return {"rule_id": self.rule_id, "title": self.title, "status": self.status, "protected": self.protected,
                "settled": self.settled, "paragraph_id": self.paragraph_id, "finding_id": self.finding_id,
                "rung": self.rung, "walk_away": self.walk_away, "next": next_suggestion, "reply": self.reply,
                "thread": self.thread.to_wire() if self.thread else None}


def ladder(finding: dict) -> list[dict]:
    """The finding's positions from the strongest: its preferred fix, then its fallbacks."""
    offered = [finding["suggestion"]] if finding.get("suggestion") else []
    rest = list(finding.get("alternatives") or [])
    if finding.get("position") == "fallback" and rest:
        return [rest[0]] + offered + rest[1:]
    return offered + rest


def offered_rung(finding: dict) -> int:
    return 1 if finding.get("position") == "fallback" and finding.get("alternatives") else 0


def assess(previous: Round, findings: list[dict], paragraphs: Sequence[ParagraphLike], ours: Collection[str],
           rules: dict[str, tuple[str, str]], revisions_read: bool = True) -> list[Outcome]:
    """The outcome of each of the previous round's protections in the document as it came back.

    ``findings``: this round's review (wire shape); ``paragraphs``: the document as read, with its
    tracked changes; ``ours``: the names our changes are written under; ``rules``: rule id ->
    (title, what our change for it is called); ``revisions_read``: false when the paragraphs come
    without their tracked changes (accepted and pending are then one status, ``in_text``)."""
    texts = [(p.id, _norm(p.text)) for p in paragraphs]
    outcomes = []
    for prot in previous.protections:
        title, protection = rules.get(prot.rule_id, (prot.rule_id, "change"))
        o = _outcome(prot, findings, paragraphs, texts, ours, title, protection)
        if not revisions_read and o.status in ("accepted", "pending") and not o.settled:
            o = replace(o, status="in_text", reply=_reply("pending", True, False, None, protection))
        outcomes.append(o)
    return outcomes


def _outcome(prot: Protection, findings, paragraphs, texts, ours, title, protection) -> Outcome:
    where = _locate(prot, texts)
    finding = _finding_for(prot, findings, where)
    risk = finding is not None
    ours_pending = _ours_pending(prot, paragraphs, where, ours)
    if prot.kind == "edit":
        # an edit is judged in its paragraph: are our words there, and are the words we took out back?
        text = next((t for pid, t in texts if pid == where), "")
        added, removed = _pieces(prot.added), _pieces(prot.removed)
        restored = bool(removed) and all(piece in text for piece in removed)
        intact = not restored and all(piece in text for piece in added)
        reverted = restored or not any(piece in text for piece in added if len(piece.split()) > 1)
    else:
        intact = all(any(piece in t for _, t in texts) for piece in _pieces(prot.added))
        reverted = _kept_share(prot.added, texts) < _KEPT
    if prot.answer == "walk_away":
        status = "struck" if risk else "accepted"
    elif not risk:
        status = "pending" if ours_pending else "accepted" if intact else "modified"
    else:
        status = "struck" if reverted else "modified"
    protected = not risk
    rung, walk_away = None, False
    if risk:
        positions = ladder(finding)
        k = prot.rung + 1 if prot.answer != "walk_away" else len(positions)
        if k < len(positions):
            rung = k
        else:
            walk_away = True
    settled = prot.answer in ("standing", "walk_away") and status == "accepted"
    paragraph_id = where or (finding or {}).get("paragraph_id")
    next_label = _label(ladder(finding)[rung]) if rung is not None else None
    reply = _reply(status, protected, walk_away, next_label, protection)
    return Outcome(prot.rule_id, title, status, protected, settled, paragraph_id,
                   finding["id"] if finding else None, rung, walk_away, reply)


def _reply(status: str, protected: bool, walk_away: bool, next_label: str | None, protection: str) -> str:
    """One sentence to the other side about one of our changes, in the freelancer's voice ("we")."""
    if status == "accepted":
        return f"Thank you for accepting our {protection}."
    if status == "pending":
        return f"Please confirm that you accept our {protection}, still marked as a change."
    if status == "modified" and protected:
        return f"We can accept your wording of our {protection}: it keeps the protection."
    if walk_away:
        return (f"We are not able to sign without our {protection}, which is as far as we can go. "
                "We are glad to discuss another way to meet your concern.")
    if next_label is not None:
        done = "could not accept" if status == "struck" else "have changed"
        return (f"We understand that you {done} our {protection} as proposed. We have marked a narrower "
                f"version instead{': ' + next_label if next_label else ''}.")
    return f"We would be grateful for your answer on our {protection}."


def _label(suggestion: dict) -> str:
    """A fallback's label as a reply quotes it: "consent not to be unreasonably withheld"."""
    label = (suggestion.get("label") or "").strip()
    return re.sub(r"^(?:Fallback|Stronger position)\s*:\s*", "", label)


# ------------------------------------------------------------------------------------- matching
def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _locate(prot: Protection, texts: list[tuple[str, str]]) -> str | None:
    """The paragraph that now holds what the protection changed: for an edit, the paragraph most
    like the one our change left (their edits around it move and reword it), else the same id; for
    an inserted clause, the paragraph our words stand in."""
    if prot.kind == "edit":
        # the share of the paragraph as our change left it that a paragraph still holds, in order:
        # their words added around ours do not hide it, a paragraph rewritten past recognition does
        anchor = _words(prot.anchor)
        vocabulary = set(anchor)
        best, best_share = None, _SAME_PARAGRAPH
        for pid, text in texts if anchor else ():
            words = _words(text)
            if len(vocabulary & set(words)) < best_share * len(vocabulary):
                continue
            matcher = SequenceMatcher(None, anchor, words, autojunk=False)
            share = sum(block.size for block in matcher.get_matching_blocks()) / len(anchor)
            if share > best_share or (best is None and share == best_share):
                best, best_share = pid, share
        if best is not None:
            return best
        return prot.paragraph_id if any(pid == prot.paragraph_id for pid, _ in texts) else None
    for piece in _pieces(prot.added):
        for pid, text in texts:
            if piece in text:
                return pid
    return None


def _finding_for(prot: Protection, findings: list[dict], where: str | None) -> dict | None:
    """This round's finding of the protection's rule, where the protection is."""
    same = [f for f in findings if f["rule_id"] == prot.rule_id]
    if prot.kind == "insert":
        return same[0] if same else None
    at = [f for f in same if f.get("paragraph_id") == where] if where else []
    return at[0] if at else None


def _kept_share(added: str, texts: list[tuple[str, str]]) -> float:
    """How much of the words we added still stand: 1.0 when each piece is there as we wrote it."""
    pieces = _pieces(added)
    if not pieces:
        return 1.0
    total = kept = 0
    for piece in pieces:
        words = _words(piece)
        total += len(words)
        if any(piece in text for _, text in texts):
            kept += len(words)
            continue
        best = 0
        for _, text in texts:
            matcher = SequenceMatcher(None, words, _words(text), autojunk=False)
            # ratio() = 2M / (len(a) + len(b)): an upper bound on M, the words in common
            bound = matcher.real_quick_ratio() * (len(words) + len(matcher.b)) / 2
            if bound <= best:
                continue
            best = max(best, sum(block.size for block in matcher.get_matching_blocks()))
        kept += best
    return min(1.0, kept / total) if total else 1.0


def _ours_pending(prot: Protection, paragraphs, where: str | None, ours: Collection[str]) -> bool:
    """Our tracked change is still in the document, unaccepted: for an edit, one of our revisions in
    its paragraph with its words; for an inserted clause, one of ours holding the clause's words."""
    added, removed = _pieces(prot.added), _pieces(prot.removed)
    for p in paragraphs:
        if prot.kind == "edit" and p.id != where:
            continue
        for rev in p.revisions:
            text = _norm(rev.text)
            if rev.author not in ours or not text:
                continue
            pieces = added if rev.kind in ("insertion", "move_to") else removed if rev.kind in (
                "deletion", "move_from") else ()
            for piece in pieces:
                if piece in text or (text in piece and (prot.kind == "edit" or len(text) >= min(len(piece), 12))):
                    return True
    return False


# ------------------------------------------------------------------------------------- applying
def advance(findings: list[dict], outcomes: list[Outcome]) -> list[dict]:
    """The review's findings with each struck or weakened protection's next position as its
    suggestion (the one struck is never proposed again), and a walk-away finding with none."""
    by_id = {o.finding_id: o for o in outcomes if o.finding_id}
    out = []
    for f in findings:
        o = by_id.get(f["id"])
        if o is None:
            out.append(f)
            continue
        positions = ladder(f)
        f = dict(f)
        if o.rung is not None:
            f["suggestion"], f["alternatives"] = positions[o.rung], positions[o.rung + 1:]
            f["position"] = "preferred" if o.rung == 0 else "fallback"
        else:
            f["suggestion"], f["alternatives"] = None, []
        f["round"] = {"status": o.status, "rung": o.rung, "walk_away": o.walk_away, "reply": o.reply}
        out.append(f)
    return out


def summary(number: int, outcomes: list[Outcome], theirs: int, client: str) -> str:
    """"Round 2: the Agency accepted 4 of your changes, struck 2, weakened 1, and added 1 new risk."""
    news = [o for o in outcomes if not o.settled]
    counts = {
        "accepted": sum(1 for o in news if o.status == "accepted" or (o.status == "modified" and o.protected)),
        "struck": sum(1 for o in news if o.status == "struck"),
        "weakened": sum(1 for o in news if o.status == "modified" and not o.protected),
        "pending": sum(1 for o in news if o.status == "pending"),
        "in_text": sum(1 for o in news if o.status == "in_text"),
    }
    if number <= 1:
        return "Round 1: nothing has been proposed yet."
    parts = []
    if counts["accepted"]:
        parts.append(f"accepted {_n(counts['accepted'], 'of your changes')}")
    if counts["struck"]:
        parts.append(f"struck {counts['struck']}")
    if counts["weakened"]:
        parts.append(f"weakened {counts['weakened']}")
    if theirs:
        parts.append(f"added {_n(theirs, 'new risk', 'new risks')}")
    if not parts and not counts["pending"] and not counts["in_text"]:
        parts.append("changed nothing we proposed")
    text = f"Round {number}: {client} " + _join(parts) if parts else f"Round {number}:"
    if counts["pending"]:
        text += ("; " if parts else " ") + f"{_n(counts['pending'], 'change is', 'changes are')} still pending"
    if counts["in_text"]:
        text += ("; " if parts or counts["pending"] else " ") + (
            f"{_n(counts['in_text'], 'change of yours stands', 'changes of yours stand')} in the text (accepted, "
            "or still marked as changes: this Word does not say which)")
    return text + "."


def _n(count: int, one: str, many: str | None = None) -> str:
    if many is None:
        return f"{count} {one}"
    return f"{count} {one if count == 1 else many}"


def _join(parts: list[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + ", and " + parts[-1]


def carried(outcomes: list[Outcome], previous: Round) -> list[Protection]:
    """The previous round's protections that go into this round's log unchanged in substance: the
    ones accepted or rewritten with the protection kept (``standing``), and the walk-away points."""
    out = []
    for prot, o in zip(previous.protections, outcomes):
        if o.protected and o.status in ("accepted", "modified"):
            out.append(replace(prot, answer="standing", status=o.status, paragraph_id=o.paragraph_id))
        elif o.walk_away:
            out.append(replace(prot, answer="walk_away", status=o.status, paragraph_id=o.paragraph_id))
        elif o.status in ("pending", "in_text"):
            out.append(replace(prot, status=o.status, paragraph_id=o.paragraph_id))
    return out
