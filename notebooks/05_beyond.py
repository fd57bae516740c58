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
# # 05 · Beyond the mandated parts: compliance, template language, policy instruments
#
# **This notebook does:** three analyses researchers of these reports do by hand —
# 1 · **a compliance scorecard**: for each report, which contents the 2019 《法治政府建设与责任落实督察工作规定》
# mandates it holds as parts (举措和成效; 不足和原因, with causes stated; 第一责任人职责; 下一年度安排; 其他), each
# with the raw offset of its heading; its issuer and date, days from the year's end and whether it is dated by
# 1 April; its length, its shortcoming items, how concrete they are and how many a plan answers — per column, by
# macro-region and unit level, with no overall score (`compliance.csv`; the rule behind each column:
# `docs/compliance.md`);
# 2 · **template language and text reuse**: passages two reports share, found with character shingles and
# MinHash LSH, then aligned, with raw offsets on both sides; boilerplate — text many reports share (by default
# at least 5 % of them, at least 3 and at most 100) — kept apart from copying between pairs; the share of each part's characters found elsewhere (`text_reuse_pairs.csv`,
# `text_reuse_passages.csv`);
# 3 · **policy instruments**: every measures and plans item coded by instrument (supply-, environment- and
# demand-side, after Rothwell & Zegveld; `data/codebook/instruments.yaml`, `docs/coding_guide_instruments.md`),
# the coder scored against hand codes written under the guide before the coder existed, and the instrument mix by
# theme and by region. Tables are saved in the study's processed folder (`data/processed/` for the bundled corpus,
# `OUT/processed/` for a study run), with the lexicon's and codebooks' versions as their last columns.
#
# **Main findings** are computed from the corpus when the notebook runs, and shown as the output of the first cell
# below the imports.
#
# **Limits:** the 1 April rule is about publication, and publication dates are not in the data — the date checked is
# the report's own; causes and instruments come from keyword coders (the instrument coder is checked against one
# person's hand codes of the five bundled reports, and its keywords were tuned on them: its scores flatter); shares
# describe the reports studied, not a population; reuse between reports says that text is shared, not who copied whom.

# %% tags=["parameters"]
# The corpus folder (reports and the reports.csv that lists them). None = the bundled data/raw.
corpus_dir = None
# The metadata table, if not corpus_dir/reports.csv (e.g. a draft written by `python -m helpers study`).
metadata_csv = None
# The genre studied, in a folder of several (fazhi_report, gov_work_report …): one genre at a time.
genre = None

# %%
from helpers import compliance, exports, findings, instruments, plots, reuse, themes
from helpers.context import load_study
from helpers.paths import PROCESSED
from helpers.unavailable import available

study = load_study(corpus_dir, metadata_csv, genre=genre)
theme_book, _ = themes.default_codebooks()
governed = compliance.not_governed(study.genre) is None  # the 2019 regulation governs this genre's reports
card = compliance.scorecard(study, findings.comparison_tables(study, claims=False) if governed else None)  # 04's tables, kept
shared = reuse.study_reuse(study)  # passages two reports share, boilerplate, coverage by part, plan repeats
tools = instruments.instrument_tables(study)  # codebook, hand codes, the items counted by their codes (not a row each)

# %% tags=["findings"]
results = findings.combined(compliance.compliance_findings(study, card), reuse.reuse_findings(shared),
                            instruments.instrument_findings(study, tools))
findings.show(results)

# %% [markdown]
# ## 1 · Compliance with the 2019 regulation, report by report
# One row per report. A mandated content counts as present when a part opens with its heading (the offset is where
# that heading starts in the file as read); `causes_stated` when an item of the shortcomings part carries a cause
# of the cause codebook, `causes_in_heading` when its heading says 原因. `dated_by_deadline` is empty where the
# report has no date or no year reported on: nothing is guessed.

# %%
PROCESSED.mkdir(parents=True, exist_ok=True)
if available(card):
    exports.write_csv(card, PROCESSED / "compliance.csv")  # with the versions (as pandas' to_csv, faster)
findings.readable(card, reports=study.labels)

# %% [markdown]
# Each column's share by macro-region and by unit level (counts with their n: a share of a group of one or two
# reports is an anecdote, not a rate).

# %%
shares = compliance.group_shares(card) if available(card) else card
fig = plots.compliance_heatmap(
    compliance.chart_tables(shares) if available(shares) else shares,
    compliance.chart_title(compliance.summary(card)) if available(card) else "",
    compliance.chart_caption(study.caption),
)
exported = plots.save_figure(fig, "05_compliance_by_region_and_level")

# %%
findings.readable(shares)

# %% [markdown]
# ## 2 · Template language and text reuse
# Every report's text is cut into shingles of 10 content characters (Han characters, letters, digits: punctuation
# and spaces dropped); text that at least the stated share of reports hold is **boilerplate** (slogans, the stock
# headings and openings of the genre) and is set apart; each paragraph is sketched with MinHash on the rest, LSH
# finds candidate pairs of paragraphs without comparing every pair, and only candidates — and the same unit's
# reports of consecutive years — are aligned exactly. A passage is kept from 20 content characters. The tables give
# each passage's offsets on both sides, in the normalised text and in the file.

# %%
reuse.write_tables(shared, PROCESSED, stamp=study.stamped)  # text_reuse_*.csv, with the versions
fig = plots.reuse_by_part(shared.coverage, reuse.title(reuse.summary(shared)), study.caption, study.part_names)
exported = plots.save_figure(fig, "05_text_reuse_by_part")

# %% [markdown]
# Pairs of reports that share passages beyond boilerplate, most shared first (`share_a_pct`: of report a's
# characters):

# %%
findings.readable(reuse.top_pairs(shared.pairs), reports=study.labels)

# %% [markdown]
# The boilerplate passages, most widely held first:

# %%
findings.readable(reuse.top_boilerplate(shared), reports=study.labels)

# %% [markdown]
# The same unit in consecutive years: the share of this year's plans that repeats the previous year's report
# (empty where the corpus holds no previous year of the unit).

# %%
findings.readable(reuse.plan_repeats(shared.repeats), reports=study.labels)

# %% [markdown]
# ## 3 · Policy instruments
# The codebook: fourteen sub-instruments in three types, each with a definition, what it includes and excludes, and
# weighted keywords (the strongest shown). An item may carry up to three; leads and headings that only announce get
# none.

# %%
del shared  # text reuse's tables, shown above (0.2 GB at 2·10⁴ reports): not needed below
book = tools["book"]
findings.readable(instruments.instrument_codebook_table(book))

# %% [markdown]
# Every coded item, with the keywords that gave its instruments and its offsets in the normalised text and the
# file, is saved as `instruments.csv`:

# %%
coded_items = instruments.write_export(study, PROCESSED / "instruments.csv")  # read a slice of reports at a time; its first rows
findings.readable(coded_items, reports=study.labels)

# %% [markdown]
# **Validation.** The guide (`docs/coding_guide_instruments.md`) was written first; then every measures and plans
# item of the five bundled reports was hand-coded under it (`data/annotations/instrument_labels.csv`), before any
# keyword was written or the coder run. The first run of the coder (codebook 2026.12.0) was scored and its scores
# kept (`data/annotations/instrument_scores_v0.csv`); keywords were then tuned after reading the disagreements
# (the codebook's changelog lists each change). The current scores are measured on the same items the keywords were
# tuned on, so they flatter: the untuned column is the fairer estimate. A corpus without hand codes has no scores.

# %%
scores = instruments.scores_with_first_run(tools["gold"], tools["tally"], book)
findings.readable(scores, digits=2) if len(scores) else "No item of this corpus is hand-coded for instruments: no scores."

# %% [markdown]
# Items per sub-instrument and type, by the coder and (where the corpus has them) by the hand codes:

# %%
findings.readable(instruments.counts_by_source(tools["tally"], tools["gold"], book))

# %% [markdown]
# **Theme × instrument**, the usual two-dimensional table of policy-instrument studies: of the items on each theme
# (the theme coder of notebook 03), the share carrying each sub-instrument.

# %%
by_theme = instruments.by_theme(tools["tally"], None, book, theme_book.ids)
fig = plots.theme_instrument_heatmap(
    instruments.theme_instrument_matrix(by_theme, book, theme_book.labels),
    title=instruments.theme_instrument_title(by_theme, theme_book.labels, book),
    caption=study.caption + " Cells: % of the theme's measures and plans items carrying the sub-instrument "
    f"(instrument codebook {book.version}); n = the theme's items.",
)
exported = plots.save_figure(fig, "05_theme_by_instrument")

# %% [markdown]
# The mix of instrument types in each macro-region (share of the region's instrument codes):

# %%
mix = instruments.by_region(tools["tally"], None, book)
fig = plots.instrument_type_mix(
    mix, instruments.type_labels(book), title=instruments.type_mix_title(mix, book),
    caption=study.caption + f" Bars: share of the region's instrument codes by type (instrument codebook {book.version}).",
)
exported = plots.save_figure(fig, "05_instrument_types_by_region")

# %%
findings.readable(mix)

# %% [markdown]
# ## Summary
# The figures behind the findings above.

# %%
results.table()
