"""Charts render Chinese with the bundled font: no missing-glyph warning, every corpus character covered."""

from __future__ import annotations

import base64
import io
import tempfile
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from figure_checks import small_texts, visible_texts  # noqa: E402
from PIL import Image  # noqa: E402

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
            "dumbbells": (plots.dumbbells(long, ["东部", "中部"], ["t1"], {"t1": "干部 / cadres"}, "区域", "source", "%"), "No report from 中部"),
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
    assert plots.profile_groups(profile) == "macro-region (its reports in brackets)"  # the heatmaps' axis says so
    few = dict(list(labels.items())[:5])
    profile, columns = themes.profile_by_report_or_region(coded.head(5), corpus, ["disputes"], few)
    assert columns == few and list(profile["report_id"]) == list(few)
    assert plots.profile_groups(profile) == "report"


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
    assert fig.axes[0].get_xlabel() == "citations (n)"  # every title shown
    plt.close(fig)
    many = pd.DataFrame({"document": [f"文件{k}" for k in range(24)], "document_kind": "法律", "citations": range(24, 0, -1)})
    fig = plots.cited_documents_bars(many, title="t", caption="c")
    assert len(fig.axes[0].patches) == 15 and fig.axes[0].get_xlabel().endswith("the 15 most cited of 24 titles")
    plt.close(fig)


# --- charts fit for a slide (issue 12): every chart function, on the bundled corpus and on a larger table ---------

def _chart_inputs(labels: dict[str, str], parts: pd.DataFrame, seed: int = 0) -> dict[str, object]:
    """Every chart function drawn on the tables the notebooks give it, for these reports (ids → labels)."""
    from helpers import themes

    rng = np.random.default_rng(seed)
    ids = list(labels)
    book = themes.default_codebooks()[0]
    theme_labels = book.labels
    if "items" not in parts:  # the synthetic table: item counts drawn at random, some of them 0
        parts = parts.assign(items=rng.integers(0, 12, len(parts)))
    counts = structure.items_per_part(parts, ids)
    concrete = pd.DataFrame({"measures": rng.uniform(20, 80, len(ids)), "shortcomings": 0.0}, index=ids)
    names = {"measures": "举措", "shortcomings": "不足", "plans": "安排"}
    # report-first, as nb 04; past 30 reports by region, as themes.profile_by_report_or_region gives it
    groups = ["东部（20 reports）", "西部（25 reports）"] if plots.many(labels) else [labels[r] for r in ids]
    wide = pd.DataFrame(rng.uniform(0, 60, (len(book.ids), 3 * len(groups))), index=book.ids,
                        columns=[f"{g} · {names[p]}" for g in groups for p in names])
    confusion = pd.DataFrame(rng.integers(0, 20, (15, 15)), index=[*book.ids, "(none)"], columns=[*book.ids, "(none)"])
    regions = ["东部", "中部", "西部", "东北"]
    long = pd.DataFrame([(g, t, p, float(rng.uniform(0, 60))) for g in regions for t in book.ids
                         for p in ("measures", "shortcomings")], columns=["panel", "row", "part", "value"])
    long.loc[(long["row"] == book.ids[0]), "value"] = 20.0  # equal values: both dots must show
    units = ["次", "场"]
    headline = pd.DataFrame([{"report_id": r, "family": "publicity_events", "value": float(10 * (k + 1)),
                              "unit": units[k % 2], "qualifiers": "余", "flag": ""} for k, r in enumerate(ids)]
                            + [{"report_id": r, "family": "mediation_success", "value": 100.0, "unit": "%",
                                "qualifiers": "", "flag": "100%"} for r in ids[:2]])
    keyness = pd.DataFrame({"token": ["不够", "不足", "有待", "社区", "开展"], "n_target": [5, 4, 3, 0, 1],
                            "n_reference": [0, 1, 0, 9, 12], "G2": [12.0, 8.0, 5.0, -3.0, -6.0],
                            "chi2": [10.0, 7.0, 4.0, -2.0, -5.0]})
    documents = pd.DataFrame({"document": ["关于坚持和发展新时代“枫桥经验”推进社会矛盾纠纷预防化解法治化工作方案的通知", "民法典",
                                           "北方法制报"], "document_kind": ["规划纲要", "法律", "媒体"], "citations": [1, 3, 1]})
    answers = pd.DataFrame([{"report_id": r, "answered": bool(k % 3), "similarity": float(rng.uniform(0, 0.7))}
                            for r in ids for k in range(3)])
    caption = f"Source: n = {len(ids)} annual 法治政府建设 reports. Cells: % of the part's characters in items with the theme."
    return {
        "parts": lambda: plots.parts_in_text_order(parts, labels, "Measures fill most of each report", caption),
        "items": lambda: plots.items_by_part(counts, labels, "Measures hold most items", caption),
        "concrete": lambda: plots.grouped_bars(concrete, labels, "items with a figure (%)", "No shortcoming names a figure",
                                               caption),
        "keyness": lambda: plots.keyness_bars(keyness, "shortcomings", "measures", "不足 ≫ 举措", caption),
        "clouds": lambda: plots.wordclouds({"measures": {"调解": 5, "普法": 3}, "shortcomings": {"不够": 4}}, "词云", caption),
        "heatmap": lambda: plots.heatmap(wide.rename(index=theme_labels), "Measures spread across themes", caption,
                                         cmap="Greens", size=(15, 7.5)),
        "confusion": lambda: plots.heatmap(confusion, "Coder against hand codes", caption, cmap="Purples",
                                           xlabel="coder", ylabel="hand code", size=(10, 7.5)),
        "dumbbells": lambda: plots.dumbbells(long, regions, book.ids, theme_labels, "Cadres: shortcomings outweigh measures",
                                             caption, "% of the region's items in the part"),
        "bars": lambda: plots.bars(pd.Series(np.linspace(0, 100, len(ids)), index=ids), labels, "answered", caption, "%",
                                   xmax=110),
        "indicators": lambda: plots.indicator_panels(headline, {"publicity_events": "普法宣传活动 / publicity events",
                                                                "mediation_success": "调解成功率 / mediation success rate"},
                                                     labels, "All count publicity events", caption),
        "documents": lambda: plots.cited_documents_bars(documents, "《民法典》 is the most cited document", caption),
        "uptake": lambda: plots.plan_uptake(answers, labels, "Plans take up few shortcomings", caption),
    }


def _bundled(corpus):
    corpus_table = structure.corpus_table(corpus)
    return plots.report_labels(corpus_table), structure.parts_table(corpus)


def _corpora(corpus):
    yield "bundled", *_bundled(corpus)
    yield "45 reports", *_many_reports(45)


#: Charts of :func:`_chart_inputs` whose tables do not depend on the reports: drawn for one corpus only.
_SAME_FOR_EVERY_CORPUS = {"keyness", "clouds", "confusion", "dumbbells", "documents"}


@pytest.fixture(scope="module")
def drawn(corpus):
    """Every chart of :func:`_chart_inputs`, drawn once per corpus (bundled, 45 reports) and laid out: the checks
    below read the same figures (drawing them again for each check took most of this module's time)."""
    figures = {}
    with matplotlib.rc_context({"figure.max_open_warning": 0}):  # all of them open at once, on purpose
        for name, labels, parts in _corpora(corpus):
            for chart, draw in _chart_inputs(labels, parts).items():
                if chart in _SAME_FOR_EVERY_CORPUS and name != "bundled":
                    continue
                fig = draw()
                fig.canvas.draw()
                figures[name, chart] = fig
    yield figures
    for fig in figures.values():
        plt.close(fig)


def test_every_text_of_every_chart_is_9_pt_on_a_slide(drawn):
    """Placed at a 16:9 slide's width (13.33 in), no text of any chart is under 9 pt: size × 13.33 / width ≥ 9."""
    checked = 0
    for (name, chart), fig in drawn.items():
        assert small_texts(fig) == {}, (name, chart, fig.get_figwidth())
        checked += len(visible_texts(fig))
    assert checked > 500


def test_the_slide_text_check_can_fail():
    fig, ax = plt.subplots(figsize=(16, 4))
    ax.set_title("7 pt on a 16 in figure", fontsize=7)
    assert 7 * plots.SLIDE_WIDTH_IN / fig.get_figwidth() < 9
    plots._legible(fig)  # what every chart runs before its layout
    assert ax.title.get_fontsize() * plots.SLIDE_WIDTH_IN / fig.get_figwidth() >= 9
    plt.close(fig)


def test_legends_sit_outside_the_data_area_of_every_chart(drawn):
    for (name, chart), fig in drawn.items():
        renderer = fig.canvas.get_renderer()
        for legend in [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]:
            box = legend.get_window_extent(renderer)
            for ax in fig.axes:
                assert not box.overlaps(ax.bbox), (name, chart)
            assert box.x0 >= 0 and box.x1 <= fig.bbox.width, (name, chart)


def test_every_box_label_sits_at_its_box_inside_the_axes(drawn):
    """31 provincial reports: '0 (n = 31)' stood at y≈100 by an outlier while its box sat at 0."""
    labelled = 0
    for (name, chart), fig in drawn.items():
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            for note in [t for t in ax.texts if "(n = " in t.get_text()]:
                assert ax.bbox.contains(*note.get_window_extent(renderer).get_points().mean(axis=0)), (name, chart)
                labelled += 1
    assert labelled >= 6


def test_every_heatmap_has_a_colour_bar_with_what_a_cell_holds(drawn):
    for chart in ("heatmap", "confusion"):
        fig = drawn["bundled", chart]
        (image,) = [im for ax in fig.axes for im in ax.images]
        assert image.colorbar is not None, chart
    fig = drawn["bundled", "heatmap"]
    label = next(im for ax in fig.axes for im in ax.images).colorbar.ax.get_ylabel().replace("\n", " ")
    assert label.startswith("% of the part's characters in items with the theme")
    assert "counts for both" in label  # why a column sums past 100 %, where a reader looks for the scale


def test_heatmap_columns_are_grouped_by_part_with_bilingual_group_names(corpus, drawn):
    labels, _ = _bundled(corpus)
    ax = drawn["bundled", "heatmap"].axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[:len(labels)] == list(labels.values())  # report-first columns redrawn part-first
    (above,) = [child for child in ax.child_axes]
    assert [t.get_text() for t in above.get_xticklabels()] == ["举措 / measures", "不足 / shortcomings", "安排 / plans"]
    rules = [line.get_xdata()[0] for line in ax.lines]
    assert rules == [len(labels) - 0.5, 2 * len(labels) - 0.5]
    assert all(" / " in t.get_text() for t in ax.get_yticklabels())  # themes 中文 / English


def test_confusion_axes_name_themes_not_codes(drawn):
    ax = drawn["bundled", "confusion"].axes[0]
    for axis_labels in (ax.get_xticklabels(), ax.get_yticklabels()):
        texts = [t.get_text() for t in axis_labels]
        assert "党的领导与理论学习 / Party leadership & study" in texts and "（无）/ (none)" in texts
        assert "party_leadership" not in texts


def test_zero_bars_are_drawn_and_their_zero_written():
    """Concreteness: every shortcomings value is 0 — the finding. Old code dropped the column and its legend entry."""
    ids = ["a", "b", "c"]
    values = pd.DataFrame({"measures": [80.0, 58.0, 22.0], "shortcomings": [0.0, 0.0, np.nan]}, index=ids)
    fig = plots.grouped_bars(values, {r: r for r in ids}, "items (%)", title="t", caption="c")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [plots.part_label("measures"),
                                                                     plots.part_label("shortcomings")]
    zeros = [t for t in ax.texts if t.get_text() == "0"]
    assert len(zeros) == 2  # the two zeros; a report without the part (NaN) gets no number
    colour = plots.PART_COLOURS["shortcomings"]
    from matplotlib.colors import to_hex

    visible = [p for p in ax.patches if to_hex(p.get_facecolor()) == colour.lower() and p.get_height() > 0]
    assert len(visible) == 2
    plt.close(fig)
    fig = plots.bars(pd.Series({"a": 0.0, "b": 50.0}), {"a": "a", "b": "b"}, "t", "c", "%", xmax=100)
    assert "0" in [t.get_text() for t in fig.axes[0].texts]
    assert any(p.get_width() > 0 for p in fig.axes[0].patches if abs(p.get_y() + p.get_height() / 2) < 1e-9)
    plt.close(fig)


def test_no_indicator_panel_mixes_units():
    labels = {"a": "甲", "b": "乙", "c": "丙"}
    headline = pd.DataFrame({"report_id": ["a", "b", "c"], "family": "publicity_events", "value": [2500.0, 100.0, 320.0],
                             "unit": ["次", "场", "场"], "qualifiers": "", "flag": ""})
    assert plots.indicator_units(headline, {"publicity_events": "普法"}) == [
        ("publicity_events", "场", "普法（场）"), ("publicity_events", "次", "普法（次）")]
    fig = plots.indicator_panels(headline, {"publicity_events": "普法"}, labels, "t", "c")
    for ax in fig.axes[:2]:
        stated = {t.get_text()[-1] for t in ax.texts if t.get_text()[:1].isdigit()}
        assert len(stated) == 1, stated  # one unit per axis
        assert ax.get_title().endswith(f"（{stated.pop()}）")
    notes = [t.get_text() for t in fig.axes[0].texts]
    assert " 以次计 / in 次" in notes  # the report stated in the other unit says so
    colours = {tuple(p.get_facecolor()) for ax in fig.axes for p in ax.patches}
    assert len(colours) == 1  # one colour for a stated quantity, whatever its unit (no part's pink for %)
    plt.close(fig)


def test_dumbbells_show_both_dots_where_the_values_are_equal():
    long = pd.DataFrame({"panel": "东部", "row": "t1", "part": ["measures", "shortcomings"], "value": [20.0, 20.0]})
    fig = plots.dumbbells(long, ["东部"], ["t1"], {"t1": "干部 / cadres"}, "t", "c", "%")
    dot, ring = fig.axes[0].collections
    assert list(dot.get_offsets()[0]) == list(ring.get_offsets()[0])
    assert ring.get_sizes()[0] > 2 * dot.get_sizes()[0] and ring.get_facecolor().size == 0  # an open ring round it
    plt.close(fig)


def test_plan_uptake_shows_each_shortcoming_at_its_similarity():
    answers = pd.DataFrame({"report_id": ["a", "a", "b"], "answered": [True, False, True],
                            "similarity": [0.5, 0.1, 0.05]})
    fig = plots.plan_uptake(answers, {"a": "甲", "b": "乙", "c": "丙"}, "t", "c")
    ax = fig.axes[0]
    xs = sorted(float(c.get_offsets()[0][0]) for c in ax.collections)
    assert xs == [0.05, 0.1, 0.5]  # the information: not "answered or not" (all 100 %) but how closely
    texts = [t.get_text() for t in ax.texts]
    assert "1 / 2 ≥ 0.2" in texts and "0 / 1 ≥ 0.2" in texts
    assert any("no shortcoming item with a theme" in t for t in texts)  # 丙
    plt.close(fig)
    many = pd.DataFrame({"report_id": [f"r{k}" for k in range(90)], "answered": True,
                         "similarity": np.linspace(0, 0.9, 90)})
    fig = plots.plan_uptake(many, {f"r{k}": str(k) for k in range(45)}, "t", "c")
    assert fig.axes[0].get_ylabel() == "shortcoming items (of 90)"
    plt.close(fig)
    assert isinstance(plots.plan_uptake(many.iloc[:0], {"a": "甲"}, "t", "c"), plots.Unavailable)


def test_a_title_wider_than_the_figure_is_wrapped_inside_it():
    title = "Cadres' legal capacity and staffing: shortcomings outweigh measures in every region " * 2
    fig = plots.bars(pd.Series({"a": 1.0}), {"a": "甲"}, title.strip(), "c", "x")
    fig.canvas.draw()
    box = fig._suptitle.get_window_extent(fig.canvas.get_renderer())
    assert box.x1 <= fig.bbox.width and box.y1 <= fig.bbox.height
    plt.close(fig)


def test_svg_text_stays_text_in_the_named_font(tmp_path):
    fig = plots.bars(pd.Series({"a": 1.0}), {"a": "小寨路街道"}, "回应 answered", "Source: 5 reports", "%")
    plots.save_figure(fig, "text", tmp_path)
    plt.close(fig)
    svg = (tmp_path / "text.svg").read_text(encoding="utf-8")
    assert "小寨路街道</text>" in svg  # editable, translatable text, not glyph outlines
    assert "font-family: 'Noto Sans SC'" in svg and "sans-serif" in svg
    assert "<path id=\"NotoSansSC" not in svg and "glyph" not in svg.lower()


def test_saved_files_carry_the_title_and_caption(tmp_path):
    from PIL import Image

    title, caption = "Plans answer 12 of 12 <shortcomings> & more", "Source: n = 5 annual 法治政府建设 reports."
    fig = plots.bars(pd.Series({"a": 1.0}), {"a": "甲"}, title, caption, "%")
    plots.save_figure(fig, "meta", tmp_path)
    plt.close(fig)
    with Image.open(tmp_path / "meta.png") as png:
        assert png.text["Title"] == title and png.text["Description"] == caption
        assert "Software" not in png.text
    svg = (tmp_path / "meta.svg").read_text(encoding="utf-8")
    assert "<title>Plans answer 12 of 12 &lt;shortcomings&gt; &amp; more</title>" in svg.split("<defs>")[0]


def test_display_metadata_in_an_ipython_shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        assert plots.register_display(shell)
        fig = plots.bars(pd.Series({"a": 1.0}), {"a": "甲"}, "Plans answer 5 of 12", "c", "%")
        _, metadata = shell.display_formatter.format(fig)
        assert metadata == {"image/png": {"alt": "Plans answer 5 of 12"}}  # not saved yet: no name
        plots.save_figure(fig, "04_plans", Path(tempfile.mkdtemp()))
        _, metadata = shell.display_formatter.format(fig)
        assert metadata == {"image/png": {"alt": "Plans answer 5 of 12"}, "study_figure": "04_plans"}
        plt.close(fig)
    finally:
        InteractiveShell.clear_instance()


def test_a_notebook_shows_each_figure_once_with_its_alt_text_and_name(tmp_path):
    """As the notebooks do: ``fig = plots.x(...)`` then ``plots.save_figure(fig, name)``; the inline backend shows it."""
    import nbformat
    from nbclient import NotebookClient

    src = Path(plots.__file__).resolve().parents[1]  # this checkout's helpers, whatever the kernel's path
    cells = [
        f"import sys\nsys.path.insert(0, {str(src)!r})\nimport pandas as pd\nfrom helpers import plots",
        f"fig = plots.bars(pd.Series({{'a': 1.0}}), {{'a': '甲'}}, 'Plans answer 5 of 12', 'Source', '%')\n"
        f"exported = plots.save_figure(fig, '04_plans', {str(tmp_path)!r})",
        "fig = plots.bars(pd.Series({'a': 2.0}), {'a': '乙'}, 'Not saved', 'Source', '%')",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [cell.outputs for cell in notebook.cells]
    assert outputs[0] == []
    (saved,) = outputs[1]  # one output: the figure, shown once; nothing on stderr
    assert saved.output_type == "display_data" and "image/png" in saved.data
    assert saved.metadata == {"image/png": {"alt": "Plans answer 5 of 12"}, "study_figure": "04_plans"}
    # shown as saved (not drawn a third time): the saved PNG at the display's dpi
    shown, file = _png_size(base64.b64decode(saved.data["image/png"])), _png_size((tmp_path / "04_plans.png").read_bytes())
    assert 500 < shown[0] < file[0] and abs(shown[0] / shown[1] - file[0] / file[1]) < 0.01
    (unsaved,) = outputs[2]
    assert unsaved.metadata == {"image/png": {"alt": "Not saved"}}  # drawn by the inline backend, as before
    assert not [o for cell in outputs for o in cell if o.output_type == "stream"]


@pytest.mark.parametrize("n_reports", [5, 45])
def test_a_long_axis_label_stays_beside_its_axes(n_reports):
    """31 provincial reports: the concreteness chart's y label ran over the title and the caption."""
    ids = [f"r{k}" for k in range(n_reports)]
    values = pd.DataFrame({"measures": np.linspace(50, 100, n_reports), "shortcomings": 0.0}, index=ids)
    fig = plots.grouped_bars(values, {r: r for r in ids}, "items with a figure, document or named place (%)", "t", "c")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    label = fig.axes[0].yaxis.label.get_window_extent(renderer)
    assert label.y1 <= fig.axes[0].bbox.y1 + 1 and label.y0 >= fig.axes[0].bbox.y0 - 1
    plt.close(fig)


# --- defects a reviewer found on a one-city folder and on 31 provincial reports (issue 12) -----------------------

def _provincial_indicators(n: int = 31):
    """Like the 31 provincial reports: one mediation rate, one count of screenings, two of training sessions."""
    labels = {f"p{k:02d}": f"省{k}" for k in range(n)}
    headline = pd.DataFrame([("p00", "mediation_success", 90.0, "%", "", "90%"), ("p01", "disputes_screened", 3.0, "次", "", ""),
                             ("p02", "trainings", 10.0, "次", "", ""), ("p03", "trainings", 40.0, "次", "", "")],
                            columns=["report_id", "family", "value", "unit", "qualifiers", "flag"])
    panels = {"mediation_success": "调解成功率 / mediation success rate", "disputes_screened": "排查纠纷 / disputes screened",
              "trainings": "培训与学法 / trainings"}
    return headline, panels, labels


def test_past_thirty_reports_no_indicator_axis_holds_a_rate_beside_counts():
    headline, panels, labels = _provincial_indicators()
    notebook_caption = "Source: n = 31. Bars: each report's largest claim of the kind, as stated (余 = 'more than')."
    fig = plots.indicator_panels(headline, panels, labels, "t", notebook_caption)
    rows = {ax: [t.get_text().split(" (")[0] for t in ax.get_yticklabels()] for ax in fig.axes}
    (rate_ax,) = [ax for ax, names in rows.items() if panels["mediation_success"] in names]
    assert rows[rate_ax] == [panels["mediation_success"]]  # the % alone on its axis
    assert rate_ax.get_xscale() == "linear" and rate_ax.get_xlim()[1] <= 100
    counts = [ax for ax in fig.axes if ax is not rate_ax]
    assert counts and all(ax.get_xscale() == "log" for ax in counts)
    assert not [p for ax in fig.axes for p in ax.patches]  # n = 2 and n = 1: points, no box
    caption = plots.figure_caption(fig)
    assert "Bars:" not in caption and caption.count("Boxes:") == 1  # the caption words the marks drawn
    plt.close(fig)
    few = plots.indicator_panels(headline, panels, dict(list(labels.items())[:4]), "t", notebook_caption)
    assert plots.figure_caption(few).count("Bars:") == 1 and "Boxes:" not in plots.figure_caption(few)
    plt.close(few)


def _box_labels(fig):
    return [t for ax in fig.axes for t in ax.texts if "(n = " in t.get_text()]


def test_box_labels_stand_at_their_box_not_by_an_outlier():
    """04_concreteness on 31 reports: '0 (n = 31)' printed at y≈100 beside an outlier, its box at 0."""
    ids = [f"r{k}" for k in range(31)]
    shortcomings = np.zeros(31)
    shortcomings[:2] = [100.0, 50.0]  # two outliers
    measures = np.r_[np.linspace(50, 100, 29), 100.0, 100.0]
    values = pd.DataFrame({"measures": measures, "shortcomings": shortcomings}, index=ids)
    fig = plots.grouped_bars(values, {r: r for r in ids}, "items with a figure (%)", "t", "c")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    label_of = {round(float(t.xy[0])): t for t in _box_labels(fig)}
    assert float(label_of[2].xy[1]) == 0.0  # at the shortcomings box (0), not at the outlier (100)
    assert float(label_of[1].xy[1]) == 50.0  # measures reach 100 = the axis' end: below the lower whisker
    assert ax.get_ylim()[1] <= 100  # a rate within 100 % on an axis that stops there
    for note in label_of.values():
        box = note.get_window_extent(renderer)
        assert ax.bbox.y0 <= box.y0 and box.y1 <= ax.bbox.y1, note.get_text()
    plt.close(fig)


def test_a_part_no_report_has_is_named_in_the_caption_not_drawn():
    ids = ["a", "b", "c"]
    counts = pd.DataFrame({"measures": [12, 10, 12], "shortcomings": [6, 0, 3], "leadership": [3, 2, 3],
                           "plans": [6, 3, 3], "other": [0, 0, 0]}, index=ids)
    fig = plots.items_by_part(counts, {r: r for r in ids}, "t", "Source.")
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert plots.part_label("other") not in legend and plots.part_label("shortcomings") in legend
    assert plots.figure_caption(fig) == f"Source. No report has: {plots.part_label('other')}."
    assert [t.get_text() for t in ax.texts].count("0") == 1  # the one report without shortcomings keeps its 0
    plt.close(fig)
    many_ids = [f"r{k}" for k in range(31)]
    many = pd.DataFrame({"measures": np.arange(31) + 1, "leadership": 0, "other": 0}, index=many_ids)
    fig = plots.items_by_part(many, {r: r for r in many_ids}, "t", "Source.")
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [plots.part_label("measures")]
    assert "leadership" in plots.figure_caption(fig) and "other" in plots.figure_caption(fig)
    plt.close(fig)


def test_boxes_of_a_low_rate_keep_their_room_to_differ():
    """02_filler_by_part at 10 000 reports: every filler share under 15 %, drawn on a 0–100 axis, boxes squashed."""
    ids = [f"r{k}" for k in range(40)]
    rng = np.random.default_rng(0)
    values = pd.DataFrame({"measures": rng.uniform(2, 9, 40), "shortcomings": rng.uniform(5, 14, 40)}, index=ids)
    fig = plots.grouped_bars(values, {r: r for r in ids}, "filler tokens (% of word tokens)", "t", "c")
    low, high = fig.axes[0].get_ylim()
    assert low == 0 and 14 <= high < 20
    plt.close(fig)
    values["measures"] = np.linspace(50, 100, 40)  # a rate that reaches 100 %: the axis stops there
    fig = plots.grouped_bars(values, {r: r for r in ids}, "filler tokens (% of word tokens)", "t", "c")
    assert fig.axes[0].get_ylim() == (0, 100)
    plt.close(fig)


def test_rate_axes_stop_at_100_unless_a_value_passes_it():
    labels = {"a": "甲", "b": "乙", "c": "丙"}
    headline = pd.DataFrame({"report_id": ["a"], "family": "mediation_success", "value": [100.0], "unit": "%",
                             "qualifiers": "", "flag": "100%"})
    fig = plots.indicator_panels(headline, {"mediation_success": "调解成功率"}, labels, "t", "c")
    assert fig.axes[0].get_xlim()[1] == 100  # the one-city run's rate panel ran to 150 %
    plt.close(fig)
    values = pd.DataFrame({"measures": [100.0, 60.0], "shortcomings": [0.0, 20.0]}, index=["a", "b"])
    fig = plots.grouped_bars(values, labels, "items with a figure (%)", "t", "c")
    assert fig.axes[0].get_ylim()[1] == 100
    plt.close(fig)
    fig = plots.grouped_bars(values * 1.5, labels, "growth (%)", "t", "c")  # 150 % exists: the axis shows it
    assert fig.axes[0].get_ylim()[1] > 150
    plt.close(fig)


def test_plan_uptake_words_its_own_marks_and_legends_only_what_is_drawn():
    notebook = ("Source: n = 31. Dots: each shortcoming item with a theme, at the TF-IDF cosine similarity of the "
                "closest plan item on its theme (hollow: no plan item on its theme).")
    everyone = pd.DataFrame({"report_id": [f"r{k}" for k in range(40)], "answered": True,
                             "similarity": np.linspace(0, 0.15, 40)})
    fig = plots.plan_uptake(everyone, {f"r{k}": str(k) for k in range(40)}, "t", notebook)  # histogram mode
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["一个安排条目同主题 / a plan item shares its theme"]  # no hollow marker for an absent kind
    caption = plots.figure_caption(fig)
    assert caption.startswith("Source: n = 31. Histogram:") and "Dots" not in caption and "hollow" not in caption
    plt.close(fig)
    some = pd.DataFrame({"report_id": ["a", "a"], "answered": [True, False], "similarity": [0.5, 0.1]})
    fig = plots.plan_uptake(some, {"a": "甲"}, "t", "Source.")  # dots mode, both kinds
    assert plots.figure_caption(fig).startswith("Source. Dots:") and "hollow" in plots.figure_caption(fig)
    assert len(fig.axes[0].get_legend().get_texts()) == 3
    plt.close(fig)


def test_dumbbells_draw_only_regions_with_data():
    """A one-region corpus drew 3 of 4 panels empty ('无数据 / no data')."""
    long = pd.DataFrame({"panel": "西部", "row": ["t1", "t1"], "part": ["measures", "shortcomings"], "value": [20.0, 40.0]})
    fig = plots.dumbbells(long, ["东部", "中部", "西部", "东北"], ["t1"], {"t1": "干部 / cadres"}, "t", "Source.", "%")
    assert [ax.get_title() for ax in fig.axes] == ["西部"]
    assert plots.figure_caption(fig) == "Source. No report from 东部, 中部, 东北: no panel."
    plt.close(fig)
    assert isinstance(plots.dumbbells(long, ["东部"], ["t1"], {"t1": "干部"}, "t", "c", "%"), plots.Unavailable)


def _png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def test_a_saved_figure_is_shown_as_saved_until_it_changes(tmp_path, monkeypatch):
    """IPython's inline display of a saved figure is the saved PNG, scaled, not drawn again; a figure changed after
    saving is drawn afresh."""
    from IPython.core.pylabtools import print_figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plots.bars(pd.Series({"a": 1.0, "b": 2.0}), {"a": "甲", "b": "乙"}, "Plans answer 5 of 12", "c", "%")
    drawn = print_figure(fig, "png")  # drawn by matplotlib (not saved yet)
    plots.save_figure(fig, "04_plans", tmp_path)
    saved = (tmp_path / "04_plans.png").read_bytes()
    draws = []
    draw = FigureCanvasAgg.draw
    monkeypatch.setattr(FigureCanvasAgg, "draw", lambda self: draws.append(1) or draw(self))
    shown = print_figure(fig, "png")
    assert not draws  # not drawn again
    assert _png_size(saved) == tuple(round(x * plots.SAVED_DPI / fig.dpi) for x in _png_size(shown))
    assert abs(_png_size(shown)[0] - _png_size(drawn)[0]) <= 0.05 * _png_size(drawn)[0]  # about the size drawn before
    with Image.open(io.BytesIO(shown)) as a, Image.open(io.BytesIO(saved)) as b:  # the same picture, scaled
        scaled = b.resize(a.size, Image.Resampling.BOX)
        assert a.tobytes() == scaled.tobytes()
    other = io.BytesIO()  # any other call draws as matplotlib does
    fig.savefig(other, format="png", dpi=72)
    assert draws and _png_size(other.getvalue())[0] < _png_size(shown)[0]
    draws.clear()
    fig.axes[0].set_title("changed after saving")
    assert print_figure(fig, "png") != shown and draws  # drawn afresh
    plots.save_figure(fig, "04_plans", tmp_path)  # saved again: shown as saved again, the display hook set once
    draws.clear()
    again = print_figure(fig, "png")
    assert not draws and again != shown and _png_size(again) == _png_size(shown)
    plt.close(fig)
