"""Where `sgpulse refresh` records its run: the Dagster instance of DAGSTER_HOME when set (the UI shows it; a
recorded run is tested in tests/quality/test_quality_refresh.py), else a throwaway one in memory."""

from __future__ import annotations

from typer.testing import CliRunner

from pipelines.refresh import recorded_in, refresh_instance


def test_without_dagster_home_the_run_goes_to_a_throwaway_instance_in_memory(monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert recorded_in() is None
    with refresh_instance() as instance:
        assert instance.is_ephemeral


def test_with_dagster_home_the_run_goes_to_its_instance(monkeypatch, tmp_path):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    assert recorded_in() == tmp_path
    with refresh_instance() as instance:
        assert not instance.is_ephemeral and instance.root_directory == str(tmp_path)


def test_a_dagster_home_that_is_no_folder_stops_the_cli_with_one_line(monkeypatch, tmp_path):
    from pipelines.cli import app

    missing = tmp_path / "no-such-home"
    monkeypatch.setenv("DAGSTER_HOME", str(missing))
    result = CliRunner().invoke(app, ["refresh", "--warehouse", str(tmp_path / "wh.duckdb")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"sgpulse refresh failed: DAGSTER_HOME={missing} is not a folder: create it (`make dev` does) or unset it"
    ]
    assert not (tmp_path / "wh.duckdb").exists()
