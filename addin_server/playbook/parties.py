"""The party and work lexicon (``lexicon/parties.toml``): loaded and validated once.

Every entry carries examples and each example must show its entry (a role word, a pronoun form, a
pattern that matches), so a bad edit stops start-up with an error naming the file and the entry.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

LEXICON = Path(__file__).with_name("lexicon") / "parties.toml"


class LexiconError(ValueError):
    """A lexicon entry is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Pronoun:
    """How a contract written in the first or second person refers to one side."""

    id: str  # "first_plural" | "first_singular" | "second"
    person: int
    subject: str  # "we"
    object: str  # "us"
    possessive: str  # "our"
    forms: tuple[str, ...]
    case_sensitive: frozenset[str]

    def pattern(self) -> str:
        """A regex alternative for every form: case-sensitive ones exactly (and capitalised), others
        in any case."""
        parts = []
        for form in sorted(self.forms, key=len, reverse=True):
            if form in self.case_sensitive or form.capitalize() in self.case_sensitive:
                exact = {f for f in (form, form.capitalize()) if f in self.case_sensitive} or {form}
                parts.extend(f"(?-i:{re.escape(f)})" for f in sorted(exact))
            else:
                parts.append(re.escape(form))
        return "|".join(parts)


@dataclass(frozen=True)
class Agreement:
    irregular: dict[str, dict[str, str]]  # "is" -> {"*": "are", "I": "am"}
    verbs: frozenset[str]  # third-person forms that drop their -s
    modals: frozenset[str]  # make the pronoun before them a subject
    object_after: frozenset[str]  # an object pronoun after these stays an object ("to us")


@dataclass(frozen=True)
class PartyLexicon:
    provider_words: frozenset[str]
    client_words: frozenset[str]
    not_party: frozenset[str]
    pronouns: tuple[Pronoun, ...]
    agreement: Agreement
    placeholders: tuple[re.Pattern, ...]
    entity_cues: tuple[re.Pattern, ...]
    undersigned: tuple[str, ...]
    provider_acts: str  # one regex alternative (case-insensitive), to follow a party's name
    client_acts: str
    work_names: tuple[str, ...]
    possessed_work: tuple[str, ...]  # nouns for the work a contract calls "my fonts", "your photos"
    not_work: frozenset[str]
    work_ties: re.Pattern
    work_acts: re.Pattern
    work_made: re.Pattern  # the creator makes it: a term defined here is the work on one grant
    engagement: re.Pattern  # the creator is hired to make work (a contract may say so and nothing on IP)
    ip_words: re.Pattern  # the words a contract speaks of IP with (ownership, copyright, licence)
    standard_terms: re.Pattern  # "you" accept a form by what you do ("By uploading, you agree ...")

    def role_of_word(self, words: str) -> str | None:
        if words in self.provider_words:
            return "provider"
        if words in self.client_words:
            return "client"
        return None

    def pronoun(self, word: str) -> Pronoun | None:
        """The pronoun set ``word`` belongs to ("Us" -> first_plural; "US" -> none)."""
        exact, any_case = self._pronoun_index
        found = min(exact.get(word, len(self.pronouns)), any_case.get(word.lower(), len(self.pronouns)))
        return self.pronouns[found] if found < len(self.pronouns) else None

    @cached_property
    def _pronoun_index(self) -> tuple[dict[str, int], dict[str, int]]:
        """(form written exactly -> first pronoun set, lower-cased form -> first pronoun set): a form
        that is case-sensitive ("US" is no "us") counts only as written (or capitalised, if so listed);
        the first set in file order that has the word wins, as a scan of every form would give."""
        exact: dict[str, int] = {}
        any_case: dict[str, int] = {}
        for i, p in enumerate(self.pronouns):
            for form in p.forms:
                written = {f for f in (form, form.capitalize()) if f in p.case_sensitive}
                for f in written:
                    exact.setdefault(f, i)
                if not written:
                    any_case.setdefault(form.lower(), i)
        return exact, any_case


def _fail(entry: str, why: str) -> LexiconError:
    return LexiconError(f"{LEXICON.name}: [{entry}]: {why}")


def _examples(entry: str, table: dict) -> list[str]:
    ex = table.get("examples")
    if not ex or not all(isinstance(e, str) and e for e in ex):
        raise _fail(entry, "needs a list of examples")
    return ex


def _compile(entry: str, patterns: list[str], examples: list[str]) -> tuple[re.Pattern, ...]:
    try:
        compiled = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    except re.error as e:
        raise _fail(entry, f"bad pattern: {e}") from None
    for p in compiled:
        if not any(p.search(e) for e in examples):
            raise _fail(entry, f"no example matches {p.pattern!r}")
    return compiled


def parse(data: dict) -> PartyLexicon:
    """Validate the lexicon's data (a TOML table) and build typed values."""
    roles = {}
    for side in ("provider", "client"):
        table = data["roles"][side]
        examples = " ".join(_examples(f"roles.{side}", table)).lower()
        words = frozenset(w.lower() for w in table["words"])
        if not any(w in examples for w in words):
            raise _fail(f"roles.{side}", "no example shows a role word")
        roles[side] = words
    if roles["provider"] & roles["client"]:
        raise _fail("roles", f"words on both sides: {sorted(roles['provider'] & roles['client'])}")
    not_party = data["not_party"]
    _examples("not_party", not_party)
    pronouns = []
    for pid, table in data["pronouns"].items():
        examples = _examples(f"pronouns.{pid}", table)
        forms = tuple(table["forms"])
        for key in ("subject", "object", "possessive"):
            if table[key] not in forms:
                raise _fail(f"pronouns.{pid}", f"{key} {table[key]!r} is not among its forms")
        if not any(re.search(r"\b" + re.escape(f) + r"\b", e, re.IGNORECASE) for f in forms for e in examples):
            raise _fail(f"pronouns.{pid}", "no example uses a form")
        pronouns.append(Pronoun(pid, int(table["person"]), table["subject"], table["object"], table["possessive"],
                                forms, frozenset(table.get("case_sensitive", []))))
    ag = data["agreement"]
    _examples("agreement", ag)
    verbs = frozenset(ag["verbs"])
    if bad := [v for v in verbs if not v.endswith("s")]:
        raise _fail("agreement", f"verbs must be third-person forms ending in -s: {bad}")
    agreement = Agreement({k: dict(v) for k, v in ag["irregular"].items()}, verbs, frozenset(ag["modals"]),
                          frozenset(ag["object_after"]))
    ph = data["placeholders"]
    placeholders = tuple(re.compile(p) for p in ph["patterns"])
    for p in placeholders:
        if not any(p.search(e) for e in _examples("placeholders", ph)):
            raise _fail("placeholders", f"no example matches {p.pattern!r}")
    cues = data["entity_cues"]
    entity_cues = _compile("entity_cues", cues["patterns"], _examples("entity_cues", cues))
    und = data["undersigned"]
    if not all(any(p in e.lower() for e in _examples("undersigned", und)) for p in und["phrases"]):
        raise _fail("undersigned", "an example must contain each phrase")
    acts = {}
    for side in ("provider", "client"):
        table = data["acts"][side]
        _compile(f"acts.{side}", table["patterns"], _examples(f"acts.{side}", table))
        acts[side] = "|".join(f"(?:{p})" for p in table["patterns"])
    work = data["work"]
    wex = _examples("work", work)
    ties = _compile("work", work["ties"], [" ".join(wex) + " made under this Agreement"])[0].pattern
    eng = data["engagement"]
    engagement = re.compile("|".join(f"(?:{p.pattern})" for p in _compile("engagement", eng["patterns"], _examples("engagement", eng))),
                            re.IGNORECASE)
    if wrong := [e for e in eng.get("not_examples", ()) if engagement.search(e)]:
        raise _fail("engagement", f"a not_example matches: {wrong}")
    ip_words = re.compile("|".join(f"(?:{p.pattern})" for p in _compile("engagement.ip_words", eng["ip_words"], eng["ip_examples"])),
                          re.IGNORECASE)
    if wrong := [e for e in eng["ip_not_examples"] if ip_words.search(e)]:
        raise _fail("engagement.ip_words", f"a not_example matches: {wrong}")
    st = data["standard_terms"]
    standard_terms = re.compile("|".join(f"(?:{p.pattern})" for p in _compile("standard_terms", st["patterns"], _examples("standard_terms", st))),
                                re.IGNORECASE)
    if wrong := [e for e in st["not_examples"] if standard_terms.search(e)]:
        raise _fail("standard_terms", f"a not_example matches: {wrong}")
    return PartyLexicon(
        roles["provider"], roles["client"], frozenset(w.lower() for w in not_party["words"]), tuple(pronouns),
        agreement, placeholders, entity_cues, tuple(und["phrases"]), acts["provider"], acts["client"],
        tuple(work["names"]), _possessed(work), frozenset(work["not_work"]),
        re.compile("|".join(f"(?:{t})" for t in work["ties"]), re.IGNORECASE) if ties else re.compile("(?!)"),
        re.compile("|".join(f"(?:{t})" for t in work["acts"]), re.IGNORECASE),
        _compile("work", ["|".join(f"(?:{t})" for t in work["made"])], wex)[0],
        engagement, ip_words, standard_terms,
    )


def _possessed(work: dict) -> tuple[str, ...]:
    nouns = tuple(work["possessed"])
    examples = " ".join(work["possessed_examples"]).lower()
    if not nouns or not any(re.search(rf"\b(?:my|our|your)\s+{re.escape(n)}\b", examples) for n in nouns):
        raise _fail("work.possessed", "no example shows a possessed noun")
    return nouns


@lru_cache(maxsize=1)
def party_lexicon(path: Path = LEXICON) -> PartyLexicon:
    """The lexicon, read and validated once."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise LexiconError(f"{path.name}: {e}") from None
    try:
        return parse(data)
    except KeyError as e:
        raise LexiconError(f"{path.name}: missing key {e}") from None
