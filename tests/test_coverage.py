"""pipelines.coverage: the one place outputs read what the data cover and whether they are real."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipelines.coverage import DataCoverage, DatasetLabel, label_kind, year_ranges
from pipelines.ingest.load import dataset_rows


def test_year_ranges():
    assert year_ranges([2016, 2017, 2018, 2020, 2023, 2024]) == "2016-2018, 2020, 2023-2024"
    assert year_ranges([]) == "none"


def _dataset(domains: dict[str, str]) -> dict:
    return {"domains": domains, "coverage": {}, "source": "test"}


def test_an_absent_optional_table_is_no_domain_and_real_peer_records_make_a_run_mixed():
    synthetic = {
        t: "synthetic" for t in ("members", "org_aliases", "meetings", "attendance", "contributions")
    }
    synthetic |= {"recommendations": "synthetic", "work_items": "synthetic"}
    labels = {row[0]: row[1] for row in dataset_rows(_dataset(synthetic))}
    assert "peer_publications" not in labels and label_kind(labels) == "synthetic"
    with_peers = {
        row[0]: row[1] for row in dataset_rows(_dataset({**synthetic, "peer_publications": "real"}))
    }
    assert with_peers["peer_publications"] == "real" and label_kind(with_peers) == "mixed"
    banner = DatasetLabel("mixed", with_peers, {"peer_publications": "relaton peers"}).banner
    assert banner.startswith(
        "MIXED DATA — real: peer bodies' publications (relaton peers); synthetic: membership"
    )


def test_masking_blanks_only_the_years_a_kpi_s_domain_does_not_cover_in_full():
    years = pd.DataFrame(
        [
            (2015, "contributions", 161, "partial", True),
            (2016, "contributions", 366, "full", False),
            (2015, "attendance", 0, "none", True),
            (2016, "attendance", 366, "full", False),
        ],
        columns=["year", "domain", "covered_days", "coverage", "partial"],
    )
    domains = pd.DataFrame(
        [("contributions", dt.date(2015, 7, 24), dt.date(2016, 12, 31), "synthetic", "s")],
        columns=["domain", "first_date", "last_date", "source_label", "source"],
    )
    cov = DataCoverage(years, domains, {"contributions": "contributions", "participants": "attendance"})
    frame = pd.DataFrame({"year": [2015, 2016], "contributions": [44, 2226], "participants": [None, 3099]})
    masked = cov.mask_partial(frame)
    assert masked["contributions"].isna().tolist() == [True, False]
    assert frame["contributions"].tolist() == [44, 2226]  # a copy
    assert cov.is_partial(2015, "contributions") and not cov.is_partial(2015, "participants")
    assert cov.available_years() == [2016] and cov.default_year() == 2016
    assert cov.coverage_line() == "contributions 2015-07-24 to 2016-12-31"


def test_the_series_charts_draw_starts_at_the_first_year_a_domain_covers_in_full():
    from types import SimpleNamespace

    from pipelines.briefs.data import BriefData

    rows = [(2015, "attendance", "none"), (2015, "contributions", "partial")]
    rows += [(y, d, "full") for y in (2016, 2017, 2018) for d in ("attendance", "contributions")]
    rows += [(2017, "attendance", "none")]  # a gap inside the series
    years = pd.DataFrame(rows, columns=["year", "domain", "coverage"]).drop_duplicates(
        ["year", "domain"], keep="last"
    )
    coverage = DataCoverage(
        years, pd.DataFrame(), {"participants": "attendance", "contributions": "contributions"}
    )
    kpis = pd.DataFrame(
        {"year": [2015, 2016, 2017, 2018], "participants": [None, 5, 6, 7], "contributions": [44, 9, 8, 7]}
    )
    data = SimpleNamespace(kpis=kpis, year=2018, coverage=coverage)
    series = BriefData.series(data)
    # 2015 (attendance none, contributions partial) is no axis tick; 2017's missing attendance stays a gap.
    assert series["year"].tolist() == [2016, 2017, 2018]
    assert series["participants"].isna().tolist() == [False, True, False]
