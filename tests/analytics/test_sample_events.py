"""The bundled sample's planted CxO decline (story 7, optional table events) in the marts and the sector brief."""

import re

from analytics_fixture import SAMPLE_RAW, sample_warehouse

from pipelines.sample.events import DECLINE_FROM


def test_event_year_sums_the_staged_rows_and_cxo_participation_falls_every_year_since_2022():
    conn = sample_warehouse()
    staged = dict(
        conn.execute(
            "select year(event_date), sum(participants) from staging.events where kind = 'CxO meeting' group by 1"
        ).fetchall()
    )
    mart = dict(
        conn.execute("select year, participants from marts.event_year where kind = 'CxO meeting'").fetchall()
    )
    assert mart == staged and len(mart) == 10
    falling = [mart[y] for y in range(DECLINE_FROM, 2026)]
    assert all(b < a for a, b in zip(falling, falling[1:], strict=False)), falling
    assert mart[2025] < 0.6 * mart[DECLINE_FROM]
    # The README next to the sample states the same figures.
    readme = (SAMPLE_RAW / "README.md").read_text(encoding="utf-8")
    assert f"{DECLINE_FROM}: {mart[DECLINE_FROM]} · " in readme and f"2025: {mart[2025]}." in readme


def test_the_sector_brief_enablers_section_measures_e6_and_states_the_decline():
    from pipelines.briefs.data import load_brief_data
    from pipelines.briefs.enablers import enablers_section

    conn = sample_warehouse()
    section = enablers_section(load_brief_data(conn, "sector", 2025))
    table = section.blocks[0]
    e6 = {row[1]: row for row in table.rows if row[0].startswith("E6 ")}
    cxo = conn.execute(
        "select year, participants from marts.event_year where kind = 'CxO meeting' and year >= 2024"
    ).fetchall()
    before, now = dict(cxo)[2024], dict(cxo)[2025]
    assert e6["CxO meeting participants"][2:5] == [str(before), str(now), f"{now - before:+d}"]
    texts = " ".join(getattr(b, "text", "") for b in section.blocks[1:])
    first = dict(
        conn.execute("select year, participants from marts.event_year where kind = 'CxO meeting'").fetchall()
    )[DECLINE_FROM]
    assert re.search(
        rf"CxO meeting participants fell every year since {DECLINE_FROM}: {first} in {DECLINE_FROM}, {now} in 2025",
        texts,
    ), texts
    # E6 is measured, so it is no longer among the enablers without data.
    assert "E6 Reinvigorated" not in texts.split("No data in this warehouse")[-1]
