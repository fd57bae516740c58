# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · Policy vocabulary: what the reports say in measures, and what in shortcomings
#
# **This notebook does:** 1 · uses every report's tokens from the study's store (tokenised by `make store`
# with jieba's algorithm — rjieba, tested identical to jieba — and the study's versioned 法治 lexicon in
# `data/lexicon/`, HMM off; counted here in DuckDB) and checks the tokenisation against a hand-segmented gold sample;
# 2 · counts terms per part, per report and per macro-region (counts and per 10 000 characters), with
# function words and bureaucratic filler set apart; 3 · finds the terms that distinguish shortcomings from
# measures and plans from shortcomings (keyness: G², χ², log ratio), each report from the others (TF-IDF)
# and each region from the rest; 4 · shows words in context (KWIC), collocations, the documents the reports
# cite in 《》, and word clouds of measures and shortcomings.
#
# **Main findings** are computed from the corpus when the notebook runs, and shown as the output of the first cell
# below the imports, each with its denominator (tokeniser scores, the shortcomings' distinctive terms, the measures'
# leading lexicon category, filler, the documents cited).
#
# **Limits:** the shortcomings parts are short, so keyness there rests on small counts (p-values are shown, not
# corrected for the many terms tested); a region that holds few reports describes those reports, not a region; the
# tokeniser is scored against a small gold sample (the findings give the sizes for this corpus).

# %% tags=["parameters"]
# The corpus folder (reports and the reports.csv that lists them). None = the bundled data/raw.
corpus_dir = None
# The metadata table, if not corpus_dir/reports.csv (e.g. a draft written by `python -m helpers study`).
metadata_csv = None
# The genre studied, in a folder of several (fazhi_report, gov_work_report …): one genre at a time.
genre = None

# %%
import pandas as pd

from helpers import citations, findings, plots, vocabulary
from helpers.context import load_study
from helpers.lexicon import default_lexicon
from helpers.paths import ANNOTATIONS
from helpers.word_gold import read_word_gold
from helpers.unavailable import available

pd.set_option("display.max_colwidth", 80)
study = load_study(corpus_dir, metadata_csv, genre=genre)
corpus, labels, caption = study.corpus, study.labels, study.caption
parts = study.parts()
lexicon = default_lexicon()

# %% tags=["findings"]
results = findings.vocabulary_findings(study)
findings.show(results)

# %% [markdown]
# ## 1 · Tokenisation, checked against a gold sample
#
# The lexicon lists the field's multi-word terms, each with a category and where it was found (the corpus,
# or the national documents it names); every term is given the jieba frequency that makes it one token
# (`scripts/tune_lexicon.py`; jieba's user frequency replaces its built-in one).

# %%
vocabulary.lexicon_sources(lexicon.terms)

# %% [markdown]
# The gold sample (`data/annotations/word_segmentation_gold.txt`) is 43 corpus sentences segmented by hand under
# the written convention `docs/word_segmentation_convention.md`, **before** the tokeniser was scored against them;
# the lexicon was not tuned on them (one wrong entry, 综合执法队, found while writing the sample, was removed).
# The convention makes lexicon terms single words, so bare jieba is penalised by design where it splits them.
# HMM new-word guessing stays **off**: it invents words from unseen character runs, and here it does not help.

# %%
gold = read_word_gold(ANNOTATIONS / "word_segmentation_gold.txt")
scores = findings.tokeniser_scores(gold)
findings.readable(scores, digits=3)

# %%
part_counts = study.token_counts(["part"])  # tokens counted by part and token, in DuckDB over the store
vocabulary.part_totals(part_counts)

# %% [markdown]
# ## 2 · Term frequencies
# Content tokens only: words of two or more characters that are neither function words nor filler (the
# words that introduce shortcomings — 但是, 不够, 有待, 不足 — are kept). Rates are per 10 000 characters of the
# part, so parts of different length compare.

# %%
by_part = vocabulary.term_frequencies(part_counts, vocabulary.char_totals(parts, corpus, ["part"]), ["part"])
parts_shown = findings.parts_shown(study)  # the compared parts this corpus's genre has
findings.readable(vocabulary.side_by_side(by_part, "part", parts_shown, 15, ["token", "count", "per_10k_chars"]))

# %% [markdown]
# Lexicon categories by part: what kind of policy vocabulary each part uses (share of the part's lexicon
# terms, %).

# %%
findings.readable(vocabulary.category_shares(part_counts, parts_shown))

# %% [markdown]
# Per report: the ten commonest content terms, per 10 000 characters of the report.

# %%
by_report = vocabulary.term_frequencies(study.token_counts(["report_id"], content_only=True, top=10), vocabulary.char_totals(parts, corpus, ["report_id"]), ["report_id"])
vocabulary.top_terms_line(by_report, 10).loc[list(labels)].rename(index=labels).to_frame("top terms (per 10k chars)")

# %% [markdown]
# Per macro-region: the eight commonest content terms of each region, per 10 000 characters.

# %%
region_counts = study.token_counts(["macro_region"])
by_region = vocabulary.term_frequencies(region_counts, vocabulary.char_totals(parts, corpus, ["macro_region"]), ["macro_region"])
findings.readable(vocabulary.top_terms_wide(by_region, "macro_region", 8))

# %% [markdown]
# ## 3 · Keyness: which terms distinguish shortcomings from measures?
# Signed G² (log-likelihood with Williams' correction: quanteda's `textstat_keyness` with
# `correction = "williams"`; its default for G² moves the cells by Yates' ½ instead, which
# `vocabulary.keyness(..., g2_correction="yates")` gives) and χ² (Yates' correction where an expected count is below
# 5, quanteda's default), with p-values from χ²(1) and Hardie's log ratio as effect size. Positive: more frequent in
# the target than in the reference. Terms with at least 3 occurrences.

# %%
short_vs_measures = vocabulary.part_keyness(part_counts, "shortcomings", "measures")
findings.readable(short_vs_measures.head(12), digits=2)

# %%
if available(short_vs_measures):
    fig = plots.keyness_bars(
        short_vs_measures, "shortcomings", "measures",
        title=findings.keyness_title(results.figures),
        caption=caption, part_names=study.part_names,
    )
    exported = plots.save_figure(fig, "02_keyness_shortcomings_vs_measures")

# %%
plans_vs_short = vocabulary.part_keyness(part_counts, "plans", "shortcomings")
findings.readable(vocabulary.both_ends(plans_vs_short, "plans ≫ shortcomings", "shortcomings ≫ plans", 8), digits=2)

# %% [markdown]
# Each region against the rest (all parts). Where a region holds few reports (the findings' limits give how
# many), these are the reports' own words as much as the region's.

# %%
region_keyness = vocabulary.region_keyness(region_counts, top=6, corpus=corpus)
findings.readable(region_keyness, digits=2)

# %% [markdown]
# ## 4 · Distinctive terms of each report (TF-IDF)
# `idf = ln(N / df)`: a term used by every report of the corpus scores 0, so what remains is each report's own vocabulary —
# place names, local mechanisms, and the themes only it raises.

# %%
distinctive = study.tfidf(top=8)  # ranked in DuckDB over the store
vocabulary.terms_by_report(distinctive, labels)

# %% [markdown]
# ## 5 · Bureaucratic filler
# Intensifiers and formulaic words (切实, 进一步, 不断, 全面, 深入, 扎实, 积极 … `stopwords_filler.txt`) as a share of
# word tokens, by report and part.

# %%
filler_pct = findings.filler_table(study, parts_shown)
findings.readable(filler_pct)

# %%
fig = plots.grouped_bars(
    filler_pct, labels, "filler tokens (% of word tokens)",
    title=findings.filler_title(results.figures),
    caption=caption, fmt="{:.1f}", part_names=study.part_names,
)
exported = plots.save_figure(fig, "02_filler_by_part")

# %% [markdown]
# ## 6 · Words in context and collocations
# KWIC is the check on every count above: what is a word doing? Here, the commonest shortcoming marker, and a
# lexicon term from the 法治社会 vocabulary.

# %%
study.kwic("不够", window=6)[["report_id", "part", "left", "keyword", "right", "start", "raw_start"]]

# %%
study.kwic("法律明白人", window=8)[["report_id", "part", "left", "keyword", "right", "start", "raw_start"]]

# %%
findings.readable(vocabulary.beside({
    "bigrams (G²)": study.collocations(size=2, min_count=3),
    "trigrams (PMI)": study.collocations(size=3, min_count=2),
}, 12), digits=2)

# %% [markdown]
# ## 7 · Which documents do the reports cite?
# Every title in 《》, normalised (《中华人民共和国民法典》 = 《民法典》; versions and periods in brackets dropped) and
# sorted into kinds by how the title reads.

# %%
cited = study.citations()
document_table = citations.document_counts(cited)
document_table

# %%
citations.kinds_by_part(cited)

# %%
citations.citation_matrix(cited, document_table, labels)

# %%
if available(document_table):
    fig = plots.cited_documents_bars(
        document_table,
        title=findings.documents_title(results.figures),
        caption=caption,
    )
    exported = plots.save_figure(fig, "02_cited_documents")

# %% [markdown]
# ## 8 · Word clouds: measures and shortcomings side by side
# Content-token counts of each part (fixed layout seed, the bundled Noto Sans SC font). Word size is
# relative within each cloud only.

# %%
clouds = vocabulary.weights_by_group(by_part, "part", ["measures", "shortcomings"])
fig = plots.wordclouds(clouds, title="What reports claim, and what they admit", caption=caption,
                       part_names=study.part_names)
exported = plots.save_figure(fig, "02_wordclouds_measures_shortcomings")

# %% [markdown]
# ## Summary
# The figures behind the findings above.

# %%
results.table()
