"""Counting functions on small inline tables, checked against independent computations."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from helpers import vocabulary


def _tokens(rows):
    """A minimal tokens table: (report_id, part, token, content)."""
    table = pd.DataFrame(rows, columns=["report_id", "part", "token", "content"])
    table["token_kind"] = ["word" if t.strip() and t not in "，。" else ("space" if not t.strip() else "punct") for t in table["token"]]
    table["is_filler"] = table["token"].isin(["切实", "进一步"])
    table["start"] = range(len(table))
    table["end"] = table["start"] + 1
    table["item_seq"] = pd.array([0] * len(table), dtype="Int64")
    return table


TOKENS = _tokens([
    ("a", "measures", "开展", True), ("a", "measures", "普法", True), ("a", "measures", "普法", True),
    ("a", "measures", "切实", False), ("a", "shortcomings", "不够", True), ("a", "shortcomings", "普法", True),
    ("b", "measures", "开展", True), ("b", "measures", "调解", True), ("b", "shortcomings", "不够", True),
])


def test_term_frequencies_per_10k_chars():
    totals = pd.Series({"measures": 2000, "shortcomings": 500}).rename_axis("part")
    tf = vocabulary.term_frequencies(TOKENS, totals, ["part"])
    expected = pd.DataFrame({
        "part": ["measures", "measures", "measures", "shortcomings", "shortcomings"],
        "token": ["开展", "普法", "调解", "不够", "普法"],
        "count": [2, 2, 1, 2, 1],
        "per_10k_chars": [10.0, 10.0, 5.0, 40.0, 20.0],
    })
    assert_frame_equal(tf, expected)


def test_tfidf_gives_shared_terms_zero():
    table = vocabulary.tfidf(TOKENS, top=5)
    shared = table[table["token"] == "开展"]
    assert (shared["tfidf"] == 0).all()
    top_b = table[table["report_id"] == "b"].iloc[0]
    assert top_b["token"] == "调解" and top_b["idf"] == pytest.approx(math.log(2))


def _independent(a, b, c, d):
    """G² and χ² from first principles: sum over cells of 2·O·ln(O/E) and (O − E)²/E (no corrections)."""
    n = a + b + c + d
    obs = [a, b, c, d]
    exp = [(a + c) * (a + b) / n, (b + d) * (a + b) / n, (a + c) * (c + d) / n, (b + d) * (c + d) / n]
    g2 = 2 * sum(o * math.log(o / e) for o, e in zip(obs, exp) if o)
    chi2 = sum((o - e) ** 2 / e for o, e in zip(obs, exp))
    return g2, chi2


def test_keyness_matches_first_principles_and_quanteda_corrections():
    target = pd.Series({"不够": 30, "宣传": 20, "其他": 950})
    reference = pd.Series({"不够": 10, "宣传": 60, "其他": 1930})
    table = vocabulary.keyness(target, reference, min_count=1).set_index("token")
    a, b, c, d = 30, 10, 970, 1990
    g2, chi2 = _independent(a, b, c, d)
    n = a + b + c + d
    q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
    assert table.loc["不够", "G2"] == pytest.approx(g2 / q)  # Williams
    assert table.loc["不够", "chi2"] == pytest.approx(chi2)  # every expected count ≥ 5: no Yates
    assert table.loc["不够", "p_G2"] == pytest.approx(math.erfc(math.sqrt(g2 / q / 2)))
    assert table.loc["不够", "log_ratio"] == pytest.approx(math.log2((30 / 1000) / (10 / 2000)))
    assert table.loc["宣传", "G2"] < 0 and table.loc["宣传", "chi2"] < 0  # over-represented in the reference


def test_keyness_yates_for_small_expected_counts_and_zero_cells():
    table = vocabulary.keyness(pd.Series({"不够": 5, "x": 95}), pd.Series({"x": 100}), min_count=1).set_index("token")
    a, b, c, d = 5, 0, 95, 100
    n = 200
    yates = n * (abs(a * d - b * c) - n / 2) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    assert table.loc["不够", "chi2"] == pytest.approx(yates)
    g2, _ = _independent(a, b, c, d)
    assert table.loc["不够", "G2"] == pytest.approx(g2)  # a zero cell: no Williams correction
    assert table.loc["不够", "log_ratio"] == pytest.approx(math.log2((5 / 100) / (0.5 / 100)))


def test_collocations_do_not_cross_non_content_tokens():
    tokens = _tokens([
        ("a", "m", "矛盾纠纷", True), ("a", "m", "排查化解", True), ("a", "m", "，", False),
        ("a", "m", "矛盾纠纷", True), ("a", "m", "排查化解", True), ("a", "m", "的", False),
        ("a", "m", "矛盾纠纷", True), ("a", "m", "排查化解", True), ("a", "m", "工作", True),
    ])
    bigrams = vocabulary.collocations(tokens, size=2, min_count=2)
    assert bigrams["collocation"].tolist() == ["矛盾纠纷 排查化解"]
    assert bigrams.loc[0, "count"] == 3
    trigrams = vocabulary.collocations(tokens, size=3, min_count=1)
    assert trigrams["collocation"].tolist() == ["矛盾纠纷 排查化解 工作"]


def test_filler_density():
    totals = pd.Series({"a": 1000, "b": 500}).rename_axis("report_id")
    table = vocabulary.filler_density(TOKENS, totals, ["report_id"]).set_index("report_id")
    assert table.loc["a", "word_tokens"] == 6 and table.loc["a", "filler_tokens"] == 1
    assert table.loc["a", "filler_pct"] == pytest.approx(100 / 6)
    assert table.loc["a", "filler_per_1k_chars"] == pytest.approx(1.0)


def test_kwic_finds_single_and_multi_token_patterns(corpus):
    from helpers.tokenise import Tokeniser, tokens_table

    tokens = tokens_table(corpus, Tokeniser(cache_dir=False))
    hits = vocabulary.kwic(tokens, "不够", window=4)
    assert len(hits) == int((tokens["token"] == "不够").sum()) > 0
    by_id = {r.report_id: r for r in corpus}
    for row in hits.itertuples():
        report = by_id[row.report_id]
        assert report.text[row.start : row.end] == "不够"
        assert report.raw.text[row.raw_start : row.raw_end] == "不够"
    phrase = vocabulary.kwic(tokens, "摸排矛盾纠纷")  # two tokens: 摸排 + 矛盾纠纷
    assert len(phrase) >= 1
    for row in phrase.itertuples():
        assert by_id[row.report_id].text[row.start : row.end] == "摸排矛盾纠纷"
    assert vocabulary.kwic(tokens, "矛盾纠纷排").empty  # a pattern must end on a token boundary


def test_log_ratio_puts_half_a_token_in_place_of_a_zero_count_on_either_side():
    # the term is absent from the target: Hardie's log ratio takes 0.5 for its count there
    table = vocabulary.keyness(pd.Series({"x": 100}), pd.Series({"不够": 5, "x": 95}), min_count=1).set_index("token")
    assert table.loc["不够", "log_ratio"] == pytest.approx(math.log2((0.5 / 100) / (5 / 100)))
    assert table.loc["不够", "G2"] < 0  # over-represented in the reference


def _g2(cells, expected):
    return 2 * sum(o * math.log(o / e) for o, e in zip(cells, expected) if o > 0)


def test_g2_corrections_are_quanteda_s_williams_yates_and_none():
    # a small table: the term's expected count in the target is 2.5 (< 5) and |ad - bc| = 500 ≥ N/2 = 100
    target, reference = pd.Series({"不够": 5, "x": 95}), pd.Series({"不够": 1, "x": 99})
    a, b, c, d = 5, 1, 95, 99
    n = a + b + c + d
    expected = [(a + c) * (a + b) / n, (b + d) * (a + b) / n, (a + c) * (c + d) / n, (b + d) * (c + d) / n]
    q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
    g2 = {name: vocabulary.keyness(target, reference, min_count=1, g2_correction=name).set_index("token").loc["不够", "G2"]
          for name in vocabulary.G2_CORRECTIONS}
    assert g2["none"] == pytest.approx(_g2((a, b, c, d), expected))
    assert g2["williams"] == pytest.approx(_g2((a, b, c, d), expected) / q)
    # ad - bc > 0: a and d lose ½, b and c gain it (quanteda.textstats, lr_lambda with correction "default")
    assert g2["yates"] == pytest.approx(_g2((a - 0.5, b + 0.5, c + 0.5, d - 0.5), expected))
    assert len({round(v, 6) for v in g2.values()}) == 3
    # large counts: no Yates shift, so "yates" equals "none"
    big = vocabulary.keyness(pd.Series({"不够": 300, "x": 700}), pd.Series({"不够": 100, "x": 900}), min_count=1,
                             g2_correction="yates").set_index("token")
    assert big.loc["不够", "G2"] == pytest.approx(_g2((300, 100, 700, 900), [200, 200, 800, 800]))
    with pytest.raises(ValueError, match="g2_correction='default': use one of williams, yates, none"):
        vocabulary.keyness(target, reference, g2_correction="default")


def test_side_by_side_blocks_and_top_terms_lines_and_cloud_weights():
    table = pd.DataFrame({"part": ["m", "m", "m", "s"], "token": ["法治", "调解", "普法", "不足"],
                          "count": [5, 3, 1, 2], "per_10k_chars": [12.4, 7.5, 2.0, 4.6]})
    wide = vocabulary.side_by_side(table, "part", ["s", "m"], 2, ["token", "count"])
    assert list(wide.columns) == [("s", "token"), ("s", "count"), ("m", "token"), ("m", "count")]
    assert wide[("m", "token")].tolist() == ["法治", "调解"]
    assert wide[("s", "token")].tolist()[0] == "不足" and pd.isna(wide[("s", "token")].tolist()[1])
    lines = vocabulary.top_terms_line(table.rename(columns={"part": "report_id"}), n=2)
    assert lines.to_dict() == {"m": "法治 12 · 调解 8", "s": "不足 5"}
    assert vocabulary.weights_by_group(table, "part", ["s", "m"]) == {"s": {"不足": 2}, "m": {"法治": 5, "调解": 3, "普法": 1}}


# Found by the mutation run of docs/mutation.md: exact tables on counts small enough to work out by hand.


def test_keyness_on_two_one_token_corpora_is_the_whole_table_worked_by_hand():
    # 不够: a=1, b=0, c=0, d=1 (N = 2, every expected count ½, |ad − bc| = 1 = N/2: Yates applies, at its boundary)
    # G² = 2·(1·ln 2 + 1·ln 2) = 4 ln 2, with no Williams correction (empty cells); χ² with Yates:
    # N·(|ad − bc| − N/2)² / (1·1·1·1) = 2·0² = 0 (without, 2); log ratio log2((1/1) / (0.5/1)) = 1 (1 is not 0)
    table = vocabulary.keyness(pd.Series({"不够": 1}), pd.Series({"举措": 1}), min_count=1)
    g2 = 4 * math.log(2)
    expected = pd.DataFrame({
        "token": ["不够", "举措"], "n_target": [1, 0], "n_reference": [0, 1], "G2": [g2, -g2],
        "p_G2": [math.erfc(math.sqrt(g2 / 2))] * 2, "chi2": [0.0, 0.0], "p_chi2": [1.0, 1.0],
        "log_ratio": [1.0, -1.0],
    })
    assert_frame_equal(table, expected)


def test_keyness_yates_condition_boundaries_and_the_sign_against_the_target_s_expected_count():
    # smallest expected count exactly 5 (a=10, b=0, c=0, d=10): not "below 5", so no Yates: χ² = 20·100²/10⁴ = 20
    at_five = vocabulary.keyness(pd.Series({"t": 10}), pd.Series({"u": 10}), min_count=1).set_index("token")
    assert at_five.loc["t", "chi2"] == pytest.approx(20.0)
    # |ad − bc| = 1 below N/2 = 1.5 (a=1, b=0, c=1, d=1): no Yates, χ² = 3·1² / (2·1·1·2) = ¾
    below = vocabulary.keyness(pd.Series({"t": 1, "v": 1}), pd.Series({"v": 1}), min_count=1).set_index("token")
    assert below.loc["t", "chi2"] == pytest.approx(0.75)
    # a=2 is above its expected count in the target (10·12/1010) though below the reference's (1000·12/1010): +
    plus = vocabulary.keyness(pd.Series({"t": 2, "x": 8}), pd.Series({"t": 10, "x": 990}), min_count=1)
    assert plus.set_index("token").loc["t", "G2"] > 0
    # min_count counts target and reference together, and a term with exactly min_count stays
    kept = vocabulary.keyness(pd.Series({"t": 2, "u": 1}), pd.Series({"t": 1, "v": 1}), min_count=3)
    assert kept["token"].tolist() == ["t"]
    assert_frame_equal(vocabulary.keyness(pd.Series({"t": 2, "u": 1}), pd.Series({"t": 1, "v": 1})), kept)  # default 3


def test_keyness_ties_are_ordered_by_token():
    table = vocabulary.keyness(pd.Series({"甲": 1, "乙": 1}), pd.Series({"丙": 2}), min_count=1)
    assert table["token"].tolist() == ["乙", "甲", "丙"]  # 乙 (U+4E59) before 甲 (U+7532): equal G2
    assert table.index.tolist() == [0, 1, 2]


def test_yates_shift_of_g2_moves_the_cells_towards_independence_when_ad_is_below_bc():
    # a=1, b=5, c=99, d=95: ad − bc = −400, the expected count in the target is 3: a and d gain ½, b and c lose it
    a, b, c, d = 1, 5, 99, 95
    n = a + b + c + d
    expected = [(a + c) * (a + b) / n, (b + d) * (a + b) / n, (a + c) * (c + d) / n, (b + d) * (c + d) / n]
    table = vocabulary.keyness(pd.Series({"不够": 1, "x": 99}), pd.Series({"不够": 5, "x": 95}), min_count=1,
                               g2_correction="yates").set_index("token")
    assert table.loc["不够", "G2"] == pytest.approx(-_g2((1.5, 4.5, 98.5, 95.5), expected))
    # the smallest table where ad − bc is 1: the shift (+½) makes it independent, G² = 0
    one = vocabulary.keyness(pd.Series({"t": 1}), pd.Series({"u": 1}), min_count=1, g2_correction="yates")
    assert one["G2"].abs().tolist() == [0.0, 0.0]


def test_term_frequencies_of_every_word_from_token_counts():
    # token counts (an n column), every word token: 切实 (filler, not content) counts, punctuation does not
    counts = pd.DataFrame({"report_id": ["a"] * 4, "token": ["切实", "普法", "，", "调解"],
                           "content": [False, True, False, True], "token_kind": ["word", "word", "punct", "word"],
                           "n": [2, 3, 5, 1]})
    totals = pd.Series({"a": 1000}).rename_axis("report_id")
    expected = pd.DataFrame({"report_id": ["a"] * 3, "token": ["普法", "切实", "调解"], "count": [3, 2, 1],
                             "per_10k_chars": [30.0, 20.0, 10.0]})
    assert_frame_equal(vocabulary.term_frequencies(counts, totals, ["report_id"], content_only=False), expected)


def test_tfidf_ranked_keeps_the_top_of_each_document_in_document_order():
    counts = pd.DataFrame({"report_id": ["b", "a", "a", "a"], "token": ["丁", "甲", "乙", "丙"],
                           "count": [1, 2, 2, 1], "total": [1, 5, 5, 5], "df": [1, 1, 1, 2]})
    ln2 = math.log(2)
    expected = pd.DataFrame({"report_id": ["a", "b"], "token": ["乙", "丁"], "count": [2, 1], "tf": [0.4, 1.0],
                             "df": [1, 1], "idf": [ln2, ln2], "tfidf": [0.4 * ln2, ln2]})
    assert_frame_equal(vocabulary.tfidf_ranked(counts, 2, top=1), expected)  # 甲 and 乙 tie: 乙 first
    assert vocabulary.tfidf(TOKENS, top=1)["token"].tolist() == ["普法", "调解"]  # 普法 (only in a), 调解 (only in b)


def test_counts_where_is_a_token_to_count_series():
    counts = vocabulary.counts_where(TOKENS, TOKENS["report_id"] == "a")
    expected = pd.Series({"不够": 1, "开展": 1, "普法": 3}, name="count").rename_axis("token")
    pd.testing.assert_series_equal(counts, expected)


def test_collocation_table_bigrams_worked_by_hand():
    from collections import Counter

    unigrams = Counter({"A": 5, "B": 4, "C": 6, "D": 5, "E": 2, "F": 2})  # 24 words in runs
    grams = Counter({("A", "B"): 3, ("A", "C"): 2, ("D", "B"): 1, ("D", "C"): 4, ("E", "F"): 2})  # 12 bigrams
    table = vocabulary.collocation_table(unigrams, grams, 2, min_count=3)

    def g2(a, b, c, d):
        n = a + b + c + d
        cells = [(a, a + b, a + c), (b, a + b, b + d), (c, c + d, a + c), (d, c + d, b + d)]
        return 2 * sum(o * math.log(o * n / (row * col)) for o, row, col in cells if o)

    # D C: a=4, b = 5 − 4 (D first) = 1, c = 6 − 4 (C second) = 2, d = 5; A B: a=3, b=2, c=1, d=6
    assert g2(4, 1, 2, 5) > g2(3, 2, 1, 6)  # best first
    expected = pd.DataFrame({"collocation": ["D C", "A B"], "count": [4, 3],
                             "pmi": [math.log2(4 / (12 * 5 / 24 * 6 / 24)), math.log2(3 / (12 * 5 / 24 * 4 / 24))],
                             "G2": [g2(4, 1, 2, 5), g2(3, 2, 1, 6)]})
    assert_frame_equal(table, expected)
    # E F: a=2, b=0, c=0, d=10 (E never starts, F never ends, another bigram): an empty cell adds nothing to G²
    with_empty = vocabulary.collocation_table(unigrams, grams, 2, min_count=2).set_index("collocation")
    assert with_empty.loc["E F", "G2"] == pytest.approx(g2(2, 0, 0, 10))
    assert_frame_equal(vocabulary.collocation_table(unigrams, grams, 2), table)  # min_count 3 by default
    none = vocabulary.collocation_table(unigrams, grams, 2, min_count=5)
    assert none.empty and list(none.columns) == ["collocation", "count", "pmi", "G2"]
    # only the bigrams counted often enough, with the totals of all of them (as the store hands them over): the same
    totals = vocabulary.GramTotals(12, Counter({"A": 5, "D": 5, "E": 2}), Counter({"B": 4, "C": 6, "F": 2}))
    frequent = Counter({g: n for g, n in grams.items() if n >= 3})
    assert_frame_equal(vocabulary.collocation_table(unigrams, frequent, 2, 3, totals), table)
    assert not vocabulary.collocation_table(unigrams, frequent, 2, 3).equals(table)  # the totals of those alone: not


def test_collocation_table_trigrams_rank_by_pmi_then_collocation():
    from collections import Counter

    # every word 2 of 8, 4 trigrams: expected 4·(¼)³ = 1/16 of each, pmi = log2(2·16) = 5
    table = vocabulary.collocation_table(Counter({"A": 2, "B": 2, "C": 2, "D": 2}),
                                         Counter({("B", "C", "D"): 2, ("A", "B", "C"): 2}), 3, min_count=1)
    assert_frame_equal(table, pd.DataFrame({"collocation": ["A B C", "B C D"], "count": [2, 2], "pmi": [5.0, 5.0]}))


# Gaps named in the second mutation run of docs/mutation.md.


def _kwic_tokens():
    """Two reports, ``b`` first: b is one token; a is 加强 调解 ⏎ 工作 调解 纠纷 (raw offsets 100 further on)."""
    rows = [("b", "调解", "measures", None)]
    rows += [("a", word, part, item) for word, part, item in [
        ("加强", "measures", 1), ("调解", "measures", 1), ("\n", "measures", 1), ("工作", "plans", 0),
        ("调解", "plans", 0), ("纠纷", "plans", 0)]]
    table = pd.DataFrame(rows, columns=["report_id", "token", "part", "item_seq"])
    ends = table.groupby("report_id", sort=False)["token"].transform(lambda t: t.str.len().cumsum())
    table["end"] = ends
    table["start"] = ends - table["token"].str.len()
    table["raw_start"], table["raw_end"] = table["start"] + 100, table["end"] + 100
    table["item_seq"] = table["item_seq"].astype("Int64")
    return table


def test_kwic_windows_at_both_ends_of_a_report_worked_by_hand():
    tokens = _kwic_tokens()
    assert tokens["start"].tolist() == [0, 0, 2, 4, 5, 7, 9]  # 加强 0–2, 调解 2–4, ⏎ 4–5, 工作 5–7, 调解 7–9, 纠纷 9–11
    expected = pd.DataFrame({
        "report_id": ["b", "a", "a"], "part": ["measures", "measures", "plans"],
        "item_seq": pd.array([None, 1, 0], dtype="Int64"),
        "left": ["", "加强", "⏎工作"], "keyword": ["调解", "调解", "调解"], "right": ["", "⏎工作", "纠纷"],
        "start": [0, 2, 7], "end": [2, 4, 9], "raw_start": [100, 102, 107], "raw_end": [102, 104, 109],
    })
    # window 2: one token of left context at the report's start, one of right context at its end
    assert_frame_equal(vocabulary.kwic(tokens, "调解", window=2), expected)
    wide = vocabulary.kwic(tokens, "调解", window=3)
    assert wide["left"].tolist() == ["", "加强", "调解⏎工作"] and wide["right"].tolist() == ["", "⏎工作调解", "纠纷"]
    one = vocabulary.kwic(tokens, "调解")  # default window 6 reaches past both ends of a
    assert one["left"].tolist()[2] == "加强调解⏎工作" and one["right"].tolist()[1] == "⏎工作调解纠纷"


def test_kwic_runs_of_tokens_up_to_the_last_token():
    tokens = _kwic_tokens()
    phrase = vocabulary.kwic(tokens, "调解纠纷", window=1)  # the run ends on the report's last token
    assert phrase[["report_id", "left", "right", "start", "end", "raw_start", "raw_end"]].values.tolist() == [
        ["a", "工作", "", 7, 11, 107, 111]]
    assert vocabulary.kwic(tokens, "纠纷多").empty  # starts on the last token and would run past it
    assert vocabulary.kwic(tokens, "调解⏎").empty and len(vocabulary.kwic(tokens, "调解\n工作", window=1)) == 1
    empty = vocabulary.kwic(tokens, "没有")
    assert empty.empty and list(empty.columns) == ["report_id", "part", "item_seq", "left", "keyword", "right",
                                                   "start", "end", "raw_start", "raw_end"]


def _region_tokens():
    """东部 (e): 调解 ×3, 法治, 的 (not content); 西部 (w): 法治 ×3, 调解; no region (u): 调解 ×5."""
    rows = [("e", "东部", "调解", True)] * 3 + [("e", "东部", "法治", True), ("e", "东部", "的", False)]
    rows += [("w", "西部", "法治", True)] * 3 + [("w", "西部", "调解", True)]
    rows += [("u", None, "调解", True)] * 5
    return pd.DataFrame(rows, columns=["report_id", "macro_region", "token", "content"])


def test_region_keyness_each_region_against_the_others_worked_by_hand():
    # 东部 against 西部 for 调解: a = 3, b = 1, c = 1, d = 3 (N = 8, every expected count 2); the unplaced report
    # and the non-content 的 are on neither side. Williams' q = 1 + (2 + 2 − 1)(2 + 2 − 1) / (6 · 8) = 1.1875.
    g2 = 2 * (3 * math.log(3 / 2) + math.log(1 / 2) + math.log(1 / 2) + 3 * math.log(3 / 2)) / 1.1875
    table = vocabulary.region_keyness(_region_tokens(), top=1)
    assert list(table.index) == [("东部", 0), ("西部", 0)]  # the Bureau's order
    assert list(table.columns) == ["token", "n_target", "n_reference", "G2", "p_G2", "log_ratio"]
    assert table["token"].tolist() == ["调解", "法治"]
    assert table["n_target"].tolist() == [3, 3] and table["n_reference"].tolist() == [1, 1]
    assert table["G2"].tolist() == pytest.approx([g2, g2])
    assert table["p_G2"].tolist() == pytest.approx([math.erfc(math.sqrt(g2 / 2))] * 2)
    assert table["log_ratio"].tolist() == pytest.approx([math.log2(3)] * 2)
    both = vocabulary.region_keyness(_region_tokens(), top=2)
    assert both["token"].tolist() == ["调解", "法治", "法治", "调解"] and both["G2"].tolist() == pytest.approx([g2, -g2, g2, -g2])
    assert len(vocabulary.region_keyness(_region_tokens())) == 4  # default top (6) is more than there are terms


def test_region_keyness_orders_other_groups_after_the_bureau_s_regions():
    tokens = _region_tokens()
    tokens.loc[tokens["report_id"] == "u", "macro_region"] = "Z"
    tokens = pd.concat([tokens, tokens.assign(report_id="y", macro_region="A")], ignore_index=True)
    regions = list(dict.fromkeys(r for r, _ in vocabulary.region_keyness(tokens, top=1).index))
    assert regions == ["东部", "西部", "A", "Z"]


def test_region_keyness_unavailable_says_how_many_regions_and_unplaced_reports():
    tokens = _region_tokens()
    one = vocabulary.region_keyness(tokens[tokens["report_id"] != "w"])
    assert one.what == "keyness of each region against the rest"
    assert one.reason == "it needs reports from two regions or more; this corpus has 1 (东部), and 1 report(s) without a province"
    none = vocabulary.region_keyness(tokens[tokens["report_id"] == "u"])
    assert none.reason == "it needs reports from two regions or more; this corpus has none, and 1 report(s) without a province"
    placed = vocabulary.region_keyness(tokens[tokens["report_id"] == "e"])
    assert placed.reason == "it needs reports from two regions or more; this corpus has 1 (东部)"
    # token counts by region (no report_id): the unplaced reports are counted in the corpus table, if given
    counts = pd.DataFrame({"macro_region": ["东部", ""], "token": ["调解", "调解"], "content": [True, True], "n": [3, 5]})
    corpus = pd.DataFrame({"report_id": ["e", "u", "v"], "macro_region": ["东部", None, ""]})
    assert vocabulary.region_keyness(counts, corpus=corpus).reason.endswith("has 1 (东部), and 2 report(s) without a province")
    assert vocabulary.region_keyness(counts).reason.endswith("has 1 (东部)")
    assert vocabulary.region_keyness(counts, column="macro_region", corpus=corpus.iloc[:1]).reason.endswith("has 1 (东部)")


def test_both_ends_puts_the_top_and_the_reversed_bottom_side_by_side():
    from helpers.unavailable import Unavailable

    table = pd.DataFrame({"token": ["a", "b", "c", "d", "e"], "G2": [5.0, 3.0, 0.0, -2.0, -4.0]}, index=[7, 8, 9, 10, 11])
    ends = vocabulary.both_ends(table, "target", "reference", 2)
    assert list(ends.columns) == [("target", "token"), ("target", "G2"), ("reference", "token"), ("reference", "G2")]
    assert list(ends.index) == [0, 1]
    assert ends[("target", "token")].tolist() == ["a", "b"] and ends[("reference", "token")].tolist() == ["e", "d"]
    assert ends[("reference", "G2")].tolist() == [-4.0, -2.0]
    missing = Unavailable("x", "y")
    assert vocabulary.both_ends(missing, "t", "r", 2) is missing


# The rest of the second mutation run's survivors (docs/mutation.md).


def test_top_terms_line_defaults_ten_terms_per_report_in_order_of_first_appearance():
    # report b (listed first) has eleven terms at 11.0, 10.0, … 1.0 per 10 000 characters; a has one at 2.6
    by_doc = pd.DataFrame({"report_id": ["b"] * 11 + ["a"], "token": [f"t{k}" for k in range(11, 0, -1)] + ["法治"],
                           "per_10k_chars": [float(k) for k in range(11, 0, -1)] + [2.6]})
    lines = vocabulary.top_terms_line(by_doc)
    assert lines.index.tolist() == ["b", "a"]
    assert lines["b"] == "t11 11 · t10 10 · t9 9 · t8 8 · t7 7 · t6 6 · t5 5 · t4 4 · t3 3 · t2 2"
    assert lines["a"] == "法治 3"


def test_collocations_count_runs_within_each_report_worked_by_hand():
    # a: A B C ， D ␣ E 的 F ， G — runs A B C and D E (a space ends nothing), F and G alone are no run
    # b: A B ， A B — two runs A B; a's last word G and b's first A are in different reports, not a run
    tokens = _tokens([("a", "m", t, c) for t, c in [
        ("A", True), ("B", True), ("C", True), ("，", False), ("D", True), (" ", False), ("E", True), ("的", False),
        ("F", True), ("，", False), ("G", True)]] + [("b", "m", t, c) for t, c in [
        ("A", True), ("B", True), ("，", False), ("A", True), ("B", True)]])
    # words in runs: A 3, B 3, C 1, D 1, E 1 (9); bigrams A B 3, B C 1, D E 1 (5)
    # A B: a = 3, b = c = 0, d = 2, expected cells 9/5 and 4/5; B C and D E: a = 1, d = 4, expected 1/5 and 16/5
    g2_ab = 2 * (3 * math.log(5 / 3) + 2 * math.log(5 / 2))
    g2_one = 2 * (math.log(5) + 4 * math.log(5 / 4))
    expected = pd.DataFrame({"collocation": ["A B", "B C", "D E"], "count": [3, 1, 1],
                             "pmi": [math.log2(3 / (5 * 3 / 9 * 3 / 9)), math.log2(1 / (5 * 3 / 9 * 1 / 9)),
                                     math.log2(1 / (5 * 1 / 9 * 1 / 9))],
                             "G2": [g2_ab, g2_one, g2_one]})
    assert_frame_equal(vocabulary.collocations(tokens, 2, 1), expected)
    assert_frame_equal(vocabulary.collocations(tokens), expected.head(1))  # bigrams, min_count 3 by default
    # the one trigram: A B C once among 1, expected 1 · 3/9 · 3/9 · 1/9
    assert_frame_equal(vocabulary.collocations(tokens, 3, 1),
                       pd.DataFrame({"collocation": ["A B C"], "count": [1], "pmi": [math.log2(81)]}))
    with pytest.raises(ValueError, match="^size must be 2 or 3$"):
        vocabulary.collocations(tokens, 4)


def test_part_keyness_counts_content_tokens_of_each_part_and_names_every_missing_part():
    tokens = _tokens([("a", "plans", "学习", True)] * 3 + [("a", "plans", "的", False)] * 4
                     + [("a", "measures", "宣传", True)] * 5 + [("b", "measures", "调解", True)] * 2)
    table = vocabulary.part_keyness(tokens, "plans", "measures")  # 调解 (2) is below the default min_count 3
    assert table[["token", "n_target", "n_reference"]].values.tolist() == [["学习", 3, 0], ["宣传", 0, 5]]
    both = vocabulary.part_keyness(tokens, "shortcomings", "leadership")
    assert (both.what, both.reason) == ("keyness of shortcomings against leadership",
                                        "no report in this corpus has words in a shortcomings or leadership part")
    one = vocabulary.part_keyness(tokens, "plans", "leadership")
    assert (one.what, one.reason) == ("keyness of plans against leadership",
                                      "no report in this corpus has words in a leadership part")


def test_filler_density_whole_table_counts_words_only():
    # b is listed first; a's comma and space are no words; groups come out sorted
    tokens = _tokens([("b", "m", "开展", True), ("b", "m", "切实", False), ("b", "m", "，", False),
                      ("a", "m", "调解", True), ("a", "m", " ", False), ("a", "m", "进一步", False),
                      ("a", "m", "切实", False), ("a", "m", "工作", True)])
    totals = pd.Series({"a": 2000, "b": 500}).rename_axis("report_id")
    expected = pd.DataFrame({"report_id": ["a", "b"], "word_tokens": [4, 2], "filler_tokens": [2, 1],
                             "filler_pct": [50.0, 50.0], "filler_per_1k_chars": [1.0, 2.0]})
    assert_frame_equal(vocabulary.filler_density(tokens, totals, ["report_id"]), expected)
