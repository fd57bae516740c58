"""Analyses a corpus cannot support say so in a sentence, with the reason, instead of raising."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import citations, comparison, plots, vocabulary
from helpers.indicators import claims_table
from helpers.unavailable import Note, Unavailable, available, first_unavailable


def _tokens(rows):
    """A minimal tokens table: (report_id, part, token, macro_region)."""
    return pd.DataFrame([{"report_id": r, "part": p, "token": t, "content": True, "token_kind": "word",
                          "macro_region": m} for r, p, t, m in rows])


def test_unavailable_reads_as_a_sentence_and_passes_through_display_calls():
    gap = Unavailable("keyness of shortcomings against measures", "no report in this corpus has a shortcomings part")
    assert str(gap) == ("Not shown for this corpus: keyness of shortcomings against measures — no report in this "
                        "corpus has a shortcomings part.")
    assert gap._repr_markdown_().startswith("**Not shown for this corpus:** keyness")
    assert gap.head(12).round(4) is gap and gap["token"] is gap
    assert not available(gap) and available(pd.DataFrame())
    assert first_unavailable(pd.DataFrame(), gap) is gap and first_unavailable(1, 2) is None
    with pytest.raises(AttributeError, match="iloc"):
        gap.iloc  # noqa: B018 - anything but a display call is an error, as it should be
    assert Note("All read.")._repr_markdown_() == "All read."


def test_part_keyness_needs_both_parts():
    tokens = _tokens([("a", "measures", "宣传", "东部")] * 5 + [("a", "plans", "学习", "东部")] * 4)
    gap = vocabulary.part_keyness(tokens, "shortcomings", "measures")
    assert isinstance(gap, Unavailable) and "no report in this corpus has words in a shortcomings part" in str(gap)
    table = vocabulary.part_keyness(tokens, "plans", "measures")
    assert list(table["token"]) == ["学习", "宣传"]
    assert vocabulary.both_ends(gap, "a", "b", 3) is gap


def test_region_keyness_needs_two_regions_and_names_what_there_is():
    one = _tokens([("a", "measures", "宣传", "东部")] * 4 + [("b", "measures", "学习", "")] * 4)
    gap = vocabulary.region_keyness(one)
    assert str(gap) == ("Not shown for this corpus: keyness of each region against the rest — it needs reports from "
                        "two regions or more; this corpus has 1 (东部), and 1 report(s) without a province.")
    two = _tokens([("a", "measures", "宣传", "西部")] * 4 + [("b", "measures", "学习", "东部")] * 4)
    table = vocabulary.region_keyness(two, top=1)
    assert list(table.index.get_level_values(0)) == ["东部", "西部"]  # the study's region order, not the data's
    assert list(table["token"]) == ["学习", "宣传"]


def test_citations_of_a_corpus_that_cites_nothing():
    empty = pd.DataFrame(columns=["report_id", "part", "item_seq", "title", "document", "document_kind"])
    counts = citations.document_counts(empty)
    assert isinstance(counts, Unavailable) and "cites a document in 《》" in str(counts)
    assert isinstance(citations.kinds_by_part(empty), Unavailable)
    assert citations.citation_matrix(empty, counts, {"a": "A"}) is counts


def test_regional_comparison_without_places_or_without_shortcomings():
    coded = pd.DataFrame({"report_id": ["a", "a"], "part": ["measures", "measures"], "themes": ["publicity", "disputes"],
                          "chars": [10, 10], "macro_region": ["", ""], "item_kind": ["numbered", "numbered"],
                          "part_seq": [1, 1], "item_seq": [1, 2]})
    regional = comparison.regional_shares(coded, ["publicity", "disputes"])
    gap = comparison.shortcoming_gaps(regional, [])
    assert "no report in this corpus has a province yet" in str(gap)
    assert isinstance(comparison.regional_table(regional, [], ["publicity"], {}), Unavailable)
    coded["macro_region"] = "东部"
    regional = comparison.regional_shares(coded, ["publicity", "disputes"])
    gap = comparison.shortcoming_gaps(regional, ["东部"])
    assert "no region has reports with both a measures and a shortcomings part" in str(gap)


def test_self_criticism_of_a_report_without_measures_is_nan_not_an_error():
    coded = pd.DataFrame({"report_id": ["a"], "part_seq": [1], "item_seq": [1], "part": ["shortcomings"],
                          "item_kind": ["numbered"], "chars": [30]})
    concrete = pd.DataFrame({"report_id": ["a"], "part_seq": [1], "item_seq": [1], "concrete": [False]})
    table = comparison.self_criticism(coded, concrete, ["a"])
    assert table.loc["a", "shortcomings_chars"] == 30 and pd.isna(table.loc["a", "shortcomings_per_100_measures_chars"])


def test_a_corpus_without_claims_gives_an_empty_claims_table_with_its_columns():
    assert list(claims_table([]).columns)[:4] == ["report_id", "part", "part_seq", "item_seq"]
    assert claims_table([]).empty


def test_charts_that_cannot_be_drawn_write_no_file(tmp_path):
    gap = plots.wordclouds({"measures": {}, "shortcomings": {}}, title="t", caption="c")
    assert isinstance(gap, Unavailable) and "hold no content words" in str(gap)
    assert plots.save_figure(gap, "cloud", tmp_path) == []
    assert list(tmp_path.iterdir()) == []
