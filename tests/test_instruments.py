"""Policy-instrument coding: the codebook, the coder on built items, hand codes, validation, tables, words, charts."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from figure_checks import assert_legible_on_a_slide
from shapes import EXTERNAL, study_of, synthetic_report_objects

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from pandas.testing import assert_frame_equal  # noqa: E402

from helpers import instruments, plots, structure, themes  # noqa: E402
from helpers.corpus import report_from_raw  # noqa: E402
from helpers.errors import StudyError  # noqa: E402
from helpers.read import raw_from_text, read_table  # noqa: E402
from helpers.unavailable import Unavailable  # noqa: E402

BOOK = instruments.load_instruments()
THEMES, CAUSES = themes.default_codebooks()
KEYS = ["report_id", "part_seq", "item_seq"]


def _items(texts: list[str], part: str = "measures", titles: list[str] | None = None) -> pd.DataFrame:
    """An items table of one report, one item per text (offsets as if the items followed each other)."""
    starts = [sum(len(t) for t in texts[:k]) for k in range(len(texts))]
    return pd.DataFrame({"report_id": "r", "part_seq": 1, "part": part, "item_seq": range(len(texts)),
                         "item_kind": "numbered", "item_title": titles or [""] * len(texts), "text": texts,
                         "start": starts, "end": [s + len(t) for s, t in zip(starts, texts)]})


@pytest.fixture(scope="module")
def bundled(corpus):
    """Items of the bundled reports, the coder's instruments and evidence, the hand codes, the theme codes."""
    items = structure.items_table(corpus)
    coded, _ = themes.code_items(items, THEMES, CAUSES)
    table, evidence = instruments.code_instruments(items, BOOK)
    gold = instruments.load_instrument_hand_codes(items, BOOK)
    return items, table, evidence, gold, coded


# --- the codebook ----------------------------------------------------------------------------------------------


def test_the_codebook_has_14_sub_instruments_in_3_types():
    assert len(BOOK.ids) == 14 and instruments.type_ids(BOOK) == ["supply", "environment", "demand"]
    of_type = instruments.instrument_types(BOOK)
    assert [sum(t == k for t in of_type.values()) for k in ("supply", "environment", "demand")] == [5, 5, 4]
    assert not set(BOOK.ids) & set(THEMES.ids)  # a column name never means two things
    assert BOOK.version and BOOK.raw["changelog"]
    table = instruments.instrument_codebook_table(BOOK)
    assert table["type"].tolist()[:2] == ["供给型 / Supply-side"] * 2 and table["id"].tolist() == BOOK.ids
    training = next(c for c in BOOK.categories if c.id == "training")
    strongest = table.set_index("id").loc["training", "strongest keywords"].split("、")
    assert len(strongest) == 6 and all(training.keywords[k] == 3 for k in strongest)


def test_codebook_examples_are_real_items_hand_coded_so(bundled):
    items, _, _, gold, _ = bundled
    labelled = gold.merge(items[[*KEYS, "text"]], on=KEYS)
    for entry in BOOK.raw["instruments"]:
        assert len(entry["examples"]) <= 2
        if len(entry["examples"]) < 2:
            assert entry.get("examples_note"), entry["id"]
        for example in entry["examples"]:
            hits = labelled[(labelled["report_id"] == example["report_id"])
                            & labelled["text"].str.contains(example["quote"], regex=False)]
            assert len(hits) >= 1, example
            assert any(entry["id"] in s for s in themes.split_labels(hits["instruments"])), (entry["id"], example)


def test_codebook_errors_name_the_file_and_the_entry(tmp_path):
    text = (instruments.DEFAULT_CODEBOOK).read_text(encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(text.replace("    type: demand\n", "    type: pull\n", 1), encoding="utf-8")
    with pytest.raises(themes.CodebookError, match=r"bad.yaml: government_purchase has type 'pull': use one of supply"):
        instruments.load_instruments(tmp_path / "bad.yaml")
    (tmp_path / "bad.yaml").write_text(text.split("\ntypes:")[0] + "\ninstruments: []\n", encoding="utf-8")
    with pytest.raises(themes.CodebookError, match="expected a 'types' list"):
        instruments.load_instruments(tmp_path / "bad.yaml")


# --- the coder on items the test builds (the guide's include and exclude cases) ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("组织机关干部参加法治专题培训，全年培训6次。", {"training"}),
        ("开展宪法宣传周活动，发放宣传资料500份。", {"publicity_guidance"}),
        ("为社区居民举办普法讲座3场。", {"publicity_guidance"}),  # the public learns: publicity, not training
        ("组织党员干部开展警示教育。", {"oversight_assessment"}),  # discipline, not training
        ("制定《“三重一大”事项决策制度》，重大决策经合法性审查。", {"rules_standards"}),
        ("对辖区商户开展执法检查，督促整改问题12个。", {"oversight_assessment"}),  # checking, not making rules
        ("建立矛盾纠纷调解室，全年调解纠纷35件。", {"public_services"}),  # residents receive a service
        ("推行居民议事会，拓宽群众参与社区事务讨论渠道。", {"public_participation"}),  # residents decide
        ("成立法治政府建设领导小组，明确分工。", {"organisation"}),
        ("制定年度工作要点和实施方案。", {"goals_plans"}),
        ("安排专项资金20万元用于法治阵地建设。", {"funding"}),
        ("推进三张清单编制。", {"rules_standards"}),  # 编制 'to compile' is no staffing
        ("大码头街道工作站成为省级示范站。", {"pilots_demonstrations"}),
        ("现将有关工作情况报告如下：", set()),  # a procedural sentence
        ("（二）依法全面履行政府职能", set()),  # a heading that announces a field, no means
    ],
)
def test_the_guides_cases(text, expected):
    table, _ = instruments.code_instruments(_items([text]), BOOK)
    assert set(themes.split_labels(table["instruments"])[0]) == expected


def test_purchase_and_outsourcing_are_demand_side_and_types_follow_labels():
    table, evidence = instruments.code_instruments(
        _items(["通过政府购买服务，委托律师事务所为社区提供法律服务。", "现将有关情况报告如下："]), BOOK)
    first = themes.split_labels(table["instruments"])[0]
    assert {"government_purchase", "outsourcing"} <= first
    assert table["instrument_types"].tolist()[0].split(";")[-1] == "demand"
    assert table["instruments"].tolist()[1] == "" and table["instrument_types"].tolist()[1] == ""
    assert set(evidence["instrument_type"]) <= {"supply", "environment", "demand"}
    assert (evidence["item_seq"] == 0).all()  # the item without an instrument has no evidence


def test_only_measures_and_plans_are_coded_and_a_title_counts_twice():
    items = pd.concat([_items(["加强培训。"], part="shortcomings"), _items(["加强学习贯彻。"], part="plans")])
    table, _ = instruments.code_instruments(items, BOOK)
    assert table["part"].tolist() == ["plans"] and table["instruments"].tolist() == [""]  # 学习贯彻 2 < 3
    titled, evidence = instruments.code_instruments(_items(["加强学习贯彻。"], part="plans", titles=["加强学习贯彻"]), BOOK)
    assert titled["instruments"].tolist() == ["training"]  # in the title: 2 × 2 ≥ 3
    assert evidence[["keyword", "offset", "score"]].values.tolist() == [["学习贯彻", 2, 4.0]]


def test_no_item_at_all_gives_empty_tables_with_their_columns():
    table, evidence = instruments.code_instruments(_items(["问题。"], part="shortcomings"), BOOK)
    assert table.empty and list(table.columns) == instruments.INSTRUMENT_COLUMNS
    assert evidence.empty and list(evidence.columns) == instruments.EVIDENCE_COLUMNS
    mix = instruments.by_region(table, pd.DataFrame({"report_id": ["r"], "macro_region": ["东部"]}), BOOK)
    assert mix.empty
    assert isinstance(plots.instrument_type_mix(mix, instruments.type_labels(BOOK), "t", "c"), Unavailable)
    s = instruments.summary(table, table.assign(themes=""), pd.DataFrame({"report_id": ["r"]}), BOOK, THEMES.ids)
    assert instruments.words(s, BOOK, THEMES.labels) == [
        "No report of this corpus has a measures or plans item: no instrument is coded."]


# --- the bundled corpus: hand codes, evidence, validation --------------------------------------------------------


def test_every_measures_and_plans_item_is_hand_coded(bundled):
    items, table, _, gold, _ = bundled
    assert len(gold) == len(table) == (items["part"].isin(["measures", "plans"])).sum() == 87
    for labels in themes.split_labels(gold["instruments"]):
        assert labels <= set(BOOK.ids) and len(labels) <= 3
    assert (gold["instruments"] == "").sum() == 10  # headings, leads, self-promotion


def test_hand_codes_that_no_longer_match_the_segmentation_are_an_error(bundled, tmp_path):
    items = bundled[0]
    labels = pd.read_csv(instruments.DEFAULT_LABELS, dtype=str, keep_default_na=False)
    labels.loc[0, "start"] = "0"
    labels.to_csv(tmp_path / "labels.csv", index=False)
    with pytest.raises(StudyError, match="labels.csv: 1 labelled item"):
        instruments.read_instrument_labels(tmp_path / "labels.csv", items)
    labels.iloc[1:].to_csv(tmp_path / "labels.csv", index=False)
    with pytest.raises(StudyError, match="no label or no longer exist"):
        instruments.read_instrument_labels(tmp_path / "labels.csv", items)
    other = items.assign(report_id="not_hand_coded")
    assert instruments.load_instrument_hand_codes(other, BOOK) is None


def test_evidence_points_at_the_keyword_in_the_report(bundled, by_id):
    _, table, evidence, _, _ = bundled
    assert len(evidence) > 100
    for row in evidence.itertuples():
        assert by_id[row.report_id].text[row.offset:row.offset + len(row.keyword)] == row.keyword
    assigned = evidence.groupby(KEYS)["instrument"].agg(set)
    for row in table[table["instruments"] != ""].itertuples():
        assert assigned[(row.report_id, row.part_seq, row.item_seq)] == set(row.instruments.split(";"))


def _plain_scores(gold: pd.DataFrame, predicted: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per label: support, predicted, tp — recomputed with explode and merge, not with the study's helpers."""
    both = gold[[*KEYS, column]].merge(predicted[[*KEYS, column]], on=KEYS, suffixes=("_gold", "_pred"))
    long = {side: both.assign(label=both[f"{column}_{side}"].str.split(";")).explode("label")
            .query("label != ''")[[*KEYS, "label"]] for side in ("gold", "pred")}
    tp = long["gold"].merge(long["pred"], on=[*KEYS, "label"])["label"].value_counts()
    return pd.DataFrame({"support": long["gold"]["label"].value_counts(),
                         "predicted": long["pred"]["label"].value_counts(), "tp": tp}).fillna(0).astype(int)


def test_validation_recomputed_in_plain_pandas(bundled):
    _, table, _, gold, _ = bundled
    scores = instruments.validation_table(gold, table, BOOK)
    for level, column in (("sub-instrument", "instruments"), ("type", "instrument_types")):
        mine = scores[scores["level"] == level].set_index("category")
        plain = _plain_scores(gold, table, column)
        for label, row in plain.iterrows():
            assert mine.loc[label, ["support", "predicted", "tp"]].tolist() == row.tolist(), (level, label)
            precision = row["tp"] / row["predicted"] if row["predicted"] else 0.0
            recall = row["tp"] / row["support"] if row["support"] else 0.0
            assert mine.loc[label, "precision"] == pytest.approx(precision)
            assert mine.loc[label, "recall"] == pytest.approx(recall)
        pooled = plain.sum()
        p, r = pooled["tp"] / pooled["predicted"], pooled["tp"] / pooled["support"]
        assert mine.loc["micro", "f1"] == pytest.approx(2 * p * r / (p + r))
    subs = scores[scores["level"] == "sub-instrument"].set_index("category")
    print("\ninstrument coder against the hand codes:\n" + scores.round(2).to_string(index=False))
    assert subs.loc["micro", "support"] == 132  # the hand codes' number of codes (87 items)


def test_no_hand_codes_means_an_empty_validation_and_says_so(bundled, corpus):
    _, table, _, _, coded = bundled
    assert instruments.validation_table(None, table, BOOK).empty
    frame = structure.corpus_table(corpus)
    s = instruments.summary(table, coded, frame, BOOK, THEMES.ids, gold=None)
    assert s.hand_items is None
    assert "No item of this corpus is hand-coded for instruments" in instruments.words(s, BOOK, THEMES.labels)[-1]


# --- tables, words and charts -----------------------------------------------------------------------------------


def test_by_theme_counts_match_a_plain_cross_tabulation(bundled):
    _, table, _, _, coded = bundled
    mine = instruments.by_theme(table, coded, BOOK, THEMES.ids).set_index(["theme", "instrument"])
    both = table[[*KEYS, "instruments"]].merge(coded[[*KEYS, "themes"]], on=KEYS)
    long = (both.assign(theme=both["themes"].str.split(";"), instrument=both["instruments"].str.split(";"))
            .explode("theme").explode("instrument"))
    long["theme"] = long["theme"].replace("", instruments.NO_THEME)
    counts = long[long["instrument"] != ""].groupby(["theme", "instrument"]).size()
    for (theme, instrument), n in counts.items():
        assert mine.loc[(theme, instrument), "items"] == n
    assert mine["items"].sum() == counts.sum()
    n_theme = both.assign(theme=both["themes"].str.split(";")).explode("theme")["theme"].value_counts()
    assert mine.loc[("disputes", "public_services"), "theme_items"] == n_theme["disputes"]


def test_counts_by_source_share_one_denominator_and_a_profile_by_report(bundled):
    _, table, _, gold, _ = bundled
    counts = instruments.counts_by_source(table, gold, BOOK)
    assert list(counts.columns) == ["items (of 87, coder)", "items (of 87, hand codes)"]
    assert counts.loc["教育培训 / Training & study"].tolist() == [25, 26]
    assert counts.loc["(no instrument)"].tolist() == [(table["instruments"] == "").sum(), 10]
    assert counts.loc["需求型 / Demand-side", "items (of 87, hand codes)"] == 8
    alone = instruments.counts_by_source(table, None, BOOK)
    assert list(alone.columns) == ["items (of 87, coder)"]
    profile = instruments.instrument_profile(table, BOOK.ids, by=["report_id"]).set_index(["report_id", "instrument"])
    assert profile.loc[("2024_jilin_dongsan", "public_services"), "items"] == (table["report_id"] == "2024_jilin_dongsan").sum()


def test_region_and_part_mix(bundled, corpus):
    _, table, _, _, _ = bundled
    frame = structure.corpus_table(corpus)
    mix = instruments.by_region(table, frame, BOOK)
    assert list(dict.fromkeys(mix["macro_region"])) == ["东部", "中部", "西部", "东北"]
    sums = mix.groupby("macro_region")["code_share_pct"].sum()
    assert (sums.round(9) == 100).all()
    assert mix.groupby("macro_region")["items"].first().sum() == len(table)
    parts = instruments.by_part(table, BOOK)
    assert list(parts.columns) == ["measures items (of 66)", "measures %", "plans items (of 21)", "plans %"]
    assert parts.iloc[:, 0].sum() == sum(len(s) for s, p in zip(themes.split_labels(table["instruments"]),
                                                                 table["part"]) if p == "measures")


def test_words_have_denominators_and_name_ties(bundled, corpus):
    _, table, _, gold, coded = bundled
    frame = structure.corpus_table(corpus)
    s = instruments.summary(table, coded, frame, BOOK, THEMES.ids, gold)
    sentences = instruments.words(s, BOOK, THEMES.labels)
    assert sentences[0].startswith(f"The instrument coder gives at least one instrument to {s.items_with_instrument} of 87")
    assert s.items_with_instrument == (table["instruments"] != "").sum()
    assert "(tied)" in sentences[4] or len(set(s.region_leaders.values())) == 1
    assert f"{s.micro_f1:.2f}" in sentences[-1] and "flatter" in sentences[-1]
    one = instruments.summary(table, coded, frame.assign(macro_region="东部"), BOOK, THEMES.ids, gold)
    assert "all 5 reports are in one macro-region, 东部" in " ".join(instruments.words(one, BOOK, THEMES.labels))


def test_charts_are_legible_on_a_slide_and_one_region_draws(bundled, corpus):
    _, table, _, _, coded = bundled
    frame = structure.corpus_table(corpus)
    by = instruments.by_theme(table, coded, BOOK, THEMES.ids)
    matrix = instruments.theme_instrument_matrix(by, BOOK, THEMES.labels)
    title = instruments.theme_instrument_title(by, THEMES.labels, BOOK)
    assert " of " in title and "items" in title
    figures = [plots.theme_instrument_heatmap(matrix, title, "Source: 5 reports. Cells: share, %.")]
    for regions in (frame, frame.assign(macro_region="西部")):
        mix = instruments.by_region(table, regions, BOOK)
        figures.append(plots.instrument_type_mix(mix, instruments.type_labels(BOOK),
                                                 instruments.type_mix_title(mix, BOOK), "Source: 5 reports."))
    assert figures[2].axes[0].get_yticklabels()[0].get_text().startswith("西部（5 reports, 87 items）")
    for fig in figures:
        fig.canvas.draw()
        assert_legible_on_a_slide(fig)
        assert plots.figure_title(fig)
        plt.close(fig)
    none = instruments.theme_instrument_matrix(by.assign(theme_items=0), BOOK, THEMES.labels)
    assert isinstance(none, Unavailable)


# --- other corpora ----------------------------------------------------------------------------------------------


def test_a_synthetic_corpus_of_200_reports(corpus):
    from helpers import synthetic
    from helpers.regions import macro_region

    made = synthetic.synthetic_reports(200, synthetic.item_pool(corpus))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reports = [report_from_raw(raw_from_text(r.text, r.file, "txt"), r.file[:-4]) for r in made]
    frame = pd.DataFrame({"report_id": [r.file[:-4] for r in made],
                          "macro_region": [macro_region(r.province) or "" if r.province else "" for r in made]})
    items = structure.items_table(reports)
    table, _ = instruments.code_instruments(items, BOOK)
    coded, _ = themes.code_items(items, THEMES)
    assert instruments.load_instrument_hand_codes(items, BOOK) is None
    s = instruments.summary(table, coded, frame, BOOK, THEMES.ids)
    assert s.reports == table["report_id"].nunique() > 150 and s.items == len(table)
    sentences = instruments.words(s, BOOK, THEMES.labels)
    assert "not validated" in sentences[-1] and "by macro-region" in sentences[4]
    assert sum(s.region_reports.values()) == s.reports and len(s.region_reports) >= 4


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason=f"{EXTERNAL} (real reports for tests only) is not here")
def test_the_provincial_government_work_reports_are_coded():
    reports = []
    for path in sorted(EXTERNAL.glob("2026_*.csv")):
        _, rows = read_table(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reports.append(report_from_raw(raw_from_text(rows[0].text, path.name, "csv"), path.stem,
                                           title=rows[0].columns["title"]))
    items = structure.items_table(reports)
    table, evidence = instruments.code_instruments(items, BOOK)
    assert set(table["part"]) == {"measures", "plans"} and table["report_id"].nunique() == len(reports)
    counts = themes.label_counts(table["instruments"], BOOK.ids)
    print("\ninstruments of the 政府工作报告 items (unvalidated genre):\n" + counts.to_string())
    assert (table["instruments"] != "").mean() > 0.5
    assert set(evidence["instrument"]) <= set(BOOK.ids)
    coded, _ = themes.code_items(items, THEMES)
    s = instruments.summary(table, coded, pd.DataFrame({"report_id": table["report_id"].unique()}), BOOK, THEMES.ids,
                            instruments.load_instrument_hand_codes(items, BOOK))
    sentences = instruments.words(s, BOOK, THEMES.labels)
    assert s.reports == 31 and "no report is placed in a macro-region" in sentences[-2]
    assert "not validated" in sentences[-1]


def test_the_export_written_a_slice_of_reports_at_a_time_is_the_whole_tables(tmp_path):
    from helpers.exports import write_csv
    from helpers.paths import RAW

    study = study_of(RAW, tmp_path)
    tools = instruments.instrument_tables(study)
    whole = study.stamped(instruments.export_table(study.store.table("instruments"), study.store.table("instrument_evidence"),
                                                   study.items()))
    write_csv(whole, tmp_path / "whole.csv")
    for reports in (1, 2, 4, 5, 100):
        first = instruments.write_export(study, tmp_path / f"by{reports}.csv", reports=reports)
        assert (tmp_path / f"by{reports}.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
        pd.testing.assert_frame_equal(first, whole.head(10))
    assert len(instruments.write_export(study, tmp_path / "all.csv", first=10**6, reports=2)) == len(whole)
    # the hand codes read from the hand-coded reports' items alone are those of every item (instruments, themes)
    pd.testing.assert_frame_equal(tools["gold"], instruments.load_instrument_hand_codes(study.items(), tools["book"]))
    from helpers import hand_codes

    themes_gold = hand_codes.load_hand_codes(hand_codes.labelled_items(study, hand_codes.THEME_LABELS))
    assert themes_gold is not None and len(themes_gold)
    pd.testing.assert_frame_equal(themes_gold, hand_codes.load_hand_codes(study.items()))


def test_the_exported_table_points_at_each_item_in_its_file_and_names_its_evidence(corpus, by_id):
    from helpers.normalise import normalise

    items = structure.items_table(corpus)
    table, evidence = instruments.code_instruments(items, BOOK)
    out = instruments.export_table(table, evidence, items)
    assert list(out.columns) == [c for c in instruments.EXPORT_COLUMNS if not c.endswith("_version")]
    assert len(out) == len(table) and out[["raw_start", "raw_end"]].notna().all().all()
    for row in out.iloc[::7].itertuples():  # a sample: the raw characters normalise to the item's text
        report = by_id[row.report_id]
        assert normalise(report.raw.text[row.raw_start:row.raw_end]).text == report.text[row.start:row.end]
        for said in filter(None, row.keywords.split(";")):
            instrument, rest = said.split(": ")
            keyword, offset = rest.rsplit("@", 1)
            assert instrument in row.instruments.split(";") and report.text[int(offset):].startswith(keyword)
    assert (out["keywords"] != "").sum() == (out["instruments"] != "").sum()


def test_the_tables_from_a_tally_read_a_slice_of_reports_at_a_time_are_those_of_the_items(tmp_path):
    """by_theme, by_region, by_part, counts_by_source, validation and summary: the same from the items or a tally."""
    import dataclasses

    from helpers.paths import RAW

    study = study_of(RAW, tmp_path)
    table, coded = study.store.table("instruments"), study.coded_items()
    gold = instruments.load_instrument_hand_codes(study.items(), BOOK)
    assert gold is not None and len(table) > 50
    whole = instruments.tally(table, coded, study.corpus)
    assert whole.items == len(table) and sum(whole.reports.values()) == table["report_id"].nunique()
    assert len(whole.counts) < len(table)  # fewer combinations than items
    for reports in (1, 2, 10**6):
        counted = instruments.study_tally(study, keep=gold, reports=reports)
        assert counted.items == len(table) and counted.reports == whole.reports
        assert len(counted.coded) == len(gold)  # the coder's rows of the hand-coded items only
        pd.testing.assert_frame_equal(instruments.by_theme(counted, None, BOOK, THEMES.ids),
                                      instruments.by_theme(table, coded, BOOK, THEMES.ids), check_exact=True)
        pd.testing.assert_frame_equal(instruments.by_region(counted, None, BOOK),
                                      instruments.by_region(table, study.corpus, BOOK), check_exact=True)
        pd.testing.assert_frame_equal(instruments.by_part(counted, BOOK), instruments.by_part(table, BOOK))
        pd.testing.assert_frame_equal(instruments.counts_by_source(counted, gold, BOOK),
                                      instruments.counts_by_source(table, gold, BOOK))
        pd.testing.assert_frame_equal(instruments.counts_by_source(counted, None, BOOK),
                                      instruments.counts_by_source(table, None, BOOK))
        pd.testing.assert_frame_equal(instruments.validation_table(gold, counted, BOOK),
                                      instruments.validation_table(gold, table, BOOK))
        assert dataclasses.asdict(instruments.summary(counted, None, None, BOOK, THEMES.ids, gold)) == \
            dataclasses.asdict(instruments.summary(table, coded, study.corpus, BOOK, THEMES.ids, gold))
    empty = instruments.merge_tallies([])
    assert empty.items == 0 and instruments.by_region(empty, None, BOOK).empty
    assert instruments.by_theme(empty, None, BOOK, THEMES.ids)["items"].sum() == 0


def test_the_tables_coded_on_arrays_are_those_of_coding_each_item_alone(corpus):
    """One row per item and one per label × keyword match, as :func:`themes.code_text` gives them item by item."""
    items = structure.items_table([*corpus, *synthetic_report_objects(corpus, 30, seed=7)])
    table, evidence = instruments.code_instruments(items, BOOK)
    of_type, labels, rows = instruments.instrument_types(BOOK), [], []
    for row in items[items["part"].isin(instruments.INSTRUMENT_PARTS)].itertuples():
        found = themes.code_text(row.text, BOOK, themes.title_end(row.text, row.item_title or ""))
        labels.append(";".join(i for i, _, _ in found))
        rows += [(row.report_id, row.part_seq, row.item_seq, i, of_type[i], score, keyword, row.start + at)
                 for i, score, matches in found for keyword, at in matches]
    assert table["instruments"].tolist() == labels and len(evidence) > 100
    assert_frame_equal(evidence, pd.DataFrame(rows, columns=instruments.EVIDENCE_COLUMNS), check_dtype=False)
    assert evidence["offset"].dtype == np.int64 and evidence["score"].dtype == np.float64
