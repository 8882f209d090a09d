"""Freshness of the published warehouse: a warning when the last successful refresh is older than the weekly
schedule's interval plus a margin, so a schedule that silently stopped (daemon down, every run failing,
paused by mistake) is noticed within a day instead of when TSAG reads a stale brief.

Dagster's own freshness check (`build_last_update_freshness_checks`) on the `warehouse` asset, evaluated by
Dagster's freshness sensor and by every refresh run; a second sensor sends a warning alert through the
project's channels (log, e-mail, webhook) the first time each failed evaluation is seen.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Mapping
from pathlib import Path

import dagster as dg

from pipelines.defs import publish
from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.schedules import CRON_ENV, DEFAULT_CRON, DEFAULT_TIMEZONE, TIMEZONE_ENV, starts_running

MARGIN_ENV, STATUS_ENV = "SGPULSE_FRESHNESS_MARGIN_HOURS", "SGPULSE_FRESHNESS_SENSOR_STATUS"
DEFAULT_MARGIN_HOURS = 24  # a failed Monday refresh rerun by Tuesday morning raises nothing
LAST_UPDATED_KEY = "dagster/last_updated_timestamp"


def schedule_interval(cron: str, timezone: str) -> dt.timedelta:
    """The longest gap between consecutive ticks of the schedule over the next year (7 days for weekly)."""
    from dagster._utils.schedules import cron_string_iterator

    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp()
    ticks = cron_string_iterator(start, cron, timezone)
    previous, longest = next(ticks), dt.timedelta(0)
    for tick in ticks:
        longest = max(longest, tick - previous)
        previous = tick
        if tick.timestamp() - start > 366 * 86400:
            break
    return longest


def freshness_bound(env: Mapping[str, str] = os.environ) -> dt.timedelta:
    """The age at which the warehouse is stale: the schedule's interval plus SGPULSE_FRESHNESS_MARGIN_HOURS."""
    cron = (env.get(CRON_ENV) or DEFAULT_CRON).strip()
    timezone = (env.get(TIMEZONE_ENV) or DEFAULT_TIMEZONE).strip()
    raw = (env.get(MARGIN_ENV) or str(DEFAULT_MARGIN_HOURS)).strip()
    try:
        margin = float(raw)
    except ValueError:
        margin = -1
    if margin < 0:
        raise ValueError(f"{MARGIN_ENV} must be a number of hours >= 0, got {raw!r}")
    return schedule_interval(cron, timezone) + dt.timedelta(hours=margin)


_running = starts_running(os.environ, STATUS_ENV, "running")
_status = dg.DefaultSensorStatus.RUNNING if _running else dg.DefaultSensorStatus.STOPPED

# Freshness checks, not the newer FreshnessPolicy (a preview in 1.13, off unless dagster.yaml enables it, and
# whose alerts exist only in Dagster+): a check's evaluation is a record our alert sensor can read. Their
# SupersessionWarning would be printed by every process that loads the code location, so it is silenced here.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", dg.SupersessionWarning)
    warehouse_freshness_checks = dg.build_last_update_freshness_checks(
        assets=[publish.warehouse],
        lower_bound_delta=freshness_bound(),
        severity=dg.AssetCheckSeverity.WARN,
    )
    # Dagster's sensor evaluates the check whenever it could have turned stale since it last passed; a refresh
    # evaluates it too (the check is part of the refresh job), which turns it back to passing.
    warehouse_freshness_sensor = dg.build_sensor_for_freshness_checks(
        freshness_checks=warehouse_freshness_checks,
        name="warehouse_freshness_sensor",
        minimum_interval_seconds=600,
        default_status=_status,
    )
[WAREHOUSE_FRESHNESS_KEY] = [key for checks in warehouse_freshness_checks for key in checks.check_keys]


def stale_warehouse_alert(evaluation, run_id: str, bound: dt.timedelta, dagster_url: str | None):
    """The warning alert for one failed freshness evaluation (None when the warehouse was never published)."""
    from pipelines.alerts.message import Alert, run_url

    last = evaluation.metadata.get(LAST_UPDATED_KEY)
    if last is None:  # a new deployment that has not refreshed yet is not stale: the UI shows the check
        return None
    updated = dt.datetime.fromtimestamp(last.value, dt.UTC)
    age = dt.datetime.now(dt.UTC) - updated
    summary = (
        f"warehouse last refreshed {updated:%Y-%m-%d %H:%M} UTC, {age.total_seconds() / 86400:.1f} days ago: "
        f"older than the refresh schedule plus its margin ({bound.total_seconds() / 3600:g} h)"
    )
    return Alert("stale_warehouse", "warning", run_id, summary, run_url=run_url(dagster_url, run_id))


# Running by default, like the run-failure alerts: a stale warehouse must reach a maintainer unprompted.
@dg.sensor(
    name="warehouse_freshness_alerts",
    minimum_interval_seconds=600,
    default_status=_status,
    description="Alert maintainers (log, e-mail, webhook) when the warehouse freshness check fails.",
)
def warehouse_freshness_alerts(context: dg.SensorEvaluationContext, paths: SgpulsePaths) -> dg.SkipReason:
    from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

    from pipelines.alerts.channels import dispatch
    from pipelines.alerts.config import AlertConfigError, load_alert_config

    records = context.instance.event_log_storage.get_asset_check_execution_history(
        WAREHOUSE_FRESHNESS_KEY, limit=1
    )
    if not records or records[0].status != AssetCheckExecutionRecordStatus.FAILED:
        return dg.SkipReason("the warehouse is fresh (or its freshness was never evaluated)")
    record = records[0]
    if context.cursor == str(record.id):
        return dg.SkipReason("this stale evaluation was already alerted")
    context.update_cursor(str(record.id))
    try:
        config = load_alert_config()
    except AlertConfigError as exc:
        context.log.warning(f"alert configuration ignored: {exc}")
        from pipelines.alerts.config import AlertConfig

        config = AlertConfig()
    evaluation = record.event.dagster_event.event_specific_data
    alert = stale_warehouse_alert(evaluation, record.run_id, freshness_bound(), config.dagster_url)
    if alert is None:
        return dg.SkipReason("the warehouse was never published here")
    deliveries = dispatch(alert, config, Path(paths.out_dir), context.log.warning)
    delivered = ", ".join(d.channel for d in deliveries if d.delivered) or "nothing"
    return dg.SkipReason(f"stale warehouse alerted to: {delivered}")
