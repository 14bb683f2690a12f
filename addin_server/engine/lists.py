"""Lists: which paragraphs are items, the lead-in that introduces them, and what a lead-in excludes.

A contract's list is a lead-in ending in a colon ("The Client shall not:", "Soullab owns the rights
to:", "..., excluding:") and the items after it, each its own paragraph: labelled ("(a)", "1."),
bulleted ("•", "✅"), ending as items do ("...; and"), or short lines that are no sentence. What an
item means depends on its lead-in: who acts, with what modality, and what the clause leaves out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the values only: document.py imports what is built on this module
    from .document import ParaInfo, Paragraph

_LIST_LABEL = re.compile(r"^\W{0,3}(?:\(?[0-9]{1,3}[.)]|\(?[a-z]{1,4}[.)]|\(?[ivx]{1,5}[.)])\s", re.IGNORECASE)
# ending as an item does ("...; and", "...,"): tried on the line's last characters only
_ITEM_END = re.compile(r"[;,]\s*(?:and|or)?\s*$", re.IGNORECASE)
# a bulleted line ("✅ Train text-to-speech models", "• Display the work")
BULLET = re.compile(r"^\s*(?:[-*•▪◦●○■□✓✔✅☑☐➢➤►→]|\\-)\s*")
_SHORT_ITEM = 160  # characters: a line this short with no closing full stop is an item inside a list
# verbs that open an item of a list of conduct, allowed or forbidden ("The following are prohibited:" /
# "Use deliverables outside the scope confirmed in your order."): an imperative is an item, full stop or not
CONDUCT_VERBS = frozenset("""
use access copy reproduce scrape crawl mine harvest extract download collect employ engage exploit
modify adapt distribute sell resell license sublicense create train develop build compile assemble
input upload feed submit incorporate include share disclose transfer misuse permit allow enable
attempt assist encourage facilitate circumvent bypass decompile reverse make provide publish
utilize utilise ingest leverage perform
""".split())
_IMPERATIVE = re.compile(r"^(?-i:[A-Z])([a-z]+)\b(?!\s+(?:of|by)\b)")
_MAX_BACK = 30  # paragraphs: how far back a lead-in is looked for, over items only

# what a clause leaves out: "excluding", "other than", "save for"
EXCLUDING = re.compile(r"\b(?:exclud\w*|except(?:\s+for)?|other\s+than|save\s+for|not\s+including|with\s+the\s+exception\s+of)\b", re.IGNORECASE)
# a paragraph that ends by introducing what it leaves out: "..., excluding:", "other than the following:"
EXCLUDING_LEAD = re.compile(r"\b(?:exclud\w*|except(?:\s+for)?|other\s+than|save\s+for|not\s+including|with\s+the\s+exception\s+of"
                            r"|(?:does|shall|will)\s+not\s+include)(?:\s+the\s+following)?\s*:\s*$", re.IGNORECASE)
_MAX_LISTED = 12
# a lead-in that itself assigns, its items what passes: "copyright will be automatically assigned as
# follows:", "Voice Actor hereby assigns, transfers and conveys to Soullab Inc.:"
ASSIGNING_LEAD = re.compile(r"\b(?:assign(?:s|ed)?|transfer(?:s|red)?|conveys?|vests?|pass(?:es)?)\b(?:[^.;]|\.(?=\S)){0,60}:\s*$", re.IGNORECASE)


def item_like(para: Paragraph, listed: bool) -> bool:
    """Whether the paragraph reads as a list item: labelled, bulleted, ending as items do ("...; and"),
    or, inside a list (``listed``: after a lead-in or an item), a short line that is no sentence."""
    text = para.text.strip()
    if para.list_label or _LIST_LABEL.match(text) or _ITEM_END.search(text[-8:]) or BULLET.match(text):
        return True
    if not listed or len(text) > _SHORT_ITEM or text.endswith(":"):
        return False
    if not text.endswith((".", "!", "?")):
        return True
    verb = _IMPERATIVE.match(text)
    return verb is not None and verb.group(1) in CONDUCT_VERBS


def lead_in(paras: list[ParaInfo], info: ParaInfo) -> str | None:
    """The sentence that introduces the list this paragraph is an item of ("The Client shall not:"),
    if it is one: the nearest earlier paragraph ending in a colon, over list items only ("Soullab owns
    the rights to:", "1. Use Recordings to Train AI Models", "Train text-to-speech models")."""
    k = lead_in_index(paras, info)
    if k is None:
        return None
    prev = paras[k]
    return prev.sentences[-1].seg.text if prev.sentences else prev.para.text.rstrip()


def lead_in_indices(paras: list[ParaInfo]) -> list[int | None]:
    """:func:`lead_in_index` of every paragraph, in one pass (each paragraph's shape read once)."""
    out: list[int | None] = []
    last: int | None = None  # the nearest lead-in whose list has run unbroken up to here
    for info in paras:
        text = info.para.text.rstrip()
        item = item_like(info.para, listed=True)
        out.append(last if item and last is not None and info.index - last < _MAX_BACK else None)
        if text.endswith(":"):
            last = info.index
        elif text and not item:
            last = None
    return out


def lead_in_index(paras: list[ParaInfo], info: ParaInfo) -> int | None:
    """The index of the paragraph that introduces the list this paragraph is an item of, if any."""
    if not item_like(info.para, listed=True):
        return None
    for k in range(info.index - 1, max(info.index - _MAX_BACK, -1), -1):
        prev = paras[k]
        text = prev.para.text.rstrip()
        if text.endswith(":"):
            return k
        if not text:
            continue
        if not item_like(prev.para, listed=True):
            return None
    return None


def items_after(paras: list[ParaInfo], info: ParaInfo) -> list[ParaInfo]:
    """The items of the list the paragraph introduces, when it is a lead-in (it ends in a colon): the
    paragraphs after it up to the next lead-in or a long paragraph that is no item, at most
    ``_MAX_LISTED``; none otherwise."""
    if not info.para.text.rstrip().endswith(":"):
        return []
    items = []
    for other in paras[info.index + 1: info.index + 1 + _MAX_LISTED]:
        item = other.para.text.strip()
        if not item:
            continue
        if item.endswith(":") or (len(item) > 200 and not item_like(other.para, listed=True)):
            break
        items.append(other)
    return items


def with_items(paras: list[ParaInfo], info: ParaInfo) -> str:
    """The items of the list the paragraph introduces, joined ("copyright is assigned as follows:" /
    "1. You own the graphics we create for this project" / "2. We own the code"); "" if it is none."""
    return " ".join(other.para.text.strip() for other in items_after(paras, info))


def ends_by_excluding(text: str) -> bool:
    """Whether ``text`` ends by introducing what it leaves out ("..., excluding:"): the colon first,
    tested without a pattern (most paragraphs end otherwise), then the words, in the last 80 characters."""
    tail = text.rstrip()
    return tail.endswith(":") and bool(EXCLUDING_LEAD.search(tail[-80:]))


def with_listed_exclusions(paras: list[ParaInfo], info: ParaInfo) -> str:
    """The paragraph's text, and when it ends by introducing a list of what it leaves out ("Client will
    own all custom code ..., excluding:"), the items of that list after it: the exclusion is part of the
    clause, though each item is its own paragraph."""
    text = info.para.text
    if not ends_by_excluding(text):
        return text
    return " ".join([text] + [other.para.text.strip() for other in items_after(paras, info)])
