"""The score: 100 points shared among the categories; every point lost is tied to a finding."""

from __future__ import annotations

from ..playbook import CATEGORIES
from .document import NONE, Exposure
from .findings import Finding

# Points each category carries (sum 100). AI training weighs most: it is what the product is for.
# Ownership carries as much as the licence's terms: a client that owns the work outright has every use
# a licence could give (with 15, work made for hire and an assignment of everything cost no more than
# two findings on a project licence, and agency paper that takes everything scored with freelancers'
# own forms).
BUDGET = {
    "ai-training": 30,
    "usage-rights": 20,
    "ownership": 20,
    "derivative-works": 10,
    "remedies": 15,
    "confidentiality": 5,
}
assert sum(BUDGET.values()) == 100 and set(BUDGET) == set(CATEGORIES)

GRADES = ((90, "A"), (75, "B"), (60, "C"), (40, "D"), (0, "F"))


def charge(rated: list[tuple[str, str, float]]) -> list[int | None]:
    """The points each finding takes from its category, given (rule id, category, points) of each in
    ranking order: its own points, as far as the category has them left after the findings before
    it; never below zero. A rule charges once per contract: the same risk found again in another
    clause ("perpetual" in the licence and again in the feedback clause, an assignment's lead-in and
    its item) is one risk to the freelancer, and is reported without costing twice. None for a
    category the score does not count."""
    remaining = dict(BUDGET)
    charged: set[str] = set()
    taken: list[int | None] = []
    for rule_id, category, points in rated:
        take = None
        if category in remaining:
            take = 0 if rule_id in charged else min(round(points), remaining[category])
            remaining[category] -= take
            charged.add(rule_id)
        taken.append(take)
    return taken


def score_findings(findings: list[Finding], profile: str, exposure: Exposure = NONE) -> dict:
    """The score of findings whose ``points_lost`` :func:`charge` gave: each category keeps what its
    findings did not take, and records who took what; ``exposure``, what the missing protections
    were charged against."""
    categories = []
    for cid, budget in BUDGET.items():
        mine = [f for f in findings if f.category == cid]
        lost = [{"finding_id": f.id, "points": f.points_lost} for f in mine if f.points_lost]
        value = budget - sum(f.points_lost or 0 for f in mine)
        categories.append({"id": cid, "title": CATEGORIES[cid], "value": value, "max": budget, "lost": lost})
    value = sum(c["value"] for c in categories)
    grade = next(g for floor, g in GRADES if value >= floor)
    return {"value": value, "max": 100, "grade": grade, "profile": profile, "categories": categories,
            "exposure": exposure.to_wire(),
            "explanation": ("Each category starts full; every finding deducts its points from its category, "
                            "a risk found in several clauses once. A missing protection deducts its points in "
                            "proportion to the widest grant (exposure): in full where the client takes ownership "
                            "or an unlimited licence, under a third where the licence is limited to the project.")}


_BASE_QUESTION = "Does your internal workflow involve feeding freelancer deliverables into any third-party or proprietary AI models?"


def questions_for(findings: list[Finding], values: dict[str, str]) -> list[str]:
    """What to ask the agency before signing, from the seed and from what the review found."""
    rules = {f.rule_id for f in findings}
    work = values["work"]
    questions = [_BASE_QUESTION]
    if rules & {"ai.prohibition-missing", "ai.training-permission", "ai.prohibition-incomplete"}:
        questions.append(f"Will {work} be used, directly or by any vendor, to train, fine-tune or develop any machine learning or generative AI system?")
    if rules & {"usage.any-purpose", "usage.purpose-limitation", "usage.all-media"}:
        questions.append(f"Which uses of {work} beyond the project itself do you expect to need, so we can licence them explicitly?")
    if "usage.sublicensable-transferable" in rules:
        questions.append(f"To whom do you expect to sublicense or transfer {work}, and for what purpose?")
    if rules & {"ownership.work-made-for-hire", "ownership.assignment-no-carveout", "ownership.retained-rights-missing"}:
        questions.append("Do you need ownership of drafts, source files and our underlying tools and methods, or only of the final deliverables?")
    if "confidentiality.ai-ingestion" in rules:
        questions.append("Are any AI tools (including offshore teams' tools) used to store, summarise or process materials we send you?")
    if rules & {"remedies.audit-missing", "remedies.liquidated-damages-missing", "remedies.injunctive-relief-missing"}:
        questions.append(f"How and where will {work} be stored, and who will have access to {values['it']}?")
    return questions
