"""The results framework: validated with an error naming the key, and assessed into kpi_vs_target."""

import pytest
from testkit import framework_file

from pipelines.analytics.targets import FrameworkError, load_framework


def test_shipped_framework_loads_and_every_target_kpi_has_a_direction():
    framework = load_framework()
    assert framework.targets()
    assert {"concentration", "decline", "capacity", "diversity", "engagement", "inactivity"} <= set(
        framework.risk_appetite
    )


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["goals"][0]["outcomes"][0]["kpis"][0].update(target="high"),
            "goals.0.outcomes.0.kpis.0.target",
        ),
        (
            lambda d: d["goals"][0]["outcomes"][0]["kpis"][0].update(kpi="happiness"),
            "goals.0.outcomes.0.kpis.0.kpi: 'happiness' is not a KPI",
        ),
        (
            lambda d: d["goals"][0]["outcomes"][0]["kpis"][0].update(kpi="remote_share"),
            "'remote_share' has no direction",
        ),
        (
            lambda d: d["goals"][1]["outcomes"][0]["kpis"][0].update(overrides={"Study Group 5": 1}),
            "goals.1.outcomes.0.kpis.0.overrides",
        ),
        (lambda d: d.update(default_tolerance=3), "default_tolerance"),
        (lambda d: d.pop("version"), "version: Field required"),
        (lambda d: d["risk_appetite"]["concentration"].update(high=100), "risk_appetite.concentration"),
        (lambda d: d.update(colour="blue"), "colour: Extra inputs are not permitted"),
        (lambda d: d["evidence"].update(merge_candidate=1.5), "evidence.merge_candidate"),
    ],
)
def test_invalid_framework_names_the_key(tmp_path, mutate, expected):
    path = framework_file(tmp_path, mutate)
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    message = str(info.value)
    assert str(path) in message and expected in message
    assert "\n" not in message


def test_kpi_vs_target_statuses_on_the_small_fixture(small_warehouse):
    rows = {
        (sg, year, kpi): (value, target, direction, status, n)
        for sg, year, kpi, value, target, direction, status, n in small_warehouse.execute(
            "select sg, year, kpi, value, target, direction, status, n from marts.kpi_vs_target"
        ).fetchall()
    }
    # SG17 2023: HHI 2500 from 4 contributions (20 needed): shown with its n, no status.
    assert rows[("SG17", 2023, "hhi")] == (2500.0, 1000.0, "lower is better", "insufficient data", 4)
    # developing_share .5 and countries 5 (vs the SG17 override 40) rest on 6 attendance records (30 needed).
    assert rows[("SG17", 2023, "developing_share")][3:] == ("insufficient data", 6)
    assert rows[("SG17", 2023, "countries")][1:] == (40.0, "higher is better", "insufficient data", 6)
    # No newcomer share in the first year -> no status at all.
    assert (
        rows[("SG17", 2023, "newcomer_share")][0] is None
        and rows[("SG17", 2023, "newcomer_share")][3] is None
    )
    # Every SG-year-KPI with a target is there once: 3 SG-years x the KPIs with targets for every SG (the
    # outputs' and enablers' targets of `scope: sector` are the sector's only).
    per_sg = [t for _, t in load_framework().targets() if t.scope == "all"]
    assert len(per_sg) == 12 and len(rows) == 3 * len(per_sg)


def test_status_bands_both_directions():
    import duckdb

    from pipelines.analytics.targets import ResultsFramework, build_kpi_vs_target
    from pipelines.catalogue import catalogue

    framework = ResultsFramework.model_validate(
        {
            "version": "t",
            "default_tolerance": 0.1,
            "assess_from": 2020,
            "target_year": 2030,
            "goals": [
                {
                    "id": "G",
                    "name": "g",
                    "outcomes": [
                        {
                            "id": "O",
                            "name": "o",
                            "kpis": [
                                {"kpi": "participants", "target": 100},
                                {"kpi": "median_cycle_days", "target": 700, "overrides": {"SG2": 600}},
                            ],
                        }
                    ],
                }
            ],
        }
    )
    conn = duckdb.connect()
    conn.execute("create schema intermediate; create schema marts")
    # cycle_basis: the texts the median cycle time rests on (5 needed); SG2 2022 has 3.
    conn.execute("""create table intermediate.int_kpis_by_scope as select * from (values
        ('SG1', 2021, 100, 700.0, 10), ('SG1', 2022, 95, 760.0, 10), ('SG1', 2023, 89, 771.0, 10),
        ('SG2', 2021, 120, 650.0, 5), ('SG2', 2022, 120, 650.0, 3), ('SG2', 2019, 1, 1.0, 9),
        ('(sector)', 2021, 300, null, 0), ('SG1', 2024, 150, 600.0, 10))
        t(scope, year, participants, median_cycle_days, cycle_basis)""")
    conn.execute(
        "create table marts.sg_year_kpis as select scope as sg, year from intermediate.int_kpis_by_scope "
        "where scope <> '(sector)'"
    )
    # Every year full, but 2024: partial for attendance (participants), so not assessed.
    conn.execute("""create table intermediate.int_year_coverage as
        select year, domain, case when year = 2024 and domain = 'attendance' then 'partial' else 'full' end
            as coverage
        from range(2019, 2025) t(year), (values ('attendance'), ('recommendations')) d(domain)""")
    build_kpi_vs_target(conn, framework, catalogue())
    got = {
        (sg, y, k): s
        for sg, y, k, s in conn.execute("select sg, year, kpi, status from marts.kpi_vs_target").fetchall()
    }
    assert got == {
        ("SG1", 2021, "participants"): "on track",  # 100 >= 100
        ("SG1", 2022, "participants"): "watch",  # 95 >= 90
        ("SG1", 2023, "participants"): "off track",  # 89 < 90
        ("SG1", 2021, "median_cycle_days"): "on track",  # 700 <= 700
        ("SG1", 2022, "median_cycle_days"): "watch",  # 760 <= 770
        ("SG1", 2023, "median_cycle_days"): "off track",  # 771 > 770
        ("SG2", 2021, "participants"): "on track",
        ("SG2", 2021, "median_cycle_days"): "watch",  # 650 vs the SG2 override 600: <= 660
        ("SG2", 2022, "participants"): "on track",
        ("SG2", 2022, "median_cycle_days"): "insufficient data",  # 3 texts, 5 needed
        ("SG1", 2024, "participants"): None,  # a partial year: not assessed
        ("SG1", 2024, "median_cycle_days"): "on track",
    }  # 2019 is before assess_from
    sector = conn.execute("select kpi, status from marts.sector_kpi_vs_target order by kpi").fetchall()
    assert sector == [("median_cycle_days", None), ("participants", "on track")]
    partial = conn.execute(
        "select partial, n from marts.kpi_vs_target where sg = 'SG1' and year = 2024 and kpi = 'participants'"
    ).fetchall()
    assert partial == [(True, None)]


def test_watch_band_and_n():
    import duckdb

    from pipelines.analytics.targets import ResultsFramework, build_kpi_vs_target
    from pipelines.catalogue import catalogue

    targets = [
        {"kpi": "elephant_factor", "target": 4, "tolerance": 0.25},
        {"kpi": "academia_share", "target": 0.05, "tolerance": 0.40},
    ]
    framework = ResultsFramework.model_validate(
        {
            "version": "t",
            "default_tolerance": 0.1,
            "assess_from": 2020,
            "target_year": 2030,
            "goals": [{"id": "G", "name": "g", "outcomes": [{"id": "O", "name": "o", "kpis": targets}]}],
        }
    )
    conn = duckdb.connect()
    conn.execute("create schema intermediate; create schema marts")
    # Elephant factor vs target 4, tolerance 25% -> watch from 3; academia share vs .05, tolerance 40%.
    conn.execute("""create table intermediate.int_kpis_by_scope as select * from (values
        ('SG1', 2023, 2, 0.125, 40), ('SG1', 2024, 3, 0.0, 40), ('SG1', 2025, 4, 0.031, 40))
        t(scope, year, elephant_factor, academia_share, contributions)""")
    conn.execute(
        "create table marts.sg_year_kpis as select scope as sg, year from intermediate.int_kpis_by_scope"
    )
    conn.execute("""create table intermediate.int_year_coverage as select year, domain, 'full' as coverage
        from range(2023, 2026) t(year), (values ('contributions')) d(domain)""")
    build_kpi_vs_target(conn, framework, catalogue())
    status = {
        (y, k): (s, n)
        for y, k, s, n in conn.execute(
            "select year, kpi, status, n from marts.kpi_vs_target where kpi in ('elephant_factor', 'academia_share')"
        ).fetchall()
    }
    assert status[(2023, "elephant_factor")] == ("off track", 40)
    assert status[(2024, "elephant_factor")] == ("watch", 40)
    assert status[(2025, "elephant_factor")] == ("on track", 40)
    assert status[(2023, "academia_share")][0] == "on track"
    assert status[(2024, "academia_share")][0] == "off track"
    assert status[(2025, "academia_share")][0] == "watch"  # .031 >= .05 x .6
