"""Charts render Chinese with the bundled font: no missing-glyph warning, every corpus character covered."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers import plots, structure  # noqa: E402
from helpers.fonts import FONT_FAMILY, cjk_font_path, missing_glyphs, use_cjk_font  # noqa: E402


def test_font_ships_with_the_environment():
    path = cjk_font_path()
    assert path.name == "NotoSansSC-Regular.otf" and path.stat().st_size > 1_000_000


def test_every_character_of_the_corpus_has_a_glyph(corpus):
    assert missing_glyphs("".join(r.raw.text for r in corpus)) == []


def test_missing_glyph_check_can_fail():
    # The default font has no CJK glyphs: the same drawing code must warn, or the tests below prove nothing.
    with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        fig, ax = plt.subplots()
        ax.set_title("法治政府建设")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.canvas.draw()
        plt.close(fig)


def test_study_charts_draw_without_warnings(corpus, tmp_path):
    corpus_table = structure.corpus_table(corpus)
    parts = structure.parts_table(corpus)
    labels = plots.report_labels(corpus_table)
    caption = structure.source_caption(corpus_table)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = [
            plots.parts_in_text_order(parts, labels, "各部分篇幅 / share of parts", caption),
            plots.items_by_part(structure.items_per_part(parts, list(labels)), labels, "条目 / items", caption),
        ]
        for k, fig in enumerate(figs):
            fig.canvas.draw()
            written = plots.save_figure(fig, f"fig{k}", tmp_path)
            assert [p.suffix for p in written] == [".png", ".svg"]
            plt.close(fig)
    assert matplotlib.rcParams["font.sans-serif"][0] == FONT_FAMILY


def test_exported_svg_is_deterministic(tmp_path):
    use_cjk_font()
    outputs = []
    for run in ("a", "b"):
        fig, ax = plt.subplots()
        ax.bar(["举措", "不足"], [3, 1])
        plots.save_figure(fig, "same", tmp_path / run)
        plt.close(fig)
        outputs.append((tmp_path / run / "same.svg").read_bytes())
    assert outputs[0] == outputs[1]


def test_wordcloud_uses_the_font():
    from wordcloud import WordCloud

    cloud = WordCloud(font_path=str(cjk_font_path()), width=200, height=100, random_state=0)
    cloud.generate_from_frequencies({"法治政府": 5, "矛盾纠纷": 3, "普法": 2})
    assert {word for (word, _), *_ in cloud.layout_} == {"法治政府", "矛盾纠纷", "普法"}
