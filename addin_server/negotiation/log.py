"""The round log: what we proposed in each round, what the other side did with it, and what we
answered, kept in the document itself (a custom XML part) and never on the server.

One ``<round>`` per round of ours. Each ``<protection>`` is one change we made or one position we
hold, by the rule whose risk it answers::

    <rounds xmlns="urn:termscore:round-log:1" version="1">
      <round n="1" date="2026-12-02" author="TermScore">
        <protection rule="ai.prohibition-missing" kind="insert" rung="0" paragraph="p-14"
                    answer="proposed">
          <added>3.4 Prohibition on AI Training. The Agency shall not ...</added>
        </protection>
        <protection rule="usage.perpetual-irrevocable" kind="edit" rung="0" paragraph="p-12"
                    answer="proposed">
          <removed>perpetual, irrevocable, </removed>
          <anchor>The Designer grants the Agency a worldwide licence ...</anchor>
          <answered>We need this for our AI tools.</answered>
        </protection>
      </round>
      <round n="2" ...>
        <protection rule="ai.prohibition-missing" ... rung="1" answer="proposed" status="struck">...
      </round>
    </rounds>

``rung``: the position on the finding's ladder (0 the preferred change, 1 the first fallback, ...).
``status`` (from round 2 on): what the other side did with the previous round's proposal.
``answered``: the other side's comment about the protection that this round replied to in its
thread, so a later round does not answer it twice (a program that drops the thread links, as
LibreOffice does on saving, leaves the comment standing alone).
``answer``: ``proposed`` (a change made in this round), ``standing`` (settled earlier and still in
the text: watched, nothing to do) or ``walk_away`` (the ladder is exhausted).

The log holds the words we proposed: they are the contract's own words, in the user's own file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lxml import etree

NAMESPACE = "urn:termscore:round-log:1"
VERSION = "1"
ANSWERS = ("proposed", "standing", "walk_away")
STATUSES = ("accepted", "pending", "struck", "modified", "in_text")
KINDS = ("edit", "insert", "comment")
#: a log this size is not ours to read (a normal one is a few kilobytes)
MAX_BYTES = 2_000_000


def normalized(text: str) -> str:
    """The text with its runs of white space as single spaces, as words are compared across rounds."""
    return " ".join(text.split())


def pieces(text: str) -> list[str]:
    """The lines of a change's words (``Protection.added`` / ``removed``), each normalized."""
    return [normalized(piece) for piece in text.split("\n") if piece.strip()]


class RoundLogError(ValueError):
    """The document carries a round log this version cannot read."""


@dataclass(frozen=True)
class Protection:
    rule_id: str
    kind: str                      # edit | insert | comment
    rung: int                      # position on the finding's ladder: 0 preferred, 1.. fallbacks
    paragraph_id: str | None       # where the change was made, in that round's document
    answer: str = "proposed"       # proposed | standing | walk_away
    status: str | None = None      # what the other side did with the previous round's proposal
    added: str = ""                # the words the change inserted
    removed: str = ""              # the words it deleted
    anchor: str = ""               # for an edit: the paragraph as the change left it
    answered: str = ""             # their comment about it that we replied to (threads.py)


@dataclass(frozen=True)
class Round:
    number: int
    date: str
    author: str
    protections: tuple[Protection, ...] = ()


@dataclass(frozen=True)
class RoundLog:
    rounds: tuple[Round, ...] = ()

    @property
    def last(self) -> Round | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def next_number(self) -> int:
        return self.last.number + 1 if self.last else 1

    def with_round(self, round_: Round) -> RoundLog:
        kept = tuple(r for r in self.rounds if r.number < round_.number)
        return replace(self, rounds=kept + (round_,))

    # ----------------------------------------------------------------------------- XML
    def to_xml(self) -> bytes:
        ns = f"{{{NAMESPACE}}}"
        root = etree.Element(ns + "rounds", nsmap={None: NAMESPACE})
        root.set("version", VERSION)
        for r in self.rounds:
            el = etree.SubElement(root, ns + "round")
            el.set("n", str(r.number))
            el.set("date", r.date)
            el.set("author", r.author)
            for p in r.protections:
                pe = etree.SubElement(el, ns + "protection")
                pe.set("rule", p.rule_id)
                pe.set("kind", p.kind)
                pe.set("rung", str(p.rung))
                if p.paragraph_id:
                    pe.set("paragraph", p.paragraph_id)
                pe.set("answer", p.answer)
                if p.status:
                    pe.set("status", p.status)
                for name in ("added", "removed", "anchor", "answered"):
                    value = getattr(p, name)
                    if value:
                        etree.SubElement(pe, ns + name).text = _xml_safe(value)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    @classmethod
    def from_xml(cls, data: bytes) -> RoundLog:
        if len(data) > MAX_BYTES:
            raise RoundLogError(f"The round log is {len(data)} bytes (limit {MAX_BYTES}).")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise RoundLogError(f"The round log is not well-formed XML ({exc.msg}).") from None
        if root.getroottree().docinfo.doctype:
            raise RoundLogError("The round log has a document type declaration, which a log never needs.")
        if etree.QName(root).namespace != NAMESPACE or etree.QName(root).localname != "rounds":
            raise RoundLogError("The part is not a round log.")
        if root.get("version") != VERSION:
            raise RoundLogError(f"Round log version {root.get('version')!r} is not supported (this reads {VERSION}).")
        rounds = []
        for el in root.iterfind(f"{{{NAMESPACE}}}round"):
            number = _int(el.get("n"), "n")
            protections = tuple(_protection(pe) for pe in el.iterfind(f"{{{NAMESPACE}}}protection"))
            rounds.append(Round(number, el.get("date") or "", el.get("author") or "", protections))
        numbers = [r.number for r in rounds]
        if numbers != sorted(set(numbers)) or any(n < 1 for n in numbers):
            raise RoundLogError("The round log's rounds are not numbered 1, 2, ... in order.")
        return cls(tuple(rounds))


def _protection(pe) -> Protection:
    kind, answer, status = pe.get("kind"), pe.get("answer") or "proposed", pe.get("status")
    if kind not in KINDS or answer not in ANSWERS or (status is not None and status not in STATUSES):
        raise RoundLogError(f"A protection of rule {pe.get('rule')!r} has an unknown kind, answer or status.")
    rule = pe.get("rule")
    if not rule:
        raise RoundLogError("A protection has no rule.")

    def text(name: str) -> str:
        child = pe.find(f"{{{NAMESPACE}}}{name}")
        return (child.text or "") if child is not None else ""

    return Protection(rule_id=rule, kind=kind, rung=_int(pe.get("rung"), "rung"), paragraph_id=pe.get("paragraph"),
                      answer=answer, status=status, added=text("added"), removed=text("removed"),
                      anchor=text("anchor"), answered=text("answered"))


def _int(value, name: str) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise RoundLogError(f"The round log's {name!r} is not a number.") from None
    if n < 0:
        raise RoundLogError(f"The round log's {name!r} is negative.")
    return n


def _xml_safe(text: str) -> str:
    return "".join(c for c in text if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
                   or c > "\uffff")
