"""The redline-quality check (addin_server/evaluation/redline_quality.py, issue 12): what Apply all
leaves in the real corpus agreements, for either party and every profile, against the failures a
freelancers' lawyer found in the product's redlines.

Two halves. Each check is first shown to catch its failure, on a redline built to break it (our own
words); then the product's own redlines of every real agreement in ../shared/corpus are held to the
counts below, each of which is zero but one (recorded with its reason).
"""

from __future__ import annotations

import pytest

from addin_server.engine.review import Options, Paragraph
from addin_server.evaluation.redline_quality import CHECKS, Document, check_findings, corpus_documents, measure
from addin_server.playbook import default_playbook

PLAYBOOK = default_playbook()

# check -> the most violations allowed over the corpus (7 agreements x 2 parties x 3 profiles)
CEILING = dict.fromkeys(CHECKS, 0)
# Jitsi Meet's terms license the user's content "solely for the limited purpose of operating and
# enabling the Service" with a right to make derivative works: the limit "but not to train ... any
# artificial intelligence ... model" in that licence (derivatives.within-purpose) sits beside the AI
# covenant the review inserts. A platform's service licence is where training is argued to be
# "operating the Service", so both are kept (3 profiles x 2 parties).
CEILING["ai-covenants-per-contract"] = 6


def _doc(*lines: str) -> Document:
    return Document("built", tuple(Paragraph(f"p{i}", t) for i, t in enumerate(lines)))


def _edit(rule: str, category: str, pid: str, original: str, at: int, text: str, kind: str = "risky",
          clause_type: str = "x", end: int | None = None) -> dict:
    end = at if end is None else end
    return {"id": f"f-{rule}", "rule_id": rule, "kind": kind, "category": category, "clause_type": clause_type,
            "paragraph_id": pid, "alternatives": [],
            "suggestion": {"type": "edit", "paragraph_id": pid, "original": original,
                           "revised": original[:at] + text + original[end:],
                           "edits": [{"start": at, "end": end, "text": text}]}}


def _insert(rule: str, category: str, after: str, text: str, label: str | None = None,
            clause_type: str = "x") -> dict:
    return {"id": f"f-{rule}", "rule_id": rule, "kind": "missing", "category": category, "clause_type": clause_type,
            "paragraph_id": None, "alternatives": [],
            "suggestion": {"type": "insert", "insert_after": after, "order": 0,
                           "paragraphs": [{"text": text, "style": "Normal", "list_label": label}]}}


def _found(doc: Document, findings: list[dict]) -> set[str]:
    return {v.check for v in check_findings(doc, findings, Options(), PLAYBOOK)}


LICENCE = "The Designer grants the Agency a licence to use the Designs in all media for the Campaign."
BAN = ("Prohibition on AI Training. The Agency shall not use the Designs to train any artificial "
       "intelligence or machine-learning model.")


def test_each_check_catches_the_failure_it_names():
    doc = _doc('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").', LICENCE,
               "The Agency shall pay the Designer within 30 days.")
    carve = " (excluding any artificial intelligence or machine learning system)"
    two = [_edit("usage.all-media", "usage-rights", "p1", LICENCE, LICENCE.index(" for the"), carve),
           _insert("ai.prohibition-missing", "ai-training", "p2", BAN)]
    assert "ai-covenants-per-contract" in _found(doc, two)

    section = "For clarity, this Section covers any AI system used for the Confidential Information."
    assert "undefined-term" in _found(doc, [_insert("confidentiality.x", "confidentiality", "p2", section)])

    broken = _edit("derivatives.ai-models", "derivative-works", "p1", LICENCE, LICENCE.index(" in all media"),
                   " solely for the Campaign")
    listed = "The Agency may use, adapt and distribute the Designs."
    doc2 = _doc('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").', listed)
    wedge = _edit("derivatives.ai-models", "derivative-works", "p1", listed, listed.index(" and distribute"),
                  " solely for the Campaign")
    assert "list-grammar" in _found(doc2, [wedge]) and "list-grammar" not in _found(doc, [broken])


def test_a_clause_inserted_into_a_governed_list_or_a_conditional_subsection_is_caught():
    doc = _doc('This Agreement is between Acme Ltd. (the "Customer") and Jo Park (the "Provider").',
               "6.3. Assigned Deliverables. If a Deliverable is an Assigned Deliverable, this Section 6.3 applies.",
               "(a) Assignment. Provider assigns to Customer all right, title and interest in it.",
               "(b) Further Assurances. Provider will sign any document Customer reasonably needs.",
               "7. Warranties.",
               "7.1. Provider represents and warrants that:",
               "(a) the Deliverables are original;",
               "(b) the Deliverables infringe no third party's rights.")
    assert "insert-in-list" in _found(doc, [_insert("ai.prohibition-missing", "ai-training", "p3", BAN, "(c)")])
    assert "insert-in-list" in _found(doc, [_insert("ai.prohibition-missing", "ai-training", "p7", BAN, "(c)")])
    # the end of the section, as a subsection of its own, is where it belongs
    assert "insert-in-list" not in _found(doc, [_insert("ai.prohibition-missing", "ai-training", "p3", "6.4. " + BAN)])


def test_damages_under_a_cap_that_limits_the_client_are_caught_unless_carved_out():
    doc = _doc('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").', LICENCE,
               "9. Liability. Each party's entire liability under this Agreement will not exceed the fees paid.")
    plain = ("Liquidated Damages. If the Agency uses the Designs to train an AI system, the Agency shall pay "
             "the Designer the fees as liquidated damages.")
    assert "damages-under-cap" in _found(doc, [_insert("remedies.ld", "remedies", "p1", plain, clause_type="liquidated-damages")])
    carved = plain + " This sum is not limited by clause 9 or any other limitation of liability in this Agreement."
    assert "damages-under-cap" not in _found(doc, [_insert("remedies.ld", "remedies", "p1", carved,
                                                            clause_type="liquidated-damages")])
    # a cap on the freelancer's liability alone caps nothing the client owes
    own = _doc('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").', LICENCE,
               "9. The liability of the Designer to the Agency shall not exceed the fees paid.")
    assert "damages-under-cap" not in _found(own, [_insert("remedies.ld", "remedies", "p1", plain,
                                                            clause_type="liquidated-damages")])


def test_an_ai_sentence_beside_a_transfer_of_ownership_is_caught():
    text = "All Designs are works made for hire for the Agency."
    doc = _doc('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").', text)
    sentence = " Nothing in this Section permits the Agency to use the Designs to train any machine learning system."
    found = _found(doc, [_edit("ownership.work-made-for-hire", "ownership", "p1", text, len(text), sentence)])
    assert "ai-sentence-on-ownership" in found


def test_an_edit_of_a_clause_that_only_protects_the_freelancer_is_caught():
    text = "The Agency shall not use the Designs to train any artificial intelligence model."
    doc = _doc('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").', LICENCE, text)
    edit = _edit("usage.x", "usage-rights", "p2", text, text.index(" any"), " only", kind="risky")
    assert "protective-edited" in _found(doc, [edit])


@pytest.fixture(scope="module")
def corpus():
    docs = corpus_documents()
    assert len(docs) >= 7, "the real agreements of ../shared/corpus are missing"
    return measure(docs, PLAYBOOK)


@pytest.mark.parametrize("check", CHECKS)
def test_the_product_redlines_of_the_real_agreements_pass_each_check(corpus, check):
    assert corpus.redlines == corpus.documents * 6 and corpus.edits > 100
    assert corpus.count(check) <= CEILING[check], [v for v in corpus.violations if v.check == check][:5]
