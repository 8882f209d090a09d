"""The weekly refresh: rebuilds the warehouse even when no file changed (a new year, new code or targets)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dagster as dg
from dagster._utils.schedules import is_valid_cron_string

CRON_ENV, TIMEZONE_ENV, STATUS_ENV = "SGPULSE_SCHEDULE_CRON", "SGPULSE_TIMEZONE", "SGPULSE_SCHEDULE_STATUS"
DEFAULT_CRON = "0 3 * * 1"  # Mondays 03:00, before the working week in Geneva
DEFAULT_TIMEZONE = "Europe/Zurich"


def starts_running(env: Mapping[str, str], variable: str, default: str) -> bool:
    """Whether a schedule or sensor starts running: `running` or `stopped` from an environment variable."""
    value = (env.get(variable) or default).strip().lower()
    if value not in {"running", "stopped"}:
        raise ValueError(f"{variable} must be 'running' or 'stopped', got {value!r}")
    return value == "running"


def build_refresh_schedule(env: Mapping[str, str] = os.environ) -> dg.ScheduleDefinition:
    """The weekly schedule, set by SGPULSE_SCHEDULE_CRON, SGPULSE_TIMEZONE and SGPULSE_SCHEDULE_STATUS."""
    cron = (env.get(CRON_ENV) or DEFAULT_CRON).strip()
    timezone = (env.get(TIMEZONE_ENV) or DEFAULT_TIMEZONE).strip()
    if not is_valid_cron_string(cron):
        raise ValueError(f"{CRON_ENV} is not a valid cron string: {cron!r} (e.g. '{DEFAULT_CRON}')")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{TIMEZONE_ENV} is not an IANA time zone: {timezone!r} (e.g. '{DEFAULT_TIMEZONE}')"
        ) from None

    # Running by default: a weekly rebuild costs little and keeps the warehouse current without an operator.
    @dg.schedule(
        name="weekly_refresh",
        job_name="refresh",
        cron_schedule=cron,
        execution_timezone=timezone,
        default_status=(
            dg.DefaultScheduleStatus.RUNNING
            if starts_running(env, STATUS_ENV, "running")
            else dg.DefaultScheduleStatus.STOPPED
        ),
        description=f"Refresh the warehouse every week ({cron}, {timezone}).",
    )
    def weekly_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        return dg.RunRequest(tags={"sgpulse/trigger": "weekly schedule"})

    return weekly_refresh


weekly_refresh = build_refresh_schedule()
