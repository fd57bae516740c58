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
# # 01 · The corpus: the reports and the parts they are made of
#
# **This notebook does:** 1 · opens the study's store of the corpus's reports (built with `python -m helpers build`:
# every report read, checked against `reports.csv` — files, checksums, regions — and analysed once, in parallel; the
# notebooks only read its tables); 2 · normalises each report and splits it into the parts its genre's profile
# (`data/profiles/`) names, plus front matter and sign-off, and the parts into items — for a 法治政府建设 report the
# parts the 2019 《法治政府建设与责任落实督察工作规定》 requires (举措和成效 measures, 不足和原因 shortcomings,
# 第一责任人履职 leadership, 下一年度安排 plans, 其他 other); another genre is read into its own parts (a
# 政府工作报告: 工作回顾 measures, 问题和不足 shortcomings, 目标任务 plans); 3 · shows how much of each report each
# part takes, how many items each part has, and — for the genre the regulation governs — where each report departs
# from the mandated order.
#
# **Main findings** are computed from the corpus when the notebook runs, and shown as the output of the first cell
# below the imports (with n and the number of reports a region holds): the same sentences for five reports or five
# thousand, each with its denominator.
#
# **Limits:** shares and counts describe the documents of this corpus, not a population. Parts are found from headings only (never from body
# text), so a report whose headings name no part is kept whole as `other`, with a warning.

# %% tags=["parameters"]
# The corpus folder (reports and the reports.csv that lists them). None = the bundled data/raw.
corpus_dir = None
# The metadata table, if not corpus_dir/reports.csv (e.g. a draft written by `python -m helpers study`).
metadata_csv = None
# The genre studied, in a folder of several (fazhi_report, gov_work_report …): one genre at a time.
genre = None

# %%
import pandas as pd

from helpers import findings, intake, plots, structure
from helpers.context import load_study

pd.set_option("display.max_colwidth", 60)
study = load_study(corpus_dir, metadata_csv, genre=genre)
corpus, order, labels, caption = study.corpus, study.order, study.labels, study.caption

# %% tags=["findings"]
results = findings.corpus_findings(study)
findings.show(results)

# %%
corpus

# %% [markdown]
# ### Every file in the folder
# Each file is analysed, listed as a duplicate of one that is (same bytes or same text: analysed once), skipped with
# the reason and the fix (unsupported format, unreadable, empty), or ignored (system and lock files). Metadata that
# the metadata table leaves out are inferred from each report's text — unit, level, year, date, issuer, and the
# place from the national table of administrative divisions (an ambiguous name is left empty, never guessed).

# %%
intake.status_counts(study.files)

# %%
intake.not_analysed(study.files)

# %%
intake.inferred_metadata(study.metadata)

# %% [markdown]
# Reports are ordered by macro-region (东部, 中部, 西部, 东北 — the National Bureau of Statistics scheme), then
# province. `raw_chars` counts the file as received, `chars` the normalised text (one form of punctuation,
# no stray spaces or blank lines, lines broken inside a sentence joined); every offset below points into the
# normalised text and maps back to the raw file.
#
# ## Parts
# Each part is a contiguous span; together they cover every character of the report exactly once.

# %%
parts = study.parts()
parts[["report_id", "part_seq", "part", "heading", "nested", "start", "end", "raw_start", "raw_end", "chars", "items"]]

# %%
shares = structure.part_shares(parts, order)
findings.readable(shares.loc[:, shares.gt(0).any()])  # % of each report's characters; parts no report has left out

# %%
fig = plots.parts_in_text_order(
    parts, labels,
    title=findings.parts_title(results.figures),
    caption=caption, part_names=study.part_names,
)
exported = plots.save_figure(fig, "01_parts_share_by_report")

# %% [markdown]
# Bars read left to right in the order the report is written. A colour that appears twice in a bar is a
# part split in two (the table of departures below names the reports, and the parts nested in another).
#
# ## Items
# Items are the numbered (一、 / （一） / 1. / 1、 / 一是…) or titled (`深化思想引领，夯实理论根基。…`)
# units inside a part; a part written as plain paragraphs counts one item per paragraph.

# %%
counts = structure.items_per_part(parts, order)
counts = counts.loc[:, counts.gt(0).any()]  # parts no report has left out
counts

# %%
fig = plots.items_by_part(
    counts, labels,
    title=findings.items_title(results.figures),
    caption=caption, part_names=study.part_names,
)
exported = plots.save_figure(fig, "01_items_by_part")

# %%
items = study.items(["part", "item_kind", "level", "marker", "item_title", "start", "end", "raw_start", "raw_end"])  # not the text
shortcomings = structure.part_items(items, "shortcomings")
shortcomings[["report_id", "level", "marker", "item_title", "start", "end", "raw_start", "raw_end"]]

# %% [markdown]
# ## Where reports depart from the mandated order
# For 法治政府建设 reports the regulation lists measures, shortcomings, leadership, plans, other. `out_of_order` lists
# pairs that appear the other way round; `nested` lists parts found as a sub-section of another part; `split` lists
# parts found in more than one place. A genre the regulation does not govern has no mandated order: its table shows
# the order observed only.

# %%
findings.order_table(study)

# %% [markdown]
# ## Summary
# The figures behind the findings above.

# %%
results.table()
