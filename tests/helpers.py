"""Shared test helpers: build paragraphs, review, apply suggestions."""

from pathlib import Path

from addin_server.engine.apply import apply_all
from addin_server.engine.review import Options, Paragraph, review
from addin_server.playbook import default_playbook

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "addin_server" / "samples" / "agency-design-agreement.txt"


def paras(text: str) -> list[Paragraph]:
    return [Paragraph(f"p{i}", line) for i, line in enumerate(l for l in text.split("\n") if l.strip())]


def run(paragraphs, **options):
    return review(paragraphs, Options(**options), default_playbook())


def apply_and_rerun(paragraphs, result, **options):
    fixed = apply_all(paragraphs, result["findings"])
    return fixed, run(fixed, **options)


# The seed's "standard language": perpetual, worldwide, all media, work for hire, derivative works,
# silent on AI, no remedies.
SEED_STANDARD = """INDEPENDENT CONTRACTOR AGREEMENT
This Agreement is between Bright Spark Agency Ltd. (the "Agency") and Sam Lee (the "Contractor").
1. Services. The Contractor shall write copy for the Agency's clients (the "Deliverables").
2. Ownership. All Deliverables are works made for hire and the Agency shall own all rights in them.
3. License. To the extent any rights remain with the Contractor, the Contractor grants the Agency a perpetual, irrevocable, worldwide license to use, modify and create derivative works of the Deliverables in all media now known or hereafter devised.
4. Payment. The Agency shall pay the Contractor within 30 days of invoice.
5. Governing Law. This Agreement is governed by the laws of England and Wales."""
