"""The review end to end on contracts: parties, direction, findings, composition, score, fixpoint."""

import os
import re

import pytest

from addin_server.engine.apply import apply_all
from addin_server.engine.review import Paragraph
from addin_server.redline.diff import apply_edits
from tests.helpers import SAMPLE, SEED_STANDARD, SHARED, apply_and_rerun, paras, run
from addin_server.playbook import default_playbook

SAMPLE_DOC = paras(SAMPLE.read_text())
PROFILES = ["high", "medium", "low"]
PARTIES = ["provider", "client"]


def _rules(result):
    return {f["rule_id"] for f in result["findings"]}


def test_parties_and_work_come_from_the_contracts_own_definitions():
    r = run(SAMPLE_DOC)
    assert r["parties"] == {"provider": "Designer", "client": "Agency"}
    assert r["work_term"] == "Work Product"
    for f in r["findings"]:
        text = f["comment"]["counterparty"] + " " + f["message"]
        s = f["suggestion"]
        text += " ".join(p["text"] for p in s.get("paragraphs", [])) + s.get("revised", "")
        assert "Client" not in text and "Contractor" not in text, f["rule_id"]
        assert " the the " not in (" " + text.lower()), f["rule_id"]
        assert "{" not in text, f"unfilled placeholder in {f['rule_id']}"
    ai = next(f for f in r["findings"] if f["rule_id"] == "ai.prohibition-missing")
    assert "The Agency shall not, and shall not permit any affiliate, client, vendor or other third party to" in ai["suggestion"]["paragraphs"][0]["text"]


def test_portfolio_licence_granted_to_the_freelancer_is_not_a_risk():
    r = run(SAMPLE_DOC)
    portfolio = next(p.id for p in SAMPLE_DOC if "portfolio" in p.text)
    assert not [f for f in r["findings"] if f["paragraph_id"] == portfolio]


def test_same_words_in_the_other_direction_are_flagged():
    doc = paras('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").\n'
                "The Designer grants the Agency a perpetual, irrevocable license to display the Work Product.\n"
                "The Agency grants the Designer a perpetual, irrevocable license to display the Work Product in a portfolio.")
    flagged = {f["paragraph_id"] for f in run(doc)["findings"] if f["rule_id"] == "usage.perpetual-irrevocable"}
    assert flagged == {"p1"}


def test_the_seed_standard_contract_scores_under_40_and_misses_the_ai_clause():
    r = run(paras(SEED_STANDARD))
    assert r["score"]["value"] < 40
    assert {"ai.prohibition-missing", "usage.perpetual-irrevocable", "usage.all-media",
            "ownership.work-made-for-hire", "derivatives.ai-models", "remedies.injunctive-relief-missing",
            "remedies.liquidated-damages-missing", "remedies.audit-missing"} <= _rules(r)
    assert r["parties"] == {"provider": "Contractor", "client": "Agency"} and r["work_term"] == "Deliverables"


@pytest.mark.parametrize("party", PARTIES)
@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("name", ["sample", "seed"])
def test_fixpoint_apply_everything_then_clean(profile, name, party):
    doc = SAMPLE_DOC if name == "sample" else paras(SEED_STANDARD)
    first = run(doc, agency_risk=profile, party=party)
    _, again = apply_and_rerun(doc, first, agency_risk=profile, party=party)
    left = [(f["rule_id"], f["severity"]) for f in again["findings"] if f["severity"] != "low"]
    assert not left, left
    assert again["score"]["value"] >= 90
    assert first["findings"] or party == "client"  # the freelancer's side always has something to fix
    if first["findings"]:
        assert again["score"]["value"] > first["score"]["value"]


def test_acting_for_the_agency_its_own_work_for_hire_clause_is_not_a_risk():
    """The seed's 'works made for hire and the Agency shall own all rights': a risk to the
    freelancer, the Agency's own protection when we act for it (the message said it 'makes the
    Contractor the author')."""
    r = run(paras(SEED_STANDARD), party="client")
    assert "ownership.work-made-for-hire" not in _rules(r)
    assert "ownership.work-made-for-hire" in _rules(run(paras(SEED_STANDARD)))


def test_every_point_lost_is_tied_to_a_finding():
    r = run(SAMPLE_DOC)
    lost = sum(x["points"] for c in r["score"]["categories"] for x in c["lost"])
    assert r["score"]["value"] == 100 - lost
    ids = {f["id"] for f in r["findings"]}
    assert all(x["finding_id"] in ids for c in r["score"]["categories"] for x in c["lost"])


def test_profile_changes_what_is_required():
    high, low = run(SAMPLE_DOC, agency_risk="high"), run(SAMPLE_DOC, agency_risk="low")
    assert "remedies.liquidated-damages-missing" in _rules(high)
    assert "remedies.liquidated-damages-missing" not in _rules(low)
    assert low["score"]["value"] > high["score"]["value"]
    assert high["profile"]["description"].startswith("Large agencies")


def test_edits_of_all_findings_compose_on_each_paragraph():
    r = run(SAMPLE_DOC)
    by_para = {}
    for f in r["findings"]:
        s = f["suggestion"]
        assert s["type"] == "edit" or f["kind"] == "missing"
        if s["type"] == "edit":
            assert apply_edits(s["original"], s["edits"]) == s["revised"]
            if not f.get("covered_by"):
                by_para.setdefault(s["paragraph_id"], []).extend((e["start"], e["end"]) for e in s["edits"])
    for pid, spans in by_para.items():
        spans.sort()
        assert all(a[1] <= b[0] and a != b for a, b in zip(spans, spans[1:])), (pid, spans)


def test_review_is_deterministic_across_processes_and_hash_seeds():
    """The same contract gives the same review in fresh processes with different string hashing (set
    and dict orders differ between them): nothing may depend on iteration order or on earlier calls."""
    import subprocess
    import sys

    from tests.helpers import ROOT

    outputs = []
    for seed in ("1", "2", "3"):
        proc = subprocess.run([sys.executable, "-m", "addin_server", "review", "--json", str(SAMPLE),
                               str(ROOT / "tests" / "engine" / "consulting-agreement.txt")],
                              capture_output=True, text=True, cwd=ROOT, timeout=120,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr[-500:]
        outputs.append(re.sub(r'"elapsed_ms": [0-9.]+', '"elapsed_ms": 0', proc.stdout))
    assert outputs[0] == outputs[1] == outputs[2]
    assert '"findings": [' in outputs[0]


def test_paraphrased_prohibition_is_recognised_and_completed_in_place():
    doc = paras('This Agreement is between Acme Ltd. (the "Publisher") and Kim Ray (the "Author").\n'
                "The Author grants the Publisher a license to publish the Work solely for the Project.\n"
                "The Publisher shall not use the Work as input to train, retrain or fine-tune any artificial intelligence model.")
    r = run(doc)
    assert "ai.prohibition-missing" not in _rules(r)
    inc = next(f for f in r["findings"] if f["rule_id"] == "ai.prohibition-incomplete")
    assert inc["kind"] == "incomplete" and inc["paragraph_id"] == "p2"
    revised = inc["suggestion"]["revised"]
    assert revised.startswith("The Publisher shall not, and shall not permit any third party to, use")
    assert all(e["end"] - e["start"] == 0 for e in inc["suggestion"]["edits"]), "only insertions"
    again = run(apply_all(doc, r["findings"], {inc["id"]}))
    assert "ai.prohibition-incomplete" not in _rules(again)


def test_hard_negative_author_may_use_ai_tools_is_not_a_permission():
    doc = paras('This Agreement is between Acme Ltd. (the "Publisher") and Kim Ray (the "Author").\n'
                "The Author may use generative AI tools to improve drafts, subject to the Publisher's approval.")
    assert "ai.training-permission" not in _rules(run(doc))


def test_missing_clause_goes_after_the_ip_section_numbered_like_its_neighbours():
    r = run(SAMPLE_DOC)
    ins = [f["suggestion"] for f in r["findings"] if f["kind"] == "missing"]
    anchor = next(p for p in SAMPLE_DOC if p.id == ins[0]["insert_after"])
    assert anchor.text.startswith("3.3 ")
    labels = sorted(s["paragraphs"][0]["text"].split(" ")[0] for s in ins)
    assert labels == [f"3.{n}" for n in range(4, 4 + len(ins))]


def test_word_numbered_lists_get_a_list_label_not_a_typed_number():
    doc = [Paragraph("a", 'This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").'),
           Paragraph("b", "The Designer grants the Agency a license to use the Work Product solely for the Project.", "List Paragraph", "4.1"),
           Paragraph("c", "Governing law is New York.", "List Paragraph", "5.1")]
    ai = next(f for f in run(doc)["findings"] if f["rule_id"] == "ai.prohibition-missing")
    p = ai["suggestion"]["paragraphs"][0]
    assert ai["suggestion"]["insert_after"] == "b" and p["list_label"] == "4.2" and p["style"] == "List Paragraph"
    assert p["text"].startswith("Prohibition on AI Training.")


def test_nda_without_a_licence_has_little_to_say():
    text = (SHARED / "corpus" / "contracts" / "commonpaper-independent-contractor-agreement.txt").read_text()
    assert run(paras(text))["score"]["value"] < 60  # a real contractor agreement: work for hire, no AI clause
    nda = paras('This Mutual Non-Disclosure Agreement is between Acme Inc. ("Company") and Beta LLC ("Recipient").\n'
                "Each party shall hold the other party's Confidential Information in strict confidence and shall not disclose it.\n"
                "This Agreement is governed by the laws of Delaware.")
    r = run(nda)
    assert r["score"]["value"] >= 90
    assert not [f for f in r["findings"] if f["kind"] == "missing"]


def test_empty_and_odd_text_does_not_crash():
    for text in ["", "\u000b\t", "ש" * 300 + " licence", "\x00\x01 grant", "A" * 10000]:
        run([Paragraph("x", text)])


HERE = __import__("pathlib").Path(__file__).parent


def test_photography_licence_uses_its_own_name_for_the_work():
    """A contract outside the vocabulary lists: the work is "the Images", the side is "the Photographer"."""
    r = run(paras((HERE / "photography-licence.txt").read_text()))
    assert r["parties"] == {"provider": "Photographer", "client": "Client"}
    assert r["work_term"] == "Images"
    rules = _rules(r)
    assert {"ai.prohibition-missing", "usage.any-purpose", "usage.sublicensable-transferable"} <= rules
    assert "ownership.retained-rights-missing" not in rules  # "Copyright ... remains with the Photographer"
    ai = next(f for f in r["findings"] if f["rule_id"] == "ai.prohibition-missing")
    assert "the Images" in ai["suggestion"]["paragraphs"][0]["text"]


def test_voice_over_roles_follow_what_the_parties_do_not_their_names():
    """"Producer" commissions and pays; "Talent" records and assigns: Talent is the one we protect."""
    r = run(paras((HERE / "voice-over-agreement.txt").read_text()))
    assert r["parties"] == {"provider": "Talent", "client": "Producer"}
    rules = _rules(r)
    assert {"ai.training-permission", "usage.perpetual-irrevocable", "ownership.assignment-no-carveout"} <= rules
    permission = next(f for f in r["findings"] if f["rule_id"] == "ai.training-permission")
    assert permission["suggestion"]["revised"].startswith("3. AI. Producer shall not use the Recordings to train")
    assert r["score"]["value"] < 60


def test_a_contract_with_every_protection_in_its_own_words_is_clean():
    """The seed's protections written as a careful drafter would: nothing to add, score 100."""
    r = run(paras((HERE / "fully-protected-illustration.txt").read_text()))
    assert r["findings"] == [] and r["score"]["value"] == 100
    present = {t for c in r["clauses"] for t in c["types"]}
    assert {"ai-training-prohibition", "purpose-limitation", "retained-rights", "injunctive-relief",
            "liquidated-damages", "audit-rights"} <= present


def test_consulting_agreement_partial_ai_clause_is_completed_in_place():
    r = run(paras((HERE / "consulting-agreement.txt").read_text()))
    assert r["parties"] == {"provider": "Consultant", "client": "Company"}
    inc = next(f for f in r["findings"] if f["rule_id"] == "ai.prohibition-incomplete")
    # four insertions, each exactly the missing words; nothing the drafter wrote is struck
    assert [e["text"] for e in inc["suggestion"]["edits"]] == [
        ", and will not permit any third party to,", ", ingest or process", ", fine-tune or develop",
        ", including any machine learning model or generative AI"]
    assert all(e["start"] == e["end"] for e in inc["suggestion"]["edits"])
    # the Company's injunctive relief against the Consultant does not protect the Consultant
    assert "remedies.injunctive-relief-missing" in _rules(r)
    assert "ownership.assignment-no-carveout" in _rules(r)


def test_publishing_agreement_permission_to_mine_text_is_caught():
    r = run(paras((HERE / "publishing-agreement.txt").read_text()))
    assert r["parties"] == {"provider": "Author", "client": "Publisher"}
    rules = _rules(r)
    assert {"ai.training-permission", "usage.all-media", "usage.sublicensable-transferable"} <= rules
    limit = next(f for f in r["findings"] if f["rule_id"] == "usage.purpose-limitation")
    assert limit["suggestion"]["revised"].endswith("solely for the project described in this Agreement.")


def test_english_concept_art_commission_in_its_own_words():
    """English drafting the patterns were not written from: an assignment "with full title guarantee
    of all present and future copyright", "may use, adapt, modify and exploit", "may license the
    Artworks to its affiliates and partners"; the work is plural ("them", not "it")."""
    doc = paras((HERE / "concept-art-commission.txt").read_text())
    r = run(doc)
    assert r["parties"] == {"provider": "Artist", "client": "Commissioner"} and r["work_term"] == "Artworks"
    assert {"ai.prohibition-missing", "ownership.assignment-no-carveout", "derivatives.ai-models",
            "usage.any-purpose", "usage.all-media", "usage.sublicensable-transferable",
            "remedies.injunctive-relief-missing", "remedies.liquidated-damages-missing",
            "remedies.audit-missing"} <= _rules(r)
    # the portfolio licence runs to the Artist and the confidentiality duty binds the Artist: not risks
    quiet = {p.id for p in doc if p.text.startswith(("4.1 After the Game", "5.1 The Artist shall keep"))}
    assert len(quiet) == 2
    assert not [f for f in r["findings"] if f.get("paragraph_id") in quiet]
    carveout = next(f for f in r["findings"] if f["rule_id"] == "ownership.assignment-no-carveout")
    # the assignment a freelancer's lawyer accepts: paid for, the final work, the creator's things left out
    assert carveout["suggestion"]["revised"].endswith(
        "throughout the universe, effective only upon payment in full of the fees, and only for the Artworks as "
        "finally delivered, excluding drafts, unused concepts and the Artist's pre-existing materials, tools, "
        "methods and know-how.")
    assert "who will have access to them?" in r["questions"][-1]
    _, again = apply_and_rerun(doc, r)
    assert [f["rule_id"] for f in again["findings"] if f["severity"] != "low"] == []


_CONTRACTS = sorted(HERE.glob("*.txt")) + sorted((SHARED / "corpus" / "contracts").glob("*.txt"))


def test_the_contracts_the_property_runs_on_are_all_there():
    """The glob above would shrink silently without ../shared: the property must not pass for less."""
    names = {p.name for p in _CONTRACTS}
    assert len([n for n in names if (HERE / n).exists()]) >= 8
    assert {"bonterms-professional-services-agreement.txt",
            "commonpaper-independent-contractor-agreement.txt"} <= names, sorted(names)


@pytest.mark.parametrize("party", PARTIES)
@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("path", _CONTRACTS, ids=lambda p: p.stem)
def test_every_contract_is_clean_after_applying_every_suggestion(path, profile, party):
    """Applying the suggestions clears their findings and creates none: our own inserted words
    ("excluding any artificial intelligence ... system") must not read as new risks; for either side."""
    doc = paras(path.read_text())
    first = run(doc, agency_risk=profile, party=party)
    _, again = apply_and_rerun(doc, first, agency_risk=profile, party=party)
    assert [f["rule_id"] for f in again["findings"]] == []
    assert again["score"]["value"] == 100


def test_content_writing_agreement_full_copyright_term_and_ai_use_in_other_words():
    """'for the full term of copyright, including all renewals' is a perpetual licence in effect;
    'to develop and improve ... its automated content tools' is a permission to train; liquidated
    damages and an audit that the Writer owes the Agency protect the Agency, not the Writer."""
    doc = paras((HERE / "content-writing-agreement.txt").read_text())
    r = run(doc)
    assert r["parties"] == {"provider": "Writer", "client": "Agency"} and r["work_term"] == "Content"
    rules = _rules(r)
    assert {"usage.perpetual-irrevocable", "ai.training-permission", "remedies.liquidated-damages-missing",
            "remedies.audit-missing"} <= rules
    perpetual = next(f for f in r["findings"] if f["rule_id"] in {"usage.perpetual-irrevocable", "usage.purpose-limitation"}
                     and f.get("suggestion", {}).get("revised"))
    assert "full term of copyright" not in perpetual["suggestion"]["revised"]
    # the Writer's own promise not to use AI writing tools is not an AI-training clause
    own_use = next(p.id for p in doc if "AI writing tools" in p.text)
    assert not [f for f in r["findings"] if f.get("paragraph_id") == own_use]


def test_voice_talent_digital_replica_permission_becomes_a_clean_prohibition():
    """The work is named in a definition of the form 'All sound recordings ... are the "Recordings"',
    not the project ("the Production"); a licence to 'create a digital replica of Performer's voice'
    is a permission to train, and turning it round also drops the dependent 'and may use such
    digital replica in future productions, provided that ...'."""
    doc = paras((HERE / "voice-talent-digital-replica.txt").read_text())
    r = run(doc)
    assert r["parties"] == {"provider": "Performer", "client": "Company"}
    assert r["work_term"] == "Recordings" and r["project_term"] == "Production"
    permission = next(f for f in r["findings"] if f["rule_id"] == "ai.training-permission")
    assert permission["suggestion"]["revised"] == (
        "4. Synthetic Performance. Company shall not use the Recordings to create a digital replica of Performer's voice.")
    # the Company's injunction protects the Company's exclusivity, not the Performer
    assert "remedies.injunctive-relief-missing" in _rules(r)
    missing = next(f for f in r["findings"] if f["rule_id"] == "ai.prohibition-missing")
    assert "the Recordings" in missing["suggestion"]["paragraphs"][0]["text"]


def test_protections_the_client_holds_do_not_count_as_the_freelancers():
    """Common Paper 5.4: 'Contractor recognizes that breach ... could cause irreparable harm for which
    monetary damages cannot adequately compensate Company. ... Company may seek ... an injunction':
    the first sentence names no beneficiary and takes its paragraph's. Bonterms 8.4: 'Upon request
    by Customer, Provider will timely provide such documentation': the requester holds the right."""
    common = run(paras((SHARED / "corpus" / "contracts" / "commonpaper-independent-contractor-agreement.txt").read_text()))
    assert "remedies.injunctive-relief-missing" in _rules(common)
    bonterms = run(paras((SHARED / "corpus" / "contracts" / "bonterms-professional-services-agreement.txt").read_text()))
    assert "remedies.audit-missing" in _rules(bonterms)
    # and the protections we insert, which name the freelancer, do count (see the fixpoint test)
    mutual = run(paras("1. The Designer grants the Agency a licence to use the Work Product solely for the Project.\n"
                       "2. Either party may seek injunctive relief to restrain a breach of this Agreement."))
    assert "remedies.injunctive-relief-missing" not in _rules(mutual)


def test_missing_ai_prohibition_message_is_true_when_the_contract_mentions_ai():
    r = run(paras((HERE / "content-writing-agreement.txt").read_text()))
    missing = next(f for f in r["findings"] if f["rule_id"] == "ai.prohibition-missing")
    assert "never mentions" not in missing["message"]
    assert missing["message"].startswith("Nothing in the contract forbids training AI on the Content.")


def test_clauses_inserted_after_lettered_items_take_the_next_free_letter():
    r = run(paras((HERE / "content-writing-agreement.txt").read_text()))
    inserted = [f["suggestion"]["paragraphs"][0]["text"] for f in r["findings"] if f["kind"] == "missing"]
    assert inserted[0].startswith("(e) ") and inserted[1].startswith("(f) ")
    # Bonterms 6.3(e) is followed by its own (f): the new paragraphs must not repeat it
    bonterms = run(paras((SHARED / "corpus" / "contracts" / "bonterms-professional-services-agreement.txt").read_text()))
    texts = [f["suggestion"]["paragraphs"][0]["text"] for f in bonterms["findings"] if f["kind"] == "missing"]
    assert texts and not any(t.startswith("(f) ") for t in texts)


def test_the_derivative_works_right_is_limited_once_with_the_licence_it_sits_in():
    """Bonterms 6.2(a): the right to "prepare derivative works of" sits inside the licence's list of
    rights. The purpose limit goes once at the licence's end, where both fixes put it, and the list
    stays whole; no AI proviso is added to the licence (one AI covenant per contract, issue 12)."""
    r = run(paras((SHARED / "corpus" / "contracts" / "bonterms-professional-services-agreement.txt").read_text()))
    revised = next(f["suggestion"]["revised"] for f in r["findings"] if f["rule_id"] == "derivatives.ai-models")
    assert revised.endswith("prepare derivative works of, and disclose Licensed Deliverables solely for the purposes "
                            "of the applicable SOW.")
    assert revised.count("solely for") == 1 and "machine learning" not in revised


def test_acting_for_the_client_the_inserted_clauses_name_the_client_even_when_the_contract_does_not():
    """Issue 10.9, the minimal case: with party=client and no party named, the retained-rights clause
    named the creator ("The Contractor retains ...") and re-review raised it again, roles swapped."""
    doc = [Paragraph("p0", "grant to HCI, a non-exclusive and non-transferable right to use MediaLinx")]
    first = run(doc, agency_risk="low", party="client")
    # whose side, then the other, in plain words: neither is a term the contract defines
    assert first["parties"] == {"provider": "client", "client": "creator"}
    retained = next(f for f in first["findings"] if f["rule_id"] == "ownership.retained-rights-missing")
    assert retained["suggestion"]["paragraphs"][0]["text"].startswith(
        "Retained Rights. The client retains all right, title and interest in the client's pre-existing materials")
    _, again = apply_and_rerun(doc, first, agency_risk="low", party="client")
    assert _rules(again) == set() and again["score"]["value"] == 100


def test_acting_for_the_client_when_only_the_creator_is_named():
    """The client licenses its own materials to the creator: the clauses bind the Designer."""
    doc = paras('Jo Park (the "Designer") will design the packaging.\n'
                "Acme grants the Designer a license to use the Brand Assets in print.")
    first = run(doc, party="client")
    assert first["parties"] == {"provider": "client", "client": "Designer"}
    ai = next(f for f in first["findings"] if f["rule_id"] == "ai.prohibition-missing")
    assert ai["suggestion"]["paragraphs"][0]["text"].startswith("Prohibition on AI Training. The Designer shall not")
    _, again = apply_and_rerun(doc, first, party="client")
    assert [f["rule_id"] for f in again["findings"] if f["severity"] != "low"] == []
    assert again["score"]["value"] >= 90


def test_an_edit_fix_covers_every_sentence_of_the_paragraph_that_raises_the_rule():
    """Issue 10.9: the purpose limit went into the first licence of a paragraph only; the second
    licence was flagged again on re-review."""
    doc = paras('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").\n'
                "4. The Designer grants the Agency a license to display the Work Product on its website. "
                "The Designer also grants the Agency a license to reproduce the Work Product in print.")
    first = run(doc)
    limit = next(f for f in first["findings"] if f["rule_id"] == "usage.purpose-limitation")
    assert limit["suggestion"]["revised"] == (
        "4. The Designer grants the Agency a license to display the Work Product on its website solely for the "
        "project described in this Agreement. The Designer also grants the Agency a license to reproduce the Work Product "
        "in print solely for the project described in this Agreement.")
    _, again = apply_and_rerun(doc, first)
    assert "usage.purpose-limitation" not in _rules(again)


def test_a_licence_for_the_sole_purpose_of_something_is_already_limited():
    doc = paras('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").\n'
                "The Designer grants the Agency a license to display the Work Product for the sole purpose of the launch event.")
    assert "usage.purpose-limitation" not in _rules(run(doc))


def test_a_suppressed_rule_still_fixes_the_sentences_the_other_fix_leaves_alone():
    """'for any purpose' is replaced by the project limit, which is why it suppresses the purpose
    limit on its paragraph; but the limit was then missing from the paragraph's other licence."""
    doc = paras('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").\n'
                "4. The Designer grants the Agency a license to use the Work Product for any purpose. "
                "The Designer also grants the Agency's clients a license to display the Work Product.")
    first = run(doc)
    limit = next(f for f in first["findings"] if f["rule_id"] == "usage.purpose-limitation")
    assert limit["suggestion"]["revised"].endswith(
        "for any purpose. The Designer also grants the Agency's clients a license to display the Work Product "
        "solely for the project described in this Agreement.")
    _, again = apply_and_rerun(doc, first)
    assert _rules(again) == set() and again["score"]["value"] == 100


def test_a_training_permission_becomes_a_whole_prohibition_when_nothing_else_will_be_one():
    """No licence, so no prohibition is inserted: the permission turned round is the contract's AI
    clause and must have every element, or re-review finds it incomplete. (A permission to "use the Work
    Product" is itself a licence of it (clauses/license-grant.toml): this one only lets the Agency feed
    the work into its models.)"""
    doc = paras('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").\n'
                "The Agency may feed the Work Product into its machine learning models.")
    first = run(doc)
    assert _rules(first) == {"ai.training-permission"}
    assert first["findings"][0]["suggestion"]["revised"] == (
        "The Agency shall not, and shall not permit any third party to, feed the Work Product into its machine "
        "learning models, including any generative AI. This restriction includes fine-tuning or developing any such system.")
    _, again = apply_and_rerun(doc, first)
    assert _rules(again) == set() and again["score"]["value"] == 100


def test_the_one_named_party_takes_the_role_its_acts_show():
    """Only 'Company' is defined, and it does the work for a party the contract never defines: it is
    the provider. Read as the client by its name, the clauses inserted for the client's side named
    the creator 'the Contractor', whose duties in them ('shall pay ... as liquidated damages') then
    turned the roles round on re-review."""
    doc = paras('This Development Agreement is made by Northfield Labs Inc. ("Company") for Brightwater Drinks.\n'
                '1. Company shall perform the development services and Company will create the recipes (the "Work Product").\n'
                "2. Company grants Brightwater Drinks a license to use the Work Product in the Products.")
    assert run(doc)["parties"] == {"provider": "Company", "client": "client"}
    for party in PARTIES:
        for profile in PROFILES:
            first = run(doc, agency_risk=profile, party=party)
            _, again = apply_and_rerun(doc, first, agency_risk=profile, party=party)
            assert again["parties"] == first["parties"], (party, profile)
            assert [f["rule_id"] for f in again["findings"] if f["severity"] != "low"] == [], (party, profile)


def test_the_ai_clarification_never_lands_between_a_sentence_and_the_list_it_introduces():
    """'... shall not apply to Information:' goes on in the items after it: a sentence appended
    there ran on into the list (and re-review read the joined sentence as a new risk)."""
    doc = paras('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").\n'
                "The Agency shall hold in confidence all Information disclosed by the Designer and shall not "
                "use it for any purpose whatsoever other than the Project, provided that this obligation "
                "shall not apply to Information:\n"
                "(a) that is or becomes public.")
    first = run(doc)
    fix = next(f for f in first["findings"] if f["rule_id"] == "confidentiality.ai-ingestion")
    revised = fix["suggestion"]["revised"]
    assert revised.startswith("For clarity, uploading, inputting or otherwise disclosing") and revised.endswith("to Information:")
    _, again = apply_and_rerun(doc, first)
    assert [f["rule_id"] for f in again["findings"] if f["severity"] != "low"] == []


def test_one_ai_clause_per_contract_the_covenant_not_a_second_sentence_in_confidentiality():
    """A contract that grants rights gets the AI covenant; its confidentiality clause is not given a
    second AI sentence (one more place to quarrel over, and in a mutual clause it binds the creator's
    own tools). A confidentiality agreement alone, which grants nothing, gets the clarification."""
    head = 'This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").\n'
    duty = "Each party shall hold the other party's Confidential Information in strict confidence."
    granted = run(paras(head + "The Designer grants the Agency a licence to use the Work Product.\n" + duty))
    assert {"ai.prohibition-missing"} <= _rules(granted)
    assert "confidentiality.ai-ingestion" not in _rules(granted)
    alone = run(paras(head + duty))
    assert "confidentiality.ai-ingestion" in _rules(alone)
    assert "ai.prohibition-missing" not in _rules(alone)


def test_the_derivative_works_proviso_is_not_read_back_as_an_ai_prohibition():
    """'..., provided that no machine learning model ... or training dataset is a derivative work'
    names training data; appended to a sentence that also says 'shall not', re-review took the
    sentence for an AI-training prohibition with gaps. And a ban on derivative works grants none."""
    head = 'This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").\n'
    doc = paras(head + "The Agency may create derivative works of the Work Product but shall not sublicense them.")
    first = run(doc)
    assert _rules(first) == {"derivatives.ai-models"}
    _, again = apply_and_rerun(doc, first)
    assert _rules(again) == set()
    ban = paras(head + "The Agency may not copy, distribute or create derivative works from the Designer's sketches.")
    assert _rules(run(ban)) == set()


def test_a_carve_out_for_a_party_whose_name_ends_in_s_counts_as_its_retained_rights():
    """'the Business' wrote its possessive 'the Business'', which the check for the provider's own
    retained materials did not read: re-review asked for retained rights the carve-out had given."""
    doc = paras('This Agreement is between Acme Ltd. (the "Company") and Turpin Labs (the "Business").\n'
                "The Business hereby assigns to the Company all right, title and interest in the Work Product.")
    first = run(doc)
    carveout = next(f for f in first["findings"] if f["rule_id"] == "ownership.assignment-no-carveout")
    assert carveout["suggestion"]["revised"].endswith(
        ", excluding drafts, unused concepts and the Business's pre-existing materials, tools, methods and know-how.")
    _, again = apply_and_rerun(doc, first)
    assert _rules(again) == set()
    # a drafter's own 'the Business' pre-existing materials' counts too
    own = paras('This Agreement is between Acme Ltd. (the "Company") and Turpin Labs (the "Business").\n'
                "The Business hereby assigns to the Company all right, title and interest in the Work Product, "
                "excluding the Business' pre-existing materials, tools, methods and know-how.")
    assert "ownership.retained-rights-missing" not in _rules(run(own))


def test_what_the_parties_do_is_read_over_the_whole_contract():
    """The roles were settled on the first ~40,000 characters only: grants after them did not count,
    and applying a suggestion early in the contract moved where that sample ended (the roles turned
    round on re-review of a real 100-page agreement)."""
    doc = ([Paragraph("p0", 'This Agreement is made by Northfield Labs Inc. ("Company") for Brightwater Drinks.')]
           + [Paragraph(f"f{i}", "The parties shall meet each quarter to review the schedule and the budget.") for i in range(600)]
           + [Paragraph("g1", "The Company hereby grants to Brightwater Drinks a license to use the Work Product."),
              Paragraph("g2", "The Company shall deliver the recipes, and the Company will create the labels.")])
    assert run(doc)["parties"] == {"provider": "Company", "client": "client"}


def test_a_fallback_answers_every_hit_of_its_finding_as_the_preferred_fix_does():
    """Two "without restriction" grants in one paragraph: the fallback is written at both (a fallback
    made at the first only left the second to be flagged again), and in words that fit after any of
    the rule's phrases ("without any restriction, but not to train ...")."""
    doc = paras('This Agreement is between Acme Ltd. (the "Agency") and Jo Park (the "Designer").\n'
                "The Agency may use the Designs without any restriction. The Agency may also use the Sketches "
                "without restriction or obligation.")
    first = run(doc)
    f = next(f for f in first["findings"] if f["rule_id"] == "usage.any-purpose")
    fallback = f["alternatives"][0]["revised"]
    assert fallback.count(", but not to train, fine-tune or develop any artificial intelligence") == 2
    swapped = [{**g, "suggestion": g["alternatives"][0]} if g is f else g for g in first["findings"]]
    from addin_server.engine.apply import apply_all
    again = run(apply_all(doc, swapped))
    assert "usage.any-purpose" not in _rules(again)


def test_a_lower_risk_profile_asks_for_less_not_only_scores_less():
    """Issue 12, item 8: the seed's profiles say how hard to push. Under "low" the ownership finding
    offers the fallback first (work for hire of the final, paid-for deliverables) with its own comment,
    and keeps the preferred fix as the stronger alternative; under "high" the preferred fix comes first.
    Losing ownership never ranks below an any-purpose clause, in any profile."""
    doc = paras(SEED_STANDARD)
    high = next(f for f in run(doc, agency_risk="high")["findings"] if f["rule_id"] == "ownership.work-made-for-hire")
    low = next(f for f in run(doc, agency_risk="low")["findings"] if f["rule_id"] == "ownership.work-made-for-hire")
    assert "are not works made for hire" in high["suggestion"]["revised"]
    assert "as finally delivered and paid for in full" in low["suggestion"]["revised"]
    assert low["alternatives"][0]["label"].startswith("Stronger position")
    assert "not works made for hire" in low["alternatives"][0]["revised"]
    assert low["comment"]["counterparty"] != high["comment"]["counterparty"]
    pb = default_playbook()
    for profile in ("high", "medium", "low"):
        for rid in ("ownership.work-made-for-hire", "ownership.assignment-no-carveout"):
            own, anyp = pb.by_id[rid].setting(profile), pb.by_id["usage.any-purpose"].setting(profile)
            order = {"high": 0, "medium": 1, "low": 2}
            assert (order[own.severity], -own.points) <= (order[anyp.severity], -anyp.points), (profile, rid)


def test_a_limit_two_fixes_add_side_by_side_is_written_once():
    """'for any purpose' becomes 'solely for the project', and the derivative-works fix adds the
    same limit before the full stop: the merged change says it once, not 'solely for the project
    ... solely for the project'."""
    r = run(paras(SAMPLE.read_text()))
    licence = next(f for f in r["findings"] if f["rule_id"] == "usage.any-purpose")
    assert "derivatives.ai-models" in {f["rule_id"] for f in r["findings"] if f["id"] in licence.get("covers", [])}
    revised = licence["suggestion"]["revised"]
    assert revised.count("solely for the project described in this Agreement") == 1, revised
    assert revised.endswith("solely for the project described in this Agreement.")
