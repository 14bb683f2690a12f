"""The contract's own names: parties, the work, the project.

Suggestions must speak the contract's language ("the Agency", "Designer", "Work Product"), so the
engine reads the definitions the drafter wrote: ``("Agency")``, ``(the "Designer")``,
``(hereinafter referred to as "Studio")``, ``"Deliverables" means``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

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

PROVIDER_NAMES = {
    "designer", "contractor", "independent contractor", "consultant", "freelancer", "artist",
    "writer", "author", "developer", "illustrator", "photographer", "provider", "service provider",
    "creator", "talent", "voice actor", "performer", "supplier", "vendor", "licensor", "agent",
    "copywriter", "editor", "animator", "composer", "musician", "translator", "owner",
    "creative", "studio", "videographer", "narrator", "model", "influencer", "seller", "firm",
}
CLIENT_NAMES = {
    "agency", "client", "company", "customer", "licensee", "publisher", "buyer", "purchaser",
    "employer", "brand", "commissioner", "principal", "distributor", "retailer", "sponsor",
    "network", "broadcaster", "recipient", "user", "subscriber", "business", "organization",
    "organisation", "corporation", "platform", "producer", "production company", "studio client",
}
WORK_NAMES = [
    "Work Product", "Deliverables", "Deliverable", "Creative Materials", "Work", "Works",
    "Materials", "Commissioned Work", "Commissioned Works", "Works Product", "Content",
    "Developed Materials", "Artwork", "Assets", "Designs", "Photographs", "Recordings",
    "Work Made for Hire", "Licensed Materials", "Services Output", "Outputs", "Results",
    "Contractor Work Product", "Creative Work", "Project Materials", "Copy", "Illustrations",
    "Developments", "Inventions", "Work Results", "Product", "Images", "Photos", "Footage",
    "Video", "Videos", "Voice Recordings", "Audio", "Manuscript", "Text", "Code", "Software",
]
PROJECT_NAMES = ["Project", "Campaign", "Engagement", "Statement of Work", "SOW", "Production"]

_PARTY_CONTEXT = re.compile(
    r"\b(?:between|by and between|among|and|with|by)\b|\b(?:Inc|LLC|Ltd|Limited|Corp|Corporation|GmbH|plc|LLP|L\.P|Co)\b\.?"
    r"|\ban? (?:individual|sole proprietor|corporation|company|limited liability)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Party:
    """A defined term that names a party, and how the contract refers to it."""

    term: str
    role: str  # "provider" | "client"
    with_article: bool  # the contract writes "the Agency" rather than "Agency"

    @property
    def ref(self) -> str:
        return f"the {self.term}" if self.with_article else self.term

    @property
    def Ref(self) -> str:  # noqa: N802 - sentence-initial form
        return f"The {self.term}" if self.with_article else self.term

    @property
    def possessive(self) -> str:
        # "the Artists'", "Acme Solutions'"; but a singular word in -ss, -us, -is takes 's: "the Business's"
        plural = self.ref.endswith("s") and not self.ref.endswith(("ss", "us", "is"))
        return f"{self.ref}'" if plural else f"{self.ref}'s"


@dataclass
class Terms:
    """Everything the engine knows about the contract's own vocabulary."""

    defined: list[dict] = field(default_factory=list)
    provider: Party | None = None
    client: Party | None = None
    work: str = "Work Product"
    work_with_article: bool = True
    work_defined: bool = False
    work_known: bool = False  # defined, or used as a name at least twice
    project: str | None = None
    project_with_article: bool = True
    aliases: dict[str, str] = field(default_factory=dict)  # lower-case alias -> role
    # the names used for a side the contract does not name, by role
    defaults: dict[str, str] = field(default_factory=lambda: {"provider": "Contractor", "client": "Client"})

    def party(self, role: str) -> Party:
        found = self.provider if role == "provider" else self.client
        if found is not None:
            return found
        return Party(self.defaults[role], role, True)

    def act_for(self, party: str) -> None:
        """Take the side of ``party``. The engine protects the role "provider"; acting for the
        client, the client takes that role and the creator the other, whether the contract names
        them or not: the defaults swap too, so an inserted clause never names the other side
        ("The Contractor retains ...") when we act for the client the contract never named."""
        if party != "client":
            return
        provider, client = self.provider, self.client
        self.provider = Party(client.term, "provider", client.with_article) if client else None
        self.client = Party(provider.term, "client", provider.with_article) if provider else None
        self.defaults = {"provider": self.defaults["client"], "client": self.defaults["provider"]}
        self.aliases = {k: ("client" if v == "provider" else "provider") for k, v in self.aliases.items()}

    @property
    def work_plural(self) -> bool:
        """Whether the work's name takes "them": "the Artworks", "the Deliverables", "the Images" do,
        "the Work Product" and "the Footage" do not; "the deliverables" (no name found) does."""
        if not self.work_known:
            return True
        last = self.work.split()[-1].lower()
        if last in {"news", "series", "analysis", "status"}:
            return False
        return last.endswith("s") and not last.endswith(("ss", "us", "is"))

    @property
    def work_ref(self) -> str:
        if not self.work_known:
            return "the deliverables"
        return f"the {self.work}" if self.work_with_article else self.work

    def project_ref(self, project_name: str | None) -> str:
        if project_name:
            return f"the {project_name} project"
        if self.project:
            ref = f"the {self.project}" if self.project_with_article else self.project
            # "solely for the SOW" reads as a document; the purposes of it are what is meant, and of
            # the one that covers the work when there are several ("the applicable SOW")
            return f"the purposes of the applicable {self.project}" if self.project in {"SOW", "Statement of Work"} else ref
        return "the purposes of this Agreement"


def _role_of(term: str) -> str | None:
    """The side a party name stands for: the whole name, or its last one or two words."""
    words = term.lower().split()
    for candidate in (" ".join(words), " ".join(words[-2:]), words[-1] if words else ""):
        if candidate in PROVIDER_NAMES:
            return "provider"
        if candidate in CLIENT_NAMES:
            return "client"
    return None


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


def find_terms(paragraphs: list[tuple[str, str]]) -> Terms:
    """Read defined terms, party names and the work's name from ``(id, text)`` pairs."""
    terms = Terms()
    seen: dict[str, dict] = {}
    party_candidates: list[tuple[str, str, int]] = []  # (term, role, order)
    order = 0
    sample: list[str] = []
    sampled = 0
    for pid, text in paragraphs:
        # Parties and the work are defined early; word counts over the first ~40k characters
        # (a dozen pages) decide articles and generic names without scanning the whole contract.
        if sampled < 40_000:
            sample.append(text)
            sampled += len(text)
        if not any(q in text for q in _Q_OPEN):  # every definition quotes its term
            continue
        for rx, kind in ((_PAREN_DEF, "paren"), (_HEREINAFTER, "hereinafter"), (_MEANS_DEF, "means"), (_ARE_DEF, "means")):
            for m in rx.finditer(text):
                for name in ("term", "alt"):
                    term = m.groupdict().get(name)
                    if not term or term in seen:
                        continue
                    role = _role_of(term)
                    before = text[max(0, m.start() - 160):m.start()]
                    is_party = kind != "means" and role is not None and (
                        bool(_PARTY_CONTEXT.search(before)) or order < 6 or kind == "hereinafter"
                    )
                    entry = {"term": term, "paragraph_id": pid, "role": None}
                    if is_party:
                        entry["role"] = role
                        party_candidates.append((term, role, order))
                    seen[term] = entry
                    order += 1
    full = "\n".join(sample)
    terms.defined = list(seen.values())
    for term, role, _ in party_candidates:
        if role == "provider" and terms.provider is None:
            terms.provider = Party(term, role, _uses_article(term, full))
        elif role == "client" and terms.client is None:
            terms.client = Party(term, role, _uses_article(term, full))
    # "Licensor"/"Owner"/"Studio" are ambiguous; if both parties look like providers, keep the
    # first as provider and let the second be the client only when nothing better exists.
    if terms.client is None:
        others = [t for t, r, _ in party_candidates if terms.provider and t != terms.provider.term]
        if others:
            terms.client = Party(others[0], "client", _uses_article(others[0], full))
    if terms.provider is None:
        others = [t for t, r, _ in party_candidates if terms.client and t != terms.client.term]
        if others:
            terms.provider = Party(others[0], "provider", _uses_article(others[0], full))
    for party in (terms.provider, terms.client):
        if party is not None:
            terms.aliases[party.term.lower()] = party.role
            seen[party.term]["role"] = party.role
    # Generic words used without definition still identify a side ("the Company", "Contractor").
    counts = Counter(map(str.lower, _CAPITALISED.findall(full)))
    for word, n in counts.items():
        if (n >= 2 or not party_candidates) and word not in terms.aliases:
            role = _role_of(word)
            if role and ((role == "provider" and terms.provider is None) or (role == "client" and terms.client is None)):
                terms.aliases[word] = role
    if terms.provider is None:
        generic = _most_used(counts, PROVIDER_NAMES, 2 if party_candidates else 1)
        if generic:
            terms.provider = Party(generic, "provider", _uses_article(generic, full))
    if terms.client is None:
        generic = _most_used(counts, CLIENT_NAMES, 2 if party_candidates else 1)
        if generic:
            terms.client = Party(generic, "client", _uses_article(generic, full))
    for party in (terms.provider, terms.client):
        if party is not None:
            terms.aliases.setdefault(party.term.lower(), party.role)

    defined_names = {e["term"] for e in terms.defined}
    for name in WORK_NAMES:
        if name in defined_names:
            terms.work, terms.work_defined, terms.work_known = name, True, True
            break
    else:
        for name in WORK_NAMES:
            if counts.get(name.lower(), 0) >= 2:
                terms.work, terms.work_known = name, True
                break
    terms.work_with_article = _uses_article(terms.work, full) or not terms.work_defined
    for name in PROJECT_NAMES:
        if name in defined_names:
            terms.project = name
            terms.project_with_article = _uses_article(name, full) or name in {"Project", "Campaign"}
            break
    # what the parties do is read over the whole contract, not the sample: the grants may come after
    # the first dozen pages, and where the sample ends moves as soon as a suggestion is applied
    _settle_roles(terms, full if sampled < 40_000 else "\n".join(text for _, text in paragraphs))
    return terms


_PROVIDER_ACTS = r"(?:hereby\s+)?(?:irrevocably\s+)?(?:grants?|assigns?|transfers?|licen[cs]es)\b|(?:shall|will|agrees?\s+to)\s+(?:\w+\s+)?(?:create|design|write|record|perform|provide\s+the\s+services|deliver|develop|photograph|illustrate|produce|render)\b"
# paying for the work marks the client; paying damages for a breach marks no side ("the Contractor shall
# pay the Client an amount equal to three times the fees ... as liquidated damages")
_CLIENT_ACTS = (r"(?:shall|will|agrees?\s+to)\s+(?:promptly\s+)?pay\b(?![^.;]{0,160}\b(?:damages|penalt(?:y|ies)|indemni\w*)\b)"
                r"|(?:shall|will)\s+reimburse\b")


def _settle_roles(terms: Terms, text: str) -> None:
    """Names can mislead ("Producer" commissions a voice actor; a "Studio" may be either side): the
    party that grants rights and does the work is the provider, the one that pays is the client.
    When what the parties do contradicts what their names suggest, swap the roles."""
    def evidence(term: str) -> int:
        # The defined term, case-sensitive, leads the pattern so the scan runs at C speed.
        name = re.escape(term) + r"\s+"
        return (len(re.findall(name + r"(?i:" + _PROVIDER_ACTS + r")", text))
                - len(re.findall(name + r"(?i:" + _CLIENT_ACTS + r")", text)))

    if terms.provider is None or terms.client is None:
        # One side named: its name decides only if what it does agrees. A "Company" that "shall
        # perform" and "will create" the work for a party the contract never defines is the
        # provider; were it read as the client, naming the other side in a clause we insert would
        # turn the roles round on re-review.
        known = terms.provider or terms.client
        if known is None:
            return
        e = evidence(known.term)
        if (e >= 2 and known.role == "client") or (e <= -2 and known.role == "provider"):
            role = "provider" if known.role == "client" else "client"
            flipped = Party(known.term, role, known.with_article)
            terms.provider, terms.client = (flipped, None) if role == "provider" else (None, flipped)
            terms.aliases[known.term.lower()] = role
            for entry in terms.defined:
                if entry["term"] == known.term:
                    entry["role"] = role
        return

    # A margin of two: one sentence where the client grants something (a portfolio licence) is not
    # enough to overturn the names.
    if evidence(terms.client.term) - evidence(terms.provider.term) >= 2:
        provider, client = terms.client, terms.provider
        terms.provider = Party(provider.term, "provider", provider.with_article)
        terms.client = Party(client.term, "client", client.with_article)
        terms.aliases = {k: ("client" if v == "provider" else "provider") if k in {provider.term.lower(), client.term.lower()} else v
                         for k, v in terms.aliases.items()}
        for entry in terms.defined:
            if entry["term"] in (provider.term, client.term):
                entry["role"] = "provider" if entry["term"] == provider.term else "client"


def _most_used(counts: Counter, names: set[str], floor: int = 2) -> str | None:
    best = [(counts[n], n) for n in names if counts.get(n, 0) >= floor]
    if not best:
        return None
    best.sort(reverse=True)
    return best[0][1].title()
