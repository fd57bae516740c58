"""The study's colours: one meaning, one colour, in every chart (a reader learns them once).

Every colour a chart draws comes from here; :mod:`helpers.plots` holds no colour literal (a test checks it).

* **Parts** (:data:`PART_COLOURS`): Okabe & Ito's palette, safe for the common colour-vision deficiencies;
  a part keeps its colour in every chart, and no other meaning uses these seven colours.
* **Themes** (:func:`theme_colours`): Paul Tol's discrete rainbow for 14 categories, in the codebook's order.
* **Document kinds** (:data:`KIND_COLOURS`): Paul Tol's *muted* scheme (distinct from the parts' colours).
* **Values** (:data:`SHARE_CMAP` for rates and shares, :data:`COUNT_CMAP` for counts, :data:`DIFFERENCE_CMAP`
  for signed differences): ColorBrewer maps, ordered by lightness, so they read in grey too.
* **Quantities** that are neither a part nor a kind (a report's stated count): :data:`QUANTITY`.
* **Ink and rules**: :data:`INK` (text, medians), :data:`INK_ON_DARK` (text on a dark cell or bar),
  :data:`MUTED` (captions, "not reported"), :data:`NEUTRAL` (lines joining dots, n/a), :data:`GRID`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: Part → colour (Okabe–Ito). ``other`` and ``preamble``/``signoff`` are the furniture around the four parts.
PART_COLOURS: Mapping[str, str] = {
    "preamble": "#BBBBBB",
    "measures": "#0072B2",
    "shortcomings": "#D55E00",
    "leadership": "#CC79A7",
    "plans": "#009E73",
    "other": "#E69F00",
    "signoff": "#777777",
}

#: Paul Tol's discrete rainbow, 14 colours (https://personal.sron.nl/~pault/#fig:scheme_rainbow_discrete).
THEME_SCHEME: tuple[str, ...] = (
    "#D1BBD7", "#AE76A3", "#882E72", "#1965B0", "#5289C7", "#7BAFDE", "#4EB265",
    "#90C987", "#CAE0AB", "#F7F056", "#F6C141", "#F1932D", "#E8601C", "#DC050C",
)

#: Kind of cited document → colour (Paul Tol's *muted* scheme; 其他 the scheme's pale grey).
KIND_COLOURS: Mapping[str, str] = {
    "法律": "#332288", "党内法规": "#882255", "法规规章": "#88CCEE", "规划纲要": "#117733",
    "书籍讲话": "#AA4499", "本单位制度": "#999933", "媒体": "#DDCC77", "其他": "#DDDDDD",
}

#: A count or amount a report states (the bars of the comparable indicators): Okabe–Ito sky blue.
QUANTITY = "#56B4E9"

#: Sequential colour map for rates and shares (%), light = low.
SHARE_CMAP = "YlGnBu"
#: Sequential colour map for counts (n), light = low.
COUNT_CMAP = "Greys"
#: Diverging colour map for signed differences (percentage points), white = 0.
DIFFERENCE_CMAP = "PuOr"
#: The value maps by meaning (:func:`value_cmap`).
VALUE_CMAPS: Mapping[str, str] = {"share": SHARE_CMAP, "count": COUNT_CMAP, "difference": DIFFERENCE_CMAP}

INK = "#222222"
INK_ON_DARK = "#FFFFFF"
MUTED = "#555555"
NEUTRAL = "#999999"
GRID = "#EEEEEE"
#: Background of the figure, and the edge that separates stacked bars.
PAPER = "#FFFFFF"


def part_colour(part: str) -> str:
    """The colour of a part; an unknown part gets :data:`NEUTRAL`."""
    return PART_COLOURS.get(part, NEUTRAL)


def kind_colour(kind: str) -> str:
    """The colour of a kind of cited document; an unknown kind gets 其他's."""
    return KIND_COLOURS.get(kind, KIND_COLOURS["其他"])


def theme_colours(ids: Sequence[str] | None = None) -> dict[str, str]:
    """Theme id → colour, in the codebook's order (default: the study's theme codebook).

    Args:
        ids: theme ids in codebook order; at most 14 (the scheme's length).

    Raises:
        ValueError: more themes than the scheme has colours (a repeated colour would mean two themes).
    """
    if ids is None:
        from helpers.themes import default_codebooks

        ids = default_codebooks()[0].ids
    if len(ids) > len(THEME_SCHEME):
        raise ValueError(f"{len(ids)} themes but only {len(THEME_SCHEME)} theme colours: extend THEME_SCHEME")
    return dict(zip(ids, THEME_SCHEME))


def value_cmap(meaning: str) -> str:
    """The colour map of a kind of value: ``share`` (rates, %), ``count`` (n) or ``difference`` (signed).

    Raises:
        KeyError: an unknown meaning.
    """
    try:
        return VALUE_CMAPS[meaning]
    except KeyError:
        raise KeyError(f"no colour map for {meaning!r}: use one of {sorted(VALUE_CMAPS)}") from None


def text_on(rgba: Sequence[float] | tuple) -> str:
    """Ink that reads on a fill of colour ``rgba`` (0–1 floats): white on dark fills, :data:`INK` on light ones."""
    r, g, b = rgba[:3]
    return INK_ON_DARK if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 else INK


#: Policy-instrument type → colour (:mod:`helpers.instruments`): Paul Tol's *high-contrast* scheme, three colours
#: apart in hue and in lightness, so that they read in grey and for colour-blind readers; none is a part's, a
#: theme's or a document kind's colour.
INSTRUMENT_TYPE_COLOURS: Mapping[str, str] = {"supply": "#004488", "environment": "#DDAA33", "demand": "#BB5566"}


def instrument_type_colour(kind: str) -> str:
    """The colour of a policy-instrument type (``supply``, ``environment``, ``demand``); an unknown one :data:`NEUTRAL`."""
    return INSTRUMENT_TYPE_COLOURS.get(kind, NEUTRAL)
