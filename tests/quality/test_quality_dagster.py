"""The Dagster wiring: two checks per guarded asset, publishing waits for every blocking check, and the run
failure sensor alerts for a scheduled run that failed."""

from __future__ import annotations

import json

import dagster as dg
from quality_helpers import WebhookServer

from pipelines.quality.suites import suites


def test_every_suite_guards_an_asset_with_a_blocking_and_a_warning_check():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    checks = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    for name, suite in suites().items():
        asset = name.replace(".", "/")
        severities = {e["severity"] for e in suite["expectations"]}
        assert ((asset, "blocking_expectations") in checks) == ("critical" in severities), name
        assert ((asset, "warning_expectations") in checks) == ("warning" in severities), name
    blocking = [graph.get_check_spec(k) for k in graph.asset_check_keys if k.name == "blocking_expectations"]
    assert blocking and all(spec.blocking for spec in blocking)
    assert not any(
        graph.get_check_spec(k).blocking for k in graph.asset_check_keys if k.name == "warning_expectations"
    )


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
        context = dg.build_run_status_sensor_context(
            sensor_name="refresh_failure_alerts",
            dagster_instance=instance,
            dagster_run=instance.get_run_by_id(result.run_id),
            dagster_event=result.get_run_failure_event(),
            resources={"paths": paths},
        ).for_run_failure()
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
