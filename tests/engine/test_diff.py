"""Word-level edits: they reproduce the revision exactly, and the anchors find them as Word would."""

from hypothesis import given, settings
from hypothesis import strategies as st

from addin_server.redline.diff import SEARCH_LIMIT, anchor_for, apply_edits, edits_with_anchors, escape_search, word_edits

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


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_anchor_locates_each_edit(original, revised):
    anchored = edits_with_anchors(original, word_edits(original, revised))
    assert apply_edits(original, anchored) == revised
    for e in anchored:
        a = e["anchor"]
        if a["mode"] == "replace":
            parts = [a["target"]] if "target" in a else [a["head"], a["tail"]]
            found = []
            for part in parts:
                assert len(part["search"]) <= SEARCH_LIMIT
                assert _unescape(part["search"]) == part["text"]
                found.append(_word_search(original, part["text"])[part["occurrence"]])
            assert found[0] == e["start"]
            assert found[-1] + len(parts[-1]["text"]) == e["end"]
        elif a["mode"] == "after":
            at = _word_search(original, a["target"]["text"])[a["target"]["occurrence"]]
            assert at + len(a["target"]["text"]) == e["start"]
        else:
            assert e["start"] == 0


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


def test_self_overlapping_literal_is_widened_until_word_can_find_it():
    original, revised = "aa aa aa", "aa ab aa"
    for e in edits_with_anchors(original, word_edits(original, revised)):
        t = e["anchor"]["target"]
        assert _word_search(original, t["text"])[t["occurrence"]] == e["start"]
    assert apply_edits(original, edits_with_anchors(original, word_edits(original, revised))) == revised
