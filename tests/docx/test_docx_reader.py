"""read_docx: accepted-view text, ids, styles, list labels and flags."""

from __future__ import annotations

import pytest

from addin_server.docx import DocxParagraph, read_docx
from docx_factory import PREFIX_TEXTS, build_docx, fixtures, numbered, p, r

FIXTURES = fixtures()


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_accepted_text_of_fixture(name):
    body, texts = FIXTURES[name]
    doc = read_docx(build_docx(body))
    assert [p.text for p in doc] == PREFIX_TEXTS + texts


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_ids_are_stable_and_in_document_order(name):
    data = build_docx(FIXTURES[name][0])
    first, second = read_docx(data), read_docx(data)
    assert [p.id for p in first] == [f"p-{i}" for i in range(len(first))]
    assert first == second
    assert first["p-1"].text == "Existing commented paragraph."


def test_list_labels_follow_word_numbering():
    doc = read_docx(build_docx(FIXTURES["numbering"][0]))
    labels = [p.list_label for p in doc][len(PREFIX_TEXTS):]
    assert labels == ["1.", "1.1", "1.2", "(a)", "(b)", "(i)", "(ii)", "2.", "2.1", "7.",
                      "Article I", "1.1"]


def test_list_label_of_style_numbering_and_unnumbered():
    body = (p(r("plain")) + p(r("numbered"), ppr=numbered(0))
            + p(r("turned off"), ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'))
    doc = read_docx(build_docx(body))
    assert [x.list_label for x in doc][2:] == [None, "1.", None]


def test_flags():
    doc = read_docx(build_docx(FIXTURES["fields_links_controls"][0]))
    body = list(doc)[2:]
    assert [x.has_fields for x in body] == [True, False, False, False, True]
    assert [x.has_content_controls for x in body] == [False, False, True, True, False]
    doc = read_docx(build_docx(FIXTURES["existing_revisions"][0]))
    assert [x.has_revisions for x in doc][2:] == [True, False, True]
    assert doc["p-1"].has_comments


def test_tables_are_flagged_and_styles_named():
    doc = read_docx(build_docx(FIXTURES["tables_nested"][0]))
    assert [x.in_table for x in doc][2:] == [False] + [True] * 8 + [False]
    assert {x.style for x in doc} == {"Normal"}
    doc = read_docx(build_docx(p(r("Heading text"), ppr='<w:pStyle w:val="Heading1"/>')))
    assert doc["p-2"].style == "Heading 1"


def test_to_request_matches_the_wire_format():
    doc = read_docx(build_docx(FIXTURES["numbering"][0]))
    req = doc.to_request()
    assert req[2] == {"id": "p-2", "text": "Services", "style": "Normal", "list_label": "1."}
    assert set(req[0]) <= {"id", "text", "style", "list_label"}
    para = doc["p-2"]
    assert isinstance(para, DocxParagraph) and para["text"] == "Services"


def test_python_docx_drops_inserted_text_but_we_keep_it():
    body = FIXTURES["existing_revisions"][0]
    import docx, io  # noqa: E401
    pd = docx.Document(io.BytesIO(build_docx(body)))
    ours = read_docx(build_docx(body))
    assert pd.paragraphs[2].text != ours["p-2"].text
    assert "freely" in ours["p-2"].text and "not" not in ours["p-2"].text.split()


def test_corpus_documents_read(corpus_files):
    for path in corpus_files:
        doc = read_docx(path.read_bytes())
        assert len(doc) > 20, path.name
        assert all(isinstance(x.text, str) for x in doc)
        assert len({x.id for x in doc}) == len(doc)


def test_corpus_numbering_labels(corpus_files):
    path = next(f for f in corpus_files if "independent-contractor" in f.name)
    doc = read_docx(path.read_bytes())
    labels = [x.list_label for x in doc if x.list_label]
    assert labels[:2] == ["1.", "2."]
    assert "1.1" in labels and "4.2" in labels
    # numbered body paragraphs misuse "Heading 1"
    assert any(x.style == "Heading 1" and len(x.text) > 200 for x in doc)
