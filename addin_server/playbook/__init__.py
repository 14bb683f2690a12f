"""The playbook: rules as data, validated when loaded.

Each file under ``rules/`` holds one clause family. A bad file stops start-up with an error that
names the file and the rule id, so a typo never reaches a user as a silent miss.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .ai_lexicon import AILexicon, AILexiconError, default_ai_lexicon
from .model import MODEL_PATH, ClauseModel
from .prefilter import GuardedPattern

HERE = Path(__file__).parent
RULES_DIR = HERE / "rules"
LEXICON_DIR = HERE / "lexicon"
MODALITY_PATH = LEXICON_DIR / "modality.toml"
FRAGMENTS_PATH = LEXICON_DIR / "grants.toml"

KINDS = {"risky", "missing", "incomplete"}
SEVERITIES = ("high", "medium", "low")
PROFILES = ("high", "medium", "low")
CATEGORIES = {
    "usage-rights": "Usage rights",
    "ai-training": "AI training",
    "ownership": "Ownership",
    "derivative-works": "Derivative works",
    "confidentiality": "Confidentiality",
    "remedies": "Remedies",
}
# one file per clause type, its name the type's id, its examples beside it: the loader discovers them
CLAUSES_DIR = HERE / "clauses"
CLAUSE_KEYS = {"title", "keywords", "patterns", "exclude", "negation_vetoes", "frame", "stance", "example", "exposure"}
FRAMES = {"ai-use": ("prohibited", "permitted")}  # frame -> its stances (engine/frames.py)
FIX_ACTIONS = {"delete", "replace", "insert_after", "insert_before_end", "append_sentence", "function"}
DIRECTIONS = {"from_provider", "to_client", "any"}
CHECKS = {"ai_prohibition_elements", "confidentiality_ai", "ai_breach_limited"}
FUNCTIONS = {"negate_adjective", "negate_permission", "deny_work_for_hire", "limit_assignment"}
APPLIES_IF = {"rights_granted", "implied_licence", "always"}
POSITIONS = ("preferred", "fallback")
POLARITY_KINDS = ("negation", "restriction", "conditional")  # what engine/polarity.py reports
PLACEHOLDERS = {
    "client", "Client", "provider", "Provider", "provider_poss", "client_poss", "work", "Work",
    "project", "project_short", "amount", "missing", "missing_plain", "it", "confidential", "cap_carveout", "agreement",
}
_FLAGS = re.IGNORECASE


class PlaybookError(ValueError):
    """A rule file is invalid; the message names the file and the rule."""


@dataclass(frozen=True)
class Fix:
    action: str
    text: str = ""
    function: str = ""
    label: str = ""
    heading: str = ""
    comment: str = ""  # a fallback's own comment to the counterparty, when a profile offers it first
    # where the span is a phrase that grants what the fix limits ("with right to sublicense through
    # multiple tiers"), the phrase is rewritten (``phrase_text``) instead of the action being taken
    phrase: re.Pattern | None = None
    phrase_text: str = ""


@dataclass(frozen=True)
class ProfileSetting:
    severity: str
    points: int
    # the position asked for under this profile (the seed's profiles say how hard to push): "preferred"
    # offers the rule's fix, "fallback" offers its fallback first and keeps the preferred fix as the
    # stronger alternative
    position: str = "preferred"


@dataclass(frozen=True)
class Example:
    text: str
    flag: bool
    span: tuple[int, int] | None  # expected span, for single-paragraph examples


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    category: str
    clause_type: str
    title: str
    # what our change for this rule is, as a reply to the other side names it ("our audit clause",
    # "our limit on the media"): negotiation/rounds.py
    protection: str
    message: str
    comment_counterparty: str
    comment_internal: str
    profiles: dict[str, ProfileSetting]
    source: str
    direction: str = "any"
    pattern: re.Pattern | None = None
    context: re.Pattern | None = None
    exceptions: tuple[re.Pattern, ...] = ()
    exception_scope: str = "sentence"
    paragraph_exceptions: tuple[re.Pattern, ...] = ()
    present_patterns: tuple[re.Pattern, ...] = ()
    fix: Fix | None = None
    fallback: Fix | None = None
    present_if: tuple[str, ...] = ()
    applies_if: str = "always"
    applies_to: str = ""
    # asked of standard terms the creator accepts by conduct (a platform's terms of service) as well
    # as of a negotiated contract; false for what a platform never adds for one user (engine/form.py)
    in_standard_terms: bool = True
    # asked only of standard terms the creator accepts by conduct (a risk a negotiated contract may
    # rightly hold: an exclusive licence of a commissioned logo)
    only_in_standard_terms: bool = False
    suppressed_by: tuple[str, ...] = ()
    # on a paragraph where one of these rules writes its fix, this finding keeps its points and message
    # but its change is that fix (engine/review.py, _yield)
    yields_to: tuple[str, ...] = ()
    # on an item of a list, these rules' fix on the list's lead-in is this finding's too ("a licence,
    # solely for the Project, to:" / "create derivative works"): no second limit in every item
    items_yield_to: tuple[str, ...] = ()
    heading: str = ""
    text: str = ""
    check: str = ""
    examples: tuple[Example, ...] = ()
    # a match inside a negation's scope of one of these kinds (engine/polarity.py) does not fire:
    # "shall not be deemed a work made for hire", "for any purpose other than the Project"
    negation_vetoes: tuple[str, ...] = ()
    # a sentence that already carries one of these clause types is left alone: "usage.purpose-limitation"
    # does not ask for a purpose limit where the sentence has one (playbook/clauses/ says what one is)
    unless_types: tuple[str, ...] = ()
    # the contract already holds one of these protections for the provider, in any clause: an
    # assignment of the work made here has its carve-out when another clause keeps the creator's
    # pre-existing materials ("6.1 transfer on payment" / "6.2 the Contractor retains its tools")
    unless_present: tuple[str, ...] = ()
    # ... and its converse: the rule asks only where the contract holds one of these (once another
    # clause keeps the creator's materials, what is left to ask of an assignment is that it wait for payment)
    if_present: tuple[str, ...] = ()

    def setting(self, profile: str) -> ProfileSetting | None:
        return self.profiles.get(profile)

    def catalog_entry(self) -> dict:
        entry = {
            "id": self.id, "kind": self.kind, "category": self.category,
            "clause_type": self.clause_type, "title": self.title, "message": self.message,
            "comment": {"counterparty": self.comment_counterparty, "internal": self.comment_internal},
            "profiles": {p: {"severity": s.severity, "points": s.points} for p, s in self.profiles.items()},
            "direction": self.direction, "source": self.source,
        }
        if self.kind == "missing":
            entry["preferred"] = {"heading": self.heading, "text": self.text}
        elif self.fix:
            entry["preferred"] = {"action": self.fix.action, "text": self.fix.text}
        if self.fallback:
            entry["fallback"] = {"label": self.fallback.label, "action": self.fallback.action,
                                 "heading": self.fallback.heading, "text": self.fallback.text}
        entry["examples"] = {
            "flag": [e.text for e in self.examples if e.flag],
            "pass": [e.text for e in self.examples if not e.flag],
        }
        return entry


@dataclass(frozen=True)
class TypeExample:
    """One of a clause type's own examples: a paragraph, and whether the type must be recognised in it
    (``expect``) or it is a look-alike the type must not take (evaluation/clause_examples.py)."""

    expect: bool
    text: str
    style: str = ""


@dataclass(frozen=True)
class ClauseType:
    id: str
    title: str
    patterns: tuple[re.Pattern, ...]
    exclude: tuple[re.Pattern, ...]
    # Lower-case substrings one of which every pattern needs (a space stands for any whitespace);
    # empty = always run the patterns.
    keywords: tuple[str, ...] = ()
    # a pattern match whose end lies inside a negation of one of these kinds does not tag
    # ("Nothing in this Agreement grants ...", "shall not assign"): engine/polarity.py
    negation_vetoes: tuple[str, ...] = ()
    # a clause type read as a frame instead of by patterns (engine/frames.py): the frame's name and
    # the stance the type stands for; its keywords are the frame lexicon's
    frame: str = ""
    stance: str = ""
    examples: tuple[TypeExample, ...] = ()
    # how far a grant of this type, alone, opens the work to uses beyond the project (AI training
    # among them), 0 to 1: what a missing protection costs against it (engine/exposure.py)
    exposure: float = 0.0

    def may_match(self, lowered: str) -> bool:
        """False only when the lower-cased sentence holds none of the keywords."""
        if not self.keywords:
            return True
        norm = " ".join(lowered.split())
        return any(k in norm for k in self.keywords)


@dataclass(frozen=True)
class LexiconEntry:
    """One entry of a lexicon file: a word or phrase (as a pattern), what it does, and its examples."""

    id: str
    pattern: re.Pattern
    kind: str = ""   # negator: negation | prohibition | conditional; scope break: end | restriction | condition
    scope: str = ""  # negator only: forward | clause
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key for the scopes it computes
class Modality:
    """``lexicon/modality.toml``: negators, their look-alikes and the words where their scope ends."""

    negators: tuple[LexiconEntry, ...]
    not_negators: tuple[LexiconEntry, ...]
    scope_breaks: tuple[LexiconEntry, ...]
    source: str = "modality.toml"

    @cached_property
    def negator_regex(self) -> re.Pattern:
        """Every negator in one alternation, in file order (the first listed wins at a position)."""
        return _alternation(self.negators, "n")

    @cached_property
    def not_negator_regex(self) -> re.Pattern:
        return _alternation(self.not_negators, "x")

    @cached_property
    def break_regex(self) -> re.Pattern:
        return _alternation(self.scope_breaks, "b")


def _alternation(entries: tuple[LexiconEntry, ...], prefix: str) -> re.Pattern:
    return re.compile("|".join(f"(?P<{prefix}{k}>{e.pattern.pattern})" for k, e in enumerate(entries)), _FLAGS)


NEGATOR_KINDS = {"negation", "prohibition", "conditional"}
NEGATOR_SCOPES = {"forward", "clause", "subordinate", "determiner"}
BREAK_KINDS = {"end", "restriction", "condition"}


def load_modality(path: Path = MODALITY_PATH) -> Modality:
    """Load and validate the modality lexicon; raise :class:`PlaybookError` naming the file and entry."""
    raw = _load_toml(path)
    name = path.name
    unknown = set(raw) - {"negator", "not_negator", "scope_break"}
    if unknown:
        raise PlaybookError(f"{name}: unknown section(s) {sorted(unknown)}")
    seen: set[str] = set()

    def entries(section: str, kinds: set[str] | None, scopes: set[str] | None) -> tuple[LexiconEntry, ...]:
        out = []
        for item in raw.get(section, []):
            eid = item.get("id", "<no id>")
            where = f"{name}: {section} {eid}"
            if eid in seen:
                raise PlaybookError(f"{where}: duplicate id")
            seen.add(eid)
            allowed = {"id", "pattern", "examples"} | ({"kind"} if kinds else set()) | ({"scope"} if scopes else set())
            if set(item) - allowed:
                raise PlaybookError(f"{where}: unknown key(s) {sorted(set(item) - allowed)}")
            if not item.get("pattern"):
                raise PlaybookError(f"{where}: missing 'pattern'")
            if kinds is not None and item.get("kind") not in kinds:
                raise PlaybookError(f"{where}: kind must be one of {sorted(kinds)}")
            if scopes is not None and item.get("scope") not in scopes:
                raise PlaybookError(f"{where}: scope must be one of {sorted(scopes)}")
            pattern = _compile(item["pattern"], where)
            if pattern.groupindex:
                # the entries are joined into one alternation whose named groups say which matched
                raise PlaybookError(f"{where}: named groups are not allowed; use (?:...)")
            examples = tuple(item.get("examples", ()))
            if not examples:
                raise PlaybookError(f"{where}: needs at least one example")
            for ex in examples:
                plain = ex.replace("[[", "").replace("]]", "").replace("{{", "").replace("}}", "")
                if not pattern.search(plain):
                    raise PlaybookError(f"{where}: the pattern does not match its example {ex!r}")
                if "[[" not in ex and "{{" not in ex:
                    raise PlaybookError(f"{where}: example {ex!r} marks no [[in scope]] or {{{{out of scope}}}} words")
            out.append(LexiconEntry(eid, pattern, item.get("kind", ""), item.get("scope", ""), examples))
        if not out:
            raise PlaybookError(f"{name}: no [[{section}]] entries")
        return tuple(out)

    return Modality(negators=entries("negator", NEGATOR_KINDS, NEGATOR_SCOPES),
                    not_negators=entries("not_negator", None, None),
                    scope_breaks=entries("scope_break", BREAK_KINDS, None), source=name)


@lru_cache(maxsize=1)
def default_modality() -> Modality:
    return load_modality()


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    description: str
    stance: str


@dataclass(frozen=True)
class Playbook:
    rules: tuple[Rule, ...]
    clause_types: dict[str, ClauseType]
    profiles: dict[str, Profile]
    by_id: dict[str, Rule] = field(default_factory=dict)
    # the learned second opinion on some clause types (model.py); None: the patterns alone decide
    model: ClauseModel | None = None
    # negators and their scope breaks (lexicon/modality.toml), read by engine/polarity.py
    modality: Modality | None = None

    @cached_property
    def keyword_index(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """Every keyword once, with the clause types it admits: one substring test per keyword.

        A keyword that contains another admitting at least the same types adds nothing and is
        dropped ("licensed" when "licen" is there)."""
        index: dict[str, set[str]] = {}
        for ct in self.clause_types.values():
            for k in ct.keywords:
                index.setdefault(k, set()).add(ct.id)
        kept = {k: v for k, v in index.items()
                if not any(o != k and o in k and index[o] >= v for o in index)}
        return tuple((k, frozenset(v)) for k, v in sorted(kept.items()))

    @cached_property
    def exposures(self) -> dict[str, float]:
        """Clause type id -> its ``exposure`` (types that give nothing away are left out)."""
        return {ct.id: ct.exposure for ct in self.clause_types.values() if ct.exposure}

    @cached_property
    def always_tested(self) -> frozenset[str]:
        return frozenset(ct.id for ct in self.clause_types.values() if not ct.keywords)

    @cached_property
    def _word_index(self) -> "_WordIndex":
        """The keyword scanner (one per playbook: a copy with another model builds its own)."""
        return _WordIndex(self.keyword_index)

    def keyword_hits(self, text: str, among=None) -> list[tuple[str, frozenset[str]]]:
        """The keywords (with their types) that occur in ``text``, whitespace runs read as one space."""
        if among is not None:
            norm = " ".join(text.lower().split())
            return [(k, types) for k, types in among if k in norm]
        return self._word_index.hits(text)

    def candidate_types(self, text: str, among=None) -> frozenset[str]:
        """Clause types whose keywords occur in ``text`` (plus those without keywords).

        ``among`` narrows the keywords to test, e.g. to those already found in the paragraph."""
        if among is None:
            return frozenset(self._word_index.types_in(text) | self.always_tested)
        found = set(self.always_tested)
        for _, types in self.keyword_hits(text, among):
            found |= types
        return frozenset(found)

    def catalog(self) -> dict:
        return {
            "profiles": [p.__dict__ for p in self.profiles.values()],
            "categories": [{"id": k, "title": v} for k, v in CATEGORIES.items()],
            "clause_types": [{"id": c.id, "title": c.title} for c in self.clause_types.values()],
            "rules": [r.catalog_entry() for r in self.rules],
        }


def _trie_scanner(keywords) -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """One regular expression over every keyword, built as a trie ("licen", "limit of time" and
    "limited to" share their opening), so a text is scanned once in C instead of once per
    keyword; plus, for each keyword, the keywords a match of it can hide.

    ``findall`` reports, at each position, the longest keyword starting there, and resumes
    after it; a keyword that is a prefix or a substring of a match, or starts inside it and
    runs past its end, is not reported. Those are exactly the keywords in ``hidden[k]``, which
    :class:`_WordIndex` tests one by one: the result is the same as testing every keyword."""
    trie: dict = {}
    for k in keywords:
        node = trie
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alternatives = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    hidden = {}
    for a in keywords:
        hidden[a] = tuple(b for b in keywords if b != a and (
            b in a or any(a.endswith(b[:n]) for n in range(1, min(len(a), len(b)))
                          if len(b) > n)))
    return re.compile(build(trie)), hidden


_NOTHING: tuple[tuple[str, ...], frozenset[str], tuple[str, ...]] = ((), frozenset(), ())


class _WordIndex:
    """The keyword pre-filter, read word by word.

    A keyword without a space occurs in the whitespace-normalised text exactly when it occurs in
    one of its words; a keyword with spaces can occur only if its longest piece is in one of its
    words, and is then tested on the text itself. Which pieces a word holds is a property of the
    word: found once (one trie scan over all the words not seen before) and kept, so a sentence
    costs a split, a set intersection with the words that hold any piece, and a few look-ups,
    instead of a scan of every character. The result is the one testing every keyword gives."""

    MAX_WORDS = 200_000  # words remembered (then forgotten all at once); a long word is never kept
    MAX_WORD = 64

    def __init__(self, index: tuple[tuple[str, frozenset[str]], ...]):
        self.types = dict(index)
        pieces: dict[str, list[str]] = {}  # piece -> keywords it stands for
        for k in self.types:
            piece = k if " " not in k else max(k.split(" "), key=len)  # the first longest piece
            pieces.setdefault(piece, []).append(k)
        self.pieces = {p: tuple(sorted(ks)) for p, ks in pieces.items()}
        self.rx, self.hidden = _trie_scanner(self.pieces)
        # (word -> what its pieces stand for (_entry), often nothing; the words that stand for
        # something): one tuple, replaced whole when full, so a thread never sees one without the other
        self._tables: tuple[dict[str, tuple], dict[str, tuple]] = ({}, {})

    def _learn(self, words: list[str]) -> dict[str, tuple]:
        """What each of ``words`` stands for (:meth:`_entry`), found in one scan and remembered."""
        joined = "\n".join(words)  # no piece holds a newline: no match runs from one word into the next
        starts = []
        pos = 0
        for w in words:
            starts.append(pos)
            pos += len(w) + 1
        found: dict[str, set[str]] = {}
        for m in self.rx.finditer(joined):
            found.setdefault(words[bisect_right(starts, m.start()) - 1], set()).add(m.group(0))
        learned = dict.fromkeys(words, _NOTHING)
        for w, hits in found.items():
            # the pieces a match hides (see _trie_scanner), tested on the word itself
            pending = [b for a in hits for b in self.hidden[a] if b not in hits]
            while pending:
                b = pending.pop()
                if b not in hits and b in w:
                    hits.add(b)
                    pending.extend(c for c in self.hidden[b] if c not in hits)
            learned[w] = self._entry(tuple(k for p in hits for k in self.pieces[p]))
        table, useful = self._tables
        if len(table) > self.MAX_WORDS:
            table, useful = self._tables = ({}, {})
        for w, entry in learned.items():
            if len(w) <= self.MAX_WORD:
                if entry[0]:
                    useful[w] = entry  # before the word is known: a known word is never missed
                table[w] = entry
        return learned

    def _entry(self, keywords: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]:
        """(the keywords a word's pieces stand for, the types of those without a space, which the
        word alone proves, those with a space, to test on the text)."""
        single = frozenset(t for k in keywords if " " not in k for t in self.types[k])
        return keywords, single, tuple(k for k in keywords if " " in k)

    def _entries(self, tokens: list[str]):
        words = set(tokens)
        table, useful = self._tables
        new = words.difference(table)
        out = [useful[w] for w in words & useful.keys()]
        if new:
            out.extend(e for e in self._learn(list(new)).values() if e[0])
        return out

    def types_in(self, text: str) -> set[str]:
        """The clause types of the keywords in ``text``: what :meth:`hits` gives, without the list."""
        tokens = text.lower().split()
        found: set[str] = set()
        multi: list[str] = []
        for _, single, spaced in self._entries(tokens):
            found |= single
            multi.extend(spaced)
        if multi:
            norm = " ".join(tokens)
            for k in multi:
                if k in norm:
                    found |= self.types[k]
        return found

    def hits(self, text: str) -> list[tuple[str, frozenset[str]]]:
        tokens = text.lower().split()  # the words of " ".join(text.lower().split())
        candidates: set[str] = set()
        for keywords, _, _ in self._entries(tokens):
            candidates.update(keywords)
        if not candidates:
            return []
        norm = None
        found = []
        for k in candidates:
            if " " in k:  # its longest piece is in a word: is the whole of it in the text?
                if norm is None:
                    norm = " ".join(tokens)
                if k not in norm:
                    continue
            found.append(k)
        return [(k, self.types[k]) for k in sorted(found)]

_FRAGMENT_REF = re.compile(r"<<([\w-]+)>>")  # ids have hyphens: "this-agreement"


def load_fragments(path: Path = FRAGMENTS_PATH) -> dict[str, str]:
    """The shared vocabulary of the clause frames (``<<id>>`` in a pattern), each fragment expanded,
    compiled and tried on its own examples; raise :class:`PlaybookError` naming the file and entry."""
    raw = _load_toml(path)
    name = path.name
    src: dict[str, str] = {}
    examples: dict[str, tuple[str, ...]] = {}
    for item in raw.get("fragment", []):
        fid = item.get("id", "<no id>")
        if fid in src:
            raise PlaybookError(f"{name}: fragment {fid}: duplicate id")
        if not item.get("pattern"):
            raise PlaybookError(f"{name}: fragment {fid}: missing 'pattern'")
        src[fid] = item["pattern"]
        examples[fid] = tuple(item.get("examples", ()))
    out: dict[str, str] = {}

    def expand(fid: str, stack: tuple[str, ...]) -> str:
        if fid in out:
            return out[fid]
        if fid in stack:
            raise PlaybookError(f"{name}: fragment {fid}: refers to itself through {' -> '.join(stack)}")
        text = _FRAGMENT_REF.sub(lambda m: _known(m.group(1), src, f"{name}: fragment {fid}") and
                                 expand(m.group(1), stack + (fid,)), src[fid])
        out[fid] = text
        return text

    for fid in src:
        where = f"{name}: fragment {fid}"
        try:
            pattern = re.compile(expand(fid, ()), _FLAGS)
        except re.error as exc:
            if examples[fid]:
                raise PlaybookError(f"{where}: bad regular expression: {exc}") from None
            continue  # it refers to a group of another fragment: compiled, and tried, where it is used
        for ex in examples[fid]:
            if not pattern.search(ex):
                raise PlaybookError(f"{where}: the pattern does not match its example {ex!r}")
    return out


def _known(fid: str, fragments: dict[str, str], where: str) -> bool:
    if fid not in fragments:
        raise PlaybookError(f"{where}: unknown fragment <<{fid}>>")
    return True


@lru_cache(maxsize=1)
def default_fragments() -> dict[str, str]:
    return load_fragments()


def _compile(src: str, where: str) -> re.Pattern:
    if "<<" in src:
        fragments = default_fragments()
        src = _FRAGMENT_REF.sub(lambda m: _known(m.group(1), fragments, where) and fragments[m.group(1)], src)
    try:
        return re.compile(src, _FLAGS)
    except re.error as exc:
        raise PlaybookError(f"{where}: bad regular expression: {exc}") from None


def _check_placeholders(text: str, where: str) -> None:
    for name in re.findall(r"\{(\w+)\}", text):
        if name not in PLACEHOLDERS:
            raise PlaybookError(f"{where}: unknown placeholder {{{name}}}")


def _fix(raw: dict | None, where: str) -> Fix | None:
    if raw is None:
        return None
    action = raw.get("action", "")
    if action and action not in FIX_ACTIONS:
        raise PlaybookError(f"{where}: unknown action {action!r}")
    if action == "function" and raw.get("function") not in FUNCTIONS:
        raise PlaybookError(f"{where}: unknown function {raw.get('function')!r}")
    for key in ("text", "heading", "comment", "phrase_text"):
        _check_placeholders(raw.get(key, ""), where)
    if ("phrase" in raw) != ("phrase_text" in raw):
        raise PlaybookError(f"{where}: 'phrase' and 'phrase_text' go together")
    try:
        phrase = re.compile(raw["phrase"], re.IGNORECASE) if "phrase" in raw else None
    except re.error as e:
        raise PlaybookError(f"{where}: bad phrase pattern: {e}") from None
    return Fix(action=action, text=raw.get("text", ""), function=raw.get("function", ""),
               label=raw.get("label", ""), heading=raw.get("heading", ""), comment=raw.get("comment", ""),
               phrase=phrase, phrase_text=raw.get("phrase_text", ""))


def _example(raw: dict, where: str) -> Example:
    if ("flag" in raw) == ("pass" in raw):
        raise PlaybookError(f"{where}: an example has exactly one of 'flag' or 'pass'")
    text = raw.get("flag", raw.get("pass"))
    span = None
    if "[[" in text:
        start = text.index("[[")
        end = text.index("]]") - 2
        text = text.replace("[[", "", 1).replace("]]", "", 1)
        span = (start, end)
    return Example(text=text, flag="flag" in raw, span=span)


_REQUIRED = ("id", "kind", "category", "clause_type", "title", "protection", "message", "comment_counterparty",
             "comment_internal", "profiles")


def _rule(raw: dict, source: str, clause_types: dict) -> Rule:
    rid = raw.get("id", "<no id>")
    where = f"{source}: rule {rid}"
    for key in _REQUIRED:
        if key not in raw:
            raise PlaybookError(f"{where}: missing '{key}'")
    if raw["kind"] not in KINDS:
        raise PlaybookError(f"{where}: kind must be one of {sorted(KINDS)}")
    if raw["category"] not in CATEGORIES:
        raise PlaybookError(f"{where}: unknown category {raw['category']!r}")
    if raw["clause_type"] not in clause_types:
        raise PlaybookError(f"{where}: unknown clause_type {raw['clause_type']!r}")
    profiles = {}
    for name, setting in raw["profiles"].items():
        if name not in PROFILES or setting.get("severity") not in SEVERITIES or not isinstance(setting.get("points"), int):
            raise PlaybookError(f"{where}: bad profile entry {name!r}")
        position = setting.get("position", "preferred")
        if position not in POSITIONS or set(setting) - {"severity", "points", "position"}:
            raise PlaybookError(f"{where}: bad profile entry {name!r} (position is one of {list(POSITIONS)})")
        if position == "fallback" and not (raw.get("fallback") or {}).get("comment"):
            raise PlaybookError(f"{where}: profile {name!r} asks for the fallback, which needs a fallback with its own 'comment'")
        profiles[name] = ProfileSetting(setting["severity"], setting["points"], position)
    for key in ("message", "comment_counterparty", "comment_internal", "text", "heading"):
        _check_placeholders(raw.get(key, ""), where)
    direction = raw.get("direction", "any")
    if direction not in DIRECTIONS:
        raise PlaybookError(f"{where}: unknown direction {direction!r}")
    kind = raw["kind"]
    if kind == "risky" and ("pattern" not in raw or "fix" not in raw):
        raise PlaybookError(f"{where}: a risky rule needs 'pattern' and 'fix'")
    if kind == "missing" and not (raw.get("present_if") and raw.get("text")):
        raise PlaybookError(f"{where}: a missing rule needs 'present_if' and 'text'")
    if kind == "incomplete" and not (raw.get("check") or raw.get("pattern")):
        raise PlaybookError(f"{where}: an incomplete rule needs 'check' or 'pattern'")
    if raw.get("check") and raw["check"] not in CHECKS:
        raise PlaybookError(f"{where}: unknown check {raw['check']!r}")
    if not isinstance(raw.get("in_standard_terms", True), bool):
        raise PlaybookError(f"{where}: in_standard_terms is true or false")
    if not isinstance(raw.get("only_in_standard_terms", False), bool):
        raise PlaybookError(f"{where}: only_in_standard_terms is true or false")
    if raw.get("in_standard_terms") is False and kind != "missing":
        raise PlaybookError(f"{where}: only a missing clause is left unasked in standard terms")
    if raw.get("applies_if", "always") not in APPLIES_IF:
        raise PlaybookError(f"{where}: unknown applies_if {raw.get('applies_if')!r}")
    for ct in raw.get("present_if", []):
        if ct not in clause_types:
            raise PlaybookError(f"{where}: present_if names unknown clause type {ct!r}")
    for key in ("unless_types", "unless_present", "if_present"):
        for ct in raw.get(key, []):
            if ct not in clause_types:
                raise PlaybookError(f"{where}: {key} names unknown clause type {ct!r}")
    examples = tuple(_example(e, where) for e in raw.get("example", []))
    if not any(e.flag for e in examples) or not any(not e.flag for e in examples):
        raise PlaybookError(f"{where}: needs at least one 'flag' and one 'pass' example")
    # risky language under a negation is not risky: by default every kind vetoes a risky rule's match
    vetoes = _vetoes(raw.get("negation_vetoes", list(POLARITY_KINDS) if kind == "risky" else []), where)
    pattern = _compile(raw["pattern"], where) if raw.get("pattern") else None
    if pattern is not None and kind == "risky" and "span" not in pattern.groupindex:
        raise PlaybookError(f"{where}: pattern needs a named group 'span'")
    return Rule(
        id=rid, kind=kind, category=raw["category"], clause_type=raw["clause_type"],
        title=raw["title"], protection=raw["protection"], message=raw["message"],
        comment_counterparty=raw["comment_counterparty"], comment_internal=raw["comment_internal"],
        profiles=profiles, source=source, direction=direction, pattern=pattern,
        context=_compile(raw["context"], where) if raw.get("context") else None,
        exceptions=tuple(_compile(x, where) for x in raw.get("exceptions", [])),
        exception_scope=raw.get("exception_scope", "sentence"),
        paragraph_exceptions=tuple(_compile(x, where) for x in raw.get("paragraph_exceptions", [])),
        present_patterns=tuple(_compile(x, where) for x in raw.get("present_patterns", [])),
        fix=_fix(raw.get("fix"), where), fallback=_fix(raw.get("fallback"), where),
        present_if=tuple(raw.get("present_if", ())), applies_if=raw.get("applies_if", "always"),
        applies_to=raw.get("applies_to", ""), in_standard_terms=raw.get("in_standard_terms", True),
        only_in_standard_terms=raw.get("only_in_standard_terms", False),
        suppressed_by=tuple(raw.get("suppressed_by", ())),
        yields_to=tuple(raw.get("yields_to", ())),
        items_yield_to=tuple(raw.get("items_yield_to", ())),
        heading=raw.get("heading", ""), text=raw.get("text", ""), check=raw.get("check", ""),
        examples=examples, negation_vetoes=tuple(vetoes), unless_types=tuple(raw.get("unless_types", ())),
        unless_present=tuple(raw.get("unless_present", ())),
        if_present=tuple(raw.get("if_present", ())),
    )


def _guarded(entry, where: str) -> GuardedPattern:
    """A clause type's pattern: a string, or ``{pattern = ..., quick = ...}`` where ``quick`` is a cheap
    pattern every match of ``pattern`` contains a match of, tried first (for a pattern whose necessary
    literals say little: tests/eval/test_accuracy.py checks that it is necessary)."""
    if isinstance(entry, str):
        return GuardedPattern(_compile(entry, where))
    if isinstance(entry, dict) and set(entry) == {"pattern", "quick"} and all(isinstance(v, str) for v in entry.values()):
        return GuardedPattern(_compile(entry["pattern"], where), quick=_compile(entry["quick"], where))
    raise PlaybookError(f"{where}: a pattern is a string or {{pattern = '...', quick = '...'}}")


def load_clause_types(directory: Path = CLAUSES_DIR, ai_lexicon: AILexicon | None = None) -> dict[str, ClauseType]:
    """Every ``<id>.toml`` in ``directory``: one clause type each, validated; ids in name order."""
    lexicon = ai_lexicon or default_ai_lexicon()
    clause_types: dict[str, ClauseType] = {}
    for path in sorted(directory.glob("*.toml")):
        cid = path.stem
        where = f"clauses/{path.name}"
        if not re.fullmatch(r"[a-z][a-z-]*[a-z]", cid):
            raise PlaybookError(f"{where}: a clause type's id (the file name) is lower-case words and hyphens")
        entry = _load_toml(path)
        unknown = set(entry) - CLAUSE_KEYS
        if unknown:
            raise PlaybookError(f"{where}: unknown key(s) {sorted(unknown)}")
        if "frame" in entry:
            clause_types[cid] = _frame_type(cid, entry, where, lexicon)
            continue
        if not entry.get("patterns"):
            raise PlaybookError(f"{where}: needs 'patterns' (or a 'frame')")
        clause_types[cid] = ClauseType(
            id=cid, title=entry.get("title", cid),
            # each pattern tests the words it cannot match without before it runs (prefilter.py)
            patterns=tuple(_guarded(p, where) for p in entry.get("patterns", [])),
            exclude=tuple(GuardedPattern(_compile(p, where)) for p in entry.get("exclude", [])),
            keywords=tuple(k.lower() for k in entry.get("keywords", ())),
            negation_vetoes=_vetoes(entry.get("negation_vetoes", []), where),
            examples=_type_examples(entry, where), exposure=_exposure(entry, where),
        )
    if not clause_types:
        raise PlaybookError(f"{directory}: no clause types found")
    return clause_types


def _type_examples(entry: dict, where: str) -> tuple[TypeExample, ...]:
    out = []
    for n, raw in enumerate(entry.get("example", []), 1):
        if set(raw) - {"expect", "text", "style"} or not isinstance(raw.get("expect"), bool) \
                or not isinstance(raw.get("text"), str) or not raw["text"].strip():
            raise PlaybookError(f"{where}: example {n}: needs 'expect' (true or false) and a 'text', and only 'style' besides")
        out.append(TypeExample(raw["expect"], raw["text"], raw.get("style", "")))
    return tuple(out)


def _frame_type(cid: str, entry: dict, where: str, lexicon: AILexicon) -> ClauseType:
    """A clause type that is a predicate over a frame: no patterns of its own; the frame's lexicon
    gives its keywords."""
    frame, stance = entry.get("frame"), entry.get("stance")
    if frame not in FRAMES:
        raise PlaybookError(f"{where}: unknown frame {frame!r} (known: {sorted(FRAMES)})")
    if stance not in FRAMES[frame]:
        raise PlaybookError(f"{where}: stance must be one of {list(FRAMES[frame])}")
    extra = set(entry) - {"title", "frame", "stance", "example", "exposure"}
    if extra:
        raise PlaybookError(f"{where}: a frame type takes no {sorted(extra)}: its words are in lexicon/ai.toml")
    return ClauseType(id=cid, title=entry.get("title", cid), patterns=(), exclude=(),
                      keywords=lexicon.keywords, frame=frame, stance=stance, examples=_type_examples(entry, where),
                      exposure=_exposure(entry, where))


def _exposure(entry: dict, where: str) -> float:
    value = entry.get("exposure", 0.0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise PlaybookError(f"{where}: exposure must be a number from 0 to 1")
    return float(value)


def _vetoes(raw, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or any(v not in POLARITY_KINDS for v in raw):
        raise PlaybookError(f"{where}: negation_vetoes must be a list drawn from {list(POLARITY_KINDS)}")
    return tuple(raw)


def _load_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise PlaybookError(f"{path.name}: {exc}") from None


def load_playbook(rules_dir: Path = RULES_DIR, model_path: Path | None = MODEL_PATH,
                  modality_path: Path = MODALITY_PATH) -> Playbook:
    """Load and validate every rule file, the lexicons and the clause model; raise
    :class:`PlaybookError` naming the culprit. ``model_path=None``: no model, the patterns alone tag
    clauses."""
    modality = default_modality() if modality_path == MODALITY_PATH else load_modality(modality_path)
    try:
        ai_lexicon = default_ai_lexicon()
    except AILexiconError as exc:
        raise PlaybookError(str(exc)) from None
    clause_types = load_clause_types(CLAUSES_DIR, ai_lexicon)
    profiles_raw = _load_toml(HERE / "profiles.toml")
    profiles = {pid: Profile(pid, **profiles_raw[pid]) for pid in PROFILES}
    rules: list[Rule] = []
    seen: set[str] = set()
    for path in sorted(rules_dir.glob("*.toml")):
        data = _load_toml(path)
        for raw in data.get("rule", []):
            rule = _rule(raw, path.name, clause_types)
            if rule.id in seen:
                raise PlaybookError(f"{path.name}: rule {rule.id}: duplicate id")
            seen.add(rule.id)
            rules.append(rule)
    for rule in rules:
        for key, others in (("suppressed_by", rule.suppressed_by), ("yields_to", rule.yields_to),
                            ("items_yield_to", rule.items_yield_to)):
            for other in others:
                if other not in seen:
                    raise PlaybookError(f"{rule.source}: rule {rule.id}: {key} names unknown rule {other!r}")
    if not rules:
        raise PlaybookError(f"{rules_dir}: no rules found")
    model = ClauseModel.load(model_path) if model_path is not None else None
    if model is not None:
        for t in model.types:
            if t not in clause_types:
                raise PlaybookError(f"{model_path.name}: models unknown clause type {t!r}")
    return Playbook(rules=tuple(rules), clause_types=clause_types, profiles=profiles,
                    by_id={r.id: r for r in rules}, model=model, modality=modality)


@lru_cache(maxsize=1)
def default_playbook() -> Playbook:
    return load_playbook()
