"""Every command answers a folder given as a file (and the reverse), a missing warehouse, a read-only folder
and a full disk with one clear line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from small_raw import write_small_raw

SGPULSE = Path(sys.executable).with_name("sgpulse")


def _sgpulse(*args, cwd: Path, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SGPULSE_")}
    environment.update(
        {"COLUMNS": "200", "NO_COLOR": "1", "SGPULSE_PSEUDONYM_KEY": "cli-messages-key-0123456789"}
    )
    environment.update(env or {})
    command = [str(SGPULSE)] if SGPULSE.exists() else [sys.executable, "-m", "pipelines.cli"]
    return subprocess.run(
        [*command, *map(str, args)], cwd=cwd, env=environment, capture_output=True, text=True, timeout=timeout
    )


def _one_clear_line(done: subprocess.CompletedProcess, *expected: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout[-1500:], done.stderr[-1500:])
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr[-3000:]
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def places(tmp_path):
    """A folder, a file and a DuckDB file that is an sgpulse warehouse in name only (meta.ingest_report)."""
    folder = tmp_path / "a-folder"
    folder.mkdir()
    text = tmp_path / "a-file.txt"
    text.write_text("not a folder\n")
    warehouse = tmp_path / "wh.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema meta; create table meta.ingest_report (table_name varchar)")
    return folder, text, warehouse


def test_a_folder_given_as_the_warehouse_of_brief_and_scenario(places, tmp_path):
    folder, _, _ = places
    for command in (
        ["brief", "--sg", "SG17", "--warehouse", folder, "--out", tmp_path / "out"],
        ["scenario", "merge", "SG13", "SG20", "--warehouse", folder],
        ["scenario", "split", "SG13", "Q1/13", "--warehouse", folder],
        ["export", "--out", tmp_path / "x", "--warehouse", folder],
    ):
        line = _one_clear_line(_sgpulse(*command, cwd=tmp_path), f"{folder} is a folder")
        assert line.startswith(f"sgpulse {command[0]}")


def test_a_file_given_as_a_folder(places, tmp_path):
    folder, text, warehouse = places
    raw = write_small_raw(tmp_path / "raw")
    cases = [
        (
            ["refresh", "--raw", raw, "--warehouse", tmp_path / "new.duckdb", "--out", text],
            f"{text} is a file",
        ),
        (
            ["refresh", "--raw", text, "--warehouse", tmp_path / "new.duckdb", "--out", folder],
            f"{text} is a file",
        ),
        (["brief", "--sector", "--warehouse", warehouse, "--out", text], f"{text} is a file"),
        (["sample", "--out", text], f"{text} is a file"),
        (["catalogue", "--write", folder], f"{folder} is a folder"),
        (["export", "--out", text, "--warehouse", warehouse], f"{text} is a file"),
        (["import", "relaton", text, "--raw", text], f"{text} is a file"),
    ]
    for command, expected in cases:
        _one_clear_line(_sgpulse(*command, cwd=tmp_path), expected)
    assert text.read_text() == "not a folder\n"
    assert not (tmp_path / "new.duckdb").exists()


def test_a_missing_warehouse_is_named(tmp_path):
    _one_clear_line(
        _sgpulse("brief", "--sector", "--warehouse", tmp_path / "none.duckdb", cwd=tmp_path),
        f"no warehouse at {tmp_path / 'none.duckdb'}",
    )


def test_a_database_invalidated_by_a_full_disk_is_explained(tmp_path, monkeypatch):
    """DuckDB names the full disk once; every later statement says 'invalidated' instead."""
    import shutil
    from collections import namedtuple

    from pipelines.refresh import full_disk_explained

    invalidated = (
        "FATAL Error: Failed: database has been invalidated because of a previous fatal error. The database "
        "must be restarted prior to being used again."
    )
    Event = namedtuple("Event", "message")
    events = [
        Event("step started"),
        Event('IO Error: Could not write file "x.duckdb.next": No space left on device'),
    ]
    assert full_disk_explained(invalidated, [tmp_path], events).startswith(
        'IO Error: Could not write file "x.duckdb.next": No space left on device (the build could not go on: '
    )
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda folder: usage(10**9, 10**9 - 1000, 1000))
    assert full_disk_explained(invalidated, [tmp_path]).startswith(
        f"No space left on device: {tmp_path} has 0.0 MiB free ("
    )
    assert (
        full_disk_explained("meetings/m.csv: not valid UTF-8", [tmp_path])
        == "meetings/m.csv: not valid UTF-8"
    )


def test_the_one_line_reason_is_never_empty():
    """An exception without a message (OSError(), a bare assert) still gives a reason: its class and step."""
    from types import SimpleNamespace

    from dagster._utils.error import SerializableErrorInfo

    from pipelines.refresh import _user_error

    def failed(*messages_and_classes):
        error = None
        for message, cls_name in reversed(messages_and_classes):
            error = SerializableErrorInfo(message, [], cls_name, cause=error)
        return SimpleNamespace(
            step_failure_data=SimpleNamespace(error=error), step_key="evidence_briefs", message=""
        )

    assert _user_error(failed(("OSError\n", "OSError"))) == "OSError in step evidence_briefs (no message)"
    assert (
        _user_error(
            failed(
                ("dagster._core.errors.DagsterExecutionStepExecutionError: Error in step\n", "X"),
                ("builtins.OSError\n", "OSError"),
            )
        )
        == "Error in step"
    )
    assert _user_error(failed(("OSError: [Errno 28] No space left on device: '/o/x'\n", "OSError"))) == (
        "OSError: [Errno 28] No space left on device: '/o/x'"
    )


def test_a_read_only_folder_is_named_before_anything_runs(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)]).returncode
    ):
        pytest.skip("needs root to mount a read-only file system (root ignores file modes)")
    try:
        raw = write_small_raw(tmp_path / "raw")
        cases = [
            (
                ["refresh", "--raw", raw, "--warehouse", folder / "wh.duckdb", "--out", tmp_path / "out"],
                "warehouse",
            ),
            (
                ["refresh", "--raw", raw, "--warehouse", tmp_path / "wh.duckdb", "--out", folder / "briefs"],
                "output",
            ),
            (["sample", "--out", folder / "raw"], "raw directory"),
        ]
        for command, what in cases:
            line = _one_clear_line(_sgpulse(*command, cwd=tmp_path), "read-only file system")
            assert what in line and str(folder) in line, line
        assert not (tmp_path / "wh.duckdb").exists()
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
