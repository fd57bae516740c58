"""Notebooks are reviewable: paired with a py:percent twin, committed executed, opening with what they found."""

from __future__ import annotations

import json

import jupytext
import nbformat
import pytest

from helpers.paths import NOTEBOOKS

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOK_FILES][:1] == ["01_corpus.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_pair_is_in_sync(path):
    twin = path.with_suffix(".py")
    assert twin.is_file(), f"{twin.name} is missing: run `jupytext --set-formats ipynb,py:percent {path.name}`"
    nb = nbformat.read(path, as_version=4)
    py = jupytext.read(twin)
    cells = [(c.cell_type, c.source) for c in nb.cells]
    twin_cells = [(c.cell_type, c.source) for c in py.cells]
    assert cells == twin_cells, f"{path.name} and {twin.name} differ: run `make execute` (jupytext --sync)"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_committed_executed_and_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    for c in code:
        assert "execution" not in c["metadata"], "timing metadata: execute with record_timing=False"
        for out in c["outputs"]:
            assert out["output_type"] != "error"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), "".join(out["text"])
            text = json.dumps(out)
            assert "/work/" not in text and "/home/" not in text and "site-packages" not in text


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_opens_with_what_it_does_and_found(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    for phrase in ("This notebook does", "Main findings", "Limits"):
        assert phrase in first.source


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_thin_notebooks_define_nothing(path):
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            assert not any(line.startswith(("def ", "class ")) for line in c.source.splitlines())


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_has_a_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells)
