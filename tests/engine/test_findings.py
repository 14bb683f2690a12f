"""The typed findings (engine/findings.py): the wire shape each one writes, and that what only the
engine needs (document order, the sentences a fix changes, numbering still to do) never reaches it."""

import dataclasses
import json

import pytest

from addin_server.api import schemas
from addin_server.engine.absence import Absence, NearMiss
from addin_server.engine.findings import (Comment, EditSuggestion, Finding, InsertedParagraph, InsertSuggestion,
                                          Numbering)
from addin_server.engine.review import _number_insertions
from addin_server.redline.diff import Edit, edits_with_anchors
from tests.helpers import SAMPLE, SEED_STANDARD, paras, run

ORIGINAL = "The Designer grants a perpetual licence."
REVISED = "The Designer grants a licence."
EDITS = (Edit(22, 32, ""),)


def _edit_finding(**overrides) -> Finding:
    values = dict(
        rule_id="usage.perpetual", kind="risky", category="usage-rights", clause_type="perpetual-or-irrevocable",
        title="Perpetual licence", message="A licence with no end.", paragraph_id="p3", span=(22, 32),
        comment=Comment("Please limit the term.", "Ask for a term."),
        suggestion=EditSuggestion("p3", ORIGINAL, REVISED, EDITS),
        order=3000.5, sentences=frozenset({0}),
    )
    return Finding(**{**values, **overrides})


def _insert(label: str | None = None, numbering: Numbering | None = None) -> InsertSuggestion:
    return InsertSuggestion("p9", (InsertedParagraph("Audit. The Designer may audit.", "Normal", numbering=numbering),),
                            label=label)


def _missing_finding(**overrides) -> Finding:
    absence = Absence(("Audit right",), 12, 30, ("1", "2"), (NearMiss("p4", 0, 20, "2", "definition", "defines it"),))
    values = dict(
        rule_id="remedies.audit-missing", kind="missing", category="remedies", clause_type="audit-rights",
        title="No audit right", message="Nothing lets you check.", paragraph_id=None, span=None,
        evidence=absence, comment=Comment("Add an audit right.", "We need it."), suggestion=_insert(),
        alternatives=(_insert(label="Fallback"),), order=10**9,
    )
    return Finding(**{**values, **overrides})


def test_an_edit_finding_writes_the_response_shape_in_order():
    wire = _edit_finding(id="f-1", severity="high", points=8, points_lost=8).to_wire()
    assert list(wire) == ["id", "rule_id", "kind", "severity", "points", "category", "clause_type", "title",
                          "message", "paragraph_id", "span", "comment", "suggestion", "alternatives", "position",
                          "points_lost"]
    assert wire["position"] == "preferred"
    assert wire["span"] == {"start": 22, "end": 32}
    assert wire["comment"] == {"counterparty": "Please limit the term.", "internal": "Ask for a term."}
    assert wire["suggestion"] == {"type": "edit", "paragraph_id": "p3", "original": ORIGINAL, "revised": REVISED,
                                  "edits": edits_with_anchors(ORIGINAL, list(EDITS))}
    assert wire["alternatives"] == [] and (wire["id"], wire["severity"], wire["points"]) == ("f-1", "high", 8)


def test_a_missing_finding_carries_its_evidence_before_its_comment():
    wire = _missing_finding(points_lost=0).to_wire()
    assert list(wire) == ["id", "rule_id", "kind", "severity", "points", "category", "clause_type", "title",
                          "message", "paragraph_id", "span", "evidence", "comment", "suggestion", "alternatives",
                          "position", "points_lost"]
    assert wire["paragraph_id"] is None and wire["span"] is None
    assert wire["evidence"] == _missing_finding().evidence.to_wire()
    assert wire["suggestion"] == {"type": "insert", "insert_after": "p9", "order": 0,
                                  "paragraphs": [{"text": "Audit. The Designer may audit.", "style": "Normal",
                                                  "list_label": None}]}
    assert wire["alternatives"] == [{**wire["suggestion"], "label": "Fallback"}]


def test_merge_keys_appear_only_on_the_findings_they_concern():
    owner = _edit_finding(id="f-1", covers=("f-2",)).to_wire()
    merged = _edit_finding(id="f-2", covered_by="f-1",
                           suggestion=EditSuggestion("p3", ORIGINAL, REVISED, EDITS).shared("f-1")).to_wire()
    assert owner["covers"] == ["f-2"] and "covered_by" not in owner and "shared_with" not in owner["suggestion"]
    assert merged["covered_by"] == "f-1" and "covers" not in merged
    assert list(merged["suggestion"])[-1] == "shared_with" and merged["suggestion"]["shared_with"] == "f-1"
    assert "points_lost" not in owner  # scoring has not charged it
    alternative = EditSuggestion("p3", ORIGINAL, REVISED, EDITS, label="").to_wire()
    assert list(alternative)[-1] == "label" and alternative["label"] == ""  # an empty label is still a label


def _all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value).union(*(_all_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_all_keys(v) for v in value))
    return set()


@pytest.mark.parametrize("finding", [_edit_finding(), _missing_finding()], ids=["edit", "missing"])
def test_private_facts_never_reach_the_wire(finding):
    numbered = dataclasses.replace(finding, suggestion=_insert(numbering=Numbering("4.1", True, frozenset({"4.2"}))))
    for f in (finding, numbered):
        wire = f.to_wire()
        assert not {k for k in _all_keys(wire) if k.startswith("_")}
        assert "order" not in wire and "sentences" not in wire  # the finding's document order, its sentences
        assert not _all_keys(wire) & {"numbering", "anchor_label", "in_text", "taken"}
        assert "3000.5" not in json.dumps(wire) and str(10**9) not in json.dumps(wire)


def test_the_values_are_frozen():
    f = _edit_finding()
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.id = "f-1"
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.suggestion.revised = ORIGINAL


def test_insertions_after_one_paragraph_are_ordered_and_numbered():
    numbering = Numbering("4.1", True, frozenset({"4.3"}))
    listed = Numbering("(d)", False, frozenset())
    first = _missing_finding(suggestion=_insert(numbering=numbering), alternatives=(_insert("Fallback", numbering),))
    second = _missing_finding(suggestion=_insert(numbering=numbering), alternatives=())
    third = _missing_finding(suggestion=_insert(numbering=listed), alternatives=())
    a, b, c = _number_insertions([first, second, third])
    assert (a.suggestion.order, a.suggestion.paragraphs[0].text) == (0, "4.2 Audit. The Designer may audit.")
    # the alternative is numbered for the place after the suggestion, which it does not take
    assert (a.alternatives[0].order, a.alternatives[0].paragraphs[0].text) == (1, "Audit. The Designer may audit.")
    assert b.suggestion.order == 1 and b.suggestion.paragraphs[0].text == "Audit. The Designer may audit."  # 4.3 is taken
    assert c.suggestion.order == 2 and c.suggestion.paragraphs[0].list_label == "(g)"
    assert all(p.numbering is None for f in (a, b, c) for s in (f.suggestion, *f.alternatives) for p in s.paragraphs)
    assert first.suggestion.order == 0 and first.suggestion.paragraphs[0].numbering is numbering  # not changed


def _keys(schema) -> set[str]:
    return set(schema().fields)


@pytest.mark.parametrize("text", [SAMPLE.read_text(), SEED_STANDARD], ids=["sample", "seed-standard"])
def test_the_review_writes_only_what_the_api_declares(text):
    result = run(paras(text))
    assert json.loads(json.dumps(result)) == result  # plain JSON values only: no typed value leaks out
    assert result["findings"]
    for f in result["findings"]:
        assert set(f) <= _keys(schemas.Finding), f["rule_id"]
        for s in [f["suggestion"], *f["alternatives"]]:
            assert set(s) <= _keys(schemas.Suggestion), f["rule_id"]
            for p in s.get("paragraphs", []):
                assert set(p) == _keys(schemas.NewParagraph), f["rule_id"]
