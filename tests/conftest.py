"""Shared test fixtures.

``shared_dir`` points at the read-only ``../shared`` folder (conformance cases, corpus, references).
Users who clone the repository do not have it, so every test that needs it skips instead of failing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

if os.environ.get("ASL_LINT_TEST_DEFERRED_DATACLASSES"):  # tests/test_startup.py runs a part so
    from asl_lint import startup

    startup.defer_dataclasses()

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ASL_LINT_SHARED", PROJECT_ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared, skipping the calling test when it does not exist."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared material not available: {path}")
    return path


# The corpus folders whose findings were reviewed for 0.1.0. ``projects/`` (whole SAM, Terraform
# and Serverless folders) came later and has tests of its own.
FILE_CORPUS = ("standalone", "templates", "peer-suites")


def file_corpus() -> list[str]:
    """The corpus folders of single files (definitions, templates, a peer's suite), as paths to lint."""
    root = shared_path("corpus")
    return [str(root / kind) for kind in FILE_CORPUS]


@pytest.fixture
def shared_dir() -> Path:
    return shared_path()
