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
# # 03 · Themes: what each item is about, checked against hand codes
#
# **This notebook does:** 1 · shows the versioned codebook (`data/codebook/`): themes tied to the chapters of
# 《法治政府建设实施纲要（2021—2025年）》 plus 普法, 公共法律服务, 平安建设, cadre capacity and grassroots
# governance, and a second scheme for the causes that shortcomings admit; 2 · codes every item of the corpus's
# reports with weighted keywords, keeping the evidence; 3 · validates the coder against hand codes of every item
# where the corpus has them (per-theme precision, recall, F1, macro-F1, confusion); 4 · profiles each report and part by theme; 5 · runs an
# unsupervised cross-check (NMF over item TF-IDF) to ask whether the data suggest a theme the codebook lacks.
#
# **Main findings** are computed from the corpus when the notebook runs, and shown as the output of the first cell
# below the imports: the coder's scores against hand codes (where the corpus has them), the themes measures spread
# over, where shortcomings concentrate, and the causes they admit — coder and hand codes side by side.
#
# **Limits:** the hand codes are one coder's, who also wrote the keywords (no inter-coder agreement); a theme with
# few gold items has an F1 that moves a lot with one item (the findings name them); theme shares describe the
# reports of this corpus only.

# %% tags=["parameters"]
# The corpus folder (reports and the reports.csv that lists them). None = the bundled data/raw.
corpus_dir = None
# The metadata table, if not corpus_dir/reports.csv (e.g. a draft written by `python -m helpers study`).
metadata_csv = None
# The genre studied, in a folder of several (fazhi_report, gov_work_report …): one genre at a time.
genre = None

# %%
import pandas as pd

from helpers import comparison, findings, hand_codes, plots, themes, topics
from helpers.context import load_study

pd.set_option("display.max_colwidth", 70)
study = load_study(corpus_dir, metadata_csv, genre=genre)
corpus, labels, caption = study.corpus, study.labels, study.caption
theme_book, cause_book = themes.default_codebooks()
theme_labels = theme_book.labels

# %% tags=["findings"]
results = findings.theme_findings(study)
findings.show(results)

# %% [markdown]
# ## 1 · The codebook
# Fourteen themes. Twelve follow the national frame; two were added because the corpus demands them:
# **emergency** merges the outline's emergency chapter with 安全生产 (street reports file work safety beside
# emergency plans), and **grassroots** (基层依法治理, from the 法治社会 outline) because two reports give residents'
# self-government whole sections. Each theme has a definition, inclusion and exclusion rules, weighted
# keywords (lexicon terms where they exist) and two real example items (`themes.yaml`).

# %%
themes.codebook_table(theme_book)[["id", "label", "frame", "definition", "keywords", "strongest keywords"]]

# %%
themes.codebook_table(cause_book)[["id", "label", "definition", "keywords", "strongest keywords"]]

# %% [markdown]
# ## 2 · Coding every item, with its evidence
# An item's score for a theme sums the weights of the distinct keywords found in it (longest match first),
# doubled in the item's title; a theme is assigned at score ≥ 3, at most three per item. Shortcomings items are
# also coded for causes. The evidence lists the keywords and their offsets in the normalised report text.

# %%
coded = study.coded_items()
evidence = study.store.head("evidence", 8)  # its first rows, read without every item's evidence
findings.readable(evidence, digits=2, labels={**theme_labels, **cause_book.labels}, reports=labels)

# %%
themes.items_per_theme(coded, theme_book.ids, theme_labels)

# %% [markdown]
# ## 3 · Validation against hand codes
# **How the labels were made, in this order** (the git history shows it): on the bundled corpus, the coding guide
# (`docs/coding_guide.md`) and the codebook were written first; then every one of the 128 items was hand-coded
# from the guide into `data/annotations/theme_labels.csv`; only then was the keyword coder run against them. Its
# first scores were stored unchanged in `data/annotations/theme_scores_v1.csv`. The keywords have **not** been
# tuned against the labels since: tuning on the only gold set would make these scores meaningless. A corpus
# without hand codes has no scores: the cells below say so.

# %%
gold, scores, cause_scores, first = findings.validation_tables(study, coded)  # gold is None without hand codes
findings.scores_or_note(gold, scores, "the coder's scores against hand codes", theme_labels)

# %%
findings.readable(findings.below_goal(scores if gold is not None else None), digits=3, labels=theme_labels)

# %% [markdown]
# On the bundled corpus the macro-F1 falls just short of the 0.80 goal. Reading the disagreements there shows why the
# failing themes fail:
# **emergency** keywords (安全生产, 消防, 应急预案) also appear inside publicity and enforcement items that only
# list those fields, so precision is low; **legal_services** and **rules_docs** hinge on words that serve two
# themes (法律顾问 reviews decisions *and* serves residents; 制度 is everywhere) — the guide separates them by
# purpose, which keywords cannot see; **cadre_capacity** is over-assigned because 学习/培训/能力 run through
# leadership items too. Items that are only a heading (`二是充分发挥基层党员队伍的法治先锋作用`) carry too few words
# for any keyword, so the coder leaves them without a theme.

# %%
if gold is not None:
    matrix = hand_codes.confusion(gold, coded, theme_book.ids)
    fig = plots.heatmap(
        matrix, title=f"Coder against hand codes: macro-F1 {results.figures.macro_f1:.2f}; the diagonal holds the agreements",
        caption=caption, xlabel="coder", ylabel="hand code", cmap="count", value_label="items (n)", size=(10, 7.5),
    )
    exported = plots.save_figure(fig, "03_theme_confusion")

# %%
findings.scores_or_note(gold, cause_scores, "the cause coder's scores against hand codes", cause_book.labels)

# %% [markdown]
# ## 4 · Theme profiles of reports and parts
# The table: the share of each part's items that carry a theme (an item with two themes counts for both), from the
# coder, and from the hand codes beside it where the corpus has them. The heatmap below weighs items by length
# instead: the share of each part's characters that sits in items with the theme, per report.

# %%
sources = hand_codes.coding_sources(coded, gold)  # the coder's labels, and the hand codes where there are any
corpus_profile = hand_codes.profiles_by_source(sources, theme_book.ids, theme_labels)
findings.readable(corpus_profile.round(0))  # % of the part's items

# %%
profile, columns = themes.profile_by_report_or_region(coded, corpus, theme_book.ids, labels)  # regions past 30 reports
wide = themes.theme_matrix(profile, theme_book.ids, ["measures", "shortcomings"], list(columns))
wide = themes.matrix_labels(wide, columns, {"measures": "举措", "shortcomings": "不足"})
fig = plots.heatmap(
    wide.rename(index=theme_labels).fillna(0),
    title=comparison.heatmap_title(profile, theme_labels),
    caption=caption + " Cells: % of the part's characters in items with the theme.",
    xlabel=f"part · {plots.profile_groups(profile)}", cmap="share", size=(12, 7),
)
exported = plots.save_figure(fig, "03_theme_profile_measures_shortcomings")

# %%
findings.readable(hand_codes.cause_counts_by_source(sources, cause_book.ids).rename(index=cause_book.labels))

# %% [markdown]
# ## 5 · Unsupervised cross-check: NMF topics over item TF-IDF
# Eight topics (scikit-learn NMF, `nndsvd` initialisation, fixed seed) over the content tokens of the coded
# items — all of them up to 20 000, past that a seeded random sample of 20 000. Each item's dominant topic is
# cross-tabulated with its themes: the hand codes where the corpus has them, else the coder's (the table's
# header says which).

# %%
item_tokens = topics.nmf_item_tokens(study, coded)  # the fitted items and their tokens only
found, weights = topics.nmf_topics(item_tokens["token"].tolist(), n_topics=8, seed=0)
findings.readable(found, digits=2)

# %%
labelled, labelled_by = findings.topic_labels(sources)
findings.topics_table(item_tokens, weights, labelled, theme_book.ids, labelled_by, theme_labels)  # items

# %% [markdown]
# **On the bundled corpus** (a reading of its topics, not a computed finding, and not about any other corpus): most
# topics line up with one or two themes — disputes and mediation, study of 习近平法治思想, publicity, capacity and
# training, and a 依法行政 cluster (decisions, enforcement, government functions) that the codebook splits into its
# chapters. The rest are registers, not subjects: the vocabulary of admitting weakness (不足, 存在, 不够, 原因) and
# the generic vocabulary of reporting on the work as a whole (法治政府建设, 推进, 落实, 党工委). There, the data
# suggest no missing policy theme. On another corpus, read the topics above against the codebook before saying
# the same: a topic whose top terms match no theme is a candidate theme the codebook lacks.

# %% [markdown]
# ## Summary
# The figures behind the findings above.

# %%
results.table()
