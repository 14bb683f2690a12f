"""The substring scans of engine/terms.py give exactly what the patterns they stand for give."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from addin_server.engine.terms import _SENTENCE_SPLIT, _count_at, _sentences_with, _starts, _whole_words

PIECES = ["Company", "Com", "pany", "Work Product", "Product", "-", "_", " ", "  ", "é", "\n", "a", ".", ". ",
          "; ", "1", "²", "ǅ", "shall", " create", "The ", "İ"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
NAMES = ["Company", "Com", "Product", "Work Product", "a"]


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_whole_words_are_the_regex_matches(text):
    for name in NAMES:
        expected = [m.start() for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text)]
        assert _whole_words(name, text) == expected


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_counting_where_a_name_starts_is_findall(text):
    rx = re.compile(r"(?<![\w-])(?:Company|Com|Work Product)\s+(?:\w+ly\s+)?(?i:shall|create|pany)")
    assert _count_at(rx, text, _starts(text, ("Company", "Com", "Work Product"))) == len(rx.findall(text))


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_sentences_with_a_name_are_the_split_pieces_that_hold_one(text):
    names = ["Company", "Work Product", "Product", "a"]
    rx = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])")
    expected = [s for s in _SENTENCE_SPLIT.split(text) if rx.search(s)]
    assert [s for s in _sentences_with(text, names) if rx.search(s)] == expected
