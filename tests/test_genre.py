"""Genre profiles (data/profiles), genre detection, page furniture, and the 政府工作报告 profile on its gold."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from shapes import EXTERNAL, GWR, genres

from helpers.corpus import report_from_raw
from helpers.errors import MetadataError, SegmentationWarning
from helpers.furniture import drop_furniture, is_furniture
from helpers.part_gold import (
    GOLD_PARTS,
    TOLERANCE,
    raw_offset,
    read_part_gold,
    score_part_starts,
    sentences_apart,
)
from helpers.profiles import (
    DEFAULT_GENRE,
    ProfileError,
    detect_genre,
    profile_for,
    read_profile,
    read_profiles,
)
from helpers.read import raw_from_text, read_table
from helpers.segment import NESTED_PATTERNS, PART_PATTERNS, UNNUMBERED_PATTERNS, segment


def _report(text: str, title: str = "", genre: str = ""):
    raw = raw_from_text(text, "gwr.csv", "csv")
    return report_from_raw(raw, "r", {"genre": genre}, title=title)


def test_the_fazhi_profile_holds_the_patterns_the_segmenter_had():
    fazhi = read_profiles()[DEFAULT_GENRE]
    assert list(fazhi.parts) == ["leadership", "shortcomings", "plans", "other", "measures"]  # the tried order
    assert PART_PATTERNS is fazhi.parts and NESTED_PATTERNS is fazhi.nested and UNNUMBERED_PATTERNS is fazhi.unnumbered
    assert fazhi.parts["plans"].pattern == "下一(年度|年|步|阶段)|明年|来年|今后|安排|计划|打算|思路|展望|努力方向"
    assert fazhi.nested["plans"].pattern == "下一(年度|年|步|阶段)|明年|来年|今后"
    assert fazhi.unnamed == "measures" and not fazhi.unnamed_after and not fazhi.headless
    assert not fazhi.restarts_are_lists


def test_profile_errors_name_the_file_and_the_key(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("genre: x\nversion: 1\ntitle: 'x'\nparts:\n  measure: 'a'\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"x.yaml: parts.measure: 'measure' is not a part; use one of measures"):
        read_profile(path)
    path.write_text("genre: x\nversion: 1\ntitle: '(x'\nparts:\n  measures: 'a'\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"title: '\(x' is not a valid regular expression"):
        read_profile(path)
    path.write_text("genre: x\nversion: 1\ntitle: 'x'\nparts: {measures: a}\nheadles: {}\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="unknown key.s. headles"):
        read_profile(path)
    with pytest.raises(
        ProfileError, match="genre 'gwr' has no profile in data/profiles; use one of fazhi_report, gov_work_report"
    ):
        profile_for("gwr")


def test_a_third_genre_is_a_yaml_file_and_no_code(tmp_path):
    dept = tmp_path / "dept.yaml"
    dept.write_text(
        "genre: yifa_dept\nversion: 1\nname: 部门依法行政报告\ntitle: '依法行政工作(报告|总结)'\n"
        "parts:\n  shortcomings: '存在问题'\n  plans: '工作打算'\n  measures: '工作情况'\n",
        encoding="utf-8",
    )
    profile = read_profile(dept)
    text = "一、工作情况\n我局开展执法检查12次。\n二、存在问题\n执法力量不足。\n三、工作打算\n明年加强培训。"
    assert [p.label for p in segment(text, "dept.txt", profile).parts] == ["measures", "shortcomings", "plans"]


def test_genre_from_title_opening_and_cues():
    assert detect_genre("2026年北京市政府工作报告", "") == ("gov_work_report", "title")
    assert detect_genre("某街道2023年法治政府建设工作报告", "") == ("fazhi_report", "title")
    assert detect_genre("", "某区人民政府关于2023年法治政府建设情况的报告\n一、…") == ("fazhi_report", "opening")
    assert detect_genre("", "一、主要举措和成效\n一是开展普法。") == ("fazhi_report", "cues")
    assert detect_genre("", "各位代表：\n现在，我向大会报告工作，请予审议。") == ("gov_work_report", "cues")
    assert detect_genre("会议纪要", "今天开会。讨论了绿化。") == ("unknown", "none")


def test_a_report_of_no_known_genre_is_read_as_a_fazhi_report_and_said_so():
    with pytest.warns(
        SegmentationWarning,
        match=r"gwr.csv: its genre was not recognised .* give its genre in "
        r"reports.csv \(column genre\)",
    ):
        report = _report("一、会议情况\n今天开会。\n讨论了绿化。")
    assert report.genre == "unknown" and report.genre_evidence == "none"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        given = _report("一、会议情况\n今天开会。\n讨论了绿化。", genre="fazhi_report")
    assert (given.genre, given.genre_evidence) == ("fazhi_report", "given")


def test_furniture_lines():
    for line in (
        "下载",
        "打印",
        "【字号：",
        "加大",
        "】",
        "【关闭】",
        "相关报道：",
        "来源：北京日报",
        "时间：2026-02-02",
        "殷勇同志作政府工作报告。本报记者 戴冰摄",
        "任振鹤作政府工作报告。新甘肃·甘肃日报记者 盛学卿",
    ):
        assert is_furniture(line), line
    for line in ("我们加大了执法检查力度。", "一、2025年工作回顾", "北京市市长 殷勇", "各位代表：", "下载打印全屏"):
        assert not is_furniture(line), line
    assert not is_furniture("责编：华家街道", head=False)  # after the body: the sign-off's, kept


def test_furniture_is_dropped_with_the_map_to_the_raw_text_kept():
    raw = GWR
    dropped, n = drop_furniture(raw)
    assert n == 9  # 下载 打印 【字号： 加大 】, 来源 时间, the caption, and 相关报道： at the end
    assert dropped.text.splitlines()[:2] == ["2026年某省政府工作报告", "各位代表："]
    assert "来源" not in dropped.text and "相关报道" not in dropped.text and not dropped.text.endswith("\n")
    for start in range(0, len(dropped.text), 7):
        a, b = dropped.to_raw(start, start + 1)
        assert raw[a:b] == dropped.text[start] or dropped.text[start] == "\n"
    same, none = drop_furniture("一、主要举措\n内容。")
    assert none == 0 and same.text == "一、主要举措\n内容。"


def test_the_gov_work_report_profile_reads_review_admission_and_plans():
    report = _report(GWR, title="2026年某省政府工作报告")
    assert (report.genre, report.genre_evidence) == ("gov_work_report", "title")
    parts = report.segmentation.parts
    assert [p.label for p in parts] == ["preamble", "measures", "shortcomings", "plans", "plans"]
    admission = parts[2]
    assert report.text[admission.start :].startswith("在看到成绩的同时，我们也清醒认识到")
    assert admission.heading == "" and admission.nested
    assert report.text[parts[3].start :].startswith("二、2026年工作安排")
    assert report.text[parts[4].start :].startswith("三、加强政府自身建设")  # a topical heading after the plans
    assert "一、提高低保标准" in report.text[parts[4].start : parts[4].end]  # a list inside it, not new parts
    a, b = report.normalised.to_raw(admission.start, admission.end)
    assert GWR[a:b].startswith("在看到成绩的同时")


def test_the_fazhi_profile_ignores_an_admission_cue():
    text = "一、主要举措和成效\n开展普法。我们也清醒认识到，还存在一些问题。\n二、下一步工作计划\n加强培训。"
    assert [p.label for p in segment(text).parts] == ["measures", "plans"]


def test_gold_offsets_and_sentences():
    assert raw_offset("ab\ncd\nef", 3, 1) == 6
    with pytest.raises(ValueError, match="line 4 is not in a text of 3 lines"):
        raw_offset("ab\ncd\nef", 4, 1)
    assert sentences_apart("甲。乙。丙", 0, 4) == 2 and sentences_apart("甲。乙。丙", 4, 0) == 2
    assert sentences_apart("甲乙\n丙", 0, 2) == 0 and sentences_apart("甲乙\n丙", 0, 3) == 1


def test_the_gold_is_read_and_checked(tmp_path):
    gold = read_part_gold()
    assert len(gold) == 93 and set(gold["part"]) == set(GOLD_PARTS) and gold["file"].nunique() == 31
    bad = tmp_path / "gold.csv"
    bad.write_text("file,part,line,column,note\na.csv,review,1,1,\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="rows 2 name a part other than measures"):
        read_part_gold(bad)


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason=f"{EXTERNAL} (real reports for tests only) is not here")
def test_the_31_provincial_reports_score_on_the_hand_read_gold():
    reports = []
    for path in sorted(EXTERNAL.glob("2026_*.csv")):
        _, rows = read_table(path)
        raw = raw_from_text(rows[0].text, path.name, "csv")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no report of the 31 goes unrecognised
            reports.append(report_from_raw(raw, path.stem, title=rows[0].columns["title"]))
    assert {r.genre for r in reports} == {"gov_work_report"}
    scores = score_part_starts(reports, read_part_gold())
    by_part = scores.groupby("part")["agrees"].agg(["sum", "count"])
    print("\nparts beginning within one sentence of the gold:\n" + by_part.to_string())
    assert scores["agrees"].all(), scores[~scores["agrees"]].to_string()
    assert (scores["apart"] <= TOLERANCE).all()
    for report in reports:  # in order, furniture gone
        labels = [p.label for p in report.segmentation.parts]
        first = [labels.index(p) for p in ("measures", "shortcomings", "plans")]
        assert first == sorted(first), report.raw.file
        assert not report.text.startswith("下载") and "【字号" not in report.text
        assert np.all(np.diff(report.normalised.raw_start) > 0)


def test_the_genre_given_in_reports_csv_is_used_and_a_change_of_it_refused(tmp_path):
    from helpers.store import Store, StoreError, build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GWR, encoding="utf-8")
    (corpus / "reports.csv").write_text("file,genre\na.txt,fazhi_report\n", encoding="utf-8")
    build(corpus, tmp_path / "store", workers=1)
    texts = Store(tmp_path / "store").table("texts", columns=["genre", "genre_evidence"])
    assert texts[["genre", "genre_evidence"]].values.tolist() == [["fazhi_report", "given"]]
    (corpus / "reports.csv").write_text("file,genre\na.txt,gov_work_report\n", encoding="utf-8")
    with pytest.raises(StoreError, match=r"the genre of 1 report\(s\) changed since they were read: a.txt \(stored "
                                         r"as fazhi_report, now given gov_work_report\)\. Build into a new store"):
        build(corpus, tmp_path / "store", workers=1)
    build(corpus, tmp_path / "fresh", workers=1)
    parts = Store(tmp_path / "fresh").table("parts", columns=["part"])
    assert parts["part"].tolist() == ["preamble", "measures", "shortcomings", "plans", "plans"]
    (corpus / "reports.csv").write_text("file,genre\na.txt,gwr\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="row 2: genre 'gwr' has no profile; use one of fazhi_report, "
                                            "gov_work_report"):
        build(corpus, tmp_path / "other", workers=1)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A folder of two 法治 reports and one 政府工作报告, and its store."""
    from helpers.store import build

    root = tmp_path_factory.mktemp("mixed")
    corpus = genres(root / "corpus")
    build(corpus, root / "store", workers=1)
    return corpus, root / "store"


def test_a_store_seen_through_some_reports(mixed):
    from helpers.store import Store

    _, store = mixed
    whole = Store(store)
    gwr = whole.table("texts", columns=["genre"]).query("genre == 'gov_work_report'")["report_id"]
    view = whole.only(gwr)
    assert list(view.metadata()["report_id"]) == list(gwr) == ["2026_某省_政府工作报告"]
    assert set(view.table("parts")["report_id"]) == set(gwr)
    counts = view.token_counts(("report_id",))
    assert set(counts["report_id"]) == set(gwr) and len(whole.metadata()) == 3


def test_a_study_of_several_genres_is_made_one_genre_at_a_time(mixed):
    from helpers import plots
    from helpers.context import load_study
    from helpers.errors import StudyError

    corpus, store = mixed
    with pytest.raises(StudyError, match=r"holds reports of 2 genres \(fazhi_report, gov_work_report\), which are "
                                         r"studied one at a time: set the notebook's parameter genre"):
        load_study(corpus, store_dir=store)
    gwr = load_study(corpus, store_dir=store, genre="gov_work_report")
    assert gwr.order == ["2026_某省_政府工作报告"] and gwr.genres == ("fazhi_report", "gov_work_report")
    assert "n = 1 annual 政府工作报告 reports" in gwr.caption
    assert set(gwr.parts()["part"]) == {"preamble", "measures", "shortcomings", "plans"}
    assert plots.part_label("measures", gwr.part_names) == "工作回顾 / measures"
    fazhi = load_study(corpus, store_dir=store, genre="fazhi_report")
    assert len(fazhi.order) == 2 and "n = 2 annual 法治政府建设 reports" in fazhi.caption
    assert plots.part_label("measures", fazhi.part_names) == "举措和成效 / measures" == plots.part_label("measures")
    with pytest.raises(StudyError, match="no report of genre 'unknown'; its reports are of genre fazhi_report, "
                                         "gov_work_report"):
        load_study(corpus, store_dir=store, genre="unknown")


def test_the_index_of_a_several_genre_site(tmp_path):
    from helpers.site import genre_index

    page = genre_index(tmp_path, [("fazhi_report", "法治政府建设年度报告", 2), ("gov_work_report", "政府工作报告", 1)])
    text = page.read_text(encoding="utf-8")
    assert '<a href="fazhi_report/index.html">法治政府建设年度报告</a> (fazhi_report): 2 reports' in text
    assert '<a href="gov_work_report/index.html">政府工作报告</a> (gov_work_report): 1 report<' in text
    assert "never averaged across genres" in text
