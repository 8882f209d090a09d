"""The PostgreSQL deployment of docs/deployment.md, for real: a throwaway PostgreSQL server (initdb + pg_ctl on
a temporary folder and a loopback port), the instance configuration of the guide taken verbatim from it, the
refresh job run through that instance, and the run, its materialisations and check results read back from
PostgreSQL as the webserver and daemon would find them."""

from __future__ import annotations

import glob
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import dagster as dg
import pytest
from small_raw import write_small_raw

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deployment.md"
PASSWORD = "sgpulse-test-only"


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Postgres:
    """A PostgreSQL server of our own on 127.0.0.1, run as a non-root user (PostgreSQL refuses root)."""

    def __init__(self):
        self.initdb, self.pg_ctl = _bin("initdb"), _bin("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            pytest.skip("PostgreSQL is not installed (apt-get install -y postgresql; .ci/run installs it)")
        self.run_as: list[str] = []
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no 'postgres' user to run PostgreSQL as")
            self.run_as = ["runuser", "-u", "postgres", "--"]
        # Not under pytest's tmp_path: its parents are private to root, and the server runs as postgres.
        self.folder = Path(tempfile.mkdtemp(prefix="sgpulse-pg-"))
        self.data, self.log = self.folder / "data", self.folder / "server.log"
        self.port = _free_port()

    def _run(self, *command: str) -> None:
        result = subprocess.run([*self.run_as, *command], capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise RuntimeError(f"{command[0]} failed: {result.stderr.strip()[-800:]}\n{self._log_tail()}")

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-800:] if self.log.exists() else ""

    def start(self) -> None:
        password = self.folder / "password"
        password.write_text(PASSWORD + "\n")
        if self.run_as:
            shutil.chown(self.folder, "postgres")
            shutil.chown(password, "postgres")
        self._run(
            self.initdb, "-D", str(self.data), "-U", "sgpulse", f"--pwfile={password}",
            "--auth=scram-sha-256", "-E", "UTF8", "--no-locale",
        )  # fmt: skip
        # Loopback only, no Unix socket; fsync off: a test server whose data dies with the test.
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off"
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def connect(self, dbname: str):
        import psycopg2

        return psycopg2.connect(
            host="127.0.0.1", port=self.port, user="sgpulse", password=PASSWORD, dbname=dbname
        )

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres():
    pytest.importorskip(
        "dagster_postgres", reason="dagster-postgres is a dev dependency: pip install -e '.[dev]'"
    )
    server = Postgres()
    started = time.monotonic()
    server.start()
    try:
        conn = server.connect("postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("create database dagster")
        conn.close()
        print(f"PostgreSQL up in {time.monotonic() - started:.1f} s on port {server.port}")
        yield server
    finally:
        server.stop()


def guide_instance_yaml(compute_logs: Path) -> str:
    """The first YAML block of docs/deployment.md (its dagster.yaml), with the compute logs in `compute_logs`."""
    block = re.search(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)[1]
    assert "postgres_db:" in block, "docs/deployment.md's first YAML block is no longer the instance"
    return block.replace("/srv/sgpulse/dagster/compute_logs", str(compute_logs))


def test_the_refresh_job_runs_on_the_postgres_instance_of_the_deployment_guide(
    postgres, tmp_path, monkeypatch
):
    from pipelines.definitions import defs
    from pipelines.defs.resources import make_resources
    from pipelines.refresh import QUIET
    from pipelines.settings import Settings

    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(guide_instance_yaml(tmp_path / "compute_logs"), encoding="utf-8")
    for name, value in {
        "DAGSTER_PG_HOST": "127.0.0.1",
        "DAGSTER_PG_PORT": str(postgres.port),
        "DAGSTER_PG_DB": "dagster",
        "DAGSTER_PG_USER": "sgpulse",
        "DAGSTER_PG_PASSWORD": PASSWORD,
        "SGPULSE_PSEUDONYM_KEY": "postgres-test-key-0123456789",
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        # No report worker processes (their warm-up imports GX and scikit-learn beside the run).
        "SGPULSE_BRIEF_WORKERS": "1",
    }.items():
        monkeypatch.setenv(name, value)
    # The briefs and Data Docs read what is published after everything is recorded: nothing to prove here.
    monkeypatch.setattr("pipelines.briefs.build.build_all_briefs", lambda *args, **kwargs: [])
    monkeypatch.setattr("pipelines.alerts.notify._docs", lambda *args, **kwargs: None)
    settings = Settings.resolve(write_small_raw(tmp_path / "raw"), tmp_path / "wh.duckdb", tmp_path / "out")

    started = time.monotonic()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        result = defs.resolve_job_def("refresh").execute_in_process(
            instance=instance, resources=make_resources(settings), run_config=QUIET, raise_on_error=False
        )
    print(f"refresh on the PostgreSQL instance: {time.monotonic() - started:.1f} s")
    assert result.success
    materialised = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    evaluations = result.get_asset_check_evaluations()
    assert "marts/sg_year_kpis" in materialised and "warehouse" in materialised and len(evaluations) > 100

    # What the webserver and the daemon find: in PostgreSQL, read with nothing of this process's state.
    with postgres.connect("dagster") as conn, conn.cursor() as cur:
        cur.execute("select status, pipeline_name from runs where run_id = %s", [result.run_id])
        assert cur.fetchall() == [("SUCCESS", "refresh")]
        cur.execute(
            "select distinct asset_key from event_logs where run_id = %s and dagster_event_type = %s",
            [result.run_id, "ASSET_MATERIALIZATION"],
        )
        stored = {"/".join(json.loads(key)) for (key,) in cur.fetchall()}
        assert stored == materialised
        cur.execute(
            "select execution_status, count(*) from asset_check_executions where run_id = %s group by 1",
            [result.run_id],
        )
        statuses = dict(cur.fetchall())
        expected = {
            "SUCCEEDED": sum(e.passed for e in evaluations),
            "FAILED": sum(not e.passed for e in evaluations),
        }
        assert statuses == {k: v for k, v in expected.items() if v}
        cur.execute(
            "select count(*) from event_logs where run_id = %s and dagster_event_type = %s",
            [result.run_id, "ASSET_CHECK_EVALUATION"],
        )
        assert cur.fetchone()[0] == len(evaluations)
    # And through a new instance on the same configuration, as another process would load it.
    with dg.DagsterInstance.from_config(str(home)) as other:
        assert other.get_run_by_id(result.run_id).is_success
        record = other.get_latest_materialization_event(dg.AssetKey(["marts", "sg_year_kpis"]))
        assert record.run_id == result.run_id
        assert record.asset_materialization.metadata["dagster/row_count"].value > 0
