"""Parties and the work in every drafting style (issue 11, build item 3).

Our own example contracts, one per drafting pattern; each named error of the first-try measurement
(docs/accuracy.md, "Parties and the work, first try") has a regression test here that failed before
the change."""

import pytest

from addin_server.engine.terms import Party, find_terms
from addin_server.playbook.parties import LexiconError, parse, party_lexicon
from tests.helpers import PARTIES, apply_and_rerun, paras, run


def terms_of(text: str):
    return find_terms([(f"p{i}", line) for i, line in enumerate(text.splitlines()) if line.strip()])


def sides(text: str) -> tuple[str | None, str | None]:
    t = terms_of(text)
    return (t.provider.term if t.provider else None, t.client.term if t.client else None)


def assert_read(text: str, parties: tuple[str, str], work: str) -> None:
    """The contract's sides are read as ``parties`` (provider, client) and its work as ``work``."""
    t = terms_of(text)
    assert (t.provider.term, t.client.term) == parties
    assert t.work == work and t.work_known


# --- named errors of the first try ----------------------------------------------------------------

def test_a_client_defined_by_its_company_name_is_found_and_is_not_the_work():
    text = ('This Agreement is between Acme Studios LLC, a Delaware limited liability company ("Acme"), and '
            'Jo Park, an individual ("Artist").\n'
            "Artist shall create the illustrations described in Schedule A (the \"Illustrations\").\n"
            "Artist hereby assigns to Acme all right, title and interest in the Illustrations.\n"
            "Acme shall pay Artist the fee within 30 days.")
    assert_read(text, ("Artist", "Acme"), "Illustrations")


def test_two_companies_named_only_by_their_names_take_their_sides_from_what_they_do():
    text = ('This Agreement is made by and between Northwind Media Inc., a Delaware corporation ("Northwind"), '
            'and Blue Fox Ltd, a company registered in England ("Blue Fox").\n'
            "Blue Fox shall design and deliver the Deliverables. Blue Fox hereby grants Northwind a licence to use "
            "the Deliverables.\nNorthwind shall pay Blue Fox the fees.")
    assert sides(text) == ("Blue Fox", "Northwind")


def test_a_work_defined_with_words_inside_the_brackets_is_the_work():
    text = ('This Agreement is between Acme Ltd. (the "Client") and Jo Park (the "Illustrator").\n'
            "The Illustrator will create ten drawings for the book (together with all sketches and versions, "
            'the "Plates").\nThe Illustrator hereby assigns to the Client the copyright in the Plates.')
    assert terms_of(text).work == "Plates"


def test_a_term_defined_as_a_whole_category_is_not_the_work():
    text = ('This Agreement is between Acme Ltd. (the "Client") and Jo Park (the "Developer").\n'
            '"Software" means any computer program, in source or object code, of any kind.\n'
            'The Developer will build a booking app for the Client (the "App").\n'
            "The Developer shall not install any Software on the Client's systems without consent.\n"
            "The Developer hereby assigns to the Client all rights in the App, including any Software in it.\n"
            "The Developer shall deliver the App and any Software it needs by 1 May.")
    assert terms_of(text).work == "App"


def test_the_article_written_inside_the_quotes_is_not_part_of_the_name():
    text = ('This Agreement is between Jo Park (“The Designer”), and Acme Ltd (“The Client”).\n'
            "The Client is hiring the Designer to design an app. The Designer will deliver the designs.")
    t = terms_of(text)
    assert (t.provider.term, t.client.term) == ("Designer", "Client")
    assert t.provider.ref == "the Designer" and t.client.Ref == "The Client"


def test_the_platform_name_defined_with_we_and_us_is_one_side_and_you_the_other():
    text = ('Streamly Inc. ("Streamly", "we" or "us") provides the Service to you.\n'
            "By uploading content you grant us a worldwide licence to host and display your content.\n"
            "We may remove your content at any time. You retain ownership of your content.\n"
            "If you breach these terms, we may seek injunctive relief.")
    t = terms_of(text)
    assert t.provider.term == "you" and t.client.pronoun is not None and t.client.pronoun.subject == "we"
    assert "streamly" in t.aliases and t.aliases["us"] == "client"


def test_the_platforms_own_injunctive_remedy_is_not_the_creators_protection():
    """Kick's own remedy was counted as the streamer's protection: the parties were not found."""
    doc = paras('These terms form an agreement between you ("you" or "Streamer") and Streamly Pty Ltd '
                '("Company", "Streamly", "Us" or "Our").\n'
                "The Streamer hereby grants Streamly an exclusive, perpetual, worldwide licence to the content the "
                "Streamer creates.\n"
                "If the Streamer breaches these terms, Streamly may seek injunctive relief.")
    body = run(doc)
    assert body["parties"]["provider"] == "Streamer" and body["parties"]["client"] == "Streamly"
    assert "remedies.injunctive-relief-missing" in {f["rule_id"] for f in body["findings"]}


# --- more drafting styles -------------------------------------------------------------------------

def test_hereinafter_without_quotes_names_a_party():
    text = ("TRANSPORT AGREEMENT between NORDOIL S.A., hereinafter NORDOIL, and Baltic Freight Ltd, hereinafter "
            'referred to as the "Shipper".\nNORDOIL shall transport the crude delivered by the Shipper.\n'
            "The Shipper shall pay NORDOIL the tariff.")
    assert sides(text) == ("NORDOIL", "Shipper")


def test_party_a_and_party_b_labels_are_the_parties():
    text = ("Cooperation Agreement\nParty A: Dazzle Network Co., Ltd.\nParty B: Shenzhen Games Co., Ltd.\n"
            "Party B shall provide the games. Party A shall pay Party B the revenue share.")
    assert set(sides(text)) == {"Party A", "Party B"}
    assert sides(text)[0] == "Party B"


def test_bracketed_placeholders_with_a_role_word_name_the_sides():
    text = ("This Agreement is made between [CLIENT COMPANY] and [DESIGNER NAME].\n"
            "The designer will create the logo and deliver it. The client will pay the fee.")
    assert sides(text) == ("Designer", "Client")


def test_a_first_person_freelancer_contract_is_read_in_the_first_person():
    text = ("I, the developer, will build and deliver the app described below to you.\n"
            "I will deliver the code within 30 days. You will pay me the fee within 14 days of my invoice.\n"
            "I grant you a licence to use the code once you have paid.")
    t = terms_of(text)
    assert t.provider.term == "I" and t.client.term == "you"
    assert t.provider.Ref == "I" and t.provider.ref == "me" and t.provider.possessive == "my"


def test_the_undersigned_is_a_side_when_one_other_party_is_named():
    text = ('This release is given to Acme Media Inc., a Delaware corporation ("Acme").\n'
            "The undersigned hereby grants Acme the right to use the Photographs in its catalogue.\n"
            "The undersigned agrees to deliver the Photographs by 1 May.")
    t = terms_of(text)
    assert t.client.term == "Acme" and t.provider.term == "undersigned" and t.provider.ref == "the undersigned"


def test_a_freelancers_we_contract_makes_we_the_provider():
    text = ("We will design your website. We will deliver the files to you within 14 days.\n"
            "You will pay us 50% before we start. Once you have paid in full, you own the graphics we create.\n"
            "We keep the right to show the work in our portfolio.")
    t = terms_of(text)
    assert t.provider.term == "we" and t.client.term == "you"


def test_a_named_role_word_alone_still_names_a_side():
    assert sides("The Agency may audit the Designer's records once a year.") == ("Designer", "Agency")


def test_a_companys_own_materials_are_not_the_work():
    text = ('This Agreement is between Acme Ltd. (the "Company") and Jo Park (the "Contractor").\n'
            'The Company owns its logos and brand assets (the "Company Materials").\n'
            "The Company grants the Contractor a licence to use the Company Materials for the project.\n"
            'The Contractor shall deliver the mock-ups (the "Mockups") and hereby assigns all rights in the Mockups '
            "to the Company.")
    assert terms_of(text).work == "Mockups"


# --- suggestions speak in the contract's voice ----------------------------------------------------

WE_YOU = ("StreamHub Terms\n"
          "These terms are between you and StreamHub (\"we\", \"us\" or \"our\").\n"
          "By uploading content you grant us a perpetual, irrevocable, worldwide licence to use, copy and "
          "sublicense your content for any purpose.\n"
          "We may use your content to train our machine learning models.\n"
          "You must not upload content you do not own.")


def test_suggestions_in_a_we_you_contract_use_its_pronouns_and_name_no_one_else():
    body = run(paras(WE_YOU))
    texts = []
    for f in body["findings"]:
        s = f.get("suggestion") or {}
        texts += [s.get("revised") or "", s.get("text") or "", f.get("message") or ""]
    joined = " ".join(texts)
    assert body["parties"]["provider"] == "you"
    for stranger in ("the Client", "The Client", "the Contractor", "The Contractor", "the Company"):
        assert stranger not in joined, stranger
    assert "You retains" not in joined and "us shall" not in joined and "you is" not in joined
    assert any(p in joined for p in ("We shall not", "we shall not", "You retain", "you retain"))


@pytest.mark.parametrize("party", PARTIES)
def test_a_we_you_contract_is_clean_after_every_suggestion(party):
    doc = paras(WE_YOU)
    first = run(doc, party=party)
    _, again = apply_and_rerun(doc, first, party=party)
    assert [f["rule_id"] for f in again["findings"] if f["severity"] != "low"] == []
    assert again["parties"] == first["parties"]


def test_agreement_mends_verbs_after_pronouns():
    t = terms_of(WE_YOU)
    assert t.agree("The parties agree that us shall not use it. You retains all rights; you is entitled "
                   "to relief. If us or any third party breaches, we shall pay you.") == (
        "The parties agree that we shall not use it. You retain all rights; you are entitled "
        "to relief. If we or any third party breaches, we shall pay you.")
    assert t.agree("Payment to us is due.") == "Payment to us is due."


def test_names_are_left_alone_by_agreement():
    t = terms_of('This Agreement is between Acme Ltd. (the "Client") and Jo Park (the "Designer").')
    assert t.agree("The Designer retains all rights.") == "The Designer retains all rights."


def test_acting_for_the_client_swaps_a_pronoun_side_with_its_voice():
    t = terms_of(WE_YOU)
    t.act_for("client")
    assert t.provider.term == "we" and t.provider.role == "provider" and t.provider.voiced
    assert t.client.term == "you"


def test_a_we_contract_never_invents_a_client():
    t = terms_of("We will design the logo. We will deliver it within 10 days. We may show it in our portfolio.")
    assert t.party("client").term == "you"
    assert isinstance(t.party("client"), Party)


# --- the lexicon ----------------------------------------------------------------------------------

def test_the_lexicon_loads_and_every_pronoun_set_declines():
    lex = party_lexicon()
    assert {p.id for p in lex.pronouns} == {"first_plural", "first_singular", "second"}
    assert lex.pronoun("US") is None and lex.pronoun("Us").id == "first_plural"
    assert lex.pronoun("i") is None and lex.pronoun("I").id == "first_singular"


def test_a_lexicon_entry_without_examples_is_refused_with_its_name():
    import tomllib

    from addin_server.playbook.parties import LEXICON
    data = tomllib.loads(LEXICON.read_text(encoding="utf-8"))
    del data["roles"]["provider"]["examples"]
    with pytest.raises(LexiconError, match=r"parties\.toml: \[roles\.provider\]"):
        parse(data)


def test_a_lexicon_pattern_no_example_shows_is_refused():
    import tomllib

    from addin_server.playbook.parties import LEXICON
    data = tomllib.loads(LEXICON.read_text(encoding="utf-8"))
    data["acts"]["client"]["patterns"].append(r"\bbequeaths\b")
    with pytest.raises(LexiconError, match=r"\[acts\.client\]: no example matches"):
        parse(data)


def test_a_work_named_with_a_possessive_takes_no_article():
    text = ('These terms are between you and Hostly ("we" or "us").\n'
            'You keep ownership of what you upload (together with its metadata, "Your Content").\n'
            "You grant us a licence to host Your Content. You grant us a licence to display Your Content.")
    t = terms_of(text)
    assert t.work == "Your Content" and t.work_ref == "Your Content"


def test_us_in_capitals_and_the_i_of_a_list_are_not_parties():
    from addin_server.engine.direction import beneficiary
    t = terms_of(WE_YOU)
    assert beneficiary("Under US law (i) the licence is granted to US Holdings.", t) is None
    assert beneficiary("You grant us a licence to your content.", t) == "client"


def test_a_licence_given_in_plain_words_goes_to_the_party_after_the_verb():
    from addin_server.engine.direction import beneficiary
    t = terms_of(WE_YOU)
    assert beneficiary("You give us (and those we work with) a worldwide licence to host your content.", t) == "client"
    assert beneficiary("We give you a personal, non-exclusive licence to use the app.", t) == "provider"
    # "give" that gives no licence is no grant
    assert beneficiary("You give us notice of any claim.", t) is None


# --- the held-out agreements of 2026-12-02 (docs/accuracy.md): their patterns, in our own words ----

def test_a_you_contract_whose_writer_says_i_is_read_in_the_first_person_singular():
    # no "I, the developer" opening: the writer simply speaks as "I" and "me" far more than as "we"
    text = ("How this works\n"
            "I design and build your website, and you pay me for each stage as I finish it.\n"
            "I will send you a draft of every page, and you tell me what to change.\n"
            "You own the photographs and copy you give me. I own the code I write, and I license it to you "
            "for use on the site named in the quote.\n"
            "If you want me to add pages later, I will quote them separately; our first meeting is free.")
    provider, client = sides(text)
    assert (provider, client) == ("I", "you")


def test_a_name_used_only_as_a_party_is_never_the_work():
    # a side the preamble never defines as a party ("Karya" in a platform's terms): it takes no article
    # and receives the grants, so it is a party's name, not the work
    text = ('This Agreement ("Agreement") is accepted by the contributor below ("You").\n'
            '("Brightwell").\n'
            '"Submission" means any image or recording You upload to Brightwell.\n'
            "Your Submissions are works made for hire. You assign to Brightwell all right, title and "
            "interest in the Submissions.\nBrightwell shall pay You for each accepted Submission.")
    assert terms_of(text).work != "Brightwell"


def test_inserted_clauses_call_the_contract_what_it_calls_itself():
    # a plain-English contract that says "this contract" and never "Agreement": a clause citing "this
    # Agreement" names a document it does not have
    text = ("We will design a logo for you, and you will pay us the fee in this contract.\n"
            "When you pay the final invoice, you will own the logo we design for you.\n"
            "Either of us may end this contract with 14 days' notice; this contract is governed by the laws of Ohio.")
    r = run(paras(text))
    inserted = " ".join(p["text"] for f in r["findings"] if f["suggestion"]["type"] == "insert"
                        for p in f["suggestion"]["paragraphs"])
    assert inserted and "this contract" in inserted and "Agreement" not in inserted


def test_a_side_introduced_by_its_role_with_its_name_in_brackets():
    # a parties block that gives each side its role and then its name, unquoted ("Client (Northwind
    # Audio Inc.)"), and a two-word role ("Voice Actor") the contract uses throughout
    text = ("Parties:\n1. Client (Northwind Audio Inc.)\n2. Voice Actor (Talent)\n"
            "Voice Actor agrees to record the scripts provided by Northwind Audio.\n"
            "Northwind Audio will pay Voice Actor the session fee.\n"
            "Voice Actor hereby assigns to Northwind Audio all right, title and interest in the Recordings.")
    t = terms_of(text)
    assert t.provider.term == "Voice Actor" and "Talent" in t.provider.names
    assert t.client.term == "Northwind Audio" and {"Client", "Northwind Audio Inc."} <= set(t.client.names)
    assert t.aliases["northwind audio"] == "client" and t.aliases["voice actor"] == "provider"


def test_a_work_the_contract_never_names_is_called_what_the_creator_calls_it():
    """'I' speaking of 'my fonts' twice: suggestions say 'my fonts', not 'the deliverables'; it is no
    defined term, so work_term stays unset. Once is not enough, and 'my work' is as often the job."""
    body = ("I grant you a licence to use my fonts.\n"
            "You can modify my fonts, but you may not resell them.\n"
            "I will do my work on weekdays.")
    result = run(paras(body))
    covenant = next(f for f in result["findings"] if f["rule_id"] == "ai.prohibition-missing")
    assert "use my fonts or any part of them to train" in covenant["suggestion"]["paragraphs"][0]["text"]
    assert result["work_term"] is None
    once = run(paras("I grant you a licence to use my fonts.\nYou may use them for any purpose."))
    text = next(f for f in once["findings"] if f["rule_id"] == "ai.prohibition-missing")["suggestion"]["paragraphs"][0]["text"]
    assert "the deliverables" in text


# --- the held-out agreements of 2026-12-03 (set 10): their patterns, in our own words -------------

def test_a_side_the_contract_writes_in_lower_case_is_named_as_written():
    # defined only for the photographer; the other side is "the client" throughout, and a title's
    # "Delivery and Business" names no one
    text = ("General Terms of Delivery and Business\n"
            "These terms apply to every order given to Mira Sol (from now on referred to as the photographer).\n"
            + "\n".join(f"The client shall review delivery {i} within a week and the client shall pay on time." for i in range(3))
            + "\nThe photographer grants the client a simple right of use in the photographs.")
    t = terms_of(text)
    assert t.client is not None and t.client.term == "client"
    assert t.aliases["client"] == "client"
    # four uses are not enough to outweigh the contract's own capitalised role word
    few = terms_of("The Customer shall pay the invoice.\nThe Customer may use the logo.\n"
                   "The customer and the customer's staff will review it.")
    assert few.client.term == "Customer"


def test_the_blanks_of_a_template_give_no_party_a_voice():
    text = ("Licensor: [Your Name or Your Entity Name]\n"
            "Licensee: [The individual or entity using the song]\n"
            "Grant of License\n"
            'The Licensor grants the Licensee a non-exclusive licence to use the song titled "[Your Song Title]" (the "Song").\n'
            "The Licensee shall not create derivative works of the Song without the Licensor's consent.")
    assert_read(text, ("Licensor", "Licensee"), "Song")


def test_another_name_of_the_agreement_is_never_the_work():
    text = ('This Sync Licence Agreement ("License" or "Agreement") is made between Ember Music LLC ("Licensor") '
            'and the licensee named below ("Licensee").\n'
            '"Track" means the sound recording licensed hereunder.\n'
            "Licensor grants Licensee a licence to use the Track in the Project under this License.\n"
            "Licensor shall deliver the Track and the License to Licensee on payment.\n"
            "Licensor grants Licensee the License for the Term.")
    t = terms_of(text)
    assert t.work == "Track"


def test_rights_that_pass_by_themselves_go_to_the_party_named_after_the_verb():
    from addin_server.engine.direction import beneficiary
    t = terms_of("The Voice Actor records the scripts for the Client.\nThe Client pays the Voice Actor.")
    assert beneficiary("Upon delivery of the voice work to the Client, all intellectual property rights in the "
                       "work automatically transfer to and become the exclusive property of the Client.", t) == "client"
    # a right to act is no subject that passes: the grantor is still the one named before it
    assert beneficiary("The Client shall have the right to assign the licence to the Voice Actor.", t) == "provider"


def test_a_section_title_in_brackets_and_a_heading_noun_are_no_grant():
    from addin_server.engine.direction import _GRANT, beneficiary
    t = terms_of("The Licensor licenses the Titles.\nThe Licensee pays the Licensor.")
    assert beneficiary("The Licensee may exhibit each Title, subject to Section 2(a) [License Grant].", t) == "client"
    assert _GRANT.search("Grant of License") is None
    assert _GRANT.search("The Licensor grants the Licensee a licence") is not None


# --- agreement set 12 (docs/accuracy.md), in our own words ------------------------------------------

SIDES_FROM_WHAT_THEY_DO = [
    # a two-word role word used throughout without definition is the side whole, not its last word
    ("Terms for freelance projects\n"
     "1. The Service Provider will create the deliverables, referred to as “Work Product”.\n"
     "All Work Product shall be owned by the Client. The Service Provider will deliver it on time.\n"
     "2. The Client will pay the Service Provider within 30 days.", ("Service Provider", "Client")),
    # no grant and no payment duty: what each side does ("We produce", "You subscribe", "we may invoice")
    ("Northlight Studio is a visualisation studio. We produce CGI stills and film for architects.\n"
     "You subscribe to the number of production slots that suits your workload, and you see the scope in your portal.\n"
     "If you send no feedback for 30 days, we may pause the project and invoice for work completed.\n"
     "We share files through your portal as we complete them.\n"
     "On full payment, you own the final deliverables.", ("we", "you")),
]


@pytest.mark.parametrize("text,expected", SIDES_FROM_WHAT_THEY_DO, ids=["two-word-role", "studio-we-you"])
def test_the_sides_are_read_from_what_the_contract_says_of_them(text, expected):
    assert sides(text) == expected


def test_a_right_to_pass_on_a_licence_serves_the_one_who_holds_it():
    # "Client may grant sublicences ..." names no recipient: the client gains the right, it gives nothing
    from addin_server.engine.direction import beneficiary
    t = terms_of('This Agreement is between Studio North Ltd ("Client") and Jane Roe ("Designer").')
    assert beneficiary("Client may grant sublicences of its rights to any third party.", t) == "client"
    assert beneficiary("Client may assign or transfer this licence to any successor.", t) == "client"
    assert beneficiary("Designer may grant licences of the Designs to others.", t) == "provider"
    assert beneficiary("Designer grants Client a licence to use the Designs.", t) == "client"


def test_a_remedy_serves_the_party_a_breach_would_harm():
    from addin_server.engine.direction import beneficiary
    t = terms_of('This Agreement is between Studio North Ltd ("Company") and Jane Roe ("Writer").')
    assert beneficiary("The parties recognise that irreparable injury will result to Company in the event of a breach.", t) == "client"
    assert beneficiary("Any misuse of the Articles would cause the Writer irreparable harm.", t) == "provider"


def test_a_forms_header_lines_name_the_sides_by_their_roles():
    text = ("Client Licence Agreement\n"
            "PROJECT: [CLIENT NAME] Website Development\n"
            "DEVELOPER: Northwind Web\n"
            "DATE: [Date]\n"
            "Northwind Web retains ownership of its code and frameworks.\n"
            "[CLIENT NAME] owns the content it supplies.")
    t = terms_of(text)
    assert t.provider.term == "Northwind Web" and t.client.term == "Client"


def test_a_possessive_is_not_the_holder_of_what_follows_it():
    from addin_server.engine.direction import beneficiary
    t = terms_of("You grant us a licence to your tracks. We will pay you each month. You may cancel. We may use the tracks.")
    assert beneficiary("Your music may be used to train AI models.", t) != "provider"
    assert beneficiary("You may terminate this licence at any time.", t) == "provider"


def test_a_work_defined_in_the_grant_after_a_not_limited_to_is_the_work():
    """"(including but not limited to ...)" in the clause before a definition names no company (it
    read as "Limited", so the work defined in the grant was taken for a party's name)."""
    text = ('This Agreement is between Northwind Music LLC ("Label") and Sam Roe, an individual ("Writer").\n'
            "1. Assignment of Rights\n"
            "Writer hereby assigns to Label fifty percent (50%) of the publishing rights (including but not "
            "limited to performance, mechanical and synchronization income) in and to the songs listed in "
            'Schedule 1 (the "Songs").\n'
            "This assignment applies only to the Songs.")
    assert_read(text, ("Writer", "Label"), "Songs")
