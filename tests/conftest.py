"""Shared fixtures: the bundled corpus, and small corpora the tests build themselves."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from helpers.corpus import load_corpus
from helpers.paths import RAW


@pytest.fixture(scope="session")
def corpus():
    """The five bundled reports, loaded once."""
    return load_corpus(RAW)


@pytest.fixture(scope="session")
def by_id(corpus):
    """Bundled reports by id."""
    return {r.report_id: r for r in corpus}


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus folder."""
    target = tmp_path / "corpus"
    shutil.copytree(RAW, target)
    return target


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
