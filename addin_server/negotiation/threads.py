"""The other side's comments on our changes, and where our answer goes: a reply in their thread.

The agency answers a redline in tracked changes and in comments, often a reply to our own comment
("We need this for our AI tools") or a comment of its own on the clause it struck. Each protection
of the last round is matched to the thread that speaks about it: a thread with a comment on the
paragraph where the protection is now, or on the words it added or removed (a struck clause stays in
the file as their tracked deletion, and their comment sits on it). A thread is answered when its
latest word is theirs and it is not resolved; our reply then goes into that thread, not into a new
comment beside it.

Example: our round-one clause "Right to Audit ..." carries our comment; the agency replies "We need
this for our AI tools" under it. Round two finds that thread for ``remedies.audit-missing`` and our
answer for the protection becomes a reply to the thread's first comment. The round log records the
comment answered (``Protection.answered``), so round three does not answer it again even where the
thread's links were lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Protocol, Sequence

from .log import Protection, normalized, pieces


class RevisionLike(Protocol):
    """A tracked change in a paragraph (the .docx reader's Revision, the pane's TrackedChange)."""

    kind: str
    author: str | None
    text: str
    start: int  # offsets into the paragraph's text with every tracked change accepted
    end: int


class ParagraphLike(Protocol):
    id: str
    text: str
    revisions: Sequence[RevisionLike]


class CommentLike(Protocol):
    """A comment or reply (docx/comments.py's Comment, whether read from a .docx or sent by the pane)."""

    id: str
    author: str | None
    date: str | None
    text: str
    parent_id: str | None
    done: bool  # the thread is resolved
    paragraph_ids: Sequence[str]
    offset: int | None  # where the range starts in the first of them


@dataclass(frozen=True)
class Thread:
    """A thread to answer: the comment a reply goes under (its first), and their latest word."""

    root_id: str
    author: str | None
    text: str

    def to_wire(self) -> dict:
        return {"comment_id": self.root_id, "author": self.author, "text": self.text}

    @classmethod
    def from_wire(cls, d: dict) -> "Thread":
        return cls(str(d["comment_id"]), d.get("author"), d.get("text") or "")


def threads(comments: Sequence[CommentLike]) -> dict[str, list[CommentLike]]:
    """The comments by thread: the first comment's id -> the thread in order (a reply whose parent
    is missing starts a thread of its own)."""
    by_id = {c.id: c for c in comments}
    out: dict[str, list[CommentLike]] = {}
    for c in comments:
        root, seen = c, {c.id}
        while root.parent_id and root.parent_id in by_id and root.parent_id not in seen:
            seen.add(root.parent_id)
            root = by_id[root.parent_id]
        out.setdefault(root.id, []).append(c)
    return out


def match_threads(items: Sequence[tuple[Protection, str | None]], comments: Sequence[CommentLike],
                  paragraphs: Sequence[ParagraphLike], ours: Collection[str]) -> list[Thread | None]:
    """The open thread of theirs about each protection of the last round (None where there is
    none), each thread given to one protection at most.

    ``items``: each protection with the paragraph where it (or its rule's finding) is now. A thread
    speaks about a protection when one of its comments sits on that paragraph or on a tracked change
    holding the protection's words; it speaks about it most when the comment's range starts inside
    those words (two clauses of ours can end up in one paragraph, as when they reject the clause
    between them). The closest pairs are matched first."""
    if not comments:
        return [None] * len(items)
    candidates = [(root_id, thread) for root_id, thread in threads(comments).items() if _open(thread, ours)]
    by_id = {p.id: p for p in paragraphs}
    scored = []
    for i, (protection, paragraph_id) in enumerate(items):
        spots = _spots(protection, paragraph_id, paragraphs, by_id)
        for root_id, thread in candidates:
            if normalized(thread[-1].text) == normalized(protection.answered):
                continue  # answered in an earlier round (the thread's links may have been lost since)
            strength = max(_strength(c, spots) for c in thread)
            if strength:
                scored.append((-strength, i, root_id, thread))
    found: list[Thread | None] = [None] * len(items)
    taken: set[str] = set()
    for _, i, root_id, thread in sorted(scored, key=lambda x: (x[0], x[1])):
        if found[i] is None and root_id not in taken:
            taken.add(root_id)
            found[i] = Thread(root_id, thread[-1].author, thread[-1].text)
    return found


def thread_for(protection: Protection, paragraph_id: str | None, comments: Sequence[CommentLike],
               paragraphs: Sequence[ParagraphLike], ours: Collection[str]) -> Thread | None:
    """The open thread of theirs about one protection (match_threads for one)."""
    return match_threads([(protection, paragraph_id)], comments, paragraphs, ours)[0]


def _open(thread: list[CommentLike], ours: Collection[str]) -> bool:
    """Unresolved, and its latest word is theirs (ours last: answered already)."""
    last = thread[-1]
    return not thread[0].done and last.author not in ours and bool(last.text.strip())


def _strength(comment: CommentLike, spots: dict[str, list[tuple[int, int]]]) -> int:
    """2: the comment's range starts inside the protection's words; 1: on a paragraph of it; 0: no."""
    here = [pid for pid in comment.paragraph_ids if pid in spots]
    if not here:
        return 0
    first = comment.paragraph_ids[0]
    offset = getattr(comment, "offset", None)
    if offset is not None and first in spots and any(a <= offset <= b for a, b in spots[first]):
        return 2
    return 1


def _spots(protection: Protection, paragraph_id: str | None, paragraphs: Sequence[ParagraphLike],
           by_id: dict) -> dict[str, list[tuple[int, int]]]:
    """Where the protection is: paragraph id -> the spans of its words there (empty: somewhere in
    the paragraph). The paragraph it is in now, and each tracked change holding words it added or
    removed (their deletion of our clause, our pending one)."""
    words = [p for p in pieces(protection.added) + pieces(protection.removed) if len(p) >= 12]
    out: dict[str, list[tuple[int, int]]] = {}
    if paragraph_id:
        out[paragraph_id] = []
        text = getattr(by_id.get(paragraph_id), "text", "") or ""
        for piece in words:
            at = text.find(piece)
            if at >= 0:
                out[paragraph_id].append((at, at + len(piece)))
    for p in paragraphs:
        for rev in p.revisions:
            text = normalized(rev.text)
            if text and any(piece in text or (len(text) >= 12 and text in piece) for piece in words):
                out.setdefault(p.id, []).append((rev.start, rev.end))
    return out


def reply_in_thread(outcome, protection: str) -> str:
    """Our answer as a reply to their comment: the outcome's reply, except that a change of ours
    still open is not asked about again as if they had said nothing ("please confirm ...") but kept,
    with an opening for their concern. ``outcome``: a rounds.Outcome; ``protection``: what our change
    is called ("audit clause")."""
    if outcome.status in ("pending", "in_text"):
        return (f"Thank you for your comment. We would like to keep our {protection} as proposed; if it does "
                "not work for you as written, we are glad to consider wording that meets your concern.")
    return outcome.reply


def _where(protection: Protection, paragraph_id: str | None, paragraphs: Sequence[ParagraphLike]) -> set[str]:
    """The paragraphs a comment about the protection would sit on: where it is now, and where a
    tracked change holds words it added or removed (their deletion of our clause, our pending one)."""
    out = {paragraph_id} if paragraph_id else set()
    words = [p for p in pieces(protection.added) + pieces(protection.removed) if len(p) >= 12]
    for p in paragraphs:
        for rev in p.revisions:
            text = normalized(rev.text)
            if text and any(piece in text or (len(text) >= 12 and text in piece) for piece in words):
                out.add(p.id)
                break
    return out
