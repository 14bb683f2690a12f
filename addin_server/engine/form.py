"""The contract's form: an agreement the parties negotiate and sign, or standard terms the other side
offers to everyone and the creator accepts by what they do ("By uploading Content, you agree to these
Terms"; "If you do not accept this Agreement, you must not take on any job").

Standard terms are seldom changed for one user: a platform does not add a damages or an audit clause
for a single uploader. The review still reads every risk in them and scores it, but asks of them only
what a creator can hope to get (a licence limited to the service, the AI-training clause), and says so.
The rules that ask for more carry ``in_standard_terms = false`` (playbook/rules/*.toml).

Only the creator's side matters: a creator's own commission terms ("By commissioning me, you agree
...") are standard terms the creator offers, so everything may be asked for in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from .terms import LEXICON, Terms


class _Text(Protocol):
    """What the form is read from: a paragraph's id and text (document.Paragraph, which imports this
    module, has both)."""

    id: str
    text: str


@dataclass(frozen=True)
class Form:
    """Whether the contract is standard terms the creator accepts by conduct, and where it says so."""

    standard_terms: bool = False
    paragraph_id: str | None = None  # the paragraph in which the creator accepts them by conduct
    service: str | None = None  # the terms' own name for what the platform runs ("Services", "Site")

    def purpose(self, work: str) -> str:
        """What a licence in standard terms is for: showing and distributing ``work`` through the
        service the creator signed up to (a platform has no "project" for its licence to be limited
        to). Not "operating the service", which a platform can say training its models serves."""
        return f"the purpose of displaying and distributing {work} through the {self.service or 'service'}"

    def to_wire(self, not_asked: Sequence[str] = ()) -> dict:
        return {"standard_terms": self.standard_terms, "paragraph_id": self.paragraph_id,
                "not_asked": list(not_asked)}


NEGOTIATED = Form()


def contract_form(paragraphs: Sequence[_Text], terms: Terms) -> Form:
    """The form of the contract, for the side the review acts for (the "provider" of ``terms``).

    The terms are standard terms offered to the creator when a paragraph says "you" accept them by
    what "you" do, and "you" are the creator: the contract speaks to the creator in the second person
    ("you" or a name defined as "you")."""
    if not _addressed_as_you(terms):
        return NEGOTIATED
    for para in paragraphs:
        if LEXICON.standard_terms.search(para.text):
            defined = {d["term"] for d in terms.defined}
            return Form(True, para.id, next((w for w in _SERVICE_WORDS if w in defined), None))
    return NEGOTIATED


# the names standard terms give what they govern, the most particular first
_SERVICE_WORDS = ("Platform", "Marketplace", "Site", "Website", "App", "Application", "Service", "Services")


def _addressed_as_you(terms: Terms) -> bool:
    provider = terms.party("provider")
    if provider.pronoun is not None:
        return provider.pronoun.person == 2
    return any(name.lower() == "you" for name in provider.names)
