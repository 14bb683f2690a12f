"""Sentence segmentation (engine/text.py): offsets into the exact text, and line breaks that end a
sentence told from those that only wrap it."""

import pytest

from addin_server.engine.text import split_sentences


def _texts(text: str) -> list[str]:
    segs = split_sentences(text)
    assert all(text[s.start:s.end] == s.text for s in segs)
    return [s.text for s in segs]


@pytest.mark.parametrize("text", [
    "We may use Customer Data solely to\nprovide the Services.",
    "The Artist grants the Client a licence to use the Illustrations,\nin print and online, for the Campaign.",
    "The Studio shall not\n  use the Recordings to train any model.",
])
def test_a_wrapped_line_stays_in_its_sentence(text):
    """Text hard-wrapped in Markdown or pasted from a PDF breaks lines inside sentences: one break,
    after a word or a comma, before a word in lower case, is a wrap."""
    assert _texts(text) == [text]


@pytest.mark.parametrize("text,expected", [
    ("The Client shall not:\nuse the Work for training", ["The Client shall not:", "use the Work for training"]),
    ("Usage\nThe Client may use the Work.", ["Usage", "The Client may use the Work."]),
    ("The Client may:\na) print the Work\nb) post the Work", ["The Client may:", "a) print the Work", "b) post the Work"]),
    ("one clause\n\nanother clause", ["one clause", "another clause"]),
    ("It ends here.\nthen a new line", ["It ends here.", "then a new line"]),
    ("a licence to\n(a) host the files", ["a licence to", "(a) host the files"]),
])
def test_a_line_break_that_ends_a_line_still_separates(text, expected):
    """After a colon or a stop, before a capital, a list marker or a bracket, or at a blank line, the
    break ends the sentence (headings, list items, lead-ins)."""
    assert _texts(text) == expected


def test_the_sentence_stop_still_splits_and_abbreviations_do_not():
    assert _texts("The Client pays on delivery. The Designer keeps the sketches.") == [
        "The Client pays on delivery.", "The Designer keeps the sketches."]
    assert _texts("Acme Inc. owns the site. J. Smith signs.") == ["Acme Inc. owns the site.", "J. Smith signs."]
