"""The weekly schedule and the raw-files sensor, evaluated without a daemon."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest
from small_raw import write_small_raw

from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.schedules import build_refresh_schedule
from pipelines.defs.sensors import raw_files_sensor


def test_weekly_schedule_defaults_to_monday_morning_in_geneva():
    schedule = build_refresh_schedule({})
    assert schedule.cron_schedule == "0 3 * * 1"
    assert schedule.execution_timezone == "Europe/Zurich"
    assert schedule.job_name == "refresh"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    monday = datetime(2026, 3, 2, 3, tzinfo=ZoneInfo("Europe/Zurich"))
    context = dg.build_schedule_context(scheduled_execution_time=monday)
    [request] = list(schedule.evaluate_tick(context).run_requests)
    assert request.tags["sgpulse/trigger"] == "weekly schedule"


def test_weekly_schedule_is_configured_from_the_environment():
    schedule = build_refresh_schedule(
        {
            "SGPULSE_SCHEDULE_CRON": "30 22 * * 5",
            "SGPULSE_TIMEZONE": "UTC",
            "SGPULSE_SCHEDULE_STATUS": "stopped",
        }
    )
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("30 22 * * 5", "UTC")
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED


@pytest.mark.parametrize(
    "env, message",
    [
        ({"SGPULSE_SCHEDULE_CRON": "every monday"}, "SGPULSE_SCHEDULE_CRON"),
        ({"SGPULSE_TIMEZONE": "Europe/Geneva"}, "SGPULSE_TIMEZONE"),
        ({"SGPULSE_SCHEDULE_STATUS": "on"}, "SGPULSE_SCHEDULE_STATUS"),
    ],
)
def test_a_bad_schedule_setting_names_its_variable(env, message):
    with pytest.raises(ValueError, match=message):
        build_refresh_schedule(env)


def test_the_code_location_has_the_schedule_and_the_sensor_on_the_refresh_job():
    from pipelines.definitions import defs

    assert defs.resolve_schedule_def("weekly_refresh").job_name == "refresh"
    sensor = defs.resolve_sensor_def("raw_files_sensor")
    assert sensor.job_name == "refresh"
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    # The run queue's limit of one writer applies to every refresh run, whoever starts it.
    assert defs.resolve_job_def("refresh").tags["sgpulse/warehouse"] == "writer"


def _tick(raw, cursor=None) -> dg.SensorResult:
    paths = SgpulsePaths(raw_dir=str(raw), warehouse=str(raw.parent / "wh.duckdb"), out_dir=str(raw.parent))
    # A context manager: the paths resource sets up and tears down (it holds the lock in runs, not here).
    with dg.build_sensor_context(cursor=cursor, resources={"paths": paths}) as context:
        return raw_files_sensor(context)


def test_sensor_starts_a_refresh_on_first_sight_then_only_on_content_changes(tmp_path):
    raw = write_small_raw(tmp_path / "raw")
    first = _tick(raw)
    assert len(first.run_requests) == 1
    assert "10 added" in first.run_requests[0].tags["sgpulse/raw_changes"]
    hashes = json.loads(first.cursor)
    assert set(hashes) >= {"attendance/attendance.csv", "meetings/meetings.csv"}

    # Unchanged: nothing to do.
    unchanged = _tick(raw, first.cursor)
    assert not unchanged.run_requests and unchanged.skip_reason

    # Touched but identical (rewritten with the same bytes, new mtime): still nothing to do.
    path = raw / "meetings" / "meetings.csv"
    path.write_bytes(path.read_bytes())
    touched = _tick(raw, first.cursor)
    assert not touched.run_requests
    assert touched.cursor == first.cursor

    # A new export batch.
    (raw / "attendance" / "attendance-2026.csv").write_text(
        "meeting_id,participant_name,organisation,country_iso3,role,mode\n", encoding="utf-8"
    )
    added = _tick(raw, touched.cursor)
    assert added.run_requests[0].tags["sgpulse/raw_changes"] == "1 added"

    # A changed batch.
    meeting = "SG17-2026-1,SG17,SG,2026-01-12,2026-01-16,,,virtual\n"
    path.write_text(path.read_text(encoding="utf-8") + meeting, encoding="utf-8")
    changed = _tick(raw, added.cursor)
    assert changed.run_requests[0].tags["sgpulse/raw_changes"] == "1 changed"
    assert json.loads(changed.cursor)["meetings/meetings.csv"] != hashes["meetings/meetings.csv"]

    # A removed batch changes what a refresh would read, too.
    (raw / "attendance" / "attendance-2026.csv").unlink()
    removed = _tick(raw, changed.cursor)
    assert removed.run_requests[0].tags["sgpulse/raw_changes"] == "1 removed"


def test_sensor_ignores_files_that_are_not_export_batches(tmp_path):
    raw = write_small_raw(tmp_path / "raw")
    cursor = _tick(raw).cursor
    (raw / "DATASET.yaml").write_text("name: x\n", encoding="utf-8")
    (raw / "meetings" / ".meetings-2026.csv.partial").write_text("being copied", encoding="utf-8")
    (raw / "meetings" / "notes.txt").write_text("not a batch", encoding="utf-8")
    assert not _tick(raw, cursor).run_requests


def test_sensor_skips_an_empty_raw_directory(tmp_path):
    (tmp_path / "raw").mkdir()
    result = _tick(tmp_path / "raw")
    assert not result.run_requests and "no export batches" in result.skip_reason.skip_message
