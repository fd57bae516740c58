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
# # 04 · Measures against stated shortcomings, across regions
#
# **This notebook does:** answers four questions, each with a chart and the table behind it —
# 1 · where do reports claim effort and where do they admit weakness (themes of measures, shortcomings and plans,
# per report and per macro-region)? 2 · do next year's plans answer the stated shortcomings? 3 · how
# self-critical is each report (length, items, concreteness)? 4 · what do the reports count (every quantitative
# claim, saved as `indicators.csv` in the study's processed folder)? Themes come from the notebook-03 coder; every number traces to
# offsets in a raw report.
#
# **Main findings** are computed from the corpus when the notebook runs, and shown as the output of the first cell
# below the imports, one sentence per question, each with its denominator: which themes take a larger share of
# shortcoming items than of measure items, and in how many regions; how many shortcoming items carry a theme, how
# many a plan item answers on the same theme and how many in the shortcoming's own words; how long and how concrete
# shortcomings are next to measures; what the reports count.
#
# **Limits:** where a region holds few reports, every comparison between reports or regions is anecdotal, not an
# estimate for a region (the findings give n and the reports a region holds). Themes come from the keyword coder of
# notebook 03, checked against hand codes where the corpus has them; claims are taken as the reports state them,
# and nothing here verifies them.

# %% tags=["parameters"]
# The corpus folder (reports and the reports.csv that lists them). None = the bundled data/raw.
corpus_dir = None
# The metadata table, if not corpus_dir/reports.csv (e.g. a draft written by `python -m helpers study`).
metadata_csv = None
# The genre studied, in a folder of several (fazhi_report, gov_work_report …): one genre at a time.
genre = None

# %%
import pandas as pd

from helpers import comparison, exports, findings, hand_codes, indicators, plots, structure, themes
from helpers.context import load_study
from helpers.paths import PROCESSED
from helpers.regions import MACRO_REGIONS
from helpers.unavailable import available

pd.set_option("display.max_colwidth", 60)
study = load_study(corpus_dir, metadata_csv, genre=genre)
corpus, order, labels, caption = study.corpus, study.order, study.labels, study.caption
theme_book, cause_book = themes.default_codebooks()
theme_labels = theme_book.labels
tables = findings.comparison_tables(study)  # coded items with regions, hand codes, plan answers, claims, concreteness
coded, hand = tables["coded"], tables["hand"]

# %% tags=["findings"]
results = findings.comparison_findings(study, tables)
findings.show(results)

# %% [markdown]
# ## 1 · Where do reports claim effort, and where do they admit weakness?
# For each report, the share of the part's characters that sits in items on each theme (an item on two themes
# counts for both), measures, shortcomings and plans side by side. Theme order and labels as in notebook 03.

# %%
profile, columns = themes.profile_by_report_or_region(coded, corpus, theme_book.ids, labels)  # regions past 30 reports
three = ["measures", "shortcomings", "plans"]
wide = themes.theme_matrix(profile, theme_book.ids, three, list(columns), report_first=True).fillna(0)
findings.readable(wide.round(0).rename(index=theme_labels).rename(columns=labels, level=0))

# %%
short_names = {"measures": "举措", "shortcomings": "不足", "plans": "安排"}
heat = themes.matrix_labels(wide, columns, short_names, report_first=True)
fig = plots.heatmap(
    heat.rename(index=theme_labels),
    title=comparison.plans_heatmap_title(profile, theme_labels),
    caption=caption + " Cells: % of the part's characters in items with the theme (coder, notebook 03).",
    xlabel=f"{plots.profile_groups(profile)} · part (举措 measures, 不足 shortcomings, 安排 plans)", cmap="share", size=(15, 7.5),
)
exported = plots.save_figure(fig, "04_theme_heatmap_measures_shortcomings_plans")

# %% [markdown]
# Per macro-region (东部 / 中部 / 西部 / 东北, the NBS scheme; the caption says how many reports each holds): the share of the region's
# measures items and shortcomings items on each theme. Long grey lines are themes a region reports much effort
# on but admits little weakness in — or the reverse.

# %%
if structure.no_region_note(corpus):
    print(structure.no_region_note(corpus))
regional = comparison.regional_shares(coded, theme_book.ids)
dumbbell_data = regional.rename(columns={"macro_region": "panel", "theme": "row", "item_share_pct": "value"})
gaps = comparison.shortcoming_gaps(regional, structure.regions_present(corpus))
fig = plots.dumbbells(
    dumbbell_data, panels=MACRO_REGIONS, rows=theme_book.ids, row_labels=theme_labels,
    title=comparison.gap_title(gaps, theme_labels),
    caption=caption + " " + structure.region_sizes(corpus), part_names=study.part_names,
    xlabel="% of the region's items in the part",
) if available(gaps) else gaps
exported = plots.save_figure(fig, "04_dumbbells_measures_shortcomings_by_region")

# %%
findings.readable(comparison.regional_table(regional, structure.regions_present(corpus), theme_book.ids, theme_labels))  # % of items

# %% [markdown]
# **Check against the hand codes.** The same corpus-wide shares of items, from the coder and from the hand codes
# of notebook 03 (a corpus without hand codes has no check, and no hand-code columns).

# %%
findings.readable(hand_codes.coder_against_hand_codes(coded, hand, theme_book.ids, ["measures", "shortcomings"]).round(0).rename(index=theme_labels))

# %% [markdown]
# ## 2 · Do next year's plans answer the stated shortcomings?
# For every shortcoming item with a theme: is there a plan item in the same report on the same theme? The most
# similar such plan item is shown with the cosine similarity of the two items' TF-IDF vectors (content tokens).

# %%
summary_answers, answers = tables["summary_answers"], tables["answers"]  # comparison.answered_by_plans
findings.readable(summary_answers.rename(index=labels), digits=2)  # reports that list a shortcoming item with a theme

# %%
fig = plots.plan_uptake(
    answers, labels, title=comparison.uptake_title(answers), threshold=comparison.SIMILAR, caption=caption,
)
exported = plots.save_figure(fig, "04_plans_answer_shortcomings")

# %% [markdown]
# A plan item on the same theme is a weak answer: themes are broad. How closely does the plan take up the
# shortcoming's own words? Below: each shortcoming, the most similar plan item on its theme, and their similarity
# (TF-IDF cosine; under 0.2 means the plan shares little more than the theme). Shortcomings without a plan item on
# their theme are listed first.

# %%
findings.readable(tables["plan_pairs"], digits=2, labels=theme_labels, reports=labels)  # comparison.shortcoming_plan_pairs

# %% [markdown]
# ## 3 · How self-critical is each report?
# Length and items of shortcomings next to measures, and how concrete each is: the share of items that hold a
# figure, a named document (《…》) or a named place (小寨十字, 红专南路社区) rather than generic sentences.

# %%
claims, concrete, critic = tables["claims"], tables["concrete"], tables["critic"]
findings.readable(critic.rename(index=labels))

# %%
fig = plots.grouped_bars(
    comparison.concreteness_by_part(critic), labels, "items with a figure, document or named place (%)",
    title=comparison.concreteness_title(critic),
    caption=caption, fmt="{:.0f}", part_names=study.part_names,
)
exported = plots.save_figure(fig, "04_concreteness_measures_vs_shortcomings")

# %%
findings.readable(comparison.concrete_examples(concrete, order).rename(index=labels, level=0))

# %% [markdown]
# ## 4 · What do the reports count?
# Every quantitative claim: value (Chinese numerals and 万 converted), unit or classifier, qualifiers
# (余, 近, 达, 累计, 全年 …), the thing counted, the item's themes and offsets in the normalised and the raw text.
# Years, dates, document numbers, ordinals and numbers inside fixed phrases are not claims. Saved as
# `indicators.csv` in the processed folder (`data/processed/` for the bundled corpus, `OUT/processed/` for a study
# run), with the lexicon's and codebooks' versions as its last columns.

# %%
PROCESSED.mkdir(parents=True, exist_ok=True)
exports.write_csv(study.stamped(claims), PROCESSED / "indicators.csv")  # with the versions (as pandas' to_csv, faster)
findings.claims_shown(claims, labels, theme_labels)

# %%
indicators.claims_by_part(claims, order, labels)

# %% [markdown]
# Claims of total success (100 %) — worth a reader's second look:

# %%
findings.claims_shown(claims, labels, theme_labels, only_100pct=True)

# %%
headline = indicators.headline_indicators(claims)
fig = plots.indicator_panels(
    headline, indicators.FAMILY_LABELS, labels,
    title=indicators.headline_title(headline, claims, len(order)),
    caption=caption,
)
exported = plots.save_figure(fig, "04_comparable_indicators")

# %%
findings.readable(indicators.headline_table(headline, order, labels))

# %% [markdown]
# ## Summary
# The figures behind the findings above.

# %%
results.table()
