"""A missing-clause finding proves its absence: what it looked for, where, and what came closest."""

from tests.helpers import paras, run

CONTRACT = """This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").
1. The Designer grants the Agency a perpetual, irrevocable license to use the Work Product.
2. The Agency may audit the Designer's books and records on ten days' notice to confirm the Designer's compliance with this Agreement.
3. Payment. The Agency shall pay each invoice within thirty days.
4. Governing law. This Agreement is governed by the laws of England and Wales."""


def _missing(result, rule_id):
    return next(f for f in result["findings"] if f["rule_id"] == rule_id)


def test_a_missing_finding_says_what_it_searched_and_where():
    r = run(paras(CONTRACT))
    f = _missing(r, "ai.prohibition-missing")
    ev = f["evidence"]
    assert ev["looked_for"] == ["AI-training prohibition"]
    assert ev["paragraphs"] == 5 and ev["sentences"] >= 5
    assert ev["sections"] == ["1", "2", "3", "4"]
    assert "Looked for “AI-training prohibition” in all 5 paragraphs" in f["message"]
    assert "sections 1–4" in f["message"] and "none serves the Designer" in f["message"]


def test_a_protection_the_other_side_holds_is_named_as_the_closest_and_why_it_does_not_count():
    """The Agency's audit of the Designer is an audit right, but not the Designer's: the finding says so."""
    r = run(paras(CONTRACT))
    f = _missing(r, "remedies.audit-missing")
    closest = f["evidence"]["near_misses"][0]
    assert closest["reason"] == "other_side" and closest["paragraph_id"] == "p2" and closest["section"] == "2"
    assert "section 2 is one, but it serves the Agency" in f["message"]
    assert "p2" not in f["message"], "the reader is told the section, not an internal paragraph id"
    text = paras(CONTRACT)[2].text
    assert "audit" in text[closest["span"]["start"]:closest["span"]["end"]]


def test_near_misses_are_few_and_the_other_sides_clauses_come_first():
    doc = paras(CONTRACT + "\n" + "\n".join(
        f"{5 + i}. The Agency may audit the Designer's records for project {i}." for i in range(6)))
    f = _missing(run(doc), "remedies.audit-missing")
    misses = f["evidence"]["near_misses"]
    assert len(misses) == 3 and all(m["reason"] == "other_side" for m in misses)
    assert [m["paragraph_id"] for m in misses] == ["p2", "p5", "p6"]  # document order within a rank
