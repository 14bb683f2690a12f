"""Word-level edits: they reproduce the revision exactly, and the anchors find them as Word would."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin_server.engine.review import Paragraph
from addin_server.redline.diff import (SEARCH_LIMIT, Edit, anchor_for, apply_edits, edits_with_anchors, escape_search,
                                       word_edits)
from tests.helpers import run
from tests.timing import within

WORDS = st.sampled_from(["the", "Agency", "Designer", "shall", "not", "use", "Work", "Product", ",", ".", "\t",
                         "\u000b", "^", "perpetual", "licence", "é", "עברית", "“quoted”", "  ", "\u00a0"])
TEXT = st.lists(WORDS, max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_edits_turn_original_into_revised(original, revised):
    edits = word_edits(original, revised)
    assert apply_edits(original, edits) == revised
    # sorted, non-overlapping, never splitting a word
    for a, b in zip(edits, edits[1:]):
        assert a.end <= b.start
    assert word_edits(original, revised) == edits  # deterministic


def _word_search(paragraph: str, needle: str) -> list[int]:
    """What Word's case-sensitive search returns: non-overlapping matches, left to right."""
    out, i = [], paragraph.find(needle)
    while i != -1:
        out.append(i)
        i = paragraph.find(needle, i + len(needle))
    return out


def _unescape(search: str) -> str:
    return search.replace("^t", "\t").replace("^l", "\u000b").replace("^^", "^")


def _located(original: str, start: int, end: int, a: dict) -> None:
    """Assert that Word's search, given the anchor, finds exactly [start, end) (or the point start)."""
    if a["mode"] == "replace":
        parts = [a["target"]] if "target" in a else [a["head"], a["tail"]]
        found = []
        for part in parts:
            assert len(part["search"]) <= SEARCH_LIMIT
            assert _unescape(part["search"]) == part["text"]
            found.append(_word_search(original, part["text"])[part["occurrence"]])
        assert found[0] == start
        assert found[-1] + len(parts[-1]["text"]) == end
    elif a["mode"] == "after":
        t = a["target"]
        assert len(t["search"]) <= SEARCH_LIMIT and _unescape(t["search"]) == t["text"]
        at = _word_search(original, t["text"])[t["occurrence"]]
        assert at + len(t["text"]) == start
    else:
        assert a["mode"] == "before" and start == 0
        if a["target"] is not None:
            assert _word_search(original, a["target"]["text"])[a["target"]["occurrence"]] == 0


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_anchor_locates_each_edit(original, revised):
    anchored = edits_with_anchors(original, word_edits(original, revised))
    assert apply_edits(original, anchored) == revised
    for e in anchored:
        _located(original, e["start"], e["end"], e["anchor"])


# Text Word's search finds awkwardly: runs of one character longer than the search limit (signature
# blanks), self-overlapping repeats, carets that double when escaped.
RUNS = st.lists(st.sampled_from(["x" * 257, "_" * 600, "aa", "aaa", "ab", "^" * 130, " ", "-", "--", ".", "Work"]),
                min_size=1, max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(RUNS, st.data())
def test_every_span_and_insertion_point_can_be_found(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    with within(2, "anchoring one span"):
        a = anchor_for(text, start, end)
    _located(text, start, end, a)


SIGNATURE_CLAUSE = ("3.2 The Designer grants to the Agency a perpetual, irrevocable, worldwide license to use the "
                    "Work Product in all media now known or hereafter devised for any purpose.")


@pytest.mark.parametrize("tail", [" " + "x" * 257, "x" * 257, " " + "_" * 600], ids=["space-257x", "257x", "600-blank"])
def test_an_edit_next_to_a_token_longer_than_the_search_limit_terminates(tail):
    """Found by fuzzing: widening the anchor around a 257-character token never ended."""
    text = SIGNATURE_CLAUSE + tail
    with within(5, "review"):
        result = run([Paragraph("p-1", text)])
    edits = [e for f in result["findings"] if f["suggestion"] and f["suggestion"]["type"] == "edit"
             for e in f["suggestion"]["edits"]]
    assert edits, "the clause is risky: it must get edits"
    for e in edits:
        _located(text, e["start"], e["end"], e["anchor"])


def test_repeated_phrase_uses_occurrence_index():
    text = "for any purpose and for any purpose and for any purpose"
    a = anchor_for(text, 40, 55)
    assert a["target"] == {"text": "for any purpose", "search": "for any purpose", "occurrence": 2}


def test_long_span_is_split_into_head_and_tail():
    text = "A " + "very long clause " * 30 + "end"
    a = anchor_for(text, 2, len(text))
    assert "head" in a and "tail" in a
    assert len(a["head"]["search"]) <= 255 and len(a["tail"]["search"]) <= 255
    assert text.startswith(a["head"]["text"], 2) and text.endswith(a["tail"]["text"])


def test_escaping_for_word_search():
    assert escape_search("a^b\tc\u000bd") == "a^^b^tc^ld"


def test_edits_never_split_words():
    edits = word_edits("the State of British Columbia", "the State of California")
    assert [("British Columbia", "California")] == [("the State of British Columbia"[e.start:e.end], e.text) for e in edits]


def test_a_span_word_skips_over_gets_a_head_and_a_tail_and_keeps_its_minimal_edit():
    """"--" at offset 3 of "x --- y" is no match of Word's non-overlapping search (it finds the one
    at 2): the edit stays the two dashes, found as a head and a tail that each Word can find."""
    original = "x --- y"
    a = anchor_for(original, 3, 5)
    assert "head" in a and "tail" in a
    _located(original, 3, 5, a)
    [e] = edits_with_anchors(original, [Edit(3, 5, "")])
    assert (e["start"], e["end"], e["text"]) == (3, 5, "")


def _token_bounds(text: str) -> set[int]:
    from addin_server.redline.diff import _TOKEN

    return {0, len(text)} | {m.start() for m in _TOKEN.finditer(text)}


SENTENCES = st.sampled_from([
    "The Designer grants the Agency a perpetual licence. ", "The Agency shall pay within thirty days; ",
    "Notices must be in writing! ", "Either party may terminate. ", "The Work Product is confidential? ",
    "All media now known or hereafter devised. ", "x" * 60 + ". ", "Fees are due. "])


@settings(max_examples=60, deadline=None)
@given(st.lists(SENTENCES, min_size=60, max_size=120), st.data())
def test_long_paragraphs_are_diffed_piece_by_piece_and_stay_exact(pieces, data):
    """Past a few dozen sentences the pieces are aligned by a linear walk: the edits must still turn
    the original into the revision exactly, sorted, and never split a word."""
    revised_pieces = list(pieces)
    for _ in range(data.draw(st.integers(1, 30))):
        i = data.draw(st.integers(0, len(revised_pieces) - 1))
        how = data.draw(st.sampled_from(["edit", "insert", "delete"]))
        if how == "edit":
            revised_pieces[i] = revised_pieces[i].replace(" ", " solely ", 1)
        elif how == "insert":
            revised_pieces.insert(i, data.draw(SENTENCES))
        elif len(revised_pieces) > 1:
            del revised_pieces[i]
    original, revised = "".join(pieces), "".join(revised_pieces)
    edits = word_edits(original, revised)
    assert apply_edits(original, edits) == revised
    bounds = _token_bounds(original)
    for a, b in zip(edits, edits[1:]):
        assert a.end <= b.start
    assert all(e.start in bounds and e.end in bounds for e in edits)


def test_a_paragraph_with_an_edit_in_every_sentence_costs_what_its_sentences_cost(monkeypatch):
    """Found by fuzzing: one 50,000-character paragraph of risky sentences took 6 s, because the word
    diff ran over the whole paragraph (quadratic). Every diff-match-patch call must now be small."""
    from addin_server.redline import diff

    sentence = ("The Designer grants to the Agency a perpetual, irrevocable, worldwide license to use the Work "
                "Product in all media now known or hereafter devised for any purpose. ")
    original = sentence * (50_000 // len(sentence))
    revised = original.replace("for any purpose.", "solely for the Project.")
    largest = []
    real = diff._diff_codes
    monkeypatch.setattr(diff, "_diff_codes", lambda a, b: largest.append(len(a) * len(b)) or real(a, b))
    with within(5, "diffing a 50,000-character paragraph"):
        edits = word_edits(original, revised)
    assert apply_edits(original, edits) == revised
    assert len(edits) == original.count("for any purpose.")  # one minimal edit per sentence
    per_sentence = (len(diff.tokens(sentence)) + 4) ** 2  # one sentence diffed against its revision
    assert max(largest) <= per_sentence, (max(largest), per_sentence)
