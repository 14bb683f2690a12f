"""The expected-redline panel (issue 12): the redline a freelancer's lawyer would send for ten real
contracts of ../shared/corpus (tests/eval/expected_redlines/, written blind from the contracts, with
her reasoning), and how close the product's Apply all comes (addin_server/evaluation/redline_panel.py).

The panel must be able to tell a good edit from none: every expected edit's effect is absent from the
paragraph as the contract has it. The product is held to what it reached when the panel was written
(RATCHET, docs/accuracy.md); the issue's aim (85 % of changes sendable) is a strict expected failure
until it is met. Never lower a count to make this pass.
"""

from __future__ import annotations

import pytest

from addin_server.evaluation.redline_panel import PANEL_DIR, load_panels, measure

PANELS = load_panels()

# first try 2026-12-02: 14 of 83 changes sendable (one through "unauthorised" in an injunction clause
# meeting her consent pattern), 0 harmful; 15 of 85 once the AI covenant asks consent and a
# confidentiality-only injunction no longer counts as the remedy for misuse of the work; 17 of 82 once
# a sublicensing phrase is rewritten where it stands and "perpetual" yields to the purpose limit; 21 of
# 82 once new clauses go at the end of the section they join, read from the outline (engine/outline.py);
# 21 of 62 once a platform's standard terms are not asked for a user's own remedy clauses
# (engine/form.py), a contract with the AI covenant gets no second AI sentence in its confidentiality
# clause, and a right the contract denies needs no purpose limit; 21 of 61 once a licence whose scope a
# schedule or invoice sets counts as limited; 26 of 69 once the AI breach is taken out of the contract's
# cap or its exceptions paragraph (five of the six carve-outs sendable; Bonterms' goes in 12.3, where she
# lists it in the Uncapped Claims definition, and Jitsi gets one with its unwanted covenant); 30 of 72 on
# 2026-12-04, once an assignment in a contract that keeps the creator's materials asks only for payment
# and the final work, a survival clause is no perpetual licence and "can only grant" limits a licence.
# Unwanted changes: at most this many.
RATCHET = {"sendable": 30, "fixes_made": 18, "keeps_held": 32, "unwanted": 27}
AIM_SENDABLE = 0.85
MOST_HARMFUL = 0.03


def test_the_panel_covers_at_least_eight_real_contracts():
    assert len(PANELS) >= 8 and len(list(PANEL_DIR.glob("*.toml"))) == len(PANELS)
    assert all(p.contract.is_file() for p in PANELS)


@pytest.mark.parametrize("panel", PANELS, ids=[p.name for p in PANELS])
def test_each_expected_edit_is_absent_from_the_contract_as_it_stands(panel):
    text = {p.id: p.text for p in panel.paragraphs()}
    for fx in panel.fixes:
        if fx.action == "edit":
            assert not fx.has_effect(text[f"L{fx.line}"]), f"{fx.id}: the paragraph already has the effect"
        if fx.action == "insert":
            assert not any(fx.has_effect(t) for t in text.values()), f"{fx.id}: a paragraph already has it"


@pytest.fixture(scope="module")
def report():
    return measure(PANELS)


def test_no_more_than_three_percent_of_the_changes_leave_the_creator_worse_off(report):
    assert report.changes > 0
    assert report.share("harmful") <= MOST_HARMFUL, report.count("harmful")


def test_the_redline_comes_no_further_from_the_lawyers_than_when_the_panel_was_written(report):
    assert report.count("sendable") >= RATCHET["sendable"]
    assert report.fixes_made[0] >= RATCHET["fixes_made"]
    assert report.keeps_held[0] >= RATCHET["keeps_held"]
    assert report.count("unwanted") <= RATCHET["unwanted"]


@pytest.mark.xfail(strict=True, reason="issue 12's aim: 85 % of changes sendable; first try 17 % (docs/accuracy.md)")
def test_most_changes_could_be_sent_as_they_are(report):
    assert report.share("sendable") >= AIM_SENDABLE
