"""Grants in plain language are grants (issue 11, item 4).

"You'll own the final designs", "copyright is automatically assigned to the Client", "all rights pass
to the Client on final payment": when such a grant goes unrecognised, no protection is required and a
risky contract scores well with no finding, a quiet all-clear. These are our own sentences, in the
drafting styles freelance contracts use (we/you, first person, role names, company names, passive),
with the look-alikes that must stay quiet: the creator keeping its own things, negations, the
client's own supplied material, a warranty of ownership, title to goods.
"""

import re

import pytest

from addin_server.engine.review import GRANT_TYPES, analyse
from addin_server.engine.terms import find_terms
from addin_server.playbook import default_playbook
from tests.helpers import apply_and_rerun, paras, run

# a few lines that name the sides the way each style does, and grant nothing
PREAMBLES = {
    "role": ('This Agreement is between Jane Roe ("Designer") and Acme Media Inc. (the "Client").\n'
             "The Designer will design a logo and a set of icons for the Client.\n"
             "The Client will pay the Designer within 30 days of each invoice."),
    "company": ('This Agreement is between Sam Lee ("Contractor") and Northwind Foods Inc. (the "Company").\n'
                "The Contractor will write product copy for the Company.\n"
                "The Company will pay the Contractor within 30 days of each invoice."),
    "we": ("We will design your website. We will deliver the files to you within 14 days.\n"
           "You will pay us 50% before we start and the rest on delivery.\n"
           "We will send you two rounds of drafts for your comments."),
    "I": ("I, the illustrator, will draw the cover art described below for you.\n"
          "You will pay me within 30 days of my invoice.\n"
          "I will send you sketches before I start the final art."),
    "names": ('This agreement is between Pixel Owl Studio Ltd ("Pixel Owl") and Brightway Foods Inc. ("Brightway").\n'
              "Pixel Owl will design the packaging for Brightway's new range and deliver the files.\n"
              "Brightway will pay Pixel Owl the fee within 30 days of each invoice."),
}

GRANTS = [
    ("role", "Copyright in the Deliverables is automatically assigned to the Client when the final invoice is paid."),
    ("role", "The Client will own all rights in the Deliverables."),
    ("role", "All rights in the logo pass to the Client on final payment."),
    ("role", "The finished icons become the property of the Client once the fee has been paid."),
    ("role", "The Client shall own the copyright in the icons from the date of delivery."),
    ("role", "Upon payment in full, all intellectual property in the Deliverables shall be transferred to the Client."),
    ("role", "The rights in the designs are assigned to the Client automatically on completion."),
    ("role", "When the last payment clears, copyright in the work will automatically be assigned to the Client."),
    ("company", "The product copy written under this Agreement shall belong exclusively to the Company."),
    ("we", "You will own the final designs once the last invoice is paid."),
    ("we", "You own the graphics we create for you under this agreement."),
    ("we", "Ownership of the website design transfers to you upon payment in full."),
    ("we", "Once the project is finished, we license its use to you for your business."),
    ("I", "Once you have paid me in full, you will own the copyright in the cover art I draw for you."),
    ("I", "The copyright in everything I draw for this project passes to you when my final invoice is paid."),
    ("names", "Brightway will own the packaging designs that Pixel Owl produces."),
    ("names", "Copyright in the packaging artwork vests in Brightway as soon as it is created."),
    # the present tense, no modal: an assignment made by saying it
    ("role", "The Designer assigns to the Client all copyright in the icons."),
    ("I", "On payment of my final invoice, I assign to you all right, title and interest in the cover art."),
    # leave given in the passive, the grantor named after the verb: the subject receives it
    ("role", "The Client is hereby granted permission by the Designer to reproduce the icons on its packaging."),
    # the work licensed for a use, in the passive; leave to use it, in two verbs or "can"
    ("role", "The final icons are licensed for the Client's internal use only."),
    ("I", "You may print/use the cover art for personal use as long as I am credited."),
    ("we", "You can use the photos we take on your website and social media."),
    # a share of the rights, assigned "in and to" the work; the work as the property of a role in lower case
    ("names", "Pixel Owl hereby irrevocably and exclusively assigns to Brightway fifty percent (50%) of the rights in and to the packaging designs."),
    ("company", "All product copy written by the Contractor under this Agreement shall be the sole and exclusive property of the Company."),
    ("we", "Upon final payment, the client owns the finished website design."),
]

LOOKALIKES = [
    ("we", "We will own the templates and tools we used before this project."),
    ("we", "We will own the final designs."),  # the creator keeps the work: nothing granted
    ("role", "The Designer will own all rights in the Deliverables."),
    ("role", "The Client will own nothing in the Deliverables until the final payment is made."),
    ("role", "The Designer retains ownership of all drafts and unused concepts."),
    ("role", "Copyright in the logo does not pass to the Client under this Agreement."),
    ("role", "The Client owns the content it supplies for the website."),
    ("role", "The Client warrants that it owns or has the right to use all materials it gives the Designer."),
    ("role", "Title to the printed brochures passes to the Client on delivery."),
    ("role", "Nothing in this Agreement transfers ownership of the Designer's fonts or software to the Client."),
    ("role", "The Client's logo and brand guidelines belong to the Client."),
    ("role", "The Client will own all elements of text, images and data provided, unless they come from elsewhere."),
    ("we", "You own the photos and text you send us."),
    ("we", "Ownership of the designs will never pass to you."),
    ("I", "I will keep the copyright in my sketches, source files and working methods."),
    ("names", "Pixel Owl keeps all rights in the sketches it prepares."),
    ("company", "The Contractor will own the research notes it makes for its own use."),
    # money assigned, not rights: a percentage of the fees
    ("role", "The Designer may assign to its bank fifteen percent (15%) of all amounts due under this Agreement."),
]


def _doc(style: str, sentence: str):
    return paras(PREAMBLES[style] + "\n" + sentence)


def _grant_read(doc) -> list[tuple[set[str], str | None]]:
    """(grant types, beneficiary) of each sentence of the last paragraph that carries a grant type."""
    pb = default_playbook()
    terms = find_terms([(p.id, p.text) for p in doc])
    terms.act_for("provider")
    last = analyse(doc, pb, terms)[-1]
    return [(s.types & GRANT_TYPES, s.beneficiary) for s in last.sentences if s.types & GRANT_TYPES]


@pytest.mark.parametrize("style", sorted(PREAMBLES))
def test_a_preamble_grants_nothing_and_asks_for_an_ip_clause(style):
    """Each preamble engages the creator to make work and is silent on IP. Nothing is granted, so
    nothing risky is flagged; but the client takes the licence the law implies, of no stated scope,
    so the review asks for an express clause (with the AI covenant), and applying it clears that."""
    doc = paras(PREAMBLES[style])
    assert not _grant_read(doc)
    result = run(doc)
    assert not [f["rule_id"] for f in result["findings"] if f["kind"] != "missing"]
    rules = {f["rule_id"] for f in result["findings"]}
    assert {"ownership.ip-terms-missing", "ai.prohibition-missing"} <= rules, rules
    assert 60 <= result["score"]["value"] < 90
    _, again = apply_and_rerun(doc, result)
    left = {f["rule_id"] for f in again["findings"]}
    assert not left & {"ownership.ip-terms-missing", "ai.prohibition-missing"}, left


@pytest.mark.parametrize("style,sentence", GRANTS, ids=[s[:50] for _, s in GRANTS])
def test_a_plain_language_grant_is_a_grant(style, sentence):
    doc = _doc(style, sentence)
    read = _grant_read(doc)
    assert read and all(b != "provider" for _, b in read), read
    result = run(doc)
    rules = {f["rule_id"] for f in result["findings"]}
    # the contract now grants rights and is silent on AI: the protections are required, and it is never
    # scored as protected (how far below depends on what the grant gives away: engine/exposure.py)
    assert "ai.prohibition-missing" in rules, rules
    assert result["score"]["value"] < 90


ASSIGNMENTS = [g for g in GRANTS if not re.search(r"licen|permission|\b(?:may|can)\b", g[1])]


@pytest.mark.parametrize("style,sentence", ASSIGNMENTS, ids=[s[:50] for _, s in ASSIGNMENTS])
def test_a_plain_language_assignment_is_flagged_where_it_is_and_the_fix_clears_it(style, sentence):
    doc = _doc(style, sentence)
    first = run(doc)
    here = [f for f in first["findings"] if f["paragraph_id"] == doc[-1].id]
    assert any(f["rule_id"] == "ownership.assignment-no-carveout" for f in here), first["findings"]
    _, again = apply_and_rerun(doc, first)
    assert not [f["rule_id"] for f in again["findings"] if f["severity"] != "low"]
    assert again["score"]["value"] >= 90


@pytest.mark.parametrize("style,sentence", LOOKALIKES, ids=[s[:50] for _, s in LOOKALIKES])
def test_a_look_alike_grants_nothing(style, sentence):
    doc = _doc(style, sentence)
    assert all(b == "provider" for _, b in _grant_read(doc))
    result = run(doc)
    assert result["score"]["value"] == 100, result["findings"]


@pytest.mark.parametrize("sentence", [
    "Neither party may assign this Agreement without the other's written consent.",
    "The Client may not assign its rights or obligations under this Agreement.",
    "The Designer shall have the right to assign all payments due under this Agreement to a bank.",
])
def test_a_clause_on_assigning_the_agreement_assigns_no_work(sentence):
    assert not _grant_read(_doc("role", sentence))


def test_a_duty_about_personal_data_is_no_ip_clause():
    """"I will not use any personal information ... other than as required to draw the cover art" limits
    the creator's use of the client's data: the contract still says nothing of who owns the work, so
    the review still asks for the IP clause (it once read the limit as the contract's IP terms and gave
    a quiet all-clear)."""
    doc = _doc("I", "I will not use any personal information you give me for any use other than as required to draw the cover art.")
    rules = {f["rule_id"] for f in run(doc)["findings"]}
    assert {"ownership.ip-terms-missing", "ai.prohibition-missing"} <= rules, rules


# our own "we/you" design contract: it hands over copyright on final payment and says nothing of AI
WE_YOU_CONTRACT = """Website design agreement
We will design and build a five-page website for your bakery. We will deliver the finished site within six weeks.
You will pay us half of the fee before we start and the other half on launch.
1. Revisions
We include two rounds of changes. Further changes are charged at our day rate.
2. Copyright
Once your final payment has cleared, the copyright in the website we create for you passes to you, and you will own the final designs.
3. Credit
We may show the finished website in our portfolio.
4. Termination
Either of us may end this agreement with 14 days' written notice."""


def test_a_we_you_contract_that_hands_over_copyright_on_payment_is_not_scored_safe():
    doc = paras(WE_YOU_CONTRACT)
    first = run(doc)
    assert first["parties"] == {"provider": "we", "client": "you"}
    rules = {f["rule_id"] for f in first["findings"]}
    assert "ai.prohibition-missing" in rules
    # a freelancer's own form (on final payment, the final designs): friendly, but not safe
    assert first["score"]["value"] < 90
    grant = next(p for p in doc if "copyright in the website" in p.text)
    assert any(f["paragraph_id"] == grant.id and f["rule_id"] == "ownership.assignment-no-carveout"
               for f in first["findings"])
    # the new AI clause goes into the copyright section, in the contract's own voice
    missing = next(f for f in first["findings"] if f["rule_id"] == "ai.prohibition-missing")
    assert missing["suggestion"]["insert_after"] == grant.id
    assert missing["suggestion"]["paragraphs"][0]["text"].lower().count("you") >= 1
    _, again = apply_and_rerun(doc, first)
    assert not [f["rule_id"] for f in again["findings"] if f["severity"] != "low"], again["findings"]
    assert again["score"]["value"] >= 90


def test_the_frame_vocabulary_is_checked_when_it_loads(tmp_path):
    from addin_server.playbook import PlaybookError, load_fragments
    path = tmp_path / "grants.toml"
    path.write_text("[[fragment]]\nid = \"a\"\npattern = '''<<nope>>'''\nexamples = [\"x\"]\n")
    with pytest.raises(PlaybookError, match="unknown fragment"):
        load_fragments(path)
    path.write_text("[[fragment]]\nid = \"a\"\npattern = '''designs'''\nexamples = [\"the logo\"]\n")
    with pytest.raises(PlaybookError, match="does not match its example"):
        load_fragments(path)
    path.write_text("[[fragment]]\nid = \"a\"\npattern = '''x<<a>>'''\nexamples = [\"x\"]\n")
    with pytest.raises(PlaybookError, match="refers to itself"):
        load_fragments(path)


def test_an_assignment_that_lists_what_it_leaves_out_keeps_those_things():
    # "excluding:" and one excluded thing per line: the carve-out is part of the assignment
    text = ("The Developer will build the Client's booking website.\n"
            "Upon full payment of all fees, the Client will own all custom code and designs created specifically for this project, excluding:\n"
            "Pre-existing Developer tools, libraries, or frameworks\n"
            "Third-party plugins\n"
            "The Developer's general knowledge and methodologies\n"
            "The Client shall pay the Developer within 14 days of each invoice.")
    rules = {f["rule_id"] for f in run(paras(text))["findings"]}
    assert "ownership.assignment-no-carveout" not in rules
    assert "ownership.retained-rights-missing" not in rules


def test_a_right_the_creator_keeps_is_not_a_licence_to_the_client():
    # the creator's own perpetual portfolio right, as a lead-in to its list: the patterns give the
    # lead-in no clause type of its own, and it is still the creator's right
    text = ("The Developer will build the Client's booking website and the Client shall pay the fees.\n"
            "The Developer retains the perpetual, irrevocable, worldwide right to:\n"
            "Display the completed project in online portfolios\n"
            "Publish screenshots of the work")
    found = [f for f in run(paras(text))["findings"] if f["rule_id"] == "usage.perpetual-irrevocable"]
    assert not found


def test_an_assignment_to_the_client_with_a_licence_back_is_read_both_ways():
    # one sentence: ownership to the commissioner, then a licence back to the artist
    text = ('This Agreement is between Jo Park (the "Artist") and the person ordering the commission (the "Commissioner").\n'
            "The Artist will paint the portrait and the Commissioner shall pay the fee.\n"
            "If no other terms are agreed, all intellectual property rights in the Artwork will be assigned to the "
            "Commissioner, and the Commissioner hereby grants a worldwide licence to the Artist to display the Artwork in the Artist's portfolio.")
    doc = paras(text)
    first = run(doc)
    fix = next(f for f in first["findings"] if f["rule_id"] == "ownership.assignment-no-carveout")
    revised = fix["suggestion"]["revised"]
    # the limits go at the end of the assignment's own clause, not after the licence back
    assert revised.index("effective only upon payment") < revised.index("and the Commissioner hereby grants")
    _, again = apply_and_rerun(doc, first)
    assert "ownership.assignment-no-carveout" not in {f["rule_id"] for f in again["findings"]}


def test_the_ip_clause_a_silent_contract_needs_goes_before_its_signature_block():
    doc = paras(PREAMBLES["I"] + "\nEither of us may end this contract with 14 days' notice.\n"
                "Signatures\nSigned by the illustrator:\nSigned by the client:\nDate:")
    result = run(doc)
    inserts = {f["suggestion"]["insert_after"] for f in result["findings"] if f["suggestion"]["type"] == "insert"}
    notice = next(p.id for p in doc if "14 days" in p.text)
    assert inserts == {notice}


def test_a_contract_that_speaks_of_ip_in_words_no_clause_reads_is_not_silent():
    # the client is to own nothing until paid: the contract addresses ownership, if oddly
    doc = paras(PREAMBLES["role"] + "\nThe Client will own nothing in the Deliverables until the final payment is made.")
    assert "ownership.ip-terms-missing" not in {f["rule_id"] for f in run(doc)["findings"]}
