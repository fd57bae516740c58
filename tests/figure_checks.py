"""Checks every chart test shares: text that would read under 9 pt once the figure fills a 16:9 slide."""

from __future__ import annotations

from matplotlib.text import Text

from helpers import plots


def visible_texts(fig) -> list[Text]:
    """Every text of ``fig`` that is drawn and not blank."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def small_texts(fig) -> dict[str, float]:
    """Text → its size on a slide (pt) for every text under 9 pt when ``fig`` is placed at 13.33 in (none: ``{}``)."""
    width = fig.get_figwidth()
    return {t.get_text()[:30]: round(t.get_fontsize() * plots.SLIDE_WIDTH_IN / width, 1)
            for t in visible_texts(fig) if t.get_fontsize() * plots.SLIDE_WIDTH_IN / width < plots.MIN_SLIDE_PT - 1e-9}


def assert_legible_on_a_slide(fig) -> None:
    """No wider than a slide, no text under 9 pt on it (draw the canvas first: layout may shrink nothing, but moves)."""
    assert fig.get_figwidth() <= plots.SLIDE_WIDTH_IN + 1e-9
    assert small_texts(fig) == {}
