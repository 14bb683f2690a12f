"""The contract's own names: parties, the work, the project.

Suggestions must speak the contract's language ("the Agency", "Designer", "Work Product"), so the
engine reads the definitions the drafter wrote: ``("Agency")``, ``(the "Designer")``,
``(hereinafter referred to as "Studio")``, ``"Deliverables" means``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace

from ..playbook.parties import Pronoun, party_lexicon
from ..playbook.prefilter import AnchoredPattern, GuardedPattern
from .direction import beneficiary
from .text import blank

_Q_OPEN = "\"“”'‘’"
_Q_CLOSE = "\"”“'’‘"
_TERM = r"[A-Z][A-Za-z0-9&\-]*(?: [A-Z][A-Za-z0-9&\-]*){0,4}"

# ("Agency") / (the "Designer") / (hereinafter "X") / (hereinafter referred to as the "X") /
# (each a "Party") / (collectively, the "Parties")
_PAREN_DEF = re.compile(
    r"\(\s*(?:(?:each|individually|collectively|together)[ ,]+)?(?:hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?)?"
    r"(?:the\s+|an?\s+)?[" + _Q_OPEN + r"](?P<term>" + _TERM + r")[" + _Q_CLOSE + r"]"
    r"(?:\s*(?:or|and)\s+(?:the\s+)?[" + _Q_OPEN + r"](?P<alt>" + _TERM + r")[" + _Q_CLOSE + r"])?\s*\)"
)
# hereinafter "Agency" (without brackets); "Deliverables" means / shall mean / refers to / has the meaning
_HEREINAFTER = re.compile(
    r"hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?(?:the\s+)?[" + _Q_OPEN + r"](?P<term>" + _TERM + r")[" + _Q_CLOSE + r"]"
)
_MEANS_DEF = re.compile(
    r"(?:^|[\s(])[" + _Q_OPEN + r"](?P<term>" + _TERM + r")[" + _Q_CLOSE + r"]\s*"
    r"(?:means|shall mean|refers to|shall refer to|has the meaning|includes|shall include|is defined)"
)
# "All sound recordings ... made under this Agreement are the "Recordings"." / "... are referred to as
# the "Images"": the quoted name ends the sentence or clause
_ARE_DEF = re.compile(
    r"\b(?:are|is|shall\s+be|will\s+be)\s+(?:(?:collectively|together)\s+)?(?:(?:herein\s+)?(?:called|referred\s+to\s+as|known\s+as)\s+)?"
    r"the\s+[" + _Q_OPEN + r"](?P<term>" + _TERM + r")[" + _Q_CLOSE + r"](?=\s*(?:[.;,]|$))"
)

_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)?\b")

LEXICON = party_lexicon()
PROVIDER_NAMES = set(LEXICON.provider_words)
CLIENT_NAMES = set(LEXICON.client_words)
WORK_NAMES = list(LEXICON.work_names)
PROJECT_NAMES = ["Project", "Campaign", "Engagement", "Statement of Work", "SOW", "Production"]

_PARTY_CONTEXT = re.compile(
    r"\b(?:between|by and between|among|and|with|by)\b|\b(?:Inc|LLC|Ltd|Limited|Corp|Corporation|GmbH|plc|LLP|L\.P|Co)\b\.?"
    r"|\ban? (?:individual|sole proprietor|corporation|company|limited liability)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Party:
    """A side of the contract, and how the contract refers to it.

    ``term`` is the name suggestions use: a defined term ("Agency"), or, where the contract speaks
    in the first or second person more than it names that side, the pronoun's subject form ("we",
    "you", "I"), ``pronoun`` then saying how it declines ("us", "our")."""

    term: str
    role: str  # "provider" | "client"
    with_article: bool  # the contract writes "the Agency" rather than "Agency"
    pronoun: Pronoun | None = None  # the voice the contract uses for this side, if it uses one
    names: tuple[str, ...] = ()  # every name and pronoun form the contract uses for this side

    @property
    def voiced(self) -> bool:
        """Suggestions speak of this side with its pronoun ("We shall not", "You retain")."""
        return self.pronoun is not None and self.term == self.pronoun.subject

    @property
    def ref(self) -> str:
        if self.voiced:
            return self.pronoun.object  # "... to us"; a subject is mended by Terms.agree
        return f"the {self.term}" if self.with_article else self.term

    @property
    def Ref(self) -> str:  # noqa: N802 - sentence-initial form
        if self.voiced:
            return self.pronoun.subject[:1].upper() + self.pronoun.subject[1:]
        return f"The {self.term}" if self.with_article else self.term

    @property
    def possessive(self) -> str:
        if self.voiced:
            return self.pronoun.possessive
        # "the Artists'", "Acme Solutions'"; but a singular word in -ss, -us, -is takes 's: "the Business's"
        plural = self.ref.endswith("s") and not self.ref.endswith(("ss", "us", "is"))
        return f"{self.ref}'" if plural else f"{self.ref}'s"

    def swapped(self) -> "Party":
        return replace(self, role="client" if self.role == "provider" else "provider")


@dataclass(frozen=True)
class Definition:
    """One defined term as the contract writes it: ``("DistroKid", "we" or "us")`` is one definition
    with the name DistroKid and the pronoun forms we and us."""

    term: str  # the first name (or pronoun) in the brackets
    names: tuple[str, ...]  # every name in it, first included, pronouns excluded
    pronoun: Pronoun | None
    paragraph_id: str
    kind: str  # "paren" | "hereinafter" | "means"
    lead: str  # text before the quoted name inside the brackets ("together with all sketches, ")
    before: str  # the words before the brackets in the same sentence (the entity they define)
    body: str  # for "means": the definition's text
    order: int
    offset: int  # characters from the start of the contract


@dataclass
class Terms:
    """Everything the engine knows about the contract's own vocabulary."""

    defined: list[dict] = field(default_factory=list)  # the API's defined_terms: term, paragraph_id, role
    provider: Party | None = None
    client: Party | None = None
    work: str = "Work Product"
    work_with_article: bool = True
    # the work's name has been settled from the definitions and the grants (found or not): the review
    # need not look for another
    work_defined: bool = False
    work_known: bool = False  # the contract has a name for the work
    project: str | None = None
    project_with_article: bool = True
    aliases: dict[str, str] = field(default_factory=dict)  # lower-case alias -> role
    # the names used for a side the contract does not name, by role
    # what inserted text calls a side the contract never names: plain words, never a capitalised term
    # the contract does not define ("the Contractor" in a contract without one is an undefined term)
    defaults: dict[str, str] = field(default_factory=lambda: {"provider": "creator", "client": "client"})
    # the first person a "you" contract is written in: "we", or "I" when its writer speaks alone
    first_person: str = "first_plural"
    # how the contract names itself in its own clauses ("this Agreement", "this contract", "these Terms")
    agreement_ref: str = "this Agreement"
    # what suggestions call the work when the contract gives it no name: what a creator delivers, or,
    # in a platform's terms, what "you" upload ("your content": review._context)
    unnamed_work: str = "the deliverables"

    def party(self, role: str) -> Party:
        found = self.provider if role == "provider" else self.client
        if found is not None:
            return found
        other = self.client if role == "provider" else self.provider
        if other is not None and other.pronoun is not None and other.voiced:
            # "we/I" contracts speak to "you", and "you" contracts are written by "we": never invent a
            # "Client" the contract does not have
            wanted = "second" if other.pronoun.person == 1 else self.first_person
            p = next(p for p in LEXICON.pronouns if p.id == wanted)
            return Party(p.subject, role, False, p, p.forms)
        return Party(self.defaults[role], role, True)

    def act_for(self, party: str) -> None:
        """Take the side of ``party``. The engine protects the role "provider"; acting for the
        client, the client takes that role and the creator the other, whether the contract names
        them or not: the defaults swap too, so an inserted clause never names the other side
        ("The Contractor retains ...") when we act for the client the contract never named."""
        if party != "client":
            return
        provider, client = self.provider, self.client
        self.provider = client.swapped() if client else None
        self.client = provider.swapped() if provider else None
        self.defaults = {"provider": self.defaults["client"], "client": self.defaults["provider"]}
        self.aliases = {k: ("client" if v == "provider" else "provider") for k, v in self.aliases.items()}

    def agree(self, text: str) -> str:
        """Mend what a pronoun does to the words after it in a filled template: "us shall" becomes
        "we shall", "You retains" "You retain", "we is" "we are". Names are left alone."""
        voiced = [p for p in (self.party("provider"), self.party("client")) if p.voiced]
        if not voiced:
            return text
        return _agree(text, tuple(p.pronoun for p in voiced))

    @property
    def work_plural(self) -> bool:
        """Whether the work's name takes "them": "the Artworks", "the Deliverables", "the Images" do,
        "the Work Product" and "the Footage" do not; "the deliverables" (no name found) does, "your
        content" does not."""
        last = (self.work if self.work_known else self.unnamed_work).split()[-1].lower()
        if last in {"news", "series", "analysis", "status"}:
            return False
        return last.endswith("s") and not last.endswith(("ss", "us", "is"))

    @property
    def work_ref(self) -> str:
        if not self.work_known:
            return self.unnamed_work
        return f"the {self.work}" if self.work_with_article else self.work

    def name_unnamed_work(self, texts: list[str], platform: bool = False) -> None:
        """What suggestions call a work the contract never names, instead of "the deliverables".

        A contract that speaks of it as the creator's own ("Licensed users can modify my fonts", "you
        keep the copyright in your photos") gives the phrase it uses most, twice at least, where the
        contract voices the creator ("I", "we", "you"; a named one, "the Designer's drawings", is read
        from definitions and grants); else a ``platform``'s terms are about what the creator uploads
        ("your content", "the Streamer's content"). Neither is a defined term: ``work_term`` stays
        unset."""
        if self.work_known:
            return
        provider = self.party("provider")
        if provider.voiced:
            rx = re.compile(rf"\b{re.escape(provider.possessive)}\s+(?:own\s+)?({'|'.join(map(re.escape, LEXICON.possessed_work))})\b",
                            re.IGNORECASE)
            counts = Counter(m.group(1).lower() for t in texts for m in rx.finditer(t))
            if counts and (best := counts.most_common(1)[0])[1] >= 2:
                self.unnamed_work = f"{provider.possessive} {best[0]}"
                return
        if platform:
            self.unnamed_work = f"{provider.possessive} content"

    def project_ref(self, project_name: str | None) -> str:
        if project_name:
            return f"the {project_name} project"
        if self.project:
            ref = f"the {self.project}" if self.project_with_article else self.project
            # "solely for the SOW" reads as a document; the purposes of it are what is meant, and of
            # the one that covers the work when there are several ("the applicable SOW")
            return f"the purposes of the applicable {self.project}" if self.project in {"SOW", "Statement of Work"} else ref
        # "solely for the purposes of this Agreement" limits nothing (every use under it is for its
        # purposes); the project the contract describes is a limit the other side can read
        return f"the project described in {self.agreement_ref}"


def _agree(text: str, pronouns: tuple[Pronoun, ...]) -> str:
    ag = LEXICON.agreement
    forms: dict[str, Pronoun] = {}
    for p in pronouns:
        for f in {p.subject, p.object}:
            forms[f] = p
            forms[f[:1].upper() + f[1:]] = p
    rx = re.compile(r"\b(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(\s+)([a-z]+)\b")

    def mend(m: re.Match) -> str:
        word, space, verb = m.group(1), m.group(2), m.group(3)
        p = forms[word]
        previous = re.search(r"(\w+)\W*$", text[max(0, m.start() - 40):m.start()])
        after_object_word = previous is not None and previous.group(1).lower() in ag.object_after
        is_verb = verb in ag.verbs or verb in ag.irregular or verb in ag.modals
        subject = word
        if word.lower() == p.object.lower() and p.object != p.subject and not after_object_word \
                and (is_verb or verb in {"or", "and"}):
            subject = p.subject if word[:1].islower() else p.subject[:1].upper() + p.subject[1:]
        if not is_verb or (word.lower() == p.object.lower() and subject == word and p.object != p.subject):
            return subject + space + verb
        if verb in ag.irregular:
            table = ag.irregular[verb]
            verb = table.get(p.subject, table["*"])
        elif verb in ag.verbs:
            verb = verb[:-2] if verb.endswith(("sses", "shes", "ches")) else verb[:-1]
        return subject + space + verb

    return rx.sub(mend, text)


# --- reading the definitions ---------------------------------------------------------------------

_PAREN = re.compile(r"\(([^()]{1,260})\)")
_DQUOTED = re.compile(r"[\"“”]([^\"“”]{1,70})[\"“”]")
_SQUOTED = re.compile(r"[‘'’]([^'‘’]{1,70})[’'‘]")
_NAME = re.compile(r"^[A-Za-z0-9][\w&.\-×'’]*(?: [A-Za-z0-9&][\w&.\-×'’]*){0,5}$")
_FILLER = {"the", "a", "an", "or", "and", "each", "individually", "collectively", "together", "jointly",
           "hereinafter", "herein", "hereafter", "referred", "to", "as", "called", "known", "also",
           "sometimes", "severally", "respectively", "in", "this", "agreement", "being", "is", "are",
           "as", "such", "party", "parties", "of", "them", "both", "either", "thereafter", "below"}
_HEREINAFTER_BARE = re.compile(
    r"\bhereinafter,?\s+(?:(?:referred\s+to\s+as|called)\s+)?(?:the\s+)?(?P<term>[A-Z][A-Z0-9&.\-]{1,30}(?:\s+[A-Z][A-Z0-9&.\-]{1,30})?)\b(?![\"“”'’])")
_MEANS_BODY = re.compile(r"\s*(?:means|shall mean|refers to|shall refer to|has the meaning|includes|shall include|is defined)\b([^.;]{0,400})")
_PREAMBLE = 6000  # characters: a party defined only by its name is defined before this point


def _before(text: str, pos: int) -> str:
    """The words before a definition that describe what it defines: back to the previous
    definition's closing bracket (not a full stop: "Acme, Inc. ("Acme")"), at most 250 characters."""
    start = max(pos - 250, 0)
    closes = [m.end() for m in re.finditer(r"[\"”’']\s*\)", text[start:pos])]
    return text[start + closes[-1] if closes else start:pos]
_THING_WORDS = {"website", "websites", "site", "sites", "date", "page", "pages", "policy", "shares", "stock",
                "act", "rules", "plan", "fund", "notice", "period", "amount", "price", "payments", "fee", "fees",
                "agreement", "contract", "amendment", "meeting", "order", "schedule", "exhibit", "law", "laws"}


def _clean(raw: str) -> tuple[str, bool] | None:
    """A quoted name as a term: strip punctuation and an article written inside the quotes
    (``("The Designer")`` defines "Designer", said with "the")."""
    name = raw.strip().strip(",.;:").strip()
    article = False
    if re.match(r"(?i)the\s+", name):
        name, article = re.sub(r"(?i)^the\s+", "", name), True
    if not name or not _NAME.match(name):
        return None
    if not (any(c.isupper() or c.isdigit() for c in name) or "." in name or LEXICON.pronoun(name)):
        return None
    if name[0].islower() and " " in name and not LEXICON.pronoun(name):  # "courtesy of Imgur" is no name
        return None
    if re.search(r"\w\.\w", name) and not re.search(r"\.(?:com|net|org|io|co)$", name, re.IGNORECASE):
        # "E.piphany": the clause patterns read a full stop as the end of a sentence, so a clause we
        # insert with it would not be recognised on review; "drkoop.com" reads as a web address
        return None
    return name, article


_LAST_WORD = re.compile(r"\b([A-Za-z]+)\s*$")


def _paren_definitions(pid: str, text: str, order: int, offset: int) -> list[tuple[Definition, bool]]:
    """(definition, article written inside the quotes) for every bracketed definition in ``text``."""
    out = []
    for m in _PAREN.finditer(text):
        inner = m.group(1)
        quoted = list(_DQUOTED.finditer(inner)) or list(_SQUOTED.finditer(inner))
        if not quoted:
            continue
        names, pronoun, article = [], None, False
        for q in quoted:
            cleaned = _clean(q.group(1))
            if cleaned is None:
                continue
            name, art = cleaned
            # one quotation, two names: ("We or Us"), ("Licensee or you")
            alternatives = name.split(" or ")
            if len(alternatives) == 2 and all(a and len(a.split()) <= 3 for a in alternatives) and any(
                    LEXICON.pronoun(a) for a in alternatives):
                spoken = [a for a in alternatives if LEXICON.pronoun(a) is None]
                pronoun = pronoun or next(LEXICON.pronoun(a) for a in alternatives if LEXICON.pronoun(a))
                names.extend(spoken)
                article = article or (art and bool(spoken))
                continue
            if (p := LEXICON.pronoun(name)) is not None:
                pronoun = pronoun or p
                continue
            article = article or art
            names.append(name)
        if not names and pronoun is None:
            continue
        first = quoted[0]
        lead, tail = inner[:first.start()], _DQUOTED.sub(" ", inner[first.start():]) if _DQUOTED.search(inner) else _SQUOTED.sub(" ", inner[first.start():])
        if not all(w in _FILLER for w in re.findall(r"[a-z]+", tail.lower())):
            continue
        lead_words = re.findall(r"[A-Za-z]+", lead.lower())
        if lead_words and not all(w in _FILLER for w in lead_words):
            # words inside the brackets before the name: "(together with all sketches, the "Images")"
            # ... or "(any such material, collectively referred to as "User Content")": free words, then
            # after the last comma only the words that introduce a name
            tail_words = re.findall(r"[a-z]+", re.split(r"[,;]", lead)[-1].lower())
            if not re.search(r"[,;]", lead) or len(lead) > 160 or not all(w in _FILLER for w in tail_words):
                continue
        if pronoun is None and names and LEXICON.role_of_word(names[0].lower()):
            # the pronoun just before the brackets is the side they name: "between you ("Writer") and
            # CopyPress"
            spoken = _LAST_WORD.search(text, 0, m.start())
            pronoun = LEXICON.pronoun(spoken.group(1)) if spoken else None
        term = names[0] if names else pronoun.subject
        out.append((Definition(term, tuple(names), pronoun, pid, "paren", lead, _before(text, m.start()), "", order + len(out), offset + m.start()), article))
    return out


_QUOTED_LIST = GuardedPattern(re.compile(
    r"(?P<items>(?:[\"“][^\"“”]{1,40}[\"”]\s*,?\s*(?:and\s+|or\s+)?){2,8})(?:each\s+|all\s+)?(?:refers?\s+to|means?|shall\s+mean|mean)\b"))
# Most paragraphs that quote something define nothing: the definition patterns below first test the
# words they cannot match without ("means", "hereinafter", "the" before a quotation mark), in C.
_HEREINAFTER = GuardedPattern(_HEREINAFTER)
_HEREINAFTER_BARE = GuardedPattern(_HEREINAFTER_BARE)
_MEANS_DEF = GuardedPattern(_MEANS_DEF)
_ARE_DEF = GuardedPattern(_ARE_DEF, quick=re.compile(r"the\s+[" + _Q_OPEN + r"]"))


def _other_definitions(pid: str, text: str, order: int, offset: int) -> list[tuple[Definition, bool]]:
    out = []
    for m in _QUOTED_LIST.finditer(text):
        # ""Imgur," "we," "us" and "our" refer to Imgur, Inc.": one side, named and in the first person
        items = [c for q in _DQUOTED.finditer(m.group("items")) if (c := _clean(q.group(1)))]
        pronoun = next((p for n, _ in items if (p := LEXICON.pronoun(n))), None)
        names = tuple(n for n, _ in items if not LEXICON.pronoun(n))
        if pronoun is not None:
            out.append((Definition(names[0] if names else pronoun.subject, names, pronoun, pid, "paren", "", "",
                                   "", order + len(out), offset + m.start()), False))
    for rx, kind in ((_HEREINAFTER, "hereinafter"), (_HEREINAFTER_BARE, "hereinafter"), (_MEANS_DEF, "means"), (_ARE_DEF, "means")):
        for m in rx.finditer(text):
            cleaned = _clean(m.group("term"))
            if cleaned is None:
                continue
            term, article = cleaned
            body = ""
            if kind == "means" and (b := _MEANS_BODY.match(text, m.end("term") + 1)):
                body = b.group(1)
            pronoun = LEXICON.pronoun(term)
            out.append((Definition(term, () if pronoun else (term,), pronoun, pid, kind, "", _before(text, m.start()),
                                   body, order + len(out), offset + m.start()), article))
    return out


# --- parties ---------------------------------------------------------------------------------------

class _Counts(dict):
    """Whole-word uses of a name in the sample, counted when first asked for."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def __missing__(self, name: str) -> int:
        n = len(_whole_words(name, self.text))
        self[name] = n
        return n

    def get(self, name, default=0):  # noqa: D102 - a count is never missing
        return self[name]


@dataclass
class _Side:
    """A party while the contract is read: its names, pronoun and what points to its role."""

    names: list[str]
    pronoun: Pronoun | None
    article_inside: bool
    order: int
    prior: int = 0  # +1 a provider's name, -1 a client's name, 0 none
    evidence: int = 0  # provider acts minus client acts

    def display(self, counts: Counter, text: str) -> tuple[str, bool]:
        """The name suggestions use: the one the contract uses most, a pronoun included."""
        options = [(counts.get(n, 0), -i, n) for i, n in enumerate(self.names)]
        best = max(options)[2] if options else None
        if self.pronoun is not None:
            used = _pronoun_count(self.pronoun, text)
            if best is None or used > max(options)[0]:
                return self.pronoun.subject, False
        return best, self.article_inside or _uses_article(best, text)


def _role_of(term: str) -> str | None:
    """The side a party name stands for: the whole name, or its last one or two words."""
    words = term.lower().split()
    for candidate in (" ".join(words), " ".join(words[-2:]), words[-1] if words else ""):
        if (role := LEXICON.role_of_word(candidate)):
            return role
    return None


def _is_party_definition(d: Definition, early: bool) -> bool:
    if d.kind == "means":
        return False
    if d.pronoun is not None:
        return True
    if not d.names or all(n.lower() in LEXICON.not_party for n in d.names):
        return False
    term = d.names[0]
    if term.lower() in LEXICON.not_party or term.split()[-1].lower() in _THING_WORDS or term in LEXICON.work_names:
        return False
    if not all(w in _FILLER for w in re.findall(r"[a-z]+", d.lead.lower())):
        # "(together with its affiliates, the "Company")" still names a party; "(together with all
        # sketches, the "Images")" does not
        if not _role_of(term) and not re.search(r"\bParties$|\bGroup$", term):
            return False
    cue = any(c.search(d.before) for c in LEXICON.entity_cues)
    if _role_of(term):
        return cue or early or d.kind == "hereinafter" or bool(_PARTY_CONTEXT.search(d.before))
    return (cue or d.kind == "hereinafter") and d.offset < _PREAMBLE


def _pronoun_count(p: Pronoun, text: str) -> int:
    return len(re.findall(r"\b(?:" + p.pattern() + r")\b", text, re.IGNORECASE))


_SELF = re.compile(r"\b(?-i:(this|This) (Agreement|Contract|agreement|contract)|(these|These) (Terms|terms))\b")


def _self_reference(text: str) -> str:
    """The words the contract uses for itself, most used first: "this Agreement", "this contract",
    "these Terms"; "this agreement", in plain words, when it uses none (an inserted clause must not
    name a document the contract calls something else, nor a defined term it does not have)."""
    counts = Counter(f"{'this' if m.group(1) else 'these'} {m.group(2) or m.group(4)}" for m in _SELF.finditer(text))
    return counts.most_common(1)[0][0] if counts else "this agreement"


_SINGULAR = re.compile(r"(?-i:\bI\b)|\b(?:me|my|mine)\b", re.IGNORECASE)
_PLURAL = re.compile(r"\b(?:we|our|ours)\b|(?-i:\b[Uu]s\b)", re.IGNORECASE)


def _first_person(text: str) -> str:
    """The first person the contract's writer uses: "I" ("I, the developer, will ...", "pay me") when
    it says so more often than "we", else "we"."""
    return "first_singular" if len(_SINGULAR.findall(text)) > len(_PLURAL.findall(text)) else "first_plural"


_FIRST_PERSON_OPENING = re.compile(r"(?m)^\s*(?:I|We),\s+(?:the\s+)?[A-Za-z]+")


def _acts_count(pronoun: Pronoun, text: str) -> tuple[int, int]:
    """(provider acts, client acts) with the pronoun's subject form as their subject."""
    head = r"(?<![\w-])(?-i:" + re.escape(pronoun.subject) + "|" + re.escape(pronoun.subject.capitalize()) + r")\s+(?:\w+ly\s+|also\s+|hereby\s+)?"
    starts = _starts(text, (pronoun.subject, pronoun.subject.capitalize()))
    return (_count_at(re.compile(head + r"(?i:" + LEXICON.provider_acts + r")"), text, starts),
            _count_at(re.compile(head + r"(?i:" + LEXICON.client_acts + r")"), text, starts))


def _acts_of(names: list[str], pronoun: Pronoun | None, text: str) -> int:
    """Provider acts minus client acts with this side as the subject."""
    subjects = [re.escape(n) for n in names]
    if pronoun is not None:
        subjects.append(f"(?-i:{re.escape(pronoun.subject)}|{re.escape(pronoun.subject.capitalize())})")
    if not subjects:
        return 0
    # not the object of a preposition: "the deliverables we create for you transfer to you"
    head = (r"(?<![\w-])(?<!\bfor\s)(?<!\bto\s)(?<!\bwith\s)(?<!\bby\s)(?:" + "|".join(subjects)
            + r")\s+(?:\w+ly\s+|also\s+|hereby\s+)?")
    if pronoun is None and len(text) > 40_000:
        # only the lines that name this side can have it as a subject: a substring test in C first
        text = "\n".join(line for line in text.split("\n") if any(n in line for n in names))
    # every match opens with one of the side's names: try the pattern only where a name starts
    # (found by substring search in C) instead of at every character of the contract
    starts = _starts(text, tuple(names) + ((pronoun.subject, pronoun.subject.capitalize()) if pronoun else ()))
    provider = _count_at(re.compile(head + r"(?i:" + LEXICON.provider_acts + r")"), text, starts)
    client = _count_at(re.compile(head + r"(?i:" + LEXICON.client_acts + r")"), text, starts)
    return provider - client


def _wordish(ch: str) -> bool:
    """What ``[\\w-]`` matches: a letter, digit or underscore of any script, or a hyphen."""
    return ch.isalnum() or ch in "_-"


def _starts(text: str, literals: tuple[str, ...]) -> list[int]:
    """Every position where one of ``literals`` starts (overlaps included) and no ``[\\w-]``
    precedes: the only places a pattern opening with ``(?<![\\w-])(?:literal|...)`` can match."""
    found = set()
    for lit in literals:
        if not lit:
            return list(range(len(text) + 1))
        i = text.find(lit)
        while i != -1:
            if not (i and _wordish(text[i - 1])):
                found.add(i)
            i = text.find(lit, i + 1)
    return sorted(found)


def _count_at(rx: re.Pattern, text: str, starts: list[int]) -> int:
    """``len(rx.findall(text))`` for a pattern that can only match at ``starts``: the same scan from
    left to right (a match resumes the search at its end), tried only where it can succeed."""
    n = end = 0
    for i in starts:
        if i >= end and (m := rx.match(text, i)):
            n += 1
            end = m.end()
    return n


def _whole_words(name: str, text: str) -> list[int]:
    """Starts of ``re.finditer(r"(?<![\\w-])" + re.escape(name) + r"(?![\\w-])", text)``, by
    substring search: the same occurrences, left to right, without overlaps."""
    if not name:
        return [m.start() for m in re.finditer(r"(?<![\w-])(?![\w-])", text)]
    out = []
    n, size = len(name), len(text)
    i = text.find(name)
    while i != -1:
        if not (i and _wordish(text[i - 1])) and not (i + n < size and _wordish(text[i + n])):
            out.append(i)
            i = text.find(name, i + n)
        else:
            i = text.find(name, i + 1)
    return out


_PARTY_LABEL = re.compile(r"\bParty\s+([A-Z])\s*[:：(（]")
# a header line naming a side by its role: "DEVELOPER: PaceySpace", "Licensor: Jane Roe"
_ROLE_LABEL = re.compile(r"^[ \t]*(?P<role>[A-Za-z][A-Za-z ]{1,24}?)[ \t]*[:：][ \t]*(?P<name>[^\s:][^\n:]{0,60}?)[ \t]*$", re.MULTILINE)
_HEADER = 1500  # characters: where a form's header lines stand
_ENTITY_WORDS = frozenset({"inc", "ltd", "llc", "llp", "co", "corp", "corporation", "company", "limited", "gmbh", "plc",
                           "full", "legal", "name", "unified", "business", "number", "address", "d/b/a", "dba"})


def _label_name(letter: str, sample: str, full: str) -> str:
    """What the contract calls the side its preamble labels "Party A": the label itself when the
    contract uses it, else the name it uses for the side the label introduces ("Party A: Fine
    Entertainment, d/b/a Onyx Studios" and then "Onyx" throughout; "Party B: [Talent Full Legal
    Name]" and then "Talent")."""
    label = f"Party {letter}"
    if len(re.findall(r"\b" + re.escape(label) + r"\b", full)) >= 4:
        return label
    line = re.search(r"\b" + re.escape(label) + r"\s*[:：(（]\s*([^\n]{1,200})", sample)
    if line is None:
        return label
    best, best_count = label, 3  # a name must be used at least this often to be the side's name
    for word in dict.fromkeys(re.findall(r"\b[A-Z][A-Za-z&-]{2,}\b", line.group(1))):
        if word.lower() in _ENTITY_WORDS or word.lower() in LEXICON.not_party:
            continue
        n = len(_whole_words(word, full))
        if n > best_count:
            best, best_count = word, n
    return best
_BETWEEN_NAME = re.compile(
    r"\b(?:between|among)\s+(?:the\s+)?(?P<name>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3}?),?\s+"
    r"(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|GmbH|plc|LLP|L\.P|Co)\b")


def _sides(definitions: list[Definition], sample: str, full: str, writer: str = "first_plural") -> list[_Side]:
    """The contract's sides in document order: definitions of parties (by role word, by name, by
    pronoun), then pronouns used without definition, an undefined name in "between X Inc. and", a
    placeholder with a role word, "the undersigned"."""
    sides: list[_Side] = []
    seen: set[str] = set()
    for d in definitions:
        if not _is_party_definition(d, early=d.order < 6):
            continue
        names = [n for n in d.names if n not in seen]
        if d.names and not names:
            continue
        # a group defined from parties already read ("together with X and Y, the "X Parties"")
        grouped = [s for s in sides if any(re.search(r"\b" + re.escape(n) + r"\b", d.lead) for n in s.names)]
        if grouped and names:
            sides = [s for s in sides if s not in grouped]
        joined = next((s for s in sides if d.pronoun and s.pronoun is None and not names), None)
        if joined is not None:
            continue
        side = _Side(names, d.pronoun, False, d.offset)
        sides.append(side)
        seen.update(names)
    if len(sides) < 2:
        # "Party A: Dazzle Co., Ltd. ... Party B: ..." (the labels are the names the contract uses)
        labels = list(dict.fromkeys(m.group(1) for m in _PARTY_LABEL.finditer(sample[:_PREAMBLE])))
        if len(labels) >= 2 and all(f"Party {l}" not in seen for l in labels[:2]):
            sides = [_Side([_label_name(l, sample, full)], None, False, -2 + i) for i, l in enumerate(labels[:2])]
            seen.update(s.names[0] for s in sides)
    if len(sides) < 2:
        # a form's header lines: "DEVELOPER: PaceySpace", "CLIENT: [Client Name]" (the label says the side)
        for m in _ROLE_LABEL.finditer(sample[:_HEADER]):
            word, value = m.group("role").strip(), m.group("name").strip()
            role = _role_of(word)
            if role is None or len(sides) >= 2 or any(_role_of(n) == role for t in sides for n in t.names):
                continue
            name = word.title() if value.startswith("[") or not value[:1].isupper() else value.rstrip(".,;")
            names = list(dict.fromkeys(n for n in (name, word.title()) if n not in seen))
            if names:
                sides.append(_Side(names, None, False, m.start()))
                seen.update(names)
    found = {s.pronoun.id for s in sides if s.pronoun}
    # a contract that calls one side "we" or "I" speaks to the other as "you", defined or not
    speaks_to_you = any(s.pronoun and s.pronoun.person == 1 for s in sides) and not any(
        s.pronoun and s.pronoun.person == 2 for s in sides)
    if len(sides) < 2 or speaks_to_you:
        opening = _FIRST_PERSON_OPENING.search(sample[:2000])
        # one writer saying "I" to a "you", each a few times, is a contract between the two: a short
        # commission sheet says "I" five times, not eight
        counts = {p.id: _pronoun_count(p, sample) for p in LEXICON.pronouns}
        dialogue = counts.get("first_singular", 0) >= 3 and counts.get("second", 0) >= 3
        # "I" or "we", whichever the writer uses more (``writer``), is tried first
        for p in sorted(LEXICON.pronouns, key=lambda p: (p.person, p.id != writer)):  # "we"/"I" first: then "you" is spoken to
            # used without definition, a pronoun is a side when it is used often (8 times), or 3 times
            # when the contract speaks to "you" from a "we", or when it does what parties do ("We will
            # design ... we will deliver"), or opens the contract ("I, the developer, ...")
            acts = _acts_count(p, sample)
            # (one grant is enough: "You grant GitHub the right to store ... Your Content")
            strong = (p.person == 2 and speaks_to_you) or sum(acts) >= 2 or acts[0] >= 1 \
                or bool(opening and opening.group(0).split(",")[0].strip() == p.subject.capitalize()) \
                or (dialogue and p.id in ("first_singular", "second"))
            if p.id not in found and len(sides) < 3 and _pronoun_count(p, sample) >= (3 if strong else 8) \
                    and not (p.person == 1 and any(s.pronoun and s.pronoun.person == 1 for s in sides)):
                first = re.search(r"\b(?:" + p.pattern() + r")\b", sample, re.IGNORECASE)
                sides.append(_Side([], p, False, first.start() if first else 10_000))
                if p.person == 1 and not any(s.pronoun and s.pronoun.person == 2 for s in sides):
                    speaks_to_you = True
    if len(sides) < 2 and (m := _BETWEEN_NAME.search(sample[:5000])):
        name = m.group("name")
        if name not in seen and len(re.findall(r"\b" + re.escape(name) + r"\b", full)) >= 3:
            sides.append(_Side([name], None, False, m.start("name")))
    if len(sides) < 2:
        head = sample[:4000]
        for rx in LEXICON.placeholders:
            for m in rx.finditer(head):
                words = re.findall(r"[A-Za-z]+", m.group(0).lower())
                role_word = next((w for w in words if LEXICON.role_of_word(w)), None)
                if role_word and len(sides) < 2 and role_word.title() not in seen \
                        and all(_role_of(n) != LEXICON.role_of_word(role_word) for s in sides for n in s.names):
                    sides.append(_Side([role_word.title()], None, True, m.start()))  # noqa: PERF401
                    seen.add(role_word.title())
    if len(sides) == 1:
        for phrase in LEXICON.undersigned:
            if re.search(r"\b" + re.escape(phrase) + r"\s+(?:hereby\s+)?(?:shall|will|agrees?|grants?|assigns?|acknowledges?)\b", full, re.IGNORECASE):
                sides.append(_Side([phrase.split()[-1]], None, True, 20_000))
    sides.sort(key=lambda s: s.order)
    return sides


def find_terms(paragraphs: list[tuple[str, str]]) -> Terms:
    """Read defined terms, party names and the work's name from ``(id, text)`` pairs."""
    terms = Terms()
    definitions: list[tuple[Definition, bool]] = []
    sample: list[str] = []
    sampled = 0
    offset = 0
    for pid, text in paragraphs:
        offset += len(text) + 1
        # Parties and the work are defined early; word counts over the first ~40k characters
        # (a dozen pages) decide articles and generic names without scanning the whole contract.
        if sampled < 40_000:
            sample.append(text)
            sampled += len(text)
        if not any(q in text for q in _Q_OPEN) and "hereinafter" not in text:  # definitions quote their term
            continue
        start = offset - len(text) - 1
        definitions.extend(_paren_definitions(pid, text, len(definitions), start))
        definitions.extend(_other_definitions(pid, text, len(definitions), start))
    short = "\n".join(sample)
    full = short if sampled < 40_000 else "\n".join(text for _, text in paragraphs)
    article_inside = {d.term for d, art in definitions if art}
    defs = []
    first_seen: dict[str, Definition] = {}
    for d, _ in definitions:
        if d.term not in first_seen:
            first_seen[d.term] = d
            defs.append(d)
        elif d.pronoun is not None and first_seen[d.term].pronoun is None:
            # ""Imgur" or "we" refers to Imgur, Inc." says more than an earlier ("Imgur") in passing
            defs[defs.index(first_seen[d.term])] = first_seen[d.term] = d
    counts = _Counts(short)

    # a template's blanks speak to whoever fills them in ("Licensor: [Your Name or Your Entity Name]"):
    # their pronouns are no party's voice
    voiced, voiced_full = _blank_placeholders(short), _blank_placeholders(full)
    terms.first_person = _first_person(voiced)
    sides = _sides(defs, voiced, voiced_full, terms.first_person)
    _settle(terms, sides[:2] if len(sides) >= 2 else sides, counts, voiced, voiced_full, article_inside)

    # Generic words used without definition still identify a side ("the Company", "Contractor"): any
    # use when the contract names no side at all (a clause on its own), else two uses as a subject or
    # with "the" ("the Company shall"), so a role word in passing ("a Business Day") names no one.
    if sides:
        generic = Counter(w.lower() for w in re.findall(
            r"\b(?:the\s+)?([A-Z][a-z]+(?: [A-Z][a-z]+)?)\s+(?:shall|will|may|must|agrees?|hereby)\b", short))
        generic.update(w.lower() for w in re.findall(r"\b(?:the|The)\s+([A-Z][a-z]+)\b", short))
    else:
        generic = Counter(w.lower() for w in re.findall(r"\b(?:[Tt]he\s+)?([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b", short))
    taken = {n.lower() for p in (terms.provider, terms.client) if p for n in (p.names or (p.term,))}
    for role in ("provider", "client"):
        if getattr(terms, role) is not None:
            continue
        names = PROVIDER_NAMES if role == "provider" else CLIENT_NAMES
        # a role word that is only part of a longer name ("User Content") names no one
        # (a two-word role, "Voice Actor", is the name as a whole: "Actor" never stands alone in it)
        # (a two-word role word is the name whole, "Service Provider", where its last word is one too)
        best = [(n, w if w in names else w.split()[-1]) for w, n in generic.items()
                if (w in names or w.split()[-1] in names) and n >= (1 if not sides else 2)
                and w not in taken
                and _alone((w if w in names else w.split()[-1]).title(), short) > 0]
        best = [(n, w) for n, w in best if w not in taken]
        # a role the contract writes in lower case throughout ("the client" 27 times, in a photographer's
        # terms that define only "the photographer"): the word as it is written, when it outnumbers any
        # capitalised candidate ("Terms of Delivery and Business" names no one)
        plain = Counter(w for w in _LOWER_ROLE.findall(short) if w in names and w not in taken)
        if plain and (top := plain.most_common(1)[0])[1] >= _LOWER_ROLE_USES and top[1] > max((n for n, _ in best), default=0):
            setattr(terms, role, Party(top[0], role, True, None, (top[0],)))
            taken.add(top[0])
            continue
        if best:
            word = max(best)[1].title()
            names = (word,) + _bracketed_names(word, short[:_PREAMBLE])
            word = max(names, key=lambda n: (_alone(n, short), n == word))  # the name the contract uses most
            setattr(terms, role, Party(word, role, _uses_article(word, short), None, names))
            taken.update(n.lower() for n in names)
    for party in (terms.provider, terms.client):
        if party is not None:
            for n in party.names or (party.term,):
                terms.aliases.setdefault(n.lower(), party.role)
            terms.aliases.setdefault(party.term.lower(), party.role)

    terms.agreement_ref = _self_reference(short)
    # the side a "you" (or "we") contract leaves unnamed is the other pronoun: suggestions call it so,
    # and reading "us" as that side now keeps the review the same once they are applied
    for role in ("provider", "client"):
        if getattr(terms, role) is None and (default := terms.party(role)).pronoun is not None:
            for form in default.pronoun.forms:
                terms.aliases.setdefault(form.lower(), role)
    party_names = {n for p in (terms.provider, terms.client) if p for n in (p.names or (p.term,))}
    terms.defined = [{"term": d.term, "paragraph_id": d.paragraph_id,
                      "role": terms.aliases.get(d.term.lower()) if d.term in party_names or d.pronoun else None}
                     for d in defs]
    for name in PROJECT_NAMES:
        if name in first_seen:
            terms.project = name
            terms.project_with_article = _uses_article(name, short) or name in {"Project", "Campaign"}
            break
    _settle_work(terms, defs, paragraphs, short, counts)
    return terms


_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{0,80}?\b(?:[Yy]our|YOUR|[Oo]ur|OUR|[Mm]y|MY)\b[^\[\]\n]{0,80}\]")


def _blank_placeholders(text: str) -> str:
    return blank(_PLACEHOLDER, text) if "[" in text else text


# "the client", "the photographer": a role word in lower case after the article, and how many uses of it
# make it the contract's name for that side
_LOWER_ROLE = re.compile(r"\b[Tt]he\s+([a-z]+)\b")
_LOWER_ROLE_USES = 5


def _settle(terms: Terms, sides: list[_Side], counts: Counter, short: str, full: str, article_inside: set[str]) -> None:
    """Give each side its role: names suggest it ("Designer", "Licensee"), acts decide it (the party
    that grants rights and does the work is the provider, the one that pays is the client)."""
    if not sides:
        return
    for s in sides:
        roles = {_role_of(n) for n in s.names} - {None}
        s.prior = (1 if roles == {"provider"} else -1 if roles == {"client"} else 0)
        s.evidence = _acts_of(s.names, s.pronoun, full)
        s.article_inside = any(n in article_inside for n in s.names)

    def party(s: _Side, role: str) -> Party:
        term, article = s.display(counts, short)
        names = tuple(s.names) + (tuple(s.pronoun.forms) if s.pronoun else ())
        return Party(term, role, article and not (s.pronoun and term == s.pronoun.subject), s.pronoun, names)

    if len(sides) == 1:
        s = sides[0]
        role = "provider" if s.prior > 0 else "client" if s.prior < 0 else None
        # A margin of two: a "Company" that "shall perform" and "will create" the work is the provider
        if role == "client" and s.evidence >= 2 or role == "provider" and s.evidence <= -2:
            role = "provider" if role == "client" else "client"
        if role is None:
            role = "client" if s.evidence < 0 else "provider"
            if s.pronoun is not None and s.pronoun.person == 1 and s.evidence == 0:
                # as against "you" (below): "we" with nothing to go on is the platform, not the creator
                role = "client"
        setattr(terms, role, party(s, role))
        return
    a, b = sides[0], sides[1]
    # a > 0: a is the provider. Names decide unless the acts disagree by a margin of two (one
    # portfolio licence the client grants is not enough to overturn them); without names (or with
    # two of the same kind) the acts decide; with nothing to go on the contract's first party is the
    # provider, but "you" is the provider against "we" or a named platform only when the acts say so
    by_names = a.prior - b.prior
    by_acts = a.evidence - b.evidence
    if by_names and not (by_names > 0 > by_acts + 1 or by_names < 0 < by_acts - 1):
        first_provider = by_names > 0
    elif by_acts:
        first_provider = by_acts > 0
    elif by_names:
        first_provider = by_names > 0
    elif not (a.names or b.names) and {a.pronoun.id if a.pronoun else None, b.pronoun.id if b.pronoun else None} \
            == {"first_singular", "second"}:
        # one person writing "I" to "you" (an artist's commission terms, a freelancer's own contract)
        # is the creator: a platform that writes its terms to its users says "we"
        first_provider = a.pronoun.id == "first_singular"
    elif b.pronoun is not None and b.pronoun.person == 2 and not b.names:
        first_provider = False
    else:
        first_provider = True
    provider, client = (a, b) if first_provider else (b, a)
    terms.provider, terms.client = party(provider, "provider"), party(client, "client")


# --- the work --------------------------------------------------------------------------------------

_SENTENCE_SPLIT = re.compile(r"(?<=[.;:!?])\s+")
# the acts a work is the object of, tried only where one of their words starts (prefilter.py)
_WORK_ACTS = AnchoredPattern(LEXICON.work_acts)
_SENTENCE_CUT = re.compile(r"[.;:!?](\s+)")  # group 1: exactly the matches of _SENTENCE_SPLIT
_TRANSFER = re.compile(r"(?i)grant|assign|transfer|licen|convey")


def _settle_work(terms: Terms, defs: list[Definition], paragraphs: list[tuple[str, str]], short: str, counts: Counter) -> None:
    """The work is the term the grants and deliveries are about: never a party's name (or the other
    side's "Company Materials"), never the agreement or the service, never a term defined as a whole
    category ("Software" means all software)."""
    party_words = {n.lower() for p in (terms.provider, terms.client) if p for n in (p.names or (p.term,))}
    client_words = {n.lower() for n in (terms.client.names or (terms.client.term,))} if terms.client else set()
    not_work = {w.lower() for w in LEXICON.not_work}

    def eligible(term: str) -> bool:
        low = term.lower()
        if low in not_work or low in party_words or term == terms.project or LEXICON.pronoun(term):
            return False
        # the other side's things are not the work: "Company Materials", "Licensee Business"
        # ("Your Content", "Contractor Work Product" are the creator's, and may be)
        if set(low.split()) & client_words:
            return False
        if _role_of(term) or term.split()[-1].lower() in _THING_WORDS:
            return False
        return len(term.split()) <= 4

    # a name given to a company or a person anywhere ("Jefferies LLC ("Jefferies")") is no work
    entities = {d.term for d in defs if d.kind == "paren" and any(c.search(d.before) for c in LEXICON.entity_cues[:1])}
    candidates: dict[str, bool] = {}  # term -> defined
    for d in defs:
        if d.pronoun or d.term in entities or not eligible(d.term):
            continue
        # another name for the agreement or the service: ("License" or "Agreement")
        if any(n.lower() in not_work for n in d.names[1:]):
            continue
        # a familiar name ("Work Product") is also tied to the deal by naming a party in its definition
        if d.kind == "means" and d.body and not LEXICON.work_ties.search(d.body) \
                and not (d.term in LEXICON.work_names
                         and any(re.search(r"\b" + re.escape(w) + r"\b", d.body, re.IGNORECASE) for w in party_words)):
            continue  # a category ("any computer program of any kind"), not what a party makes here
        candidates.setdefault(d.term, True)
    defined = {d.term for d in defs}
    for name in LEXICON.work_names:
        # `name in short` first: a substring test in C spares the regex scan for the names absent
        if name not in defined and name in short and _alone(name, short) >= 2 and eligible(name):
            candidates[name] = False
    # a name the contract never gives an article and uses as a party ("assign to Karya", "Karya
    # shall hold"): a party it did not define as one, not the work
    for term in list(candidates):
        if _named_like_a_party(term, short):
            del candidates[term]
    if not candidates:
        terms.work_defined = True
        return
    found = Counter()
    rx = re.compile(r"(?<![\w-])(" + "|".join(re.escape(c) for c in sorted(candidates, key=len, reverse=True)) + r")(?![\w-])")
    text = "\n".join(t for _, t in paragraphs) if len(short) >= 40_000 else short
    # the same test as rx.search, with the lookbehind moved after each name's first letter: the
    # pattern then opens with a literal, which re skips to in C instead of trying every character
    gate = re.compile("(?:" + "|".join(re.escape(c[0]) + r"(?<![\w-][\s\S])" + re.escape(c[1:])
                                       for c in sorted(candidates, key=len, reverse=True)) + r")(?![\w-])")
    for sentence in _sentences_with(text, candidates):
        if not gate.search(sentence):  # no candidate in it on its own
            continue
        act = _WORK_ACTS.search(sentence)
        if not act:
            continue
        # what is granted, delivered or owned comes after the verb ("assigns to the Client all
        # rights in the Illustrations"), within the clause
        window = sentence[act.start():act.start() + 300]
        # an undefined name counts only on its own, not inside a longer one ("Company Materials")
        hits = {m.group(1) for m in rx.finditer(window) if candidates[m.group(1)] or not _in_longer_name(window, m)}
        # a licence to the creator (of the client's materials, for a portfolio) is not about the
        # work; the creator's retained ownership of it is
        if hits and not (_TRANSFER.match(act.group(0)) and beneficiary(sentence, terms) == "provider"):
            found.update(hits)
    order = {t: i for i, t in enumerate(candidates)}
    preferred = {n: i for i, n in enumerate(LEXICON.work_names)}
    # a familiar name needs one grant or delivery, another defined term two, a familiar name the
    # contract uses but never defines one and two uses
    headings = {t for _, t in paragraphs if len(t) < 60 for t in [re.sub(r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?", "", t).strip()]}
    # a defined term needs one grant or delivery when it is a familiar name or was defined in a clause
    # where the creator makes or delivers it ("shall deliver the mock-ups (the "Mockups")"), else two;
    # a familiar name the contract never defines needs one and to head a section or be used three times
    made_here = {d.term for d in defs if d.kind == "paren" and LEXICON.work_made.search(d.before)}
    needed = {t: 1 if (candidates[t] and (t in preferred or t in made_here))
              or (not candidates[t] and (t in headings or _alone(t, short) >= 3)) else 2
              for t in candidates}
    ranked = sorted((t for t in candidates if found[t] >= needed[t]),
                    key=lambda t: (-(found[t] + (2 if candidates[t] else 0) + (2 if t in preferred else 0)),
                                   preferred.get(t, 99), order[t]))
    terms.work_defined = True
    if not ranked:
        return
    best = ranked[0]
    terms.work, terms.work_known = best, True
    # "Your Content" carries its own determiner: never "the Your Content"
    own = LEXICON.pronoun(best.split()[0]) is not None
    terms.work_with_article = not own and (_uses_article(best, short) or not candidates[best])


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|all|any|each|every|such|this|these|those|its|their|his|her|your|our|my|no|of\s+the)\s+(?-i:[A-Z][\w-]*\s+){0,2}$", re.IGNORECASE)
_PARTY_BEFORE = re.compile(r"\b(?:to|by|from|with)\s+$")
_PARTY_AFTER = re.compile(r"\s+(?:shall|will|may|must|agrees?|hereby|grants?|pays?)\b")


def _named_like_a_party(term: str, text: str) -> bool:
    """Whether ``term`` is a name used as a party's: never after a determiner ("the Submissions",
    "Your Content"), and the recipient or the subject of an act at least once ("to Karya", "Karya
    shall"). Read at each of its occurrences (found by substring search), not by a scan per term."""
    if term[0].islower() or term.endswith("s") and not term.endswith("ss"):
        return False  # a plural ("Submissions") is a thing
    at = _whole_words(term, text)
    n = len(term)
    if not any(_PARTY_BEFORE.search(text, max(0, i - 8), i) or _PARTY_AFTER.match(text, i + n) for i in at):
        return False
    return not any(_DETERMINER_BEFORE.search(text, max(0, i - 60), i) for i in at)


def _sentences_with(text: str, literals) -> list[str]:
    """The pieces of ``_SENTENCE_SPLIT.split(text)`` that contain one of ``literals``, in order.

    The contract is searched once per literal (substring search in C) and only the sentences that
    hold one are cut out, instead of searching every sentence with a pattern."""
    # the cuts of _SENTENCE_SPLIT, found from the punctuation (a fast skip in C) rather than by
    # trying its lookbehind at every character: a run of spaces right after [.;:!?]
    cuts = [m.span(1) for m in _SENTENCE_CUT.finditer(text)]
    starts = [0] + [e for _, e in cuts]
    ends = [b for b, _ in cuts] + [len(text)]
    hit: set[int] = set()
    # one scan for every literal; a match that hides another (overlapping it) still marks every
    # sentence it touches, and the hidden one lies in one of those
    for m in re.finditer("|".join(re.escape(lit) for lit in sorted(literals, key=len, reverse=True)), text):
        hit.update(range(bisect_right(starts, m.start()) - 1, bisect_right(starts, m.end() - 1)))
    return [text[starts[k]:ends[k]] for k in sorted(hit)]


def _in_longer_name(text: str, m: re.Match) -> bool:
    """Is the match part of a longer capitalised name ("Company Materials", "Materials Policy")?"""
    return _in_longer(text, m.start(), m.end())


def _in_longer(text: str, start: int, end: int) -> bool:
    before = re.search(r"([A-Z][\w&.-]*)[ \t]+$", text[max(0, start - 60):start])
    after = re.match(r"[ \t]+(?:of[ \t]+)?[A-Z][a-z]", text[end:end + 60])
    return bool(before and before.group(1) not in {"The", "All", "Any", "Such", "Each", "Your", "Our", "His", "Her", "Its"}) or bool(after)


# a side introduced by its role with its name after it in brackets, unquoted: "Client (Soullab Inc.)",
# "2. Voice Actor (Talent)"; the name without its company form is a name of the side too ("Soullab")
_ENTITY_SUFFIX = re.compile(r",?\s+(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|GmbH|plc|LLP|Co)\.?$")


def _bracketed_names(word: str, preamble: str) -> tuple[str, ...]:
    """The names a role word's side is given in brackets after it, in the preamble (not a placeholder
    "[Voice Actor Full Legal Name]", not a quoted definition, which the definitions read)."""
    m = re.search(r"(?m)(?:^|\b)" + re.escape(word) + r"\s*\((?P<name>(?-i:[A-Z])[\w&.,'’ -]{1,60}?)\)", preamble)
    if not m or not _NAME.match(name := m.group("name").strip()) or LEXICON.pronoun(name):
        return ()
    short = _ENTITY_SUFFIX.sub("", name)
    return tuple(dict.fromkeys(n for n in (name, short) if n and n != word))


def _alone(name: str, text: str) -> int:
    """Uses of ``name`` on its own (not inside a longer capitalised name)."""
    return sum(not _in_longer(text, i, i + len(name)) for i in _whole_words(name, text))


def _uses_article(term: str, text: str) -> bool:
    """Does the contract say "the Agency" (rather than "Agency")? Counts whole-word uses of the term."""
    total = with_article = 0
    n = len(term)
    i = text.find(term)
    while i != -1:
        before = text[i - 1] if i else " "
        after = text[i + n] if i + n < len(text) else " "
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            total += 1
            if text[max(0, i - 4):i] in ("the ", "The "):
                with_article += 1
        i = text.find(term, i + n)
    return with_article * 2 >= max(total - with_article, 0) or with_article >= total * 0.4
