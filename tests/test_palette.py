"""One palette: every colour of every chart comes from helpers.palette, each meaning one colour, colour-blind safe."""

from __future__ import annotations

import ast
import inspect
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
from matplotlib import colormaps  # noqa: E402
from matplotlib.colors import CSS4_COLORS, to_rgb  # noqa: E402

from helpers import palette, plots  # noqa: E402
from helpers.segment import PARTS  # noqa: E402
from helpers.themes import default_codebooks  # noqa: E402


def _string_constants(module) -> list[str]:
    return [node.value for node in ast.walk(ast.parse(inspect.getsource(module)))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_plots_holds_no_colour_literal():
    """Every colour is named in the palette: no hex code, no CSS colour name, no colour map name in plots.py."""
    source = inspect.getsource(plots)
    assert re.findall(r"#[0-9A-Fa-f]{3,8}\b", source) == []
    named = {s for s in _string_constants(plots) if s.lower() in CSS4_COLORS or s.startswith("tab:")}
    assert named == set()
    maps = {s for s in _string_constants(plots) if s in colormaps} - set(plots._CMAP_MEANINGS) - {"flag"}  # a column
    assert maps == set()


def test_the_colour_literal_check_can_fail():
    tree = ast.parse('ax.bar(x, y, color="white", edgecolor="#D55E00")')
    found = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert {s for s in found if s.lower() in CSS4_COLORS} == {"white"}


def test_every_part_has_one_colour_and_no_other_meaning_shares_it():
    assert set(PARTS) <= set(palette.PART_COLOURS)
    parts = [c.upper() for c in palette.PART_COLOURS.values()]
    kinds = [c.upper() for c in palette.KIND_COLOURS.values()]
    assert len(set(parts)) == len(parts) and len(set(kinds)) == len(kinds)
    assert not set(parts) & set(kinds)
    assert palette.QUANTITY.upper() not in set(parts) | set(kinds)
    assert plots.PART_COLOURS is palette.PART_COLOURS  # one mapping, imported, not copied


def test_themes_get_distinct_colours_in_the_codebooks_order():
    ids = default_codebooks()[0].ids
    colours = palette.theme_colours()
    assert list(colours) == ids
    assert len(set(colours.values())) == len(ids)
    with pytest.raises(ValueError, match="theme colours"):
        palette.theme_colours([f"t{k}" for k in range(len(palette.THEME_SCHEME) + 1)])


def _linear(rgb):
    rgb = np.asarray(rgb)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


#: Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
_DEFICIENCIES = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


@pytest.mark.parametrize("deficiency", sorted(_DEFICIENCIES))
def test_the_main_parts_stay_apart_for_colour_blind_readers(deficiency):
    """Simulated dichromacy: the four parts a chart compares stay clearly apart (distance in linear RGB)."""
    main = ["measures", "shortcomings", "leadership", "plans"]
    seen = {p: np.clip(_DEFICIENCIES[deficiency] @ _linear(to_rgb(palette.PART_COLOURS[p])), 0, 1) for p in main}
    gaps = [float(np.linalg.norm(seen[a] - seen[b])) for k, a in enumerate(main) for b in main[k + 1:]]
    assert min(gaps) > 0.1, gaps


@pytest.mark.parametrize("meaning", ["share", "count"])
def test_sequential_maps_grow_darker_with_the_value(meaning):
    """Light = low, dark = high, monotonic in lightness: the map reads in grey and for colour-blind readers."""
    cmap = colormaps[palette.value_cmap(meaning)]
    luminance = [float(_linear(cmap(x)[:3]) @ [0.2126, 0.7152, 0.0722]) for x in np.linspace(0, 1, 11)]
    assert all(a > b for a, b in zip(luminance, luminance[1:]))


def test_the_diverging_map_is_lightest_at_zero():
    cmap = colormaps[palette.value_cmap("difference")]
    luminance = [float(_linear(cmap(x)[:3]) @ [0.2126, 0.7152, 0.0722]) for x in np.linspace(0, 1, 11)]
    assert int(np.argmax(luminance)) == 5


def test_an_unknown_meaning_is_an_error_that_lists_the_known_ones():
    with pytest.raises(KeyError, match="count"):
        palette.value_cmap("heat")


def test_text_reads_on_its_fill():
    assert palette.text_on(to_rgb(palette.PART_COLOURS["measures"])) == palette.INK_ON_DARK
    assert palette.text_on(to_rgb(palette.PART_COLOURS["preamble"])) == palette.INK
