"""Where a new clause goes, read from the contract's outline (issue 12, item 3)."""

import pytest

from addin_server.engine.document import Paragraph
from addin_server.engine.outline import Place, closing_place, governs_items, is_furniture, next_label, section_end
from tests.timing import within


def _doc(*lines: str) -> list[Paragraph]:
    return [Paragraph(f"p{i}", t) for i, t in enumerate(lines)]


def test_a_numbered_section_runs_over_page_furniture_to_the_next_section():
    doc = _doc("5. Fees. The Client pays the fees in Schedule 1.",
               "6. Intellectual Property 6.1 Assignment. The Developer assigns the Works to the Client.",
               "",
               "17",
               "Acme Corp, Form S-1, 2/11/2020",
               "6.4 Confidentiality. Each Party keeps the other's information confidential.",
               "6.4.5 Injunctive Relief. The Disclosing Party may seek an injunction.",
               "",
               "7. Relationship. The Developer is an independent contractor.")
    # after 6.4.5, the section's last paragraph, as 6.5: not after 6.1, and not 6.4.6
    assert section_end(doc, 1) == Place(6, "6.4")
    assert next_label("6.4", 0) == "6.5"


def test_page_numbers_are_furniture_and_open_no_section():
    assert is_furniture(Paragraph("a", "17")) and is_furniture(Paragraph("b", "6 │ Page"))
    assert is_furniture(Paragraph("c", "Page 3 of 9")) and not is_furniture(Paragraph("d", "6. Term."))


def test_a_section_of_headings_runs_to_the_next_heading():
    doc = _doc("Your Content",
               "You grant us a worldwide licence to host and display Your Content.",
               "You are responsible for Your Content.",
               "In these Terms, \"Intellectual Property Rights\" means copyright and similar rights.",
               "Restrictions",
               "You agree not to upload unlawful content.")
    assert section_end(doc, 1) == Place(3, None)


def test_items_numbered_again_under_a_numbered_heading_belong_to_its_section():
    """A plain-text conversion: "5. Copyrights", then "1.", "2." that are its items. The lead-in
    ("When the final payment has cleared, ... as follows:") governs them, so a clause added there
    would take effect only on payment: it goes in a new section at the end, before the signatures."""
    doc = _doc("4. Fees",
               "1. The Client pays half up front.",
               "5. Copyrights",
               "When the final payment has cleared, copyright will be assigned as follows:",
               "1. The Client will own the visual elements made for this project.",
               "2. The Designer may show the work in a portfolio.",
               "6. No exclusivity",
               "1. The Client may engage others.",
               "2. The Designer may serve other clients.",
               "7. Signatures",
               "By signing this document both parties agree to all the clauses in this document.",
               "| ……………………… CLIENT Name Date : | ……………………… DESIGNER Name Date : |")
    assert section_end(doc, 4) == Place(8, "6") == closing_place(doc)
    assert section_end(doc, 3) == section_end(doc, 2) == Place(8, "6")  # from its lead-in or its heading
    assert next_label("6", 0) == "6A"


@pytest.mark.parametrize("lead, label", [
    ("3.1 Rights in the Content.", "(b)"),  # a heading only: the list's next letter
    ("3.1 Assigned Content. If the Content is Assigned Content, this Section 3.1 applies.", "3.1"),  # governed: 3.2
])
def test_after_a_list_the_clause_is_its_next_item_only_when_the_lead_in_is_a_heading(lead, label):
    doc = _doc(lead,
               "(a) The Writer grants the Publisher a licence to publish the Content.",
               "(b) The Publisher may edit the Content for length.",
               "4. Payment. The Publisher pays on publication.")
    assert section_end(doc, 1) == Place(2, label)


def test_the_outline_reads_pathological_text_in_linear_time():
    """A fuzzed request had one long run of letters in a list's lead-in: the governing test
    backtracked for 20 s (a label and words that could split the run in many ways)."""
    with within(1.0, "the outline's tests on long text"):
        assert not governs_items("1." + "ab" * 20000 + ".")
        assert not is_furniture(Paragraph("x", "1" + "-" * 20000 + "x"))
        assert section_end(_doc("1. " + "w" * 30000, "(a) " + "q" * 30000 + ":", "(b) item"), 1).after == 2
