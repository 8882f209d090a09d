"""The Dagster wiring: one check per kind of rule of each suite, naming its failed expectations; publishing
waits for every blocking check; and the run failure sensor alerts for a scheduled run that failed."""

from __future__ import annotations

import json

import dagster as dg
from quality_helpers import WebhookServer

from pipelines.quality.engine import Outcome
from pipelines.quality.results import check_metadata, dagster_check_name
from pipelines.quality.suites import suites


def test_each_kind_of_rule_of_a_suite_is_a_check_of_its_table_blocking_when_critical():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    checks = {(k.asset_key.to_user_string(), k.name): graph.get_check_spec(k) for k in graph.asset_check_keys}
    checks.pop(("warehouse", "freshness_check"))  # not an expectation (tests/defs/test_freshness.py)
    # Nor the landscape's own two (pipelines/defs/landscape.py; tests/analytics/test_landscape_warehouse.py).
    for name in ("similarities_in_unit_interval", "every_sg_with_texts_has_a_related_committee"):
        checks.pop(("marts/sg_landscape", name))
    expected: dict[tuple[str, str], set[str]] = {}
    for name, suite in suites().items():
        for e in suite["expectations"]:
            key = (name.replace(".", "/"), dagster_check_name(e["meta"]["check"]))
            expected.setdefault(key, set()).add(e["severity"])
    assert set(checks) == set(expected)
    for key, severities in expected.items():
        assert severities in ({"critical"}, {"warning"}), key  # a check blocks or it does not
        assert checks[key].blocking == (severities == {"critical"}), key
    # What the Checks tab of staging/meetings says: the rule, its consequence and every expectation by name.
    not_null = checks[("staging/meetings", "not_null")].description
    assert not_null.startswith("Critical: a failure stops every downstream asset")
    assert "not_null:meeting_id (meeting_id is never missing)" in not_null
    plausible = checks[("staging/meetings", "plausible")].description
    assert plausible.startswith("Warning: a failure is recorded and alerted; the run goes on.")
    assert "plausible:start_date (start_date is between 1865-05-17 and <latest_plausible_date>)" in plausible


def test_a_check_result_names_each_failed_expectation():
    assert dagster_check_name("fk:sg,study_period->staging.study_groups") == "fk"
    assert dagster_check_name("no_rows_quarantined") == "no_rows_quarantined"

    def outcome(check, success, rows=None, refs=()):
        return Outcome("staging.meetings", check, "t", "critical", success, {}, "d", rows, 10, list(refs))

    metadata = check_metadata(
        [
            outcome("not_null:sg", True, 0),
            outcome("not_null:meeting_id", False, 2, ["m.csv:4", "m.csv:9"]),
            outcome("not_null:format", False, 1, ["m.csv:2"]),
        ]
    )
    assert metadata["not_null:meeting_id"] == "2 rows (m.csv:4, m.csv:9)"
    assert metadata["not_null:format"] == "1 row (m.csv:2)" and "not_null:sg" not in metadata
    assert (metadata["expectations"], metadata["failed_expectations"], metadata["failed_rows"]) == (3, 2, 3)


def test_the_warehouse_is_published_only_after_every_guarded_asset_and_its_checks():
    """A blocking check stops the assets downstream of its asset; `warehouse` must be one of them for all."""
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    upstream, stack = set(), [dg.AssetKey("warehouse")]
    while stack:
        for parent in graph.get(stack.pop()).parent_keys:
            if parent not in upstream:
                upstream.add(parent)
                stack.append(parent)
    guarded = {dg.AssetKey(name.split(".")) for name in suites()}
    assert guarded <= upstream, sorted(k.to_user_string() for k in guarded - upstream)


def test_the_run_failure_sensor_alerts_for_a_failed_scheduled_run(tmp_path, monkeypatch):
    from pipelines.definitions import defs
    from pipelines.defs.alerting import refresh_failure_alerts
    from pipelines.defs.resources import SgpulsePaths, make_resources
    from pipelines.refresh import QUIET
    from pipelines.settings import Settings

    settings = Settings.resolve(tmp_path / "no-such-raw", tmp_path / "wh.duckdb", tmp_path / "out")
    instance = dg.DagsterInstance.ephemeral()
    result = defs.resolve_job_def("refresh").execute_in_process(
        instance=instance,
        resources=make_resources(settings),
        raise_on_error=False,
        run_config=QUIET,
        tags={"dagster/schedule_name": "weekly_refresh"},
    )
    assert not result.success
    paths = SgpulsePaths.from_settings(settings)
    with WebhookServer() as hook:
        monkeypatch.setenv("SGPULSE_ALERT_WEBHOOK_URL", hook.url)
        monkeypatch.setenv("SGPULSE_DAGSTER_URL", "http://localhost:3000")
        # A context manager: the paths resource sets up and tears down (it holds the lock in runs, not here).
        with dg.build_run_status_sensor_context(
            sensor_name="refresh_failure_alerts",
            dagster_instance=instance,
            dagster_run=instance.get_run_by_id(result.run_id),
            dagster_event=result.get_run_failure_event(),
            resources={"paths": paths},
        ).for_run_failure() as context:
            refresh_failure_alerts(context)
    (record,) = [
        json.loads(x) for x in (tmp_path / "out" / "quality" / "alerts.jsonl").read_text().splitlines()
    ]
    assert record["kind"] == "run_failed" and record["run_id"] == result.run_id
    assert record["summary"] == (
        f"refresh run failed, warehouse unchanged: {tmp_path / 'no-such-raw'}: raw directory not found"
    )
    assert record["run_url"] == f"http://localhost:3000/runs/{result.run_id}"
    assert f"Dagster UI: http://localhost:3000/runs/{result.run_id}" in hook.received[0]["json"]["text"]
    assert refresh_failure_alerts.default_status == dg.DefaultSensorStatus.RUNNING
