"""Every rule's embedded examples: flagged where they should be, silent where not, fixed by the fix."""

import pytest

from addin_server.engine.apply import apply_all
from addin_server.playbook import PlaybookError, default_playbook, load_playbook
from tests.helpers import paras, run

PLAYBOOK = default_playbook()
CASES = [(rule, ex) for rule in PLAYBOOK.rules for ex in rule.examples]


def _id(case):
    rule, ex = case
    return f"{rule.id}:{'flag' if ex.flag else 'pass'}:{ex.text[:30]}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_rule_example(case):
    rule, ex = case
    doc = paras(ex.text)
    result = run(doc)
    mine = [f for f in result["findings"] if f["rule_id"] == rule.id]
    if not ex.flag:
        assert not mine, f"{rule.id} fired on a 'pass' example: {ex.text!r}"
        return
    assert mine, f"{rule.id} did not fire on its 'flag' example: {ex.text!r}"
    if ex.span:
        spans = [(f["span"]["start"], f["span"]["end"]) for f in mine]
        assert ex.span in spans, f"{rule.id}: expected span {ex.span} ({ex.text[ex.span[0]:ex.span[1]]!r}), got {spans}"
    # The fix clears the finding (LanguageTool's check): apply this rule's suggestions, review again.
    fixed = apply_all(doc, result["findings"], {f["id"] for f in mine} | {f["covered_by"] for f in mine if f.get("covered_by")})
    again = run(fixed)
    assert not [f for f in again["findings"] if f["rule_id"] == rule.id], (
        f"{rule.id}: applying the suggestion did not clear the finding: {[p.text for p in fixed]}")


@pytest.mark.parametrize("rule", PLAYBOOK.rules, ids=[r.id for r in PLAYBOOK.rules])
def test_fallbacks_clear_their_finding_too(rule):
    """The one-click fallback position is also a fix, not just an alternative wording."""
    for ex in [e for e in rule.examples if e.flag]:
        doc = paras(ex.text)
        result = run(doc)
        for f in [f for f in result["findings"] if f["rule_id"] == rule.id and f["alternatives"]]:
            alt = f["alternatives"][0]
            again = run(apply_all(doc, [{**f, "suggestion": alt, "covered_by": None}]))
            assert not [g for g in again["findings"] if g["rule_id"] == rule.id], (rule.id, alt)


@pytest.mark.parametrize("examples", ['[[rule.example]]\nflag = "a"', '[[rule.example]]\npass = "b"'],
                         ids=["flag-only", "pass-only"])
def test_the_loader_refuses_a_rule_with_examples_of_one_side_only(tmp_path, examples):
    """Every shipped rule has both (the playbook would not load otherwise): prove the loader checks it."""
    with pytest.raises(PlaybookError, match="x.rule: needs at least one 'flag' and one 'pass' example"):
        load_playbook(_write(tmp_path, examples=examples))


#: What covers each risk, clause and remedy the seed names in its bullet lists (read from the seed
#: itself, so a bullet added there fails here until something covers it): the rules that must fire on
#: a contract written in the seed's standard language, or the agency risk profile it names.
SEED_COVERAGE = {
    "Broad Usage Rights": {"usage.perpetual-irrevocable", "usage.all-media"},
    "Derivative Works": {"derivatives.ai-models"},
    # (where rights are granted, the AI covenant closes the confidentiality clause's gap, one AI clause per
    # contract; a confidentiality agreement alone gets the clarification: tests/engine/test_review.py)
    "Lack of Specificity": {"confidentiality.ai-ingestion", "ai.prohibition-missing"},
    "Limited License Grant": {"usage.purpose-limitation"},
    "Prohibition on Ingestion": {"ai.prohibition-missing"},
    "Data Ownership Retention": {"ownership.retained-rights-missing", "ownership.assignment-no-carveout"},
    "Injunctive Relief": {"remedies.injunctive-relief-missing"},
    "Liquidated Damages": {"remedies.liquidated-damages-missing"},
    "Right to Audit": {"remedies.audit-missing"},
    "High Risk": "high", "Medium Risk": "medium", "Low Risk": "low",
}


def test_every_risk_clause_and_remedy_the_seed_names_is_found_on_its_standard_language():
    import re

    from tests.helpers import SEED_STANDARD, SHARED

    seed = (SHARED / "seed" / "freelance-ai-training-clauses.txt").read_text(encoding="utf-8")
    named = re.findall(r"^\s*(?:•|\d+\.)\s*([A-Z][A-Za-z ]{3,40}):", seed, re.MULTILINE)
    assert len(named) >= 10, named  # the seed's bullet lists were read
    # the seed's standard contract, with the general confidentiality clause the seed says falls short
    contract = SEED_STANDARD + "\n6. Confidentiality. The Agency shall keep confidential all non-public information the Contractor discloses to it."
    fired = {f["rule_id"] for f in run(paras(contract), agency_risk="high")["findings"]}
    for name in named:
        assert name in SEED_COVERAGE, f"the seed names {name!r}: say which rule or profile covers it"
        covered = SEED_COVERAGE[name]
        if isinstance(covered, str):
            assert covered in PLAYBOOK.profiles, name
        else:
            assert covered & fired, (name, sorted(fired))


def _write(tmp_path, **fields):
    """A one-rule family file: a valid risky rule, with ``fields`` replacing or adding keys."""
    rule = {"id": '"x.rule"', "kind": '"risky"', "category": '"usage-rights"', "clause_type": '"all-media"',
            "title": '"t"', "protection": '"p"', "message": '"m"', "comment_counterparty": '"c"', "comment_internal": '"i"',
            "pattern": "'(?P<span>x)'", "fix": '{ action = "delete" }',
            "profiles": '{ high = { severity = "high", points = 1 } }'}
    rule.update(fields)
    examples = rule.pop("examples", '[[rule.example]]\nflag = "a"\n[[rule.example]]\npass = "b"')
    body = "[[rule]]\n" + "".join(f"{k} = {v}\n" for k, v in rule.items() if v is not None) + examples + "\n"
    (tmp_path / "family.toml").write_text(body)
    return tmp_path


def test_loader_names_file_and_rule_on_bad_regex(tmp_path):
    bad = _write(tmp_path, id='"x.broken"', pattern="'(?P<span>unclosed'")
    with pytest.raises(PlaybookError, match=r"family\.toml: rule x\.broken: bad regular expression"):
        load_playbook(bad)


def test_loader_rejects_rule_without_examples(tmp_path):
    bad = _write(tmp_path, id='"x.noexamples"', examples="")
    with pytest.raises(PlaybookError, match="x.noexamples: needs at least one 'flag' and one 'pass' example"):
        load_playbook(bad)


def test_loader_rejects_unknown_placeholder(tmp_path):
    bad = _write(tmp_path, id='"x.placeholder"', message='"m {clinet}"')
    with pytest.raises(PlaybookError, match=r"x\.placeholder: unknown placeholder \{clinet\}"):
        load_playbook(bad)


def test_loader_rejects_unknown_kind_and_category(tmp_path):
    with pytest.raises(PlaybookError, match="x.rule: kind must be one of"):
        load_playbook(_write(tmp_path, kind='"maybe"'))
    with pytest.raises(PlaybookError, match="x.rule: unknown category 'vibes'"):
        load_playbook(_write(tmp_path, category='"vibes"'))


def test_loader_accepts_the_minimal_valid_rule(tmp_path):
    assert load_playbook(_write(tmp_path)).by_id["x.rule"].kind == "risky"


def test_markdown_catalog_is_generated_from_the_rules():
    from addin_server.playbook.catalog import render
    from tests.helpers import ROOT

    page = (ROOT / "docs" / "playbook.md").read_text()
    assert page == render(), "docs/playbook.md is stale: run python -m addin_server.playbook.catalog > docs/playbook.md"


def test_keyword_scan_finds_exactly_the_keywords_that_occur():
    """The one-pass trie scan (with the keywords a match can hide tested one by one) must equal
    testing every keyword, for overlapping, nested and adjacent keywords alike."""
    import random

    playbook = default_playbook()
    keywords = [k for k, _ in playbook.keyword_index]
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice(keywords + [" ", "a", "s", "-", "\n"]) for _ in range(rng.randint(1, 8)))
        norm = " ".join(text.lower().split())
        want = sorted(k for k in keywords if k in norm)
        assert sorted(k for k, _ in playbook.keyword_hits(text)) == want, repr(text)


def test_loader_refuses_a_rule_that_does_not_name_its_protection(tmp_path):
    # a later round's reply names our change by it ("Thank you for accepting our audit clause")
    with pytest.raises(PlaybookError, match=r"rule x\.rule: missing 'protection'"):
        load_playbook(_write(tmp_path, protection=None))


def test_a_pattern_with_a_quick_test_is_a_table_of_two_strings(tmp_path):
    from addin_server.playbook import PlaybookError, _guarded
    guarded = _guarded({"pattern": r"\bassign\w*\s+to\b", "quick": r"\bassign"}, "x.toml")
    assert guarded.search("The Designer assigns to the Agency") and not guarded.search("no transfer here")
    with pytest.raises(PlaybookError, match="a pattern is a string or"):
        _guarded({"pattern": r"\bassign", "fast": r"\bassign"}, "x.toml")
