"""Fixtures for the .docx tests: one LibreOffice per test session, shared by every file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
for extra in (REPO, REPO / "tests" / "lo", Path(__file__).resolve().parent):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from lo_client import LibreOffice  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "contracts"


@pytest.fixture(scope="session")
def libreoffice():
    """A running LibreOffice. Missing soffice/python3-uno is an error here, never a skip."""
    lo = LibreOffice()
    try:
        yield lo
    finally:
        lo.close()


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    files = sorted(CORPUS.glob("*.docx"))
    assert files, f"no corpus documents in {CORPUS} (CI needs ../shared beside the repo)"
    return files
