"""The prose findings of notebook 01 still hold for the bundled corpus (prose is not compared by nbval)."""

from __future__ import annotations

from helpers import structure
from helpers.segment import MANDATED_ORDER


def test_notebook_01_findings(corpus):
    parts = structure.parts_table(corpus)
    deviations = structure.order_deviations(parts).set_index("report_id")
    shares = structure.part_shares(parts)
    mandated = list(MANDATED_ORDER[:4])
    # "every report has the four mandated parts"
    assert (deviations["missing"] == "").all()
    # "西于庄街道 puts leadership before shortcomings"
    assert deviations.loc["2024_tianjin_xiyuzhuang", "out_of_order"] == "leadership before shortcomings"
    # "小寨路街道 nests leadership as a sub-section inside its measures, which splits measures in two"
    assert deviations.loc["2024_shaanxi_xiaozhailu", "nested"] == "leadership"
    assert deviations.loc["2024_shaanxi_xiaozhailu", "split"] == "measures"
    # "measures fill the largest share of every report, shortcomings the smallest of the four mandated parts"
    assert (shares[mandated].idxmax(axis=1) == "measures").all()
    assert (shares[mandated].idxmin(axis=1) == "shortcomings").all()
    # "reports list several measure items for each shortcoming item"
    counts = structure.items_per_part(parts)
    assert (counts["measures"] > 1.5 * counts["shortcomings"]).all()


def test_notebook_02_findings(corpus):
    from helpers import citations, vocabulary
    from helpers.lexicon import default_lexicon
    from helpers.paths import ANNOTATIONS
    from helpers.tokenise import Tokeniser, read_gold, segmentation_scores, tokens_table

    gold = read_gold(ANNOTATIONS / "segmentation_gold.txt")
    used = segmentation_scores(gold, Tokeniser(cache_dir=False))
    # "agrees with the gold sample far better than bare jieba, and turning HMM on does not help"
    assert used["f1"] > segmentation_scores(gold, Tokeniser(use_lexicon=False, cache_dir=False))["f1"] + 0.1
    assert used["f1"] >= segmentation_scores(gold, Tokeniser(hmm=True, cache_dir=False))["f1"]
    tokens = tokens_table(corpus, Tokeniser(cache_dir=False))
    key = vocabulary.keyness(vocabulary.counts_where(tokens, tokens["part"] == "shortcomings"),
                             vocabulary.counts_where(tokens, tokens["part"] == "measures"))
    # "不够, 不足, 存在, 有待, 导致 lead the keyness table"; "no measure term is significantly over-represented"
    assert list(key.head(5)["token"]) == ["不够", "不足", "存在", "有待", "导致"]
    assert not ((key["G2"] < 0) & (key["p_G2"] < 0.01)).any()
    # "capacity (能力, 专业, 工作人员) … study and publicity (学习, 宣传, 普法)" among shortcoming terms
    positive = set(key.loc[key["G2"] > 0, "token"])
    assert {"能力", "专业", "工作人员", "普法"} <= positive
    # "机制制度 … fills a fifth of the measures' lexicon terms, almost vanishes from shortcomings"
    lex = tokens[tokens["category"] != ""]
    share = lex.groupby("part")["category"].apply(lambda c: (c == "机制制度").mean())
    assert share["measures"] >= 0.2 and share["shortcomings"] < 0.05
    # "plans carry the most filler in most reports"
    words = tokens[tokens["kind"] == "word"]
    filler = words[words["part"].isin(["measures", "shortcomings", "leadership", "plans"])].groupby(
        ["report_id", "part"])["is_filler"].mean().unstack()
    assert (filler.idxmax(axis=1) == "plans").sum() >= 3
    # "the most cited document is 《民法典》; laws are a minority of the 28 distinct titles"
    counts = citations.document_counts(citations.cited_documents(corpus))
    assert counts.iloc[0]["document"] == "民法典" and len(counts) == 28
    assert (counts["kind"] == "法律").sum() < len(counts) / 2
    assert default_lexicon().terms.shape[0] >= 300
