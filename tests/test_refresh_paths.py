"""Two refreshes in one process use their own paths (the definitions are loaded once per process)."""

from small_raw import write_small_raw
from typer.testing import CliRunner

from pipelines.cli import app


def test_two_refreshes_in_one_process_use_their_own_paths(tmp_path):
    runner = CliRunner()
    for name in ("first", "second"):
        raw = write_small_raw(tmp_path / name / "raw")
        result = runner.invoke(
            app,
            [
                "refresh",
                "--raw",
                str(raw),
                "--warehouse",
                str(tmp_path / name / "wh.duckdb"),
                "--out",
                str(tmp_path / name / "out"),
            ],
        )
        assert result.exit_code == 0, result.output
        assert (tmp_path / name / "wh.duckdb").exists()
        assert not (tmp_path / name / "wh.duckdb.next").exists()
