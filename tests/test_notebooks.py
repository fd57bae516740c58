"""Notebooks are reviewable: paired with a py:percent twin, committed executed, opening with what they found."""

from __future__ import annotations

import ast
import json

import jupytext
import nbformat
import pytest

from helpers.paths import NOTEBOOKS

#: Modules whose functions a cell may call by these names (``findings.mean`` would be a helper, not a computation).
HELPER_MODULES = frozenset({"findings", "structure", "vocabulary", "comparison", "themes", "indicators", "citations",
                            "hand_codes", "topics", "intake", "plots"})
NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
#: What a thin notebook's code does not hold.
LOGIC = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.While, ast.ListComp, ast.DictComp,
         ast.SetComp, ast.GeneratorExp, ast.Lambda)
#: Lines of code a cell may hold besides its imports.
MAX_CELL_LINES = 12
#: Table computations a notebook leaves to helpers: a join, a group, a pivot, a count, a statistic.
COMPUTING = frozenset({"groupby", "pivot_table", "pivot", "crosstab", "merge", "join", "concat", "apply", "agg",
                       "aggregate", "value_counts", "idxmax", "idxmin", "median", "mean", "sum", "query", "isin",
                       "nunique", "quantile", "std", "cumsum"})
#: Comparison operators allowed in a cell: a guard on a missing value (``if gold is not None``), nothing else.
GUARDS = (ast.Is, ast.IsNot)


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
        tree = ast.parse(c.source)
        logic = sorted({type(node).__name__ for node in ast.walk(tree) if isinstance(node, LOGIC)})
        assert not logic, f"{path.name}, cell {k}: {', '.join(logic)} — move it into a helper, with a test"
        compares = [node for node in ast.walk(tree) if isinstance(node, ast.Compare)
                    and not all(isinstance(op, GUARDS) for op in node.ops)]
        assert not compares, (f"{path.name}, cell {k}: a comparison ({ast.unparse(compares[0])}) — a threshold or a "
                              "test belongs in a helper, with a test")
        computing = sorted({node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                            and node.attr in COMPUTING and isinstance(node.ctx, ast.Load)
                            and not (isinstance(node.value, ast.Name) and node.value.id in HELPER_MODULES)})
        assert not computing, (f"{path.name}, cell {k}: .{', .'.join(computing)} — a table computed in the notebook: "
                               "move it into a helper, with a test")
        code = [line for line in c.source.splitlines()
                if line.strip() and not line.lstrip().startswith("#") and not line.startswith(("import ", "from "))]
        assert len(code) <= MAX_CELL_LINES, f"{path.name}, cell {k}: {len(code)} lines — split it, or move logic out"


def test_the_thinness_test_finds_a_computed_table_or_a_threshold(tmp_path):
    for source, found in [("t.groupby('part')['n'].sum()", "groupby"), ("pd.crosstab(a, b)", "crosstab"),
                          ("t[t['f1'] < 0.8]", "comparison"), ("x = a.median()", "median")]:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        nbformat.write(nb, tmp_path / "99_x.ipynb")
        with pytest.raises(AssertionError, match=found):
            test_notebooks_are_thin(tmp_path / "99_x.ipynb")
    ok = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "if gold is not None:\n    matrix = hand_codes.confusion(gold, coded, ids)\nfindings.show(found)")])
    nbformat.write(ok, tmp_path / "99_x.ipynb")
    test_notebooks_are_thin(tmp_path / "99_x.ipynb")


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_findings_are_computed_in_a_tagged_cell(path):
    """The first cell after the parameters and loading shows the computed findings (tag ``findings``) as Markdown."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [k for k, c in enumerate(code) if "findings" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] <= 2, f"{path.name}: one cell tagged findings, right after the loading"
    outputs = code[tagged[0]].outputs
    markdown = [o for o in outputs if o.output_type == "display_data" and "text/markdown" in o.data]
    assert markdown and markdown[0].data["text/markdown"].startswith("**Main findings**")
    assert markdown[0].data["text/plain"] == markdown[0].data["text/markdown"]
    assert "Main findings** are computed" in nb.cells[0].source  # the opening says so, and types none


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_no_series_printout(path):
    """A page shows tables or worded lines, never a pandas Series' repr (``dtype: object`` …)."""
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        for out in c.get("outputs", []):
            text = out.get("data", {}).get("text/plain", "") if "data" in out else out.get("text", "")
            assert "dtype:" not in text, f"{path.name}: a Series printed — show a DataFrame or a worded line"


def test_the_thinness_test_finds_logic_in_a_cell(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("top = {p: t[t.part == p] for p in parts}")])
    nbformat.write(nb, tmp_path / "99_x.ipynb")
    with pytest.raises(AssertionError, match="DictComp"):
        test_notebooks_are_thin(tmp_path / "99_x.ipynb")


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_has_a_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells)
