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


# --- the real-text property corpus --------------------------------------------------------------
# Real text nobody on this project wrote, read from ../shared at test time (never copied here):
# the real clauses alone, whole real agreements, a deterministic sample of CUAD contracts and
# deterministic mixes of real clauses. Every document is reviewed for either party and every profile.

REAL = SHARED / "corpus" / "real-world"
CUAD = SHARED / "corpus" / "cuad-dev" / "contracts"
PARTIES = ("provider", "client")
ALL_PROFILES = ("high", "medium", "low")


def real_clauses():
    """The real-world batch's clauses (``ClauseItem``), read by the evaluation's own loader."""
    from addin_server.evaluation.realworld import load_clauses

    return load_clauses(REAL)


def cuad_paras(text: str, max_chars: int = 3000) -> list[Paragraph]:
    """A CUAD text as paragraphs: its lines, with page-long lines cut into runs of sentences."""
    from addin_server.engine.text import split_sentences
    out: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if len(line) <= max_chars:
            out.append(line)
            continue
        chunk = ""
        for s in split_sentences(line):
            if chunk and len(chunk) + len(s.text) > max_chars:
                out.append(chunk)
                chunk = ""
            chunk = f"{chunk} {s.text}" if chunk else s.text
        if chunk:
            out.append(chunk)
    return [Paragraph(f"p{i}", t) for i, t in enumerate(out)]


def real_documents(cuad_every: int = 10, mixes: int = 100, splices: int = 21, seed: int = 10) -> list[tuple[str, list[Paragraph]]]:
    """(name, paragraphs) for every real-text document of the property, in a fixed order."""
    import random
    docs: list[tuple[str, list[Paragraph]]] = []
    clauses = real_clauses()
    for c in clauses:
        docs.append((f"clause-{c.id}", [Paragraph("p0", c.text)]))
    for path in sorted((REAL / "contracts").glob("*.txt")) + sorted((SHARED / "corpus" / "contracts").glob("*.txt")):
        docs.append((f"contract-{path.stem}", paras(path.read_text())))
    for path in sorted(CUAD.glob("*.txt"))[::cuad_every]:
        docs.append((f"cuad-{path.stem[:40]}", cuad_paras(path.read_text(errors="replace"))))
    rng = random.Random(seed)
    for n in range(mixes if clauses else 0):
        picked = rng.sample(clauses, rng.randint(2, 6))
        docs.append((f"mix-{n}", [Paragraph(f"p{i}", c.text) for i, c in enumerate(picked)]))
    # real clauses spliced into whole real agreements, where the parties are defined
    wholes = [(name, doc) for name, doc in docs if name.startswith("contract-")]
    for n in range(splices if clauses else 0):
        name, doc = wholes[n % len(wholes)]
        texts = [p.text for p in doc]
        for c in rng.sample(clauses, 3):
            texts.insert(rng.randint(1, len(texts)), c.text)
        docs.append((f"splice-{n}-{name[9:]}", [Paragraph(f"p{i}", t) for i, t in enumerate(texts)]))
    return docs
