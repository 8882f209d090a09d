"""The first page (At a glance) in and after a partial year, on the history fixture (tests/honest/honest_fixture.py:
SG17's contributions cover 2022 only from 2022-11-21): the partial year's value is shown as such and never compared,
no key message rests on it, and the study period's average leaves it out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from honest_fixture import write_history_raw

GENERATED_AT = dt.datetime(2026, 1, 5, 9, 0, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    from testkit import build_warehouse

    root = tmp_path_factory.mktemp("history-first-page")
    path = root / "warehouse.duckdb"
    with duckdb.connect(str(path)) as built:
        build_warehouse(write_history_raw(Path(root) / "raw"), built)
    with duckdb.connect(str(path), read_only=True) as c:
        yield c


def _first_page(conn, year: int):
    from pipelines.briefs.content import build_brief
    from pipelines.briefs.data import load_brief_data
    from pipelines.briefs.glance import key_messages

    data = load_brief_data(conn, "SG17", year)
    brief = build_brief(data, GENERATED_AT)
    glance = next(t for t in brief.tables() if t.label == "tab:glance")
    return data, brief, {row[0]: row for row in glance.rows}, key_messages(data)


def test_in_a_partial_year_the_value_is_marked_and_never_compared(conn):
    partial = conn.execute(
        "select partial from marts.year_coverage where domain = 'contributions' and year = 2022"
    ).fetchall()
    assert partial == [(True,)]
    _, brief, rows, messages = _first_page(conn, 2022)
    contributions = rows["Contributions (documents)"]
    assert contributions[1] == "1 (partial year)"
    assert set(contributions[2:]) == {"n/a"}  # no median, range, rank or period change from a partial year
    assert not any("Contributions" in m.text or "HHI" in m.text for m in messages)
    # The first page says there is nothing to say rather than saying it from the partial year.
    assert any(
        "No rule found numbers to speak about for 2022" in getattr(b, "text", "")
        for b in brief.sections[0].blocks
    )


def test_after_a_partial_year_the_period_average_leaves_it_out(conn):
    """SG17's contributions: 1 in 2022 (partial), 2 in 2023, 1 in 2024, 1 in 2025. The 2022-2024 average is 1.5
    (2023 and 2024), not 1.3; no key message compares 2025 with 2022."""
    values = dict(
        conn.execute("select year, contributions from marts.sg_year_kpis where sg = 'SG17'").fetchall()
    )
    assert values == {2022: 1, 2023: 2, 2024: 1, 2025: 1}
    _, _, rows, messages = _first_page(conn, 2025)
    contributions = rows["Contributions (documents)"]
    assert contributions[5:] == ["1.5", "1.0", "-33.3%"]
    assert not any("in 2022" in m.text for m in messages)
