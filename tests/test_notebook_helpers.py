"""Unit tests for the helpers only the notebooks called (docs/mutation.md: "not reached" by any unit test).

Every expected value is worked out by hand from the small tables below.
"""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_series_equal

from helpers import structure, vocabulary
from helpers.unavailable import Unavailable

# five token rows of two parts: 2 words (1 content, 1 lexicon term of category "法治"), 1 punctuation, …
TOKENS = pd.DataFrame({
    "report_id": ["a", "a", "a", "b", "b"],
    "part": ["measures", "measures", "shortcomings", "measures", "shortcomings"],
    "token": ["法治", "，", "不足", "调解", "法治"],
    "token_kind": ["word", "punct", "word", "word", "word"],
    "content": [True, False, True, True, True],
    "category": ["法治", "", "", "纠纷", "法治"],
})
CORPUS = pd.DataFrame({"report_id": ["a", "b", "c"], "macro_region": ["东部", "西部", ""],
                       "province": ["天津市", "陕西省", ""], "chars": [100, 200, 50]})


def test_with_meta_maps_report_columns_onto_tokens():
    out = vocabulary.with_meta(TOKENS, CORPUS)
    assert out["macro_region"].tolist() == ["东部", "东部", "东部", "西部", "西部"]
    assert out["province"].tolist() == ["天津市", "天津市", "天津市", "陕西省", "陕西省"]
    assert list(out.columns) == [*TOKENS.columns, "macro_region", "province"]
    only = vocabulary.with_meta(TOKENS, CORPUS, columns=("province",))
    assert list(only.columns) == [*TOKENS.columns, "province"]
    with pytest.raises(ValueError, match="the corpus table lists a report_id twice"):
        vocabulary.with_meta(TOKENS, pd.concat([CORPUS, CORPUS]))


def test_part_totals_of_tokens_and_of_token_counts():
    expected = pd.DataFrame({"tokens": [3, 2], "word_tokens": [2, 2], "content_tokens": [2, 2],
                             "lexicon_terms": [2, 1]}, index=pd.Index(["measures", "shortcomings"], name="part"))
    assert_frame_equal(vocabulary.part_totals(TOKENS), expected)
    counts = TOKENS.assign(n=[3, 1, 2, 1, 4])  # a counts table: each row stands for n tokens
    weighted = pd.DataFrame({"tokens": [5, 6], "word_tokens": [4, 6], "content_tokens": [4, 6],
                             "lexicon_terms": [4, 4]}, index=pd.Index(["measures", "shortcomings"], name="part"))
    assert_frame_equal(vocabulary.part_totals(counts), weighted)
    first_seen = vocabulary.part_totals(TOKENS.iloc[::-1])  # parts in order of first appearance, not sorted
    assert first_seen.index.tolist() == ["shortcomings", "measures"]


def test_category_shares_are_percent_of_each_parts_lexicon_terms():
    shares = vocabulary.category_shares(TOKENS, ["measures", "shortcomings"])
    # measures: 法治 1, 纠纷 1 → 50 / 50; shortcomings: 法治 1 → 100, 纠纷 0
    assert shares.loc["法治", "measures"] == 50.0 and shares.loc["纠纷", "measures"] == 50.0
    assert shares.loc["法治", "shortcomings"] == 100.0 and shares.loc["纠纷", "shortcomings"] == 0.0
    counts = TOKENS.assign(n=[3, 1, 2, 1, 4])  # measures: 法治 3, 纠纷 1 → 75 / 25
    weighted = vocabulary.category_shares(counts, ["measures"])
    assert weighted["measures"].to_dict() == {"法治": 75.0, "纠纷": 25.0}
    assert list(weighted.columns) == ["measures"]  # only the parts asked for


def test_char_totals_by_part_and_by_report_columns():
    parts = pd.DataFrame({"report_id": ["a", "a", "b"], "part": ["measures", "shortcomings", "measures"],
                          "chars": [60, 40, 200]})
    by_part = vocabulary.char_totals(parts, CORPUS, ["part"])
    assert_series_equal(by_part, pd.Series([260, 40], index=pd.Index(["measures", "shortcomings"], name="part"),
                                           name="chars"))
    by_region = vocabulary.char_totals(parts, CORPUS, ["macro_region", "part"])  # the parts' chars, not the corpus's
    assert by_region.to_dict() == {("东部", "measures"): 60, ("东部", "shortcomings"): 40, ("西部", "measures"): 200}


def test_vocabulary_summary_figures():
    tokens = TOKENS.assign(n=[3, 1, 2, 1, 4])
    scores = pd.DataFrame({"f1": [0.9, 0.8]}, index=["lexicon, HMM off (used)", "bare jieba, HMM off"])
    keyness = pd.DataFrame({"token": ["不足", "问题", "差距", "薄弱", "短板", "滞后", "法治"],
                            "G2": [9.0, 8.0, 7.0, 6.0, 5.0, 1.0, -12.0],
                            "p_G2": [0.001, 0.002, 0.009, 0.01, 0.2, 0.5, 0.0001]})
    documents = pd.DataFrame({"document": ["《宪法》", "《民法典》"]})
    cited = pd.DataFrame({"document_kind": ["法律", "法律", "规章"]})
    figures = vocabulary.summary_figures(tokens, scores, keyness, documents, cited)
    assert figures.to_dict() == {
        "tokens": 11, "content tokens": 10, "lexicon terms used (types)": 2,
        "gold F1, lexicon, HMM off": 0.9, "gold F1, bare jieba, HMM off": 0.8,
        "top shortcoming terms (G²)": "不足 · 问题 · 差距 · 薄弱 · 短板",
        "shortcoming terms with p < 0.01": 3,  # 0.01 itself is not below 0.01
        "measure terms with p < 0.01": 1,
        "documents cited (distinct)": 2, "citations of laws": 2,
    }
    none = vocabulary.summary_figures(TOKENS, scores, Unavailable("keyness", "no shortcomings"),
                                      Unavailable("documents", "none cited"), cited.iloc[:0])
    assert none["tokens"] == 5 and none["content tokens"] == 4
    assert none["top shortcoming terms (G²)"] == "n/a" and none["shortcoming terms with p < 0.01"] == "n/a"
    assert none["measure terms with p < 0.01"] == "n/a"
    assert none["documents cited (distinct)"] == 0 and none["citations of laws"] == 0


def test_region_sizes_for_a_caption():
    assert structure.region_sizes(CORPUS) == "Regions hold 1 report each. 1 report(s) have no region."
    three = pd.DataFrame({"macro_region": ["东部", "东部", "西部", "东部"]})
    assert structure.region_sizes(three) == "Regions hold 1–3 reports each."
    two = pd.DataFrame({"macro_region": ["东部", "东部"]})
    assert structure.region_sizes(two) == "Regions hold 2 reports each."
    assert structure.region_sizes(pd.DataFrame({"macro_region": ["", None]})) == "No report has a region yet."


def test_helpers_moved_out_of_the_notebooks():
    from helpers import comparison, indicators, themes

    items = pd.DataFrame({"part": ["shortcomings", "shortcomings", "measures"], "item_kind": ["lead", "numbered", "titled"]})
    assert structure.part_items(items, "shortcomings").index.tolist() == [1]
    terms = pd.DataFrame({"term": ["a", "b", "c"], "category": ["x", "x", "y"], "source": ["corpus", "national", "corpus"]})
    assert vocabulary.lexicon_sources(terms).to_dict() == {"corpus": {"x": 1, "y": 1}, "national": {"x": 1, "y": 0}}
    ranked = pd.DataFrame({"report_id": ["b", "a", "a"], "token": ["甲", "乙", "丙"]})
    assert vocabulary.terms_by_report(ranked, {"a": "A", "b": "B"})["top TF-IDF terms"].to_dict() == {"A": "乙 · 丙", "B": "甲"}
    by_region = pd.DataFrame({"macro_region": ["东部", "东部", "西部"], "token": ["甲", "乙", "甲"],
                              "per_10k_chars": [3.04, 2.0, 1.0]})
    wide = vocabulary.top_terms_wide(by_region, "macro_region", 1)
    assert wide.to_dict() == {"东部": {"甲": 3.0}, "西部": {"甲": 1.0}}
    coded = pd.DataFrame({"themes": ["t1;t2", "", "t1"]})
    assert themes.items_per_theme(coded, ["t1", "t2"], {"t1": "T1"})["items (coder)"].to_dict() == {
        "T1": 2, "t2": 1, "(no theme)": 1}
    critic = pd.DataFrame({"measures_concrete_pct": [20.0, 80.0], "shortcomings_concrete_pct": [0.0, 0.0]})
    assert comparison.concreteness_title(critic) == ("No shortcoming item names a figure, document or place; "
                                                     "20–80% of measure items do")
    critic.loc[1, "shortcomings_concrete_pct"] = 50.0
    assert comparison.concreteness_title(critic).startswith("Shortcoming items name a figure")
    assert list(comparison.concreteness_by_part(critic).columns) == ["measures", "shortcomings"]
    claims = pd.DataFrame({"report_id": ["a", "a", "b"], "part": ["measures", "plans", "measures"],
                           "is_100pct": [True, False, False]})
    table = indicators.claims_by_part(claims, ["a", "b", "c"], {"a": "A", "b": "B", "c": "C"})
    assert table.to_dict("index") == {"A": {"measures": 1, "plans": 1, "100% claims": 1},
                                      "B": {"measures": 1, "plans": 0, "100% claims": 0},
                                      "C": {"measures": 0, "plans": 0, "100% claims": 0}}


def test_beside_puts_the_first_rows_of_tables_side_by_side():
    a = pd.DataFrame({"x": [1, 2, 3]}, index=[5, 6, 7])
    b = pd.DataFrame({"y": ["p"]})
    out = vocabulary.beside({"A": a, "B": b}, 2)
    assert list(out.columns) == [("A", "x"), ("B", "y")] and out.index.tolist() == [0, 1]
    assert out[("A", "x")].tolist() == [1, 2] and out[("B", "y")].isna().tolist() == [False, True]
