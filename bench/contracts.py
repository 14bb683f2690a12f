"""Synthetic agency contracts of any length, for the load test, the fuzz seeds and the log-leak test.

The first paragraphs are the shipped sample agreement (risky clauses the engine must work on); the
rest are varied boilerplate clauses, numbered like their neighbours, every one unique (a counter and a
made-up project name), so a test can search logs for any of them and find exactly that paragraph.
"""

from __future__ import annotations

import random
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "addin_server" / "samples" / "agency-design-agreement.txt"

_BOILERPLATE = [
    "The Agency shall pay each invoice for the {project} within thirty (30) days of receipt, and late amounts bear interest at one percent per month.",
    "Each party shall comply with all applicable laws and regulations in performing its obligations relating to the {project}.",
    "Any notice concerning the {project} must be in writing and delivered by hand, by courier or by email to the addresses set out above.",
    "Neither party is liable for any failure or delay in the {project} caused by events beyond its reasonable control.",
    "This Agreement may be amended only by a written instrument signed by both parties referring to the {project}.",
    "The Designer shall perform the services for the {project} in a professional manner consistent with industry standards.",
    "Each statement of work for the {project} sets out the deliverables, milestones and fees agreed by the parties.",
    "The Agency shall provide the Designer with timely access to the brand guidelines and approvals needed for the {project}.",
    "If any provision relating to the {project} is held unenforceable, the remaining provisions continue in full force and effect.",
    "Either party may terminate the statement of work for the {project} on thirty (30) days' written notice to the other party.",
]
#: Clauses the engine flags: a real contract has a handful among its boilerplate, not one in two.
_RISKY = [
    "The Designer grants the Agency a perpetual, irrevocable, worldwide license to use the {project} deliverables in all media now known or hereafter devised.",
    "The Agency may use the Work Product for any purpose, including to train or improve machine learning models used for the {project}.",
    "The Agency may modify, adapt and create derivative works of the {project} materials without further consent.",
    "The Designer shall keep confidential all non-public information received in connection with the {project}.",
]
_PROJECTS = ["Aurora", "Basalt", "Cobalt", "Dune", "Ember", "Fjord", "Gale", "Harbor", "Iris", "Juniper"]


def sample_paragraphs() -> list[str]:
    return [line for line in SAMPLE.read_text(encoding="utf-8").split("\n") if line.strip()]


def contract(n: int, seed: int = 0, tag: str = "", risky: float = 0.03) -> list[dict]:
    """``n`` paragraphs in the API's request shape (``{"id", "text"}``): the sample agreement, then
    boilerplate with a ``risky`` fraction of flagged clauses; ``tag`` marks every added paragraph."""
    rng = random.Random(seed)
    texts = sample_paragraphs()[:n]
    i = 0
    while len(texts) < n:
        project = f"{rng.choice(_PROJECTS)}-{seed}-{i}{tag}"
        pool = _RISKY if rng.random() < risky else _BOILERPLATE
        clause = rng.choice(pool).format(project=f"Project {project}")
        texts.append(f"{10 + i // 10}.{i % 10 + 1} {clause}")
        i += 1
    return [{"id": f"p-{k}", "text": text} for k, text in enumerate(texts)]


def review_body(n: int, seed: int = 0, tag: str = "", risky: float = 0.03, **options) -> dict:
    body: dict = {"paragraphs": contract(n, seed, tag, risky)}
    if options:
        body["options"] = options
    return body
