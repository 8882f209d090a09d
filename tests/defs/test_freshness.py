"""The warehouse's freshness: Dagster's freshness check on `warehouse` (the schedule's interval plus a margin),
evaluated by every refresh, and a warning alert the first time an evaluation finds the warehouse stale."""

from __future__ import annotations

import datetime as dt
import json

import dagster as dg
import pytest

from pipelines.defs import freshness


def test_the_bound_is_the_schedules_interval_plus_the_margin():
    assert freshness.freshness_bound({}) == dt.timedelta(days=8)  # weekly, 24 h margin
    daily = {"SGPULSE_SCHEDULE_CRON": "0 3 * * *", "SGPULSE_FRESHNESS_MARGIN_HOURS": "6"}
    assert freshness.freshness_bound(daily) == dt.timedelta(days=1, hours=6)
    # Mondays and Thursdays: the longer gap (Thursday to Monday) counts.
    assert freshness.schedule_interval("0 3 * * 1,4", "Europe/Zurich") == dt.timedelta(days=4)
    with pytest.raises(ValueError, match="SGPULSE_FRESHNESS_MARGIN_HOURS"):
        freshness.freshness_bound({"SGPULSE_FRESHNESS_MARGIN_HOURS": "-1"})


def test_the_freshness_check_is_a_non_blocking_warning_on_the_published_warehouse():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    spec = graph.get_check_spec(freshness.WAREHOUSE_FRESHNESS_KEY)
    assert spec.asset_key == dg.AssetKey("warehouse") and not spec.blocking
    assert spec.metadata["dagster/freshness_params"].data["lower_bound_delta_seconds"] == 8 * 86400
    # Every refresh evaluates it, so a successful refresh turns it back to passing.
    refresh = defs.resolve_job_def("refresh").asset_layer.asset_graph
    assert freshness.WAREHOUSE_FRESHNESS_KEY in refresh.asset_check_keys
    sensors = {s.name: s for s in defs.sensors}
    for name in ("warehouse_freshness_sensor", "warehouse_freshness_alerts"):
        assert sensors[name].default_status == dg.DefaultSensorStatus.RUNNING


def test_a_stale_warehouse_fails_the_check_and_is_alerted_once(tmp_path, monkeypatch):
    from dagster._core.definitions.asset_checks.asset_check_factories.freshness_checks import last_update

    from pipelines.defs.resources import SgpulsePaths

    @dg.asset(key="warehouse")
    def warehouse() -> None:
        """Stands in for the published warehouse: only its materialisation time matters here."""

    monkeypatch.delenv("SGPULSE_ALERTS_FILE", raising=False)
    instance = dg.DagsterInstance.ephemeral()
    checks = freshness.warehouse_freshness_checks
    fresh = dg.materialize([warehouse, *checks], instance=instance)
    assert [e.passed for e in fresh.get_asset_check_evaluations()] == [True]

    paths = SgpulsePaths(raw_dir=str(tmp_path), warehouse=str(tmp_path / "wh.duckdb"), out_dir=str(tmp_path))
    alerts = tmp_path / "quality" / "alerts.jsonl"

    def evaluate_alert_sensor(cursor):
        # A context manager: the paths resource sets up and tears down (it holds the lock in runs, not here).
        with dg.build_sensor_context(instance=instance, cursor=cursor, resources={"paths": paths}) as context:
            result = freshness.warehouse_freshness_alerts(context)
            return context.cursor, result

    cursor, skipped = evaluate_alert_sensor(None)
    assert "fresh" in skipped.skip_message and not alerts.exists()

    # Nine days later, with no refresh in between: the check (run as the freshness sensor runs it) fails.
    later = dt.datetime.now(dt.UTC).timestamp() + 9 * 86400
    monkeypatch.setattr(last_update, "get_current_timestamp", lambda: later)
    stale = dg.materialize(
        [warehouse, *checks], instance=instance, selection=dg.AssetSelection.checks(*checks)
    )
    (evaluation,) = stale.get_asset_check_evaluations()
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN

    cursor, _ = evaluate_alert_sensor(cursor)
    (record,) = [json.loads(line) for line in alerts.read_text().splitlines()]
    assert record["kind"] == "stale_warehouse" and record["severity"] == "warning"
    assert "older than the refresh schedule plus its margin (192 h)" in record["summary"]
    # The same stale evaluation is not alerted twice.
    _, again = evaluate_alert_sensor(cursor)
    assert "already alerted" in again.skip_message and len(alerts.read_text().splitlines()) == 1
