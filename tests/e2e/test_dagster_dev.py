"""End to end: `dg dev` (webserver + daemon, what `make dev` runs) on the real definitions, a refresh launched
by GraphQL."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
from small_raw import write_small_raw

ROOT = Path(__file__).resolve().parents[2]
DG = Path(sys.executable).with_name("dg")
STARTUP_SECONDS, RUN_SECONDS = 150, 180

REPOSITORIES = """{ repositoriesOrError { __typename ... on RepositoryConnection {
    nodes { name location { name } jobs { name } } } ... on PythonError { message } } }"""
LAUNCH = """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
    __typename ... on LaunchRunSuccess { run { runId status } } ... on Error { message }
    ... on RunConfigValidationInvalid { errors { message } } ... on PythonError { stack } } }"""
RUN = """query($id: ID!) { runOrError(runId: $id) { __typename
    ... on Run { status tags { key value } } ... on Error { message } } }"""
INSTANCE = """query($repo: RepositorySelector!) {
    instance { runQueueConfig { tagConcurrencyLimitsYaml } }
    schedulesOrError(repositorySelector: $repo) { ... on Schedules { results {
        name cronSchedule executionTimezone scheduleState { status } } } }
    sensorsOrError(repositorySelector: $repo) { ... on Sensors { results {
        name sensorState { status } } } } }"""
RUN_ERRORS = """query($id: ID!) { logsForRun(runId: $id) { ... on EventConnection { events {
    __typename ... on MessageEvent { message }
    ... on ExecutionStepFailureEvent { error { message } } } } } }"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(port: int, query: str, variables: dict | None = None, timeout: float = 30) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        payload = json.load(response)
    assert "errors" not in payload, payload["errors"]
    return payload["data"]


class DagsterDev:
    """A `dg dev` process group on a loopback port, stopped the way Ctrl-C stops it."""

    def __init__(self, tmp: Path):
        self.port = free_port()
        self.home = tmp / "dagster_home"
        self.home.mkdir()
        # The same instance configuration as `make dev`.
        shutil.copy(ROOT / "config" / "dagster.yaml", self.home / "dagster.yaml")
        self.log = tmp / "dagster-dev.log"
        self.warehouse = tmp / "wh.duckdb"
        self.env = {
            # The developer's own SGPULSE_* settings stay out: this instance uses the defaults and tmp paths.
            **{k: v for k, v in os.environ.items() if not k.startswith("SGPULSE_")},
            "DAGSTER_HOME": str(self.home),
            "SGPULSE_RAW_DIR": str(write_small_raw(tmp / "raw")),
            "SGPULSE_WAREHOUSE": str(self.warehouse),
            "SGPULSE_OUT_DIR": str(tmp / "out"),
            "SGPULSE_PSEUDONYM_KEY": "e2e-key-for-sgpulse-tests-0001",
            "XDG_CONFIG_HOME": str(tmp / "xdg"),
            "VIRTUAL_ENV": str(Path(sys.executable).parents[1]),  # as `make dev` sets it
            "SGPULSE_SENSOR_STATUS": "stopped",  # only the run this test launches writes the warehouse
            "SGPULSE_FRESHNESS_SENSOR_STATUS": "stopped",  # no freshness-check run beside it
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(DG), "dev", "-h", "127.0.0.1", "-p", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                # A shell without job control starts background commands with SIGINT ignored; undo that so
                # Ctrl-C (SIGINT) stops dg dev as it does in a terminal.
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            )

    def wait_until_loaded(self) -> tuple[str, str]:
        """Poll GraphQL until the code location is loaded; return the refresh job's location and repo."""
        deadline = time.monotonic() + STARTUP_SECONDS
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"dg dev exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                data = graphql(self.port, REPOSITORIES, timeout=10)["repositoriesOrError"]
                last = data
                for repo in data.get("nodes", []):
                    if any(job["name"] == "refresh" for job in repo["jobs"]):
                        return repo["location"]["name"], repo["name"]
            except (OSError, AssertionError) as exc:
                last = exc
            time.sleep(1)
        pytest.fail(
            f"dg dev did not load the code location in {STARTUP_SECONDS} s ({last}):\n{self.log_tail()}"
        )

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        os.killpg(self.process.pid, signal.SIGINT)  # what Ctrl-C does: webserver and daemon shut down
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                return self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                return self.process.wait()

    def group_gone(self, timeout: float) -> bool:
        """Stopped cleanly: every process of the group has exited (children reaped) within the timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return True
            time.sleep(0.25)
        os.killpg(self.process.pid, signal.SIGKILL)  # do not leak them into the rest of the test session
        return False

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture
def dagster_dev(tmp_path):
    server = DagsterDev(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        assert server.group_gone(timeout=20), f"processes of dg dev left behind:\n{server.log_tail()}"


def test_refresh_launched_from_the_ui_publishes_the_warehouse(dagster_dev):
    started = time.monotonic()
    location, repository = dagster_dev.wait_until_loaded()
    loaded = time.monotonic()
    assert location == "sgpulse"  # [tool.dg.project] code_location_name, not the module or folder name
    repo = {"repositoryLocationName": location, "repositoryName": repository}
    params = {"selector": {**repo, "jobName": "refresh"}, "runConfigData": {}}
    # What the daemon works with: config/dagster.yaml's one-writer limit, the schedule on, the sensor off.
    instance = graphql(dagster_dev.port, INSTANCE, {"repo": repo})
    assert "sgpulse/warehouse" in instance["instance"]["runQueueConfig"]["tagConcurrencyLimitsYaml"]
    [schedule] = instance["schedulesOrError"]["results"]
    assert (schedule["name"], schedule["executionTimezone"], schedule["scheduleState"]["status"]) == (
        "weekly_refresh",
        "Europe/Zurich",
        "RUNNING",
    )
    sensors = {s["name"]: s["sensorState"]["status"] for s in instance["sensorsOrError"]["results"]}
    assert sensors["raw_files_sensor"] == "STOPPED"

    launched = graphql(dagster_dev.port, LAUNCH, {"params": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]

    deadline, status = time.monotonic() + RUN_SECONDS, None
    while time.monotonic() < deadline:
        run = graphql(dagster_dev.port, RUN, {"id": run_id})["runOrError"]
        status = run["status"]
        if status in {"SUCCESS", "FAILURE", "CANCELED"}:
            break
        time.sleep(1)
    if status != "SUCCESS":
        events = graphql(dagster_dev.port, RUN_ERRORS, {"id": run_id})["logsForRun"].get("events", [])
        failures = [e for e in events if e["__typename"] in {"ExecutionStepFailureEvent", "RunFailureEvent"}]
        pytest.fail(f"run {run_id} ended {status}: {failures[-3:]}\n{dagster_dev.log_tail()}")

    print(f"dg dev loaded in {loaded - started:.1f} s; the run took {time.monotonic() - loaded:.1f} s")
    # The run went through the queue with the one-writer tag, and published the warehouse atomically.
    assert {"key": "sgpulse/warehouse", "value": "writer"} in run["tags"]
    assert dagster_dev.warehouse.exists()
    assert not dagster_dev.warehouse.with_name("wh.duckdb.next").exists()
    with duckdb.connect(str(dagster_dev.warehouse), read_only=True) as conn:
        assert conn.sql("select count(*) from marts.sg_year_kpis where sg = 'SG17'").fetchall()[0][0] > 0
        assert conn.sql("select name from meta.dataset").fetchall()  # provenance of this raw directory
    assert dagster_dev.stop() == 0  # Ctrl-C: webserver and daemon shut down, exit status 0
    # None of the start-up noise of `dagster dev -m`: a location-name warning per definitions load (16 a start),
    # the SupersessionWarning of `dagster dev`, dg's warning about a virtual environment other than .venv.
    log = dagster_dev.log.read_text(errors="replace")
    for noise in (
        "does not match",
        "SupersessionWarning",
        "superseded",
        "virtual environment does not match",
    ):
        assert noise not in log, f"{noise!r} in the dg dev output:\n{dagster_dev.log_tail()}"
