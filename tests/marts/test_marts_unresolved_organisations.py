"""marts.unresolved_organisations by hand (fixture: marts_fixture.py).

Unresolved names in the fixture:
  "Orbis Consulting" / "Orbis Consulting Ltd" (one normalised name): attendance rows 5 (SG17-2022-2,
      2022-11-14), 14 (SG5-2023-1, 2023-05-15), 17 (SG17-2024-1, 2024-06-10); sources of C-0004
      (2023-02-21), SG5-C-0001 (2023-05-10), C-0008 (2024-04-02)
  "3GPP": sources of the LS-in documents LS-0003 (2023-06-01) and T25-LS-0001 (2025-02-01)
  "OFCOM (Switzerland)": attendance row 11 (SG17-2023-2, starting 2023-12-30)
Everything else resolves: member names and their variants (ALPHA NETWORKS, Beta Telecom,
EPSILON SYSTEMS, INC.), aliases (ANW, Beta Tel), Member States by country name (Egypt, Kenya,
Bangladesh) and ISO3 (KEN, EGY).
"""

from __future__ import annotations

import datetime as dt

import pytest
from marts_fixture import kpi_warehouse, records

EXPECTED = {
    # name (normalised): (occurrences, first_seen, last_seen, tables)
    "orbis consulting": (6, dt.date(2022, 11, 14), dt.date(2024, 6, 10), {"attendance", "contributions"}),
    "3gpp": (2, dt.date(2023, 6, 1), dt.date(2025, 2, 1), {"contributions"}),
    "ofcom switzerland": (1, dt.date(2023, 12, 30), dt.date(2023, 12, 30), {"attendance"}),
}


@pytest.fixture(scope="module")
def wh():
    return kpi_warehouse()


def test_unresolved_organisations(wh):
    rows = records(wh, "select * from marts.unresolved_organisations")
    got = {
        r["name"]: (
            r["occurrences"],
            r["first_seen"],
            r["last_seen"],
            {t.strip() for t in r["tables"].split(",")},
        )
        for r in rows
    }
    assert len(rows) == len(got)  # one row per normalised name
    assert got == EXPECTED


def test_resolved_names_are_not_listed(wh):
    names = {n for (n,) in wh.execute("select name from marts.unresolved_organisations").fetchall()}
    for resolved in (
        "anw",
        "beta tel",
        "alpha networks",
        "egypt",
        "egy",
        "ken",
        "kenya",
        "bangladesh",
        "epsilon systems",
        "beta telecom",
        "university of delta",
        "gamma labs",
        "switzerland",
    ):
        assert resolved not in names
