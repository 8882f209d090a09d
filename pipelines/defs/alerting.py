"""Alerts for refresh runs that fail in a Dagster deployment (weekly schedule, raw-files sensor, the UI).

`sgpulse refresh` alerts by itself (pipelines/refresh.py): it runs on a throwaway instance, where no sensor
runs. Dagster's `make_email_on_run_failure_sensor` and dagster-msteams' `make_teams_on_run_failure_sensor`
are built on the same `run_failure_sensor` as this one; they are not used because our alerts must go to the
alert log, to an SMTP relay without TLS or login, and to Slack as well as Teams, with retries (see
pipelines/alerts/channels.py), and must say which blocking check stopped the run and on which rows.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from pipelines.alerts.notify import after_failed_run
from pipelines.defs import publish
from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.schedules import starts_running

ALERT_SENSOR_STATUS_ENV = "SGPULSE_ALERT_SENSOR_STATUS"


def failure_reason(step_failures) -> str | None:
    """The innermost error of the first failed step (the same one line `sgpulse refresh` prints)."""
    from pipelines.refresh import _user_error

    return _user_error(step_failures[0]) if step_failures else None


# Running by default: a scheduled refresh that fails at 03:00 must reach a maintainer without anyone watching.
@dg.run_failure_sensor(
    name="refresh_failure_alerts",
    monitored_jobs=[publish.refresh_job],
    default_status=(
        dg.DefaultSensorStatus.RUNNING
        if starts_running(os.environ, ALERT_SENSOR_STATUS_ENV, "running")
        else dg.DefaultSensorStatus.STOPPED
    ),
    description="Alert maintainers (log, e-mail, webhook) when a refresh run fails; render its Data Docs.",
)
def refresh_failure_alerts(context: dg.RunFailureSensorContext, paths: SgpulsePaths) -> None:
    run_id = context.dagster_run.run_id
    error = failure_reason(context.get_step_failure_events()) or context.failure_event.message
    report = after_failed_run(Path(paths.out_dir), run_id, error, log=context.log.warning)
    delivered = [d.channel for d in report.deliveries if d.delivered]
    context.log.info(f"alert for run {run_id} sent to: {', '.join(delivered) or 'nothing'}")
