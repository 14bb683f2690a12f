"""The necessary-literal guard of the clause patterns (playbook/prefilter.py): never a different answer."""

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from addin_server.playbook import default_playbook
from addin_server.playbook.prefilter import GuardedPattern, fold, necessary_literals

PLAYBOOK = default_playbook()
GUARDED = [p for ct in PLAYBOOK.clause_types.values() for p in ct.patterns + ct.exclude]


def test_fold_maps_every_character_ignorecase_matches_with_an_ascii_letter():
    letters = re.compile("[a-z]", re.IGNORECASE)
    for cp in range(0x110000):
        ch = chr(cp)
        if letters.fullmatch(ch):
            folded = fold(ch)
            assert folded in string.ascii_lowercase, (hex(cp), folded)
            assert re.fullmatch(folded, ch, re.IGNORECASE)


def test_literals_are_read_from_the_pattern():
    rx = re.compile(r"\bworks?\s+(?:made\s+)?for\s+hire\b", re.IGNORECASE)
    assert set(necessary_literals(rx)) == {("work",), ("for",), ("hire",)}
    assert necessary_literals(re.compile(r"\b(?:is|are)\s+\w+", re.IGNORECASE)) == ()  # too short to be worth it
    both = necessary_literals(re.compile(r"(?s)^(?=.*?\btrain)(?=.*?\b(?:models?|algorithm))", re.IGNORECASE))
    assert set(both) == {("train",), ("model", "algorithm")}
    assert necessary_literals(re.compile(r"(?!licen)\w+|grant", re.IGNORECASE)) == ()  # a branch without one
    # a case-sensitive part keeps its case, and two capitals are enough there
    (clause,) = necessary_literals(re.compile(r"\b(?:models?|(?-i:AI|ML))\b", re.IGNORECASE))
    assert clause == ("model", "AI", "ML") and [type(a).__name__ for a in clause] == ["str", "Exact", "Exact"]
    guard = GuardedPattern(re.compile(r"\b(?:models?|(?-i:AI|ML))\b", re.IGNORECASE))
    assert guard.search("an AI tool") and guard.search("the MODELS") and not guard.search("maintain the ai")


def test_every_clause_pattern_is_guarded_and_answers_as_its_regex():
    texts = [ex.text for r in PLAYBOOK.rules for ex in r.examples] + [
        "The Designer hereby grants to the Agency a perpetual, irrevocable licence.",
        "The Agency may use the work to traın machine-learning models.",  # dotless i
        "The Contractor assigns all right, title and interest in the Work Product to the Company.",
        "THE LİCENSEE SHALL NOT SUBLİCENSE.", "Work made for hiſe",
    ]
    assert GUARDED and all(isinstance(p, GuardedPattern) for p in GUARDED)
    for p in GUARDED:
        for t in texts:
            assert bool(p.search(t)) == bool(p.regex.search(t)), (p.pattern[:60], t)
            assert [m.span() for m in p.finditer(t)] == [m.span() for m in p.regex.finditer(t)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["grant", "Licence", "licen", "ſ", "İ", "ı", "train", "model", "AI", " ", "  ",
                                 "\n", "hereby", "shall", "not", "use", "work", "for", "hire", "own", "ed", "s",
                                 "perpetual", "assign", "the", "to", ",", ".", "all", "media", "any", "purpose"]),
                max_size=30).map("".join))
def test_a_guard_never_hides_a_match(text):
    for p in GUARDED:
        if p.regex.search(text):
            assert p.admits(text), (p.pattern[:60], text)


def test_the_word_index_finds_exactly_the_keywords_that_occur_even_when_it_forgets():
    """Keyword look-up word by word (playbook._WordIndex) equals testing every keyword on the
    whitespace-normalised text: keywords with spaces, inside long words, across a table reset."""
    import random

    from addin_server.playbook import _WordIndex

    index = _WordIndex(PLAYBOOK.keyword_index)
    index.MAX_WORDS = 50  # forget often
    keywords = [k for k, _ in PLAYBOOK.keyword_index]
    rng = random.Random(11)
    filler = [" ", "a", "s", "-", "\n", "\t", "x" * 70, "Ownership", "LICENSED", "İ", "  "]
    for _ in range(4000):
        text = "".join(rng.choice(keywords + filler) for _ in range(rng.randint(0, 10)))
        norm = " ".join(text.lower().split())
        want = sorted(k for k in keywords if k in norm)
        assert [k for k, _ in index.hits(text)] == want, repr(text)
        assert [k for k, _ in PLAYBOOK.keyword_hits(text)] == want, repr(text)
        types = {t for k, ts in PLAYBOOK.keyword_index if k in norm for t in ts}
        assert index.types_in(text) == types, repr(text)
        assert PLAYBOOK.candidate_types(text) == frozenset(types | PLAYBOOK.always_tested), repr(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["grant", "Grants", "GRANTED", "assign", "ASSIGNMENT", "own", "Ownership", "down",
                                 "rights", " in", " to", "title", "İ", "ſ", "ı", "x", " ", "-", "_", "ſell", "K",
                                 "reſell", "licenſe", "\n", "produc", "tion"]), max_size=12).map("".join))
def test_an_anchored_pattern_finds_the_leftmost_match(text):
    from addin_server.playbook.parties import party_lexicon
    from addin_server.playbook.prefilter import AnchoredPattern

    rx = party_lexicon().work_acts
    anchored = AnchoredPattern(rx)
    assert anchored.openings  # every act opens with a word: the scan is in use
    m1, m2 = rx.search(text), anchored.search(text)
    assert (m1 and m1.span()) == (m2 and m2.span())
