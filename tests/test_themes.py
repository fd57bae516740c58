"""Theme coding: inline examples, codebook checks, validation arithmetic, label alignment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from helpers import hand_codes, structure, themes, topics
from helpers.errors import StudyError
from helpers.paths import ANNOTATIONS

THEMES, CAUSES = themes.default_codebooks()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年调解矛盾纠纷120件，调解成功率100%。", ["disputes"]),
        ("严格落实“谁执法谁普法”普法责任制，开展宪法宣传周活动12场。", ["publicity"]),
        ("全面完成街道综合行政执法改革工作，执法人员正在考取执法资格证。", ["law_enforcement"]),
        ("制定《“三重一大”事项决策制度》，重大决策邀请法律顾问参与合法性审查。", ["decision_making"]),
        ("现将有关工作情况报告如下：", []),  # a procedural sentence gets no theme
        ("街道高度重视，各项工作稳步推进，取得良好成效。", []),  # generic intent: no theme
    ],
)
def test_inline_items(text, expected):
    assert [t for t, _, _ in themes.code_text(text, THEMES)] == expected


def test_evidence_and_title_weight():
    category = next(c for c in THEMES.categories if c.id == "publicity")
    text = "加强普法。在社区开展普法讲座"
    score_body, evidence = themes.score_text(text, category, title_end=0)
    score_title, _ = themes.score_text(text, category, title_end=4)
    assert evidence == [("普法", 2), ("普法", 10), ("讲座", 12)]
    assert score_body == 3 + 2 and score_title == 2 * 3 + 2  # each keyword once; doubled when in the title


def test_longest_match_wins_without_double_counting():
    category = next(c for c in THEMES.categories if c.id == "law_enforcement")
    score, evidence = themes.score_text("综合行政执法", category)
    assert evidence == [("综合行政执法", 0)] and score == 3


def test_causes_of_a_shortcoming():
    found = themes.code_text("二是法治专业人员欠缺。目前专业人员较少且多为兼职，专业能力不足，法治素养有待提高。", CAUSES)
    assert {c for c, _, _ in found} == {"staffing", "cadre_awareness"}


def test_validation_and_confusion_arithmetic():
    keys = {"report_id": ["r"] * 3, "part_seq": [1, 1, 1], "item_seq": [0, 1, 2]}
    gold = pd.DataFrame({**keys, "themes": ["a", "a;b", ""]})
    pred = pd.DataFrame({**keys, "themes": ["a", "b", "b"]})
    table = hand_codes.validation(gold, pred, ["a", "b"]).set_index("category")
    assert table.loc["a", ["support", "predicted", "tp"]].tolist() == [2, 1, 1]
    assert table.loc["a", "precision"] == 1.0 and table.loc["a", "recall"] == 0.5
    assert table.loc["b", "precision"] == 0.5 and table.loc["b", "recall"] == 1.0
    assert table.loc["macro", "f1"] == pytest.approx((2 / 3 + 2 / 3) / 2)
    matrix = hand_codes.confusion(gold, pred, ["a", "b"])
    expected = pd.DataFrame([[1, 1, 0], [0, 1, 0], [0, 1, 0]], index=pd.Index(["a", "b", "(none)"], name="gold"),
                            columns=pd.Index(["a", "b", "(none)"], name="predicted"))
    assert_frame_equal(matrix, expected)


def test_theme_profile_shares():
    coded = pd.DataFrame({"report_id": ["r", "r"], "part": ["measures", "measures"], "chars": [30, 10],
                          "themes": ["a;b", "b"]})
    profile = themes.theme_profile(coded, ["a", "b"]).set_index("theme")
    assert profile.loc["a", "item_share_pct"] == 50 and profile.loc["a", "char_share_pct"] == 75
    assert profile.loc["b", "item_share_pct"] == 100 and profile.loc["b", "char_share_pct"] == 100



def test_theme_profile_equals_each_groups_items_counted_one_by_one():
    rng = np.random.default_rng(3)
    n, ids = 500, ["a", "b", "c", "d"]
    labels = [";".join(sorted(rng.choice(ids, size=rng.integers(0, 3), replace=False))) for _ in range(n)]
    coded = pd.DataFrame({"report_id": rng.choice(["r2", "r1", "r3"], n), "part": rng.choice(["measures", "plans"], n),
                          "chars": rng.integers(0, 50, n), "themes": [x or np.nan for x in labels]})
    coded.loc[coded["report_id"] == "r3", "chars"] = 0  # a group of no characters: shares of characters 0
    profile = themes.theme_profile(coded, ids)
    groups = list(dict.fromkeys(zip(coded["report_id"], coded["part"])))  # in order of first appearance
    assert list(zip(profile["report_id"], profile["part"]))[::len(ids)] == groups
    for (report, part, theme), row in profile.set_index(["report_id", "part", "theme"]).iterrows():
        rows = coded[(coded["report_id"] == report) & (coded["part"] == part)]
        has = [theme in str(x).split(";") for x in rows["themes"]]
        assert row["items"] == len(rows) and row["items_with_theme"] == sum(has)
        assert row["item_share_pct"] == 100 * sum(has) / len(rows)
        total = int(rows["chars"].sum())
        assert row["char_share_pct"] == (100 * int(rows["chars"][has].sum()) / total if total else 0.0)


def test_every_coded_item_has_a_hand_label(corpus):
    items = structure.items_table(corpus)
    gold = hand_codes.read_labels(ANNOTATIONS / "theme_labels.csv", items)
    assert len(gold) == len(items[items["part"].isin(themes.CODED_PARTS)]) == 128
    valid_themes, valid_causes = set(THEMES.ids), set(CAUSES.ids)
    for t, c in zip(themes.split_labels(gold["themes"]), themes.split_labels(gold["causes"])):
        assert t <= valid_themes and c <= valid_causes and len(t) <= 3


def test_labels_that_no_longer_match_the_segmentation_are_an_error(corpus, tmp_path):
    items = structure.items_table(corpus)
    labels = pd.read_csv(ANNOTATIONS / "theme_labels.csv", dtype=str, keep_default_na=False)
    labels.loc[0, "start"] = "0"
    labels.to_csv(tmp_path / "labels.csv", index=False)
    with pytest.raises(StudyError, match="moved"):
        hand_codes.read_labels(tmp_path / "labels.csv", items)
    labels.iloc[1:].to_csv(tmp_path / "labels.csv", index=False)
    with pytest.raises(StudyError, match="no label or no longer exist"):
        hand_codes.read_labels(tmp_path / "labels.csv", items)


@pytest.mark.parametrize("book", [THEMES, CAUSES], ids=["themes", "causes"])
def test_codebook_examples_are_real_and_coded_so_by_hand(book, corpus):
    items = structure.items_table(corpus)
    gold = hand_codes.read_labels(ANNOTATIONS / "theme_labels.csv", items).merge(items)
    column = "themes" if book is THEMES else "causes"
    key = "themes" if book is THEMES else "causes"
    for entry in book.raw[key]:
        assert 1 <= len(entry["examples"]) <= 2
        if len(entry["examples"]) == 1:
            assert entry.get("examples_note")
        for example in entry["examples"]:
            hits = gold[(gold["report_id"] == example["report_id"]) & gold["text"].str.contains(example["quote"], regex=False)]
            assert len(hits) >= 1, example
            assert any(entry["id"] in s for s in themes.split_labels(hits[column])), (entry["id"], example)
    assert len(THEMES.ids) == 14


def test_codebook_errors(tmp_path):
    (tmp_path / "bad.yaml").write_text("themes:\n  - id: x\n    zh: 甲\n", encoding="utf-8")
    with pytest.raises(themes.CodebookError, match="x lacks en, definition"):
        themes.load_codebook(tmp_path / "bad.yaml")
    (tmp_path / "bad.yaml").write_text("themes: [", encoding="utf-8")
    with pytest.raises(themes.CodebookError, match="cannot be read as YAML"):
        themes.load_codebook(tmp_path / "bad.yaml")


def test_nmf_is_deterministic():
    # two clear topics: the earlier, sparser texts made NMF oscillate without converging on some CPUs (AMD EPYC)
    texts = ["调解 矛盾纠纷 调解 信访", "普法 宣传 普法 讲座", "调解 矛盾纠纷 信访", "宣传 普法 讲座 宣传",
             "矛盾纠纷 信访 调解 调解", "讲座 普法 宣传 讲座"]
    a_topics, a_weights = topics.nmf_topics(texts, n_topics=2, seed=0, top=2)
    b_topics, b_weights = topics.nmf_topics(texts, n_topics=2, seed=0, top=2)
    assert_frame_equal(a_topics, b_topics)
    assert (a_weights.argmax(axis=1) == b_weights.argmax(axis=1)).all()
    assert a_weights.argmax(axis=1)[0] == a_weights.argmax(axis=1)[2] != a_weights.argmax(axis=1)[1]


def test_one_pass_finds_every_occurrence_of_every_keyword(corpus):
    """Codebook.matches (one Aho–Corasick pass) finds what a search for each keyword in turn finds, overlapping
    occurrences and keywords shared by several categories included."""
    shared = themes.Category("b", "乙", "B", "", {"法": 1.0, "依法行政": 2.0, "行政": 1.0})
    book = themes.Codebook("t", 1.0, (themes.Category("a", "甲", "A", "", {"依法": 1.0, "法": 1.0, "政政": 1.0}),
                                        shared), {})
    for codebook in (*themes.default_codebooks(), book):
        for text in [r.text for r in corpus] + ["", "法", "依法行政", "行政政政", "调解矛盾纠纷"]:
            expected = [sorted((s, e, kw) for kw in c.keywords for s, e in themes._find(kw, text))
                        for c in codebook.categories]
            found = codebook.matches(text)
            assert [sorted(found.get(k, [])) for k in range(len(codebook.categories))] == expected


def test_coding_a_text_at_once_scores_as_each_category_alone(corpus):
    themes_book, causes_book = themes.default_codebooks()
    for codebook in (themes_book, causes_book):
        for r in corpus:
            for item in r.segmentation.items:
                expected = sorted(((c.id, *themes.score_text(item.text, c, 4)) for c in codebook.categories),
                                  key=lambda t: (-t[1], codebook.ids.index(t[0])))
                expected = [t for t in expected if t[1] >= codebook.threshold][:themes.MAX_LABELS]
                assert themes.code_text(item.text, codebook, 4) == expected


def test_nmf_is_fitted_on_every_item_up_to_the_limit_and_on_a_seeded_sample_past_it():
    items = pd.DataFrame({"report_id": [f"r{k:03d}" for k in range(50)], "token": [f"词{k}" for k in range(50)]})
    assert topics.nmf_items(items, limit=50) is items
    sample = topics.nmf_items(items, limit=20, seed=0)
    assert len(sample) == 20 and sample["report_id"].is_monotonic_increasing  # corpus order kept
    assert sample.equals(topics.nmf_items(items, limit=20, seed=0))
    assert not sample.equals(topics.nmf_items(items, limit=20, seed=1))


def test_label_counts_list_every_category_in_codebook_order_zeros_included():
    counts = themes.label_counts(pd.Series(["b;a", "a", "", None]), ["a", "b", "c"])
    assert counts.to_dict() == {"a": 2, "b": 1, "c": 0}
    assert list(counts.index) == ["a", "b", "c"] and counts.dtype == int


def test_the_codebook_table_names_the_six_strongest_keywords_strongest_first():
    raw = {"version": "t", "threshold": 3, "themes": [{
        "id": "x", "zh": "甲", "en": "X", "definition": "d", "include": "i", "exclude": "e", "examples": [],
        "keywords": {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 7},
    }]}
    book = themes.Codebook("t", 3.0, (), raw)
    row = themes.codebook_table(book).iloc[0]
    assert row["strongest keywords"] == "七、八、六、五、四、三"  # ties by keyword, then the weakest two left out
    assert row["keywords"] == 8


def test_coding_sources_profiles_and_cause_counts_side_by_side():
    coded = pd.DataFrame({"report_id": ["r"] * 3, "part_seq": [1, 1, 2], "item_seq": [1, 2, 1],
                          "part": ["measures", "measures", "shortcomings"], "chars": [10, 30, 20],
                          "themes": ["disputes", "", "disputes;publicity"], "causes": ["", "", "staff"]})
    assert list(hand_codes.coding_sources(coded, None)) == ["coder"]
    gold = coded[["report_id", "part_seq", "item_seq"]].assign(themes=["", "", "publicity"], causes=["", "", ""])
    sources = hand_codes.coding_sources(coded, gold)
    assert list(sources) == ["coder", "hand codes"] and sources["hand codes"]["themes"].tolist() == ["", "", "publicity"]
    profile = hand_codes.profiles_by_source(sources, ["publicity", "disputes"], {"disputes": "调解"})
    assert list(profile.index) == ["publicity", "调解"]
    assert profile[("coder", "measures")].tolist() == [0.0, 50.0]
    assert profile[("hand codes", "shortcomings")].tolist() == [100.0, 0.0]
    counts = hand_codes.cause_counts_by_source(sources, ["staff", "funds"])
    assert counts.to_dict() == {"coder": {"staff": 1, "funds": 0}, "hand codes": {"staff": 0, "funds": 0}}


_KEYWORD_PIECES = sorted({kw for book in (THEMES, CAUSES) for kw in book.keywords}) + list("，。的和")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_KEYWORD_PIECES), max_size=14).map("".join), max_size=12), st.data())
def test_coding_many_texts_at_once_equals_coding_each(texts, data):
    """code_texts resolves overlapping keywords on arrays; random keyword soups hit every overlap shape."""
    ends = [data.draw(st.integers(0, len(t))) for t in texts]
    for book in (THEMES, CAUSES):
        assert themes.code_texts(texts, book, ends) == [themes.code_text(t, book, e) for t, e in zip(texts, ends)]


def test_coding_many_texts_at_once_equals_coding_each_on_real_items(corpus):
    from helpers import instruments, synthetic

    texts = structure.items_table(corpus)["text"].tolist()
    texts += [line for r in synthetic.synthetic_reports(40, synthetic.item_pool(corpus), seed=3) for line in r.text.split("\n")]
    for book in (THEMES, CAUSES, instruments.load_instruments()):
        assert themes.code_texts(texts, book) == [themes.code_text(t, book) for t in texts]
    assert themes.code_texts([], THEMES) == [] and themes.code_texts(["", "无关的话"], THEMES) == [[], []]


def _tiny_codebook(keywords: list[dict[str, float]], threshold: float = 1) -> themes.Codebook:
    categories = tuple(themes.Category(f"c{k}", "甲", "a", "", words) for k, words in enumerate(keywords))
    return themes.Codebook("test", threshold, categories, {})


_TINY_WORDS = st.text(alphabet="甲乙丙", min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(_TINY_WORDS, st.sampled_from([1.0, 2.0, 3.0]), min_size=1, max_size=6), min_size=1,
                max_size=4),
       st.lists(st.text(alphabet="甲乙丙，", max_size=16), max_size=6), st.integers(1, 6), st.data())
def test_coding_many_texts_at_once_equals_coding_each_on_a_codebook_of_overlapping_keywords(words, texts, threshold,
                                                                                            data):
    """Keywords over three characters overlap, nest and repeat in every way the coder has to resolve."""
    book = _tiny_codebook(words, threshold)
    ends = [data.draw(st.integers(0, len(t))) for t in texts]
    assert themes.code_texts(texts, book, ends) == [themes.code_text(t, book, e) for t, e in zip(texts, ends)]


def test_two_matches_starting_at_one_place_are_told_apart():
    """甲 and 甲甲 both start at 0; the longest, 甲乙丙, leaves 甲 free but not 甲甲 (found by hypothesis in CI)."""
    book = _tiny_codebook([{"甲": 1.0, "甲甲": 1.0, "甲乙丙": 1.0}])
    assert themes.code_texts(["甲甲乙丙"], book) == [themes.code_text("甲甲乙丙", book)] == [
        [("c0", 2.0, [("甲", 0), ("甲乙丙", 1)])]]


def test_a_long_keyword_holding_two_apart_takes_both_their_places():
    book = _tiny_codebook([{"甲乙丙乙甲": 1, "乙": 5, "丙": 5}])
    assert themes.code_texts(["甲乙丙乙甲"], book) == [[("c0", 1.0, [("甲乙丙乙甲", 0)])]] == [themes.code_text("甲乙丙乙甲", book)]


def _items_coded_one_by_one(items: pd.DataFrame, book: themes.Codebook, causes: themes.Codebook | None):
    """The coder's two tables, built the plain way: :func:`themes.code_text` item by item, rows appended."""
    coded_rows, evidence_rows = [], []
    for row in items[items["part"].isin(themes.CODED_PARTS)].itertuples():
        end = themes.title_end(row.text, row.item_title)
        found = {"theme": themes.code_text(row.text, book, end),
                 "cause": themes.code_text(row.text, causes, end) if causes is not None and row.part == "shortcomings" else []}
        coded_rows.append((row.report_id, row.part_seq, row.item_seq, row.part, row.item_kind, row.start, row.end,
                           row.end - row.start, *(";".join(c for c, _, _ in found[s]) for s in ("theme", "cause"))))
        for scheme, labels in found.items():
            for category, score, evidence in labels:
                evidence_rows.append((row.report_id, row.part_seq, row.item_seq, scheme, category, score,
                                      "、".join(dict.fromkeys(kw for kw, _ in evidence)),
                                      ",".join(str(row.start + at) for _, at in evidence)))
    coded = pd.DataFrame(coded_rows, columns=["report_id", "part_seq", "item_seq", "part", "item_kind", "start", "end",
                                              "chars", "themes", "causes"])
    return coded, pd.DataFrame(evidence_rows, columns=themes.EVIDENCE_COLUMNS)


def test_coding_items_on_arrays_gives_the_tables_of_coding_each_item_alone(corpus):
    """The coded and evidence tables are joined on arrays; each row must be what coding its item alone gives."""
    from shapes import synthetic_report_objects

    items = structure.items_table([*corpus, *synthetic_report_objects(corpus, 30, seed=5)])
    # a repeated keyword is named once and every offset kept; a shortcoming gets its themes, then its causes
    extra = pd.DataFrame({"report_id": ["x", "x"], "part_seq": [2, 2], "item_seq": [0, 1], "part": ["shortcomings"] * 2,
                          "item_kind": ["numbered"] * 2, "start": [100, 140], "end": [130, 170], "item_title": ["", ""],
                          "text": ["调解矛盾纠纷，再调解矛盾纠纷，法治意识不强，人员力量不足", "无关的话"]})
    items = pd.concat([items, extra], ignore_index=True)
    for causes in (CAUSES, None):
        coded, evidence = themes.code_items(items, THEMES, causes)
        want_coded, want_evidence = _items_coded_one_by_one(items, THEMES, causes)
        assert_frame_equal(coded.reset_index(drop=True), want_coded, check_dtype=False)
        assert_frame_equal(evidence, want_evidence, check_dtype=False)
        assert evidence["part_seq"].dtype == np.int64 and evidence["score"].dtype == np.float64
    _, evidence = themes.code_items(items, THEMES, CAUSES)
    mine = evidence[evidence["report_id"] == "x"]
    assert mine["scheme"].tolist()[:1] == ["theme"] and "cause" in set(mine["scheme"])
    disputes = mine[mine["category"] == "disputes"].iloc[0]
    assert disputes["keywords"].count("矛盾纠纷") == 1 and len(disputes["offsets"].split(",")) >= 2
    # no item at all: both tables empty, the evidence with its columns
    coded, evidence = themes.code_items(items.iloc[:0], THEMES, CAUSES)
    assert coded.empty and evidence.empty and list(evidence.columns) == themes.EVIDENCE_COLUMNS


@pytest.mark.parametrize("threshold", [0, 2])
def test_a_codebook_with_patterns_or_no_threshold_is_coded_text_by_text_with_the_same_tables(threshold):
    """Patterns (``re:``) and a threshold of 0 take the text-by-text path; its arrays give the same tables."""
    book = _tiny_codebook([{"re:甲+乙": 2.0, "丙": 1.0}, {"乙": 1.0, "丙丙": 2.0}], threshold)
    texts = ["甲甲乙丙，丙丙", "乙", "", "丁", "丙乙丙丙甲乙"]
    assert themes.code_texts(texts, book) == [themes.code_text(t, book) for t in texts]
    items = pd.DataFrame({"report_id": ["r"] * 5, "part_seq": [1] * 5, "item_seq": range(5), "part": ["measures"] * 5,
                          "item_kind": ["numbered"] * 5, "start": [0, 10, 20, 30, 40], "end": [7, 11, 20, 31, 46],
                          "item_title": [""] * 5, "text": texts})
    coded, evidence = themes.code_items(items, book)
    want_coded, want_evidence = _items_coded_one_by_one(items, book, None)
    assert_frame_equal(coded, want_coded, check_dtype=False)
    assert_frame_equal(evidence, want_evidence, check_dtype=False)
    assert "re:甲+乙" in set(evidence["keywords"].str.split("、").explode())
