"""The comments of a .docx and their reply threads, as Word keeps them.

``word/comments.xml`` holds each comment (``w:comment``: id, author, date, its paragraphs); the
document marks where it applies with ``w:commentRangeStart`` / ``w:commentRangeEnd`` and a
``w:commentReference`` run carrying the same id. Since Word 2013 a reply is a comment of its own
whose thread is kept in ``word/commentsExtended.xml``: a ``w15:commentEx`` names the comment by the
``w14:paraId`` of its last paragraph and its parent by the parent's (``w15:paraIdParent``), and says
whether the thread is resolved (``w15:done``). LibreOffice reads and writes the same parts.

Example: two comments, the second a reply to the first::

    comments.xml:          <w:comment w:id="3" w:author="Agency"><w:p w14:paraId="1A2B3C4D">...
                           <w:comment w:id="7" w:author="Designer"><w:p w14:paraId="0F0E0D0C">...
    commentsExtended.xml:  <w15:commentEx w15:paraId="1A2B3C4D" w15:done="0"/>
                           <w15:commentEx w15:paraId="0F0E0D0C" w15:paraIdParent="1A2B3C4D" w15:done="0"/>

read as ``Comment("3", "Agency", ..., parent_id=None)`` and ``Comment("7", "Designer", ...,
parent_id="3")``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import DocxError
from .ooxml import w
from .package import DocxPackage

W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
REL_COMMENTS_EXTENDED = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
CT_COMMENTS_EXTENDED = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
PARA_ID = f"{{{W14_NS}}}paraId"
#: what a reader keeps of one comment's text (a comment is a note, not a document)
MAX_COMMENT_CHARS = 4_000


def w15(tag: str) -> str:
    return f"{{{W15_NS}}}{tag}"


@dataclass(frozen=True)
class Comment:
    """One comment or reply: who wrote it, when, its text, the comment it answers (``parent_id``,
    None for the first of a thread), whether its thread is resolved, and the story paragraphs its
    range covers (ids as ``DocxParagraph.id``; empty when it is anchored outside the story), and
    where in the first of them the range starts (an offset into its text, None when unknown)."""

    id: str
    author: str | None
    date: str | None
    text: str
    parent_id: str | None = None
    done: bool = False
    paragraph_ids: tuple[str, ...] = ()
    offset: int | None = None

    def to_wire(self) -> dict:
        return {"id": self.id, "author": self.author, "date": self.date, "text": self.text,
                "parent_id": self.parent_id, "resolved": self.done, "paragraph_ids": list(self.paragraph_ids),
                "offset": self.offset}


@dataclass(frozen=True)
class CommentPart:
    """What the comments part says, before the comments are placed in the story."""

    id: str
    author: str | None
    date: str | None
    text: str
    para_ids: tuple[str, ...]  # the w14:paraId of each of its paragraphs


def read_comment_parts(pkg: DocxPackage, comments_part: str | None,
                       extended_part: str | None) -> tuple[list[CommentPart], dict[str, tuple[str | None, bool]]]:
    """The comments, in the part's order, and the thread data by paraId: paraId -> (parent paraId,
    done). A damaged comments part reads as no comments: comments are notes beside the contract and
    never a reason to refuse reviewing it."""
    found: list[CommentPart] = []
    root = part_root(pkg, comments_part)
    if root is not None:
        for c in root.iter(w("comment")):
            paragraphs = c.findall(w("p"))
            text = "\n".join("".join(t.text or "" for t in p.iter(w("t"))) for p in paragraphs)
            found.append(CommentPart(c.get(w("id")) or "", c.get(w("author")), c.get(w("date")),
                                     text[:MAX_COMMENT_CHARS], tuple(p.get(PARA_ID) for p in paragraphs if p.get(PARA_ID))))
    threads: dict[str, tuple[str | None, bool]] = {}
    root = part_root(pkg, extended_part)
    if root is not None:
        for ex in root.iter(w15("commentEx")):
            pid = ex.get(w15("paraId"))
            if pid:
                threads[pid] = (ex.get(w15("paraIdParent")), ex.get(w15("done")) in ("1", "true", "on"))
    return found, threads


def part_root(pkg: DocxPackage, part: str | None):
    """The part's root element, or None when the file has no such part or it cannot be read."""
    if not part or not pkg.has(part):
        return None
    try:
        return pkg.xml(part).getroot()
    except DocxError:
        return None


def place_comments(parts: list[CommentPart], threads: dict[str, tuple[str | None, bool]],
                   marks: list[tuple[str, list[tuple[str, str, int]]]]) -> tuple[Comment, ...]:
    """Each comment with its thread and the paragraphs its range covers. ``marks``: per story
    paragraph in order, (its id, the comment marks in it: (kind, comment id, offset in the
    paragraph's text), kind ``start`` / ``end`` / ``reference``)."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    offset: dict[str, int] = {}
    for index, (_pid, found) in enumerate(marks):
        for kind, cid, at in found:
            if kind in ("start", "reference") and cid not in first:
                first[cid] = index
                offset[cid] = at
            elif kind == "start" and first[cid] == index:
                offset[cid] = min(offset[cid], at)
            if kind in ("end", "reference"):
                last[cid] = index
    by_para = {pid: c.id for c in parts for pid in c.para_ids}
    out = []
    for c in parts:
        # the thread entry names the comment's last paragraph; any of its paragraphs is accepted
        entry = next((threads[pid] for pid in reversed(c.para_ids) if pid in threads), (None, False))
        parent = by_para.get(entry[0]) if entry[0] else None
        lo, hi = first.get(c.id), last.get(c.id)
        if lo is None:
            lo = hi
        if hi is None or hi < (lo or 0):
            hi = lo
        covered = tuple(marks[i][0] for i in range(lo, hi + 1)) if lo is not None else ()
        out.append(Comment(c.id, c.author, c.date, c.text, parent if parent != c.id else None, entry[1], covered,
                           offset.get(c.id) if covered else None))
    return tuple(out)
