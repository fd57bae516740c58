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
    with pytest.raises(ValueError, match="g2_correction='default'"):
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
