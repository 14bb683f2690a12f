"""Who receives the rights a sentence grants.

A licence the client grants the freelancer (a portfolio licence, say) is not a risk; the same words
running the other way are. This reads the sentence the way a lawyer does: the recipient of
``grants``/``assigns``/``licenses``, the owner in ``shall be the property of``, the subject of
``may``/``shall have the right to``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from typing import Protocol

from ..playbook.parties import party_lexicon


class Terms(Protocol):
    """What direction needs of a contract's terms (engine/terms.py, which reads the direction of its
    grants with this module): every name of a party, lower-cased, and its role."""

    @property
    def aliases(self) -> dict[str, str]: ...

_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|any|all|such|these|those|its|our|your|their|his|her|this|that|each|no)\s+$",
                                re.IGNORECASE)
_GRANT = re.compile(
    r"\b(?:hereby\s+)?(?:(?:irrevocably|exclusively|unconditionally)\s+)?"
    r"(?:grants?|granted|assigns?|transfers?|conveys?|licen[cs]es|sells?|agrees?\s+to\s+(?:assign|grant|transfer)|"
    # a licence given in plain words: "You give 8x8 a worldwide license", "8x8 gives You a ... license"
    r"gives?(?=\s+(?:to\s+)?(?:\S+\s+){1,8}?(?:an?|the)\s+(?:[\w,-]+\s+){0,8}?licen[cs]e\b))\b"
    # (a noun, as a heading says it: "Grant of License", "Licenses of Content")
    r"(?!\s+of\b)",
    re.IGNORECASE,
)
_TO_OWNER = r"(?:retained\s+by|reserved\s+(?:to|by|for)|remains?\s+with|(?:property|ownership)\s+of|owned\s+(?:solely\s+|exclusively\s+)?by|vest(?:s|ed)?\s+(?:solely\s+|exclusively\s+|automatically\s+)?in|belongs?\s+(?:solely\s+|exclusively\s+)?to|pass(?:es)?\s+(?:automatically\s+)?to|assigned\s+to|licen[cs]ed\s+to|granted\s+to|transferred\s+to|made\s+for\s+hire\s+(?:for|by)|for\s+the\s+benefit\s+of)"
# inside a bracketed reference to a section by its title: "[License Grant]"
_HEADING_REF = re.compile(r"\[(?:[\w-]+\s+){0,3}$")
# the rights as the subject of the verb: "all intellectual property rights in the work product transfer to"
# (not a right to act: "Licensee shall have the right to assign or sublicense"; "Title" with a capital is
# a defined thing, "each Title")
_RIGHTS_SUBJECT = re.compile(r"\b(?:rights?|copyrights?|(?-i:title)|ownership|interests?)\b(?!\s+to\b)", re.IGNORECASE)
# a right to pass on what one holds: "Client may grant sublicences ...", "the Publisher may assign or
# transfer this licence ...", "Licensee shall have the right to grant sublicenses" (the holder gains it)
_MAY_PASS_ON = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:may|can|(?:shall|will)\s+(?:have\s+the\s+right|be\s+(?:entitled|free|permitted))\s+to|"
    r"(?:is|are)\s+(?:entitled|free|permitted)\s+to|ha(?:s|ve)\s+the\s+right\s+to)\s+(?:\w+ly\s+)?"
    r"(?:(?:assign|transfer|grant|sell)\s+(?:or|and(?:/or)?)\s+)?$", re.IGNORECASE)
_POSSESSIVES = frozenset({"your", "our", "my", "their", "his", "her", "its"})
_HARM_TO = re.compile(r"\b(?:harm|injur(?:y|ies)|damages?)\s+(?:\w+\s+){0,4}?(?:to|upon)\s+(?:the\s+)?", re.IGNORECASE)
_CAUSE_HARM = re.compile(r"\bcaus(?:e|es|ing)\s+(?:the\s+)?(?=[\w’'-]+\s+(?:\w+\s+)?(?:harm|injury|damage)\b)", re.IGNORECASE)
_PAY = re.compile(r"\b(?:shall|will|must|agrees?\s+to|undertakes?\s+to)\s+(?:promptly\s+)?pay\s+(?:to\s+)?", re.IGNORECASE)
_REQUEST_BY = re.compile(r"\b(?:upon|on|at)\s+(?:the\s+)?(?:(?:prior|reasonable|written)\s+)*request\s+(?:by|of|from)\s+(?:the\s+)?", re.IGNORECASE)
_SUBJECT_OF = re.compile(r"\s+(?:\w+ly\s+)?(?:represents?|warrants?|agrees?|acknowledges?|shall|will|may|must|have|has|are|is|hereby)\b", re.IGNORECASE)
_PLAIN_OWN = re.compile(r"(?:\s+(?:(?:shall|will|would)\s+)?|['’]ll\s+)(?:\w+ly\s+)?own\b", re.IGNORECASE)  # "I'll own"
_HOLDER_VERBS = r"(?:may|can|shall\s+(?:own|have|be\s+entitled|be\s+free|be\s+permitted)|will\s+(?:own|have)|owns|retains?|shall\s+retain|is\s+(?:entitled|permitted|free)|has\s+the\s+right|have\s+the\s+right|reserves?)"


@lru_cache(maxsize=64)
def _party_regex(aliases: tuple[tuple[str, str], ...]) -> re.Pattern | None:
    if not aliases:
        return None
    names = sorted((a for a, _ in aliases), key=len, reverse=True)
    # a pronoun written in a case that makes it something else is no mention: "US law", the "(i)" of a list
    exact: dict[str, set[str]] = {}
    for p in party_lexicon().pronouns:
        for f in p.case_sensitive:
            exact.setdefault(f.lower(), set()).add(f)
    parts = [("(?-i:" + "|".join(re.escape(f) for f in sorted(exact[n])) + ")") if n in exact else re.escape(n)
             for n in names]
    return re.compile(r"\b(?:" + "|".join(parts) + r")(?:'s|’s)?\b", re.IGNORECASE)


def _mentions(sentence: str, terms: Terms) -> list[tuple[int, int, str]]:
    rx = _party_regex(tuple(sorted(terms.aliases.items())))
    if rx is None:
        return []
    out = []
    for m in rx.finditer(sentence):
        word = m.group(0).lower().removesuffix("'s").removesuffix("’s")
        role = terms.aliases.get(word)
        if role:
            out.append((m.start(), m.end(), role))
    return out


# the grantor named after a passive grant's verb ("granted permission by the Photographer", "licensed
# from the Studio"): by or from, at most a few words after the verb, right before the party
_AGENT = re.compile(r"(?:\s+[\w-]+){0,3}?\s*\b(?:by|from)\s+(?:the\s+)?", re.IGNORECASE)
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|shall\s+be|will\s+be|been|be)\s+(?:hereby\s+)?$", re.IGNORECASE)


def beneficiary(sentence: str, terms: Terms) -> str | None:
    """Return the role ("provider"/"client") that receives rights in ``sentence``, if any."""
    mentions = _mentions(sentence, terms)
    if not mentions:
        return None
    # 1. Active grant: "X grants (to) Y ...": the first party after the verb, else the other side.
    # (a noun is no grant: "the licences you grant are ...", "such grants")
    # (nor a section's title: "subject to Section 2(a) [License Grant]")
    grant = next((g for g in _GRANT.finditer(sentence) if not _DETERMINER_BEFORE.search(sentence, 0, g.start())
                  and not _HEADING_REF.search(sentence, 0, g.start())), None)
    if grant:
        # the first party after the verb, unless it is the subject of the next clause ("you grant, and
        # you represent that you have the right to grant, to us ...")
        after = [m for m in mentions if grant.end() <= m[0] <= grant.end() + 40 and not _SUBJECT_OF.match(sentence, m[1])]
        before = [m for m in mentions if m[1] <= grant.start()]
        if after and _AGENT.fullmatch(sentence, grant.end(), after[0][0]):
            # the party after the verb is the one who grants: "The Client is hereby granted permission by
            # the Photographer to reproduce the images": the subject receives, else the other side
            if before and _PASSIVE_BEFORE.search(sentence[:grant.start()]):
                return before[-1][2]
            return _other(after[0][2])
        if after:
            return after[0][2]
        if before and _RIGHTS_SUBJECT.search(sentence, before[-1][1], grant.start()):
            # the rights are the subject and pass by themselves: "upon delivery to the client, all
            # rights in the work transfer to and become the property of the client" (the party named
            # before them gives nothing): the recipient is the party named after the verb
            later = [m for m in mentions if grant.end() <= m[0] <= grant.end() + 100]
            if later:
                return later[0][2]
        elif before and _MAY_PASS_ON.match(sentence, before[-1][1], grant.start()):
            return before[-1][2]  # no recipient named: the holder passes on what it has
        elif before and not _PASSIVE_BEFORE.search(sentence[:grant.start()]):
            return _other(before[-1][2])
    # 2. Passive ownership: "shall be the property of Y", "vest in Y", "licensed to Y".
    for m in re.finditer(_TO_OWNER + r"\s+(?:the\s+)?", sentence, re.IGNORECASE):
        if (role := _named_at(mentions, m.end())):
            return role
    # 3. Payment: "X shall pay Y liquidated damages": the payee receives (a remedy serves Y).
    pay = _PAY.search(sentence)
    if pay:
        if (role := _named_at(mentions, pay.end())):
            return role
        before = [m for m in mentions if m[1] <= pay.start()]
        if before:
            return _other(before[-1][2])
    # 4. Request: "Upon request by Customer, Provider will provide such documentation", "at the Agency's
    # written request": the one who may ask holds the right (an audit, a record, a report).
    req = _REQUEST_BY.search(sentence)
    if req and (role := _named_at(mentions, req.end())):
        return role
    for start, end, role in mentions:
        if sentence[end - 2:end] in ("'s", "’s") and re.match(
                r"\s+(?:(?:prior|reasonable|written)\s+)*request\b", sentence[end:end + 40], re.IGNORECASE):
            return role
    # 5. Harm: "irreparable injury will result to Company", "would cause the Designer irreparable harm":
    # the party harmed is the one a remedy for it serves
    for rx in (_HARM_TO, _CAUSE_HARM):
        for m in rx.finditer(sentence):
            if (role := _named_at(mentions, m.end())):
                return role
    # 6. Holder: "Y may ...", "Y shall own ...", "Y retains ...", "you own the graphics we create", "the
    # Client will automatically own ..." (not a possessive: "the Client's own materials").
    for start, end, role in mentions:
        # (not a possessive: in "Your music may be used to train ...", the music is the subject)
        if sentence[start:end].lower() not in _POSSESSIVES and re.match(
                r"\s+(?:\w+\s+){0,2}?" + _HOLDER_VERBS + r"\b", sentence[end:end + 60], re.IGNORECASE):
            return role
        if sentence[end - 2:end] not in ("'s", "’s") and _PLAIN_OWN.match(sentence, end):
            return role
    return None


def _named_at(mentions: list[tuple[int, int, str]], pos: int) -> str | None:
    """The role of the party named right at ``pos`` (within a few characters), if any."""
    return next((role for start, _, role in mentions if pos <= start <= pos + 4), None)


def _other(role: str) -> str:
    return "client" if role == "provider" else "provider"


# --- duty: whose obligation is this? ------------------------------------------------------------

# the words that put someone under a duty: "shall", "agrees not to", "undertakes to", "covenants that"
_DUTY = re.compile(
    r"\b(?:shall|will|must|agrees?|undertakes?|covenants?|(?:is|are)\s+(?:obliged|obligated|required|bound)|"
    r"(?:is|are)\s+prohibited|may\s+not|cannot|can\s*not|"
    # a warranty is its giver's promise: "The Contractor warrants that: (b) AI Tools used with Client
    # data shall be configured to prevent data from being used for model training"
    r"warrants?|represents?\s+and\s+warrants?|guarantees?)\b", re.IGNORECASE)
# the passive: "shall be held in confidence by the Designer", "is not to be disclosed by X"
_PASSIVE_AGENT = re.compile(
    r"\b(?:shall|will|must|is|are)\s+(?:not\s+)?(?:to\s+)?(?:be\s+)(?:\w+\s+){0,2}?"
    r"(?:held|kept|treated|maintained|protected|safeguarded|used|disclosed|copied|retained|returned|destroyed)\b"
    r"[^.;]{0,80}?\bby\s+(?:the\s+)?", re.IGNORECASE)
# "the Designer's obligations of confidentiality", "X's duty of non-use"
_HOLDER_OF_DUTY = re.compile(r"^\s+(?:\w+\s+){0,2}?(?:obligations?|dut(?:y|ies)|undertakings?|covenants?)\b", re.IGNORECASE)
# a party's name used as a modifier, not as the subject: "AI Tools used with Client data shall be ...",
# "Customer Materials will be kept" (the data's owner is not the one bound)
_ATTRIBUTIVE = re.compile(r"\s+(?:data|materials?|content|information|files|documents|records|systems|property|"
                          r"personnel|staff|employees|(?-i:Data|Materials?|Content|Information|Confidential|Property|Personnel))\b",
                          re.IGNORECASE)
_BOTH = re.compile(r"\b(?:each|either|both|neither|the)\s+(?:of\s+the\s+)?part(?:y|ies)\b|\breceiving\s+party\b|\brecipient\b",
                   re.IGNORECASE)


def obligor(sentence: str, terms: Terms) -> str | None:
    """The role ("provider", "client" or "both") that ``sentence`` puts under a duty, if it says.

    A confidentiality or non-use duty of the freelancer protects the other side: a fix that
    tightens it binds our own user. Read as a lawyer does: the agent of a passive duty ("shall be
    held in confidence by the Designer"), the holder of "X's obligations", else the subject of the
    first duty word ("The Designer shall ...", "Each party agrees not to ...")."""
    mentions = _mentions(sentence, terms)
    for m in _PASSIVE_AGENT.finditer(sentence):
        if (role := _named_at(mentions, m.end())):
            return role
    for start, end, role in mentions:
        if sentence[end - 2:end] in ("'s", "’s") and _HOLDER_OF_DUTY.match(sentence[end:end + 40]):
            return role
    duty = _DUTY.search(sentence)
    if duty is None:
        return None
    subject = sentence[:duty.start()]
    if _BOTH.search(subject):
        return "both"
    # the last party named before the duty word, not as a possessive ("the Agency's information")
    named = [(start, end, role) for start, end, role in mentions
             if end <= duty.start() and sentence[end - 2:end] not in ("'s", "’s")
             and not _ATTRIBUTIVE.match(sentence, end)]
    if not named:
        return None
    if len(named) > 1 and named[-1][2] != named[-2][2] and re.fullmatch(
            r"\s+(?:and|or)\s+(?:the\s+)?", sentence[named[-2][1]:named[-1][0]], re.IGNORECASE):
        return "both"  # "The Agency and the Designer shall each ..."
    return named[-1][2]
