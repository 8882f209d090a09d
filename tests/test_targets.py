"""The results framework: validated with an error naming the key, and assessed into kpi_vs_target."""

import pytest
import yaml

from pipelines.analytics.targets import FRAMEWORK_FILE, FrameworkError, load_framework


def _write(tmp_path, mutate):
    data = yaml.safe_load(FRAMEWORK_FILE.read_text())
    mutate(data)
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


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
    path = _write(tmp_path, mutate)
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    message = str(info.value)
    assert str(path) in message and expected in message
    assert "\n" not in message


def test_kpi_vs_target_statuses_on_the_small_fixture(small_warehouse):
    rows = {
        (sg, year, kpi): (value, target, direction, status)
        for sg, year, kpi, value, target, direction, status in small_warehouse.execute(
            "select sg, year, kpi, value, target, direction, status from marts.kpi_vs_target"
        ).fetchall()
    }
    # SG17 2023: HHI 2500 vs 1500 (lower is better, tolerance 33% -> watch up to 1995) -> off track.
    assert rows[("SG17", 2023, "hhi")] == (2500.0, 1500.0, "lower is better", "off track")
    # SG17 2023: developing_share .5 vs .30 -> on track; countries 5 vs the SG17 override 40 -> off track.
    assert rows[("SG17", 2023, "developing_share")][3] == "on track"
    assert rows[("SG17", 2023, "countries")][1:] == (40.0, "higher is better", "off track")
    # Industry share .5 exactly at its target .5 -> on track; no newcomer share in the first year -> no status.
    assert rows[("SG17", 2023, "industry_share")][3] == "on track"
    assert (
        rows[("SG17", 2023, "newcomer_share")][0] is None
        and rows[("SG17", 2023, "newcomer_share")][3] is None
    )
    # Every SG-year-KPI with a target is there once: 3 SG-years x 13 KPIs with targets.
    assert len(rows) == 3 * len(load_framework().targets())


def test_watch_band(small_warehouse):
    # Elephant factor 2 vs target 4, tolerance 25% -> watch from 3: off track. SG17 2024: 1 -> off track.
    status = dict(
        ((y, k), s)
        for y, k, s in small_warehouse.execute(
            "select year, kpi, status from marts.kpi_vs_target where sg = 'SG17'"
        ).fetchall()
    )
    assert status[(2023, "elephant_factor")] == "off track"
    # academia_share 2024 is 0 vs .05 with 40% tolerance -> off track; 2023 .125 -> on track.
    assert status[(2024, "academia_share")] == "off track"
    assert status[(2023, "academia_share")] == "on track"


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
    conn.execute("""create table intermediate.int_kpis_by_scope as select * from (values
        ('SG1', 2021, 100, 700.0), ('SG1', 2022, 95, 760.0), ('SG1', 2023, 89, 771.0),
        ('SG2', 2021, 120, 650.0), ('SG2', 2019, 1, 1.0), ('(sector)', 2021, 300, null))
        t(scope, year, participants, median_cycle_days)""")
    conn.execute(
        "create table marts.sg_year_kpis as select scope as sg from intermediate.int_kpis_by_scope "
        "where scope <> '(sector)'"
    )
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
    }  # 2019 is before assess_from
    sector = conn.execute("select kpi, status from marts.sector_kpi_vs_target order by kpi").fetchall()
    assert sector == [("median_cycle_days", None), ("participants", "on track")]
