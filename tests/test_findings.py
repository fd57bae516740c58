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
