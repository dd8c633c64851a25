"""Shared fixtures: one pipeline per test session, the seed article, the evaluation data path.

The pipeline loads the slovnet NER model, navec embeddings and pymorphy3 (about a second), so
it is built once and reused by every test that needs it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kavychki

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
CORPUS = ROOT / "corpus"
DATA = TESTS / "data"

# Evaluation data shared by the team, next to the repository: never copied into the project.
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

SEED_NAME = "kz-facebook-miop.txt"
SEED_PATHS = (CORPUS / SEED_NAME, SHARED / "news" / "seed" / SEED_NAME)


def require_shared(*parts: str) -> Path:
    """Return ``SHARED / parts``, or skip the calling test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"evaluation data not available: {path}")
    return path


def seed_path() -> Path:
    """The seed article: ``corpus/`` first, else the read-only copy in ``../shared/data/news/seed``."""
    for path in SEED_PATHS:
        if path.is_file():
            return path
    pytest.skip(f"seed article not found (looked in {', '.join(str(p) for p in SEED_PATHS)})")


@pytest.fixture(scope="session")
def pipeline() -> kavychki.Pipeline:
    """The full pipeline (entities and quotes), built once per session."""
    return kavychki.Pipeline()


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The text of the seed article ``kz-facebook-miop.txt``."""
    return seed_path().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_doc(pipeline: kavychki.Pipeline, seed_text: str) -> kavychki.Document:
    """The seed article run through the pipeline."""
    return pipeline(seed_text, id="seed/kz-facebook-miop")


def pytest_make_parametrize_id(config, val, argname):
    """Readable test ids for Russian parameters: "Бена МакКонаги", not "\\u0411\\u0435..."."""
    if isinstance(val, str):
        short = val if len(val) <= 40 else val[:39] + "…"
        return "".join(c if c.isprintable() else repr(c)[1:-1] for c in short)
    return None
