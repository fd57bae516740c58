"""Notebooks are reviewable: paired with a py:percent twin, committed executed, opening with what they found."""

from __future__ import annotations

import ast
import json

import jupytext
import nbformat
import pytest

from helpers.paths import NOTEBOOKS

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
#: What a thin notebook's code does not hold.
LOGIC = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.While, ast.ListComp, ast.DictComp,
         ast.SetComp, ast.GeneratorExp, ast.Lambda)
#: Lines of code a cell may hold besides its imports.
MAX_CELL_LINES = 12


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
def test_notebooks_are_thin(path):
    """Logic lives in helpers: a notebook's code cells call them, show a table or a chart, and say no more.

    No function, class, loop, comprehension or lambda in a cell, and at most :data:`MAX_CELL_LINES` lines of code
    besides imports (comments and blank lines not counted).
    """
    nb = nbformat.read(path, as_version=4)
    for k, c in enumerate(nb.cells):
        if c.cell_type != "code":
            continue
        logic = sorted({type(node).__name__ for node in ast.walk(ast.parse(c.source)) if isinstance(node, LOGIC)})
        assert not logic, f"{path.name}, cell {k}: {', '.join(logic)} — move it into a helper, with a test"
        code = [line for line in c.source.splitlines()
                if line.strip() and not line.lstrip().startswith("#") and not line.startswith(("import ", "from "))]
        assert len(code) <= MAX_CELL_LINES, f"{path.name}, cell {k}: {len(code)} lines — split it, or move logic out"


def test_the_thinness_test_finds_logic_in_a_cell(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("top = {p: t[t.part == p] for p in parts}")])
    nbformat.write(nb, tmp_path / "99_x.ipynb")
    with pytest.raises(AssertionError, match="DictComp"):
        test_notebooks_are_thin(tmp_path / "99_x.ipynb")


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_has_a_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells)
