"""The contract's outline: numbered sections and their subsections, heading lines, lists and the
lead-ins that govern them, and the signature block. Where a new clause belongs is read from it
(issue 12, item 3): at the end of the section it joins, as a subsection of its own, never inside a
list whose lead-in changes its meaning.

Contracts are drafted in three shapes, and each is read as it is written:

``numbered``
    "6. Intellectual Property", "6.1 ...", "6.4.5 ..." (or Word's list labels). A section runs to
    the next paragraph numbered as another section; unnumbered paragraphs, list items and page
    furniture in between belong to it.
``flattened``
    "5. Copyrights" as a heading, then items numbered again from "1." (a Markdown or plain-text
    conversion of a nested list). The items belong to the heading's section, which runs to the next
    numbered heading.
``headings``
    No numbers: "User Content and Activity", "Restrictions" (heading lines, or Word heading styles).
    A section runs to the next heading.

Pure functions over :class:`~.document.Paragraph` lists: the review places clauses with them and the
redline-quality check reads lists with the same tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .document import Paragraph
from .lists import BULLET

# "6.", "6.3", "(2)", "(a)", "B.", "Section 4", opening a paragraph
_LEADING_NUMBER = re.compile(r"^\s*(?:(?:Section|Clause|Article)\s+)?(\(?[0-9]+(?:\.[0-9]+)*\.?\)?|\([a-z]{1,3}\)|[A-Z]\.)\s+")
_TOP_NUMBER = re.compile(r"\(?([0-9]+)")
# a page's number left in the text by a conversion: "17", "6 │ Page", "Page 3 of 9", "- 4 -"
_PAGE_MARK = re.compile(r"^\W*(?:page\W*)?[0-9]{1,4}\W*(?:page|of\s+[0-9]{1,4})?\W*$", re.IGNORECASE)
_WINDOW_BACK = 40  # paragraphs: how far up a section's heading is looked for
_WINDOW_AHEAD = 80  # paragraphs: how far down the next section is looked for

# The lines that close a contract: signature blocks, witness clauses, and the lines to fill in
# ("________", "…………")
_SIGNATURE_LINE = re.compile(
    r"^\W*(?:signed|signature|sign\s+here|date[d]?|name|title|by|for\s+and\s+on\s+behalf|on\s+behalf\s+of|witness|"
    r"in\s+witness\s+whereof|accepted|agreed(?:\s+and\s+accepted)?|print(?:ed)?\s+name|everyone\s+should\s+sign|"
    r"\[?(?:client|freelancer|designer|contractor|company)(?:\s+name)?\]?\s*:)\b|^[\s_.:-]*$|_{4,}|(?:…|\.{3}){2,}", re.IGNORECASE)

# A heading that governs the items under it: a condition ("If a Deliverable is an Assigned
# Deliverable, this Section 6.3 applies"), or a sentence they complete ("Developer guarantees that:").
# A clause added as one of its items would be read with it. Every word is followed by a space, so a
# long run of letters is read in one way (a label run straight into words had backtracked for 20 s).
_GOVERNING = re.compile(
    r":\s*$|\b(?:this\s+)?(?:section|clause|paragraph)\s+[\w.]+\s+(?:applies|will\s+apply|shall\s+apply)\b|"
    r"\bappl(?:y|ies)\s+(?:only\s+)?(?:if|where|when|to\s+the\s+extent)\b|"
    r"^\W*(?:(?:section|clause|article)\s+)?(?:[\w.()]+\s+)?(?:[\w-]+\s+){0,4}?(?:if|where|in\s+the\s+event|to\s+the\s+extent)\b",
    re.IGNORECASE)


def paragraph_label(para: Paragraph) -> str | None:
    """The paragraph's own label: its list label, else the number or letter it opens with."""
    if para.list_label:
        return para.list_label.strip()
    m = _LEADING_NUMBER.match(para.text)
    return m.group(1) if m else None


def is_list_item(para: Paragraph) -> bool:
    """A paragraph that is an item of an enumerated list: "(a) ...", "iv. ...", a lettered list label
    (not "6.3.", a numbered subsection)."""
    label = paragraph_label(para)
    return bool(label and re.fullmatch(r"\(?(?:[a-z]{1,4}|[A-Z])[.)]?", label))


def governs_items(text: str) -> bool:
    """Whether a lead-in paragraph governs the list items under it (see ``_GOVERNING``)."""
    return bool(_GOVERNING.search(text))


def is_heading_line(text: str) -> bool:
    """A short line that is no sentence: a heading ("The dotted line", "Signatures")."""
    t = text.strip()
    return len(t) <= 60 and not t.endswith((".", ";", ":", "?", "!")) and len(t.split()) <= 8


def is_heading(para: Paragraph) -> bool:
    """A heading: a Word heading style, or a heading line that is no bullet ("Restrictions",
    "5. Copyrights", "Intellectual Property -----")."""
    if para.style and para.style.lower().startswith(("heading", "title")):
        return True
    t = para.text.strip()
    return bool(t) and not BULLET.match(t) and not is_list_item(para) and is_heading_line(t)


def is_furniture(para: Paragraph) -> bool:
    """No clause at all: a blank line, or a page number a conversion left in the text."""
    t = para.text.strip()
    return not t or (len(t) <= 24 and bool(_PAGE_MARK.match(t)))


def top_number(para: Paragraph) -> str | None:
    """The section number a paragraph's label opens with ("6" of "6.4.5"), None for page furniture."""
    label = paragraph_label(para)
    if not label or is_furniture(para):
        return None
    m = _TOP_NUMBER.match(label)
    return m.group(1) if m else None


def next_label(label: str | None, k: int) -> str | None:
    """The label for the k-th (0-based) paragraph inserted after one labelled ``label``."""
    if not label:
        return None
    letter = re.fullmatch(r"(\(?)([a-hj-uwyz])(\.?\)?)", label)  # "(d)" -> "(e)"; not (i), (v), (x): roman
    if letter:
        opening, ch, closing = letter.groups()
        nxt = ord(ch) + 1 + k
        return f"{opening}{chr(nxt)}{closing}" if nxt <= ord("z") else None
    m = re.fullmatch(r"(\(?)((?:[0-9]+\.)*)([0-9]+)(\.?\)?)", label)
    if not m:
        return None
    opening, prefix, last, closing = m.groups()
    if not prefix:  # top level "5." — inserting "6." would collide with the next section: use "5A."
        return f"{opening}{last}{chr(ord('A') + k)}{closing}"
    return f"{opening}{prefix}{int(last) + 1 + k}{closing}"


@dataclass(frozen=True)
class Place:
    """Where a new clause goes: after paragraph ``after`` (an index), numbered after ``label``
    (None: unnumbered)."""

    after: int
    label: str | None


@dataclass(frozen=True)
class _Section:
    head: int  # the paragraph that opens it
    top: str | None  # its number; None for a contract of heading lines
    flattened: bool  # its items are numbered again from 1 under a numbered heading


def _section(paras: Sequence[Paragraph], i: int) -> _Section | None:
    """The section paragraph ``i`` belongs to, or None when nothing above it opens one."""
    lo = max(-1, i - _WINDOW_BACK)
    numbered = next((j for j in range(i, lo, -1) if top_number(paras[j]) and not is_list_item(paras[j])), None)
    if numbered is not None:
        # "5. Copyrights" over "1. The Client will own ...": the number restarts under a heading
        if is_heading(paras[numbered]):
            heading = numbered
            below = next((j for j in range(numbered + 1, min(len(paras), numbered + _WINDOW_BACK))
                          if top_number(paras[j]) and not is_list_item(paras[j])), None)
            item = below if below is not None and not is_heading(paras[below]) else None
        else:
            heading = next((j for j in range(numbered - 1, lo, -1)
                            if top_number(paras[j]) and is_heading(paras[j])), None)
            item = numbered
        if heading is not None and item is not None and int(top_number(paras[item])) < int(top_number(paras[heading])):
            return _Section(heading, top_number(paras[heading]), True)
        return _Section(numbered, top_number(paras[numbered]), False)
    heading = next((j for j in range(i, lo, -1) if is_heading(paras[j])), None)
    return _Section(heading, None, False) if heading is not None else None


def _opens_another(para: Paragraph, sec: _Section) -> bool:
    """Whether ``para`` opens a section after ``sec``."""
    if is_furniture(para):
        return False
    if sec.top is None:
        return is_heading(para)
    n = top_number(para)
    if n is None or is_list_item(para):
        return False
    return is_heading(para) if sec.flattened else n != sec.top


def _is_item_of(para: Paragraph, sec: _Section) -> bool:
    """A list item, or (in a flattened section) one of the numbered items under its heading."""
    return is_list_item(para) or (sec.flattened and top_number(para) is not None and not is_heading(para))


def closing_place(paras: Sequence[Paragraph]) -> Place:
    """A new top-level section at the end of the contract's clauses: after its last clause, before the
    signature block and the heading over it, numbered after the section that clause is in."""
    i = len(paras) - 1
    while i > 0 and (not paras[i].text.strip() or _SIGNATURE_LINE.search(paras[i].text)):
        i -= 1
    if i < len(paras) - 1 and i > 0 and is_heading_line(paras[i].text):
        i -= 1
    sec = _section(paras, i)
    if sec is not None and sec.flattened:
        return Place(i, sec.top)
    return Place(i, paragraph_label(paras[i]))


def section_end(paras: Sequence[Paragraph], i: int) -> Place:
    """Where a clause joining the section of paragraph ``i`` goes: after the section's last paragraph,
    as its next subsection (6.6 after 6.5; "(e)" after a list that only a heading introduces). When
    the section ends in a list its lead-in governs ("If a Deliverable is an Assigned Deliverable, this
    Section 6.3 applies", "When the final payment has cleared, ... as follows:") and the section has no
    numbered subsections to follow, the clause becomes a new section at the end of the contract."""
    sec = _section(paras, i)
    if sec is None:
        return Place(i, None if is_list_item(paras[i]) else paragraph_label(paras[i]))
    end = next((j for j in range(i + 1, min(len(paras), i + 1 + _WINDOW_AHEAD)) if _opens_another(paras[j], sec)), None)
    if end is None:
        # no next section in sight: the section runs over its items and numbered subsections only
        end = i + 1
        while end < len(paras) and (is_furniture(paras[end]) or _is_item_of(paras[end], sec)
                                    or (sec.top is not None and top_number(paras[end]) == sec.top)):
            end += 1
    # its last clause: not a blank line, a page number, or a heading line left over from a page break
    anchor = end - 1
    while anchor > i and (is_furniture(paras[anchor]) or (is_heading(paras[anchor]) and not _is_item_of(paras[anchor], sec))):
        anchor -= 1
    # the section's last numbered subsection, at the depth of its first ("6.4" of "6.4.5" under "6.")
    last_sub = sec.head
    if sec.top is not None and not sec.flattened:
        last_sub = max((j for j in range(sec.head, anchor + 1)
                        if top_number(paras[j]) == sec.top and not is_list_item(paras[j])), default=sec.head)
    sub = _subsection_label(paras[last_sub], sec)
    if not _is_item_of(paras[anchor], sec):
        return Place(anchor, sub)
    # the section ends in a list: its next letter when the lead-in is only a heading ("Section 3.
    # Rights in the Content." then (a) to (d)); never when the lead-in governs the items
    lead = next((j for j in range(anchor, max(-1, anchor - _WINDOW_BACK), -1)
                 if not _is_item_of(paras[j], sec) and not is_furniture(paras[j])), None)
    if lead is not None and lead == last_sub and not governs_items(paras[lead].text) and not sec.flattened:
        return Place(anchor, paragraph_label(paras[anchor]))
    if sub and _SUBSECTION.fullmatch(sub):
        return Place(anchor, sub)  # "6.4" after 6.3's governed list
    if lead is not None and governs_items(paras[lead].text):
        return closing_place(paras)  # "5. Copyrights / When the final payment has cleared, ...:" then items
    return Place(anchor, None)


_SUBSECTION = re.compile(r"\(?[0-9]+\.[0-9]+\.?\)?")


def _subsection_label(last: Paragraph, sec: _Section) -> str | None:
    """The label a new subsection of ``sec`` follows: its last subsection's, cut to the first level
    below the section ("6.4" of "6.4.5" under "6."); None in a section without numbers of its own."""
    if sec.top is None or sec.flattened:
        return None
    label = paragraph_label(last)
    m = re.fullmatch(r"(\(?)([0-9]+(?:\.[0-9]+)*)(\.?\)?)", label or "")
    if not m or m.group(2).count(".") < 2:
        return label
    return m.group(1) + ".".join(m.group(2).split(".")[:2])
