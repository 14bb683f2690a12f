"""The README's promise on real text, for either side and every profile: applying every suggestion
and reviewing again leaves nothing above low severity and a score of at least 90 (in standard terms,
apart from the gaps reported with no clause to apply, and the points they take).

The documents (tests/helpers.py ``real_documents``) are real text nobody on this project wrote, read
from ../shared at test time: the 107 real clauses alone, the whole real agreements, a deterministic
sample of CUAD contracts, deterministic mixes of real clauses and real clauses spliced into the
whole agreements. Before issue 10.9 was fixed, 450 of these 1,554 cases (259 documents x party x
profile) failed, in 148 documents: 307 of them for the client's side, 331 with a score under 90.
A wider run (all 238 CUAD contracts, 1,000 mixes, 100 splices: 8,712 cases) now fails none.
"""

import pytest

from tests.helpers import ALL_PROFILES, PARTIES, apply_and_rerun, real_documents, run

DOCS = real_documents()


def test_the_real_corpus_is_there_and_covers_every_kind_of_document():
    kinds = {name.split("-")[0] for name, _ in DOCS}
    assert kinds == {"clause", "contract", "cuad", "mix", "splice"}, kinds
    assert len(DOCS) >= 250


@pytest.mark.parametrize("profile", ALL_PROFILES)
@pytest.mark.parametrize("party", PARTIES)
def test_applying_every_suggestion_to_real_text_leaves_nothing_above_low(party, profile):
    failures = []
    fixed_something = 0
    for name, doc in DOCS:
        first = run(doc, agency_risk=profile, party=party)
        _, again = apply_and_rerun(doc, first, agency_risk=profile, party=party)
        fixed_something += bool(first["findings"])
        # standard terms keep the gaps no clause is written for (engine/form.py): reported, with their points
        unasked = [f for f in again["findings"] if f["suggestion"] is None and f["rule_id"] in again["form"]["not_asked"]]
        left = [f["rule_id"] for f in again["findings"] if f["severity"] != "low" and f not in unasked]
        if left or again["score"]["value"] + sum(f["points_lost"] or 0 for f in unasked) < 90:
            failures.append((name, again["score"]["value"], left))
    assert not failures, f"{len(failures)} of {len(DOCS)} documents: {failures[:10]}"
    # the property is about fixes, not about quiet documents. Most real clauses are a platform's terms
    # ("we" speaking to "you"); acting for the client (the platform), the licences the user grants it
    # are no risk to it, so once the parties are read fewer of those documents have anything to fix
    assert fixed_something >= len(DOCS) // (2 if party == "provider" else 3)
