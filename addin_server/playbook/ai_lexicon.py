"""``lexicon/ai.toml``: the words of an AI-use clause, each list once, validated when loaded.

The frame reader (``engine/frames.py``) asks this lexicon where each role's words stand in a clause;
the AI clause types' keyword pre-filter is derived from the same lists (:meth:`AILexicon.keywords`),
so a word added here is found and pre-filtered alike.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from .prefilter import AnchoredPattern

AI_LEXICON_PATH = Path(__file__).parent / "lexicon" / "ai.toml"

ROLES = ("system", "model", "train", "develop", "collect", "dataset", "build", "clone", "purpose",
         "instrument", "permit", "practice")
# the roles one of whose words every AI-use frame needs (engine/frames.py): the keyword pre-filter
ACT_ROLES = ("system", "train", "develop", "collect", "dataset", "clone")


class AILexiconError(ValueError):
    """The AI lexicon is invalid; the message names the file and the entry."""


@dataclass(frozen=True)
class Term:
    id: str
    role: str
    words: tuple[str, ...]
    acronyms: tuple[str, ...]
    examples: tuple[str, ...]

    @cached_property
    def regex(self) -> re.Pattern:
        return _term_regex(self.words, self.acronyms)


LOOKALIKE_SCOPES = ("act", "sentence")


@dataclass(frozen=True)
class Lookalike:
    id: str
    pattern: re.Pattern
    examples: tuple[str, ...]
    # "act": the act words inside a match are not an act ("train its staff"); "sentence": a match
    # anywhere means the sentence takes no stance at all (a definition, a pointer to other terms)
    scope: str = "act"


@dataclass(frozen=True, eq=False)  # hashed by identity: the frame reader caches per lexicon
class AILexicon:
    terms: tuple[Term, ...]
    lookalikes: tuple[Lookalike, ...]
    source: str = "ai.toml"

    @cached_property
    def role_regex(self) -> dict[str, re.Pattern]:
        """One alternation per role, its terms in file order (the first listed wins at a place)."""
        out = {}
        for role in ROLES:
            terms = [t for t in self.terms if t.role == role]
            out[role] = _term_regex(tuple(w for t in terms for w in t.words),
                                    tuple(a for t in terms for a in t.acronyms))
        return out

    @cached_property
    def acronym_regex(self) -> re.Pattern:
        acronyms = sorted({a for t in self.terms if t.role in ACT_ROLES for a in t.acronyms}, key=len, reverse=True)
        return re.compile(_acronym_regex(acronyms))

    @cached_property
    def keywords(self) -> tuple[str, ...]:
        """Lower-case substrings one of which every AI-use frame needs (a space stands for any
        whitespace): each word of the act roles up to its wildcard, in both of its spellings when it
        has a space or a hyphen. Acronyms are case-sensitive and tested by :attr:`acronym_regex`."""
        out: set[str] = set()
        for t in self.terms:
            if t.role not in ACT_ROLES:
                continue
            for w in t.words:
                stem = w.rstrip("*")
                out |= {stem, stem.replace("-", " "), stem.replace(" ", "-")}
        return tuple(sorted(out))

    @cached_property
    def keyword_regex(self) -> re.Pattern:
        """:attr:`keywords` in one case-insensitive scan of the raw text."""
        alts = sorted(self.keywords, key=len, reverse=True)
        return re.compile("|".join(re.escape(k).replace(r"\ ", r"\s+") for k in alts), re.IGNORECASE)

    @cached_property
    def ai_word_regex(self) -> AnchoredPattern:
        """The words one of which every AI-use frame has in its paragraph or lead-in: an AI system, a
        model word, a word of cloning, a training set or a dataset, or an acronym. Tried only where one of its
        words starts (a long alternation is slow to try at every character)."""
        pieces = [self.role_regex[r].pattern for r in ("system", "model", "clone")]
        pieces.append(r"(?i:\btraining[\s-]+(?:data|sets?|corpus|corpora)\b|\bdata[\s-]?sets?\b)")
        return AnchoredPattern(re.compile("|".join(f"(?:{p})" for p in pieces)))

    def sentence_lookalike(self, text: str) -> str | None:
        """The id of a look-alike that makes the whole sentence take no stance, if one matches."""
        return next((lk.id for lk in self.lookalikes if lk.scope == "sentence" and lk.pattern.search(text)), None)

    def lookalike_spans(self, text: str) -> list[tuple[str, int, int]]:
        return [(lk.id, m.start(), m.end()) for lk in self.lookalikes if lk.scope == "act"
                for m in lk.pattern.finditer(text)]


def _word_regex(word: str) -> str:
    parts = []
    for piece in re.split(r"[\s-]+", word.strip()):
        wild = piece.endswith("*")
        piece = re.escape(piece.rstrip("*"))
        parts.append(piece + (r"[\w'’]*" if wild else ""))  # (a wildcard ends at a hyphen: "model-training" is two words)
    return r"[\s-]+".join(parts)


def _acronym_regex(acronyms) -> str:
    """Case-sensitive acronyms as whole words, not where they end a name or a web address
    ("VoiceTalents.AI"). The check looks back from the acronym's end: a look-behind before it, at the
    pattern's start, is tried at every position of the text and made the search eight times slower."""
    alts = [re.escape(a) + r"(?<!\w\." + re.escape(a) + ")" for a in sorted(acronyms, key=len, reverse=True)]
    # "A.I." ends in a full stop, where \b cannot follow: no word character may
    return r"\b(?:" + "|".join(alts) + r")(?!\w)"


def _term_regex(words: tuple[str, ...], acronyms: tuple[str, ...]) -> re.Pattern:
    alts = [_word_regex(w) for w in words]
    pieces = []
    if alts:
        pieces.append(r"(?i:\b(?:" + "|".join(alts) + r")(?![\w]))")
    if acronyms:
        pieces.append(_acronym_regex(acronyms))
    return re.compile("|".join(pieces) if pieces else r"(?!x)x")


def _strip_marks(example: str) -> tuple[str, list[str]]:
    marked = re.findall(r"\[\[(.+?)\]\]", example)
    return example.replace("[[", "").replace("]]", ""), marked


def load_ai_lexicon(path: Path = AI_LEXICON_PATH) -> AILexicon:
    name = path.name
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise AILexiconError(f"{name}: {exc}") from None
    unknown = set(raw) - {"term", "lookalike"}
    if unknown:
        raise AILexiconError(f"{name}: unknown section(s) {sorted(unknown)}")
    seen: set[str] = set()

    def entry(item: dict, section: str) -> tuple[str, str]:
        """The entry's id and where it is, for messages; a second entry of one id is refused."""
        eid = item.get("id", "<no id>")
        where = f"{name}: {section} {eid}"
        if eid in seen:
            raise AILexiconError(f"{where}: duplicate id")
        seen.add(eid)
        return eid, where

    terms = []
    for item in raw.get("term", []):
        tid, where = entry(item, "term")
        if set(item) - {"id", "role", "words", "acronyms", "examples"}:
            raise AILexiconError(f"{where}: unknown key(s) {sorted(set(item) - {'id', 'role', 'words', 'acronyms', 'examples'})}")
        if item.get("role") not in ROLES:
            raise AILexiconError(f"{where}: role must be one of {list(ROLES)}")
        words = tuple(item.get("words", ()))
        acronyms = tuple(item.get("acronyms", ()))
        if not words and not acronyms:
            raise AILexiconError(f"{where}: needs 'words' or 'acronyms'")
        if any(w != w.lower() or not w.strip() for w in words):
            raise AILexiconError(f"{where}: words are lower case (acronyms go in 'acronyms')")
        term = Term(tid, item["role"], words, acronyms, tuple(item.get("examples", ())))
        _check_examples(term.regex, term.examples, where)
        terms.append(term)
    lookalikes = []
    for item in raw.get("lookalike", []):
        lid, where = entry(item, "lookalike")
        try:
            pattern = re.compile(item.get("pattern", ""), re.IGNORECASE)
        except re.error as exc:
            raise AILexiconError(f"{where}: bad regular expression: {exc}") from None
        examples = tuple(item.get("examples", ()))
        if not examples or not all(pattern.search(e) for e in examples):
            raise AILexiconError(f"{where}: needs examples, each matched by its pattern")
        scope = item.get("scope", "act")
        if scope not in LOOKALIKE_SCOPES:
            raise AILexiconError(f"{where}: scope must be one of {list(LOOKALIKE_SCOPES)}")
        if set(item) - {"id", "pattern", "examples", "scope"}:
            raise AILexiconError(f"{where}: unknown key(s) {sorted(set(item) - {'id', 'pattern', 'examples', 'scope'})}")
        lookalikes.append(Lookalike(lid, pattern, examples, scope))
    missing = [r for r in ROLES if not any(t.role == r for t in terms)]
    if missing:
        raise AILexiconError(f"{name}: no term for role(s) {missing}")
    return AILexicon(tuple(terms), tuple(lookalikes), name)


def _check_examples(regex: re.Pattern, examples: tuple[str, ...], where: str) -> None:
    if not examples:
        raise AILexiconError(f"{where}: needs at least one example")
    for ex in examples:
        plain, marked = _strip_marks(ex)
        if not marked:
            raise AILexiconError(f"{where}: example {ex!r} marks no [[words]]")
        found = {m.group(0) for m in regex.finditer(plain)}
        for words in marked:
            if words not in found:
                raise AILexiconError(f"{where}: does not find [[{words}]] in its example {ex!r}")


@lru_cache(maxsize=1)
def default_ai_lexicon() -> AILexicon:
    return load_ai_lexicon()


__all__ = ["AILexicon", "AILexiconError", "Lookalike", "Term", "ROLES", "ACT_ROLES", "default_ai_lexicon",
           "load_ai_lexicon", "AI_LEXICON_PATH"]
