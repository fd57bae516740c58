"""Charts render Chinese with the bundled font: no missing-glyph warning, every corpus character covered."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
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
    caption = structure.source_caption(corpus_table, "data/raw/reports.csv")
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


def _texts(fig):
    from matplotlib.text import Text

    return " ".join(t.get_text() for t in fig.findobj(Text))


def test_every_chart_function_draws_cleanly(tmp_path):
    import numpy as np
    import pandas as pd

    labels = {"a": "小寨路街道（陕西，2024）", "b": "华家街道（辽宁，2022）"}
    keyness = pd.DataFrame({"token": ["不够", "不足", "社区"], "n_target": [5, 4, 0], "n_reference": [0, 1, 9],
                            "G2": [12.0, 8.0, -3.0], "chi2": [10.0, 7.0, -2.0]})
    values = pd.DataFrame({"measures": [40.0, 20.0], "shortcomings": [10.0, 0.0]}, index=["a", "b"])
    heat = pd.DataFrame([[1.0, 0.0], [np.nan, 3.0]], index=["党的领导 / Party", "普法 / Publicity"], columns=["举措", "不足"])
    long = pd.DataFrame({"panel": ["东部", "东部"], "row": ["t1", "t1"], "part": ["measures", "shortcomings"], "value": [20.0, 60.0]})
    headline = pd.DataFrame({"report_id": ["a"], "family": ["materials"], "value": [37800.0], "unit": ["份"],
                             "qualifiers": ["余"], "flag": [""]})
    documents = pd.DataFrame({"document": ["民法典", "北方法制报"], "document_kind": ["法律", "媒体"], "citations": [3, 1]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figures = {
            "keyness": (plots.keyness_bars(keyness, "shortcomings", "measures", "不足 ≫ 举措", "source"), "不够 (5:0)"),
            "grouped": (plots.grouped_bars(values, labels, "%", "举措与不足", "source"), "华家街道"),
            "heatmap": (plots.heatmap(heat, "热图 heatmap", "source"), "普法 / Publicity"),
            "dumbbells": (plots.dumbbells(long, ["东部", "中部"], ["t1"], {"t1": "干部 / cadres"}, "区域", "source", "%"), "无数据 / no data"),
            "bars": (plots.bars(pd.Series({"a": 50.0, "b": np.nan}), labels, "回应 answered", "source", "%", {"a": "1 / 2"}), "n/a"),
            "indicators": (plots.indicator_panels(headline, {"materials": "宣传材料 / materials"}, labels, "数字", "source"), "37,800余份"),
            "documents": (plots.cited_documents_bars(documents, "《民法典》最多", "source"), "《北方法制报》"),
            "wordclouds": (plots.wordclouds({"measures": {"调解": 5, "普法": 3}, "shortcomings": {"不够": 4}}, "词云", "source"), "不足和原因"),
        }
        for name, (fig, expected) in figures.items():
            fig.canvas.draw()
            assert expected in _texts(fig), name
            plots.save_figure(fig, name, tmp_path)
            plt.close(fig)
    assert len(list(tmp_path.glob("*.png"))) == len(figures) == len(list(tmp_path.glob("*.svg")))


def _many_reports(n: int = 45):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    labels = {f"r{k:03d}": f"报告{k}" for k in range(n)}
    rows = []
    for rid in labels:
        shares = rng.dirichlet([6, 2, 1, 1])
        for seq, (part, share) in enumerate(zip(["measures", "shortcomings", "leadership", "plans"], shares)):
            rows.append({"report_id": rid, "part_seq": seq, "part": part, "share_pct": 100 * share})
    return labels, pd.DataFrame(rows)


def test_past_thirty_reports_per_report_charts_become_distributions():
    import numpy as np
    import pandas as pd

    labels, parts = _many_reports()
    assert plots.many(labels) and not plots.many(list(labels)[:30])
    fig = plots.parts_in_text_order(parts, labels, title="t", caption="c")
    ax = fig.axes[0]
    assert fig.get_size_inches()[1] < 5  # one row per part, not one per report
    assert [t.get_text() for t in ax.get_yticklabels()] == [plots.part_label(p) for p in
                                                             ["measures", "shortcomings", "leadership", "plans"]]
    assert any("(n = 45)" in t.get_text() for t in ax.texts)  # annotations are texts too
    values = parts.pivot(index="report_id", columns="part", values="share_pct")[["measures", "shortcomings"]]
    values.iloc[0, 1] = np.nan  # a report without shortcomings is left out of that box, not counted as 0
    fig = plots.grouped_bars(values, labels, "share (%)", title="t", caption="c")
    assert any("(n = 44)" in t.get_text() for t in fig.axes[0].texts)
    assert len(fig.axes[0].get_xticklabels()) == 2
    fig = plots.bars(values["measures"], labels, title="t", caption="c", xlabel="x", xmax=100)
    assert "reports (of 45; 0 n/a)" == fig.axes[0].get_ylabel()
    headline = pd.DataFrame({"report_id": list(labels)[:20], "family": "mediation_cases", "value": range(1, 21),
                             "unit": "件", "qualifiers": "", "flag": ""})
    fig = plots.indicator_panels(headline, {"mediation_cases": "调解", "publicity_events": "普法"}, labels,
                                 title="t", caption="c")
    assert len(fig.axes) == 1 and fig.axes[0].get_xscale() == "log"
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["调解 (20 of 45 reports)"]
    plt.close("all")


def test_past_thirty_reports_the_theme_profile_goes_by_region():
    import pandas as pd

    from helpers import themes

    labels = {f"r{k:03d}": f"报告{k}" for k in range(40)}
    corpus = pd.DataFrame({"report_id": list(labels), "macro_region": ["东部"] * 25 + ["西部"] * 10 + [""] * 5})
    coded = pd.DataFrame({"report_id": list(labels), "part": "measures", "chars": 100,
                          "themes": ["disputes"] * 30 + [""] * 10})
    profile, columns = themes.profile_by_report_or_region(coded, corpus, ["disputes"], labels)
    assert columns == {"东部": "东部（25 reports）", "西部": "西部（10 reports）", "(no region)": "(no region)（5 reports）"}
    shares = profile.set_index("macro_region")["char_share_pct"].to_dict()
    assert shares == {"东部": 100.0, "西部": 50.0, "(no region)": 0.0}
    few = dict(list(labels.items())[:5])
    profile, columns = themes.profile_by_report_or_region(coded.head(5), corpus, ["disputes"], few)
    assert columns == few and list(profile["report_id"]) == list(few)


@pytest.mark.parametrize("n_reports", [2, 40])
def test_a_long_caption_is_wrapped_inside_the_figure_and_below_the_axes(n_reports):
    """A caption is drawn whole: no line runs past the figure's edge, none overlaps the chart above it."""
    caption = ("Source: n = 10,000 annual 法治政府建设 reports (街道、乡镇、区县), years reported on 2019–2025; "
               "metadata inferred from the reports' text. Lexicon 2026.11.0, codebook 2026.11.0. Bars: each report's "
               "largest claim of the kind, as stated (余 = 'more than').")
    ids = [f"r{k}" for k in range(n_reports)]  # few reports: one bar each; many: a distribution
    values = pd.Series(np.linspace(1, 5, n_reports), index=ids)
    fig = plots.bars(values, {r: f"街道{r}" for r in ids}, title="t", caption=caption, xlabel="x", xmax=5)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (text,) = [t for t in fig.texts if t.get_text().replace("\n", " ") == caption]
    box = text.get_window_extent(renderer)
    assert box.x1 <= fig.bbox.width, "the caption runs past the figure's right edge"
    axes_bottom = min(ax.get_tightbbox(renderer).y0 for ax in fig.axes)
    assert box.y1 <= axes_bottom, "the caption overlaps the chart"
    plt.close(fig)


@pytest.mark.parametrize("n_reports", [1, 2, 5])
def test_short_charts_of_few_reports_lay_out_without_warnings(n_reports):
    """A one-report chart is short; its wrapped caption must not leave tight_layout without room (a warning in a
    notebook's output)."""
    caption = "Source: n = 1 annual 法治政府建设 reports (街道), years reported on 2024; metadata inferred from the " \
              "reports' text. n is small: comparisons between reports are anecdotal. Lexicon 2026.11.0, codebook 2026.11.0."
    ids = [f"r{k}" for k in range(n_reports)]
    shares = [("preamble", 5.0), ("measures", 50.0), ("shortcomings", 10.0), ("leadership", 15.0), ("plans", 15.0),
              ("other", 3.0), ("signoff", 2.0)]  # every part: the legend takes two rows under the axes
    parts = pd.DataFrame([(r, seq, part, share) for r in ids for seq, (part, share) in enumerate(shares)],
                         columns=["report_id", "part_seq", "part", "share_pct"])
    title = "Measures fill 50–50% of each report, admitted shortcomings 10–10%"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in (plots.parts_in_text_order(parts, {r: f"小寨路街道{r}（陕西，2024）" for r in ids}, title, caption),
                    plots.bars(pd.Series(1.0, index=ids), {r: r for r in ids}, title="t", caption=caption, xlabel="x")):
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            for ax in fig.axes:
                legend = ax.get_legend()
                if legend is not None:  # under the axis's labels, not over them
                    assert legend.get_window_extent(renderer).y1 <= ax.xaxis.get_tightbbox(renderer).y0
            plt.close(fig)


def test_legends_never_cover_a_bar():
    """With one report a bar reaches the top of the axes: a legend inside them would sit on it."""
    values = pd.DataFrame({"measures": [27.0], "shortcomings": [1.0], "leadership": [12.0], "plans": [4.0]}, index=["r"])
    fig = plots.grouped_bars(values, {"r": "小寨路街道（陕西，2024）"}, "items", title="t", caption="c")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (ax,) = fig.axes
    legend = ax.get_legend().get_window_extent(renderer)
    for bar in ax.patches:
        assert not legend.overlaps(bar.get_window_extent(renderer))
    plt.close(fig)


def test_a_title_stays_inside_the_figure_beside_long_row_labels():
    cited = pd.DataFrame({"document": ["关于坚持和发展新时代“枫桥经验”推进社会矛盾纠纷预防化解法治化工作方案的通知", "民法典"],
                          "document_kind": ["规划纲要", "法律"], "citations": [1, 3]})
    title = "《民法典》 is the most cited document; laws make up 8 of 28 titles"
    fig = plots.cited_documents_bars(cited, title=title, caption="c")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (text,) = [t for t in [*fig.texts, *(ax._left_title for ax in fig.axes)] if t.get_text() == title]
    assert text.get_window_extent(renderer).x1 <= fig.bbox.width
    plt.close(fig)
