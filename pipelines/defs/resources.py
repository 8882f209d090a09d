"""Resources: the DuckDB build file and the paths of this deployment, from SGPULSE_* environment variables."""

import os
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from pipelines.lock import RUN_WAIT_SECONDS, WarehouseLock, held_here, wait_seconds
from pipelines.settings import Settings
from pipelines.warehouse import build_path, open_build


class SgpulsePaths(dg.ConfigurableResource):
    """Raw directory, published warehouse and output folder of this deployment; a run holds the warehouse's lock."""

    raw_dir: str
    warehouse: str
    out_dir: str
    # Take the rows of unchanged raw files from the published warehouse instead of reading them again.
    reuse_ingest: bool = True
    # How long a run waits for another refresh that holds the warehouse (None: SGPULSE_LOCK_WAIT_SECONDS,
    # else 600 s), then fails saying which process holds it.
    lock_wait_seconds: float | None = None

    _lock = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # Every asset of every run uses this resource, so a run (whoever launched it) holds the lock from its
        # start to its end. A sensor's evaluation has no run: it only reads the paths.
        if context.dagster_run is None:
            return
        from pipelines.outputs import remove_stale
        from pipelines.warehouse import published_by

        warehouse = Path(self.warehouse)
        if held_here(warehouse) is None:  # `sgpulse refresh` took it before starting this run
            wait = (
                self.lock_wait_seconds
                if self.lock_wait_seconds is not None
                else wait_seconds(RUN_WAIT_SECONDS)
            )
            self._lock = WarehouseLock(warehouse, wait, run_id=context.run_id).acquire()
            if self._lock.recovered and context.log:
                context.log.info(
                    f"recovered the lock left by pid {self._lock.recovered.pid}, which has ended"
                )
        # Stages and set-aside outputs of runs that were killed (not this run's).
        cleared = remove_stale(Path(self.out_dir), context.run_id, published_by(warehouse))
        if cleared and context.log:
            context.log.info(f"cleared what killed runs left in {self.out_dir}: {', '.join(cleared)}")

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @classmethod
    def from_settings(cls, settings: Settings, reuse_ingest: bool = True) -> "SgpulsePaths":
        return cls(
            raw_dir=str(settings.raw_dir),
            warehouse=str(settings.warehouse),
            out_dir=str(settings.out_dir),
            reuse_ingest=reuse_ingest,
        )


class BuildDuckDB(DuckDBResource):
    """DuckDBResource on the build file, whose database stays open between the steps of a run."""

    @contextmanager
    def get_connection(self):
        conn = open_build(self.database, {"custom_user_agent": "dagster", **self.connection_config})
        try:
            yield conn
        finally:
            conn.close()


class ReportWorkers(dg.ConfigurableResource):
    """Processes for the briefs, the overlap model and the Data Docs, started with the run to warm up beside its first steps."""

    # Brief workers; 0: SGPULSE_BRIEF_WORKERS, else one per core. With one, every report is built in-process.
    workers: int = 0

    _briefs = PrivateAttr(default=None)
    _analysis = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        from pipelines.briefs.build import brief_workers
        from pipelines.workers import Workers, warm_up_analysis, warm_up_briefs

        # Once per run in the in-process refresh job: the workers' start-up runs beside the ingest and the
        # models, not at the start of the report steps. scikit-learn and Great Expectations are imported in
        # one process only.
        workers = self.workers or brief_workers()
        if workers > 1:
            self._briefs = Workers(workers, warm_up_briefs)
            self._analysis = Workers(1, warm_up_analysis)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        for workers in (self._briefs, self._analysis):
            if workers is not None:
                workers.stop()
        self._briefs = self._analysis = None

    @property
    def briefs(self):
        """The brief workers' pool, or None when briefs are built in the step's own process."""
        return self._briefs.pool if self._briefs else None

    @property
    def analysis(self):
        """The analysis worker (overlap model, Data Docs), or None when they are computed in the step's process."""
        return self._analysis.pool if self._analysis else None

    @property
    def warm_analysis(self):
        """The analysis worker if it has finished warming up, else None (the step's own process is quicker then)."""
        return self.analysis if self._analysis and self._analysis.warm() else None


MEMORY_LIMIT_ENV = "SGPULSE_DUCKDB_MEMORY_LIMIT"
# DuckDB's own default is 80% of RAM: a 100x refresh then grew to 12 GB. Capped, DuckDB spills to a
# temporary folder beside the build file instead, and the whole process stays under 4 GiB.
DEFAULT_MEMORY_LIMIT = "2GB"


def duckdb_config() -> dict[str, str]:
    """DuckDB settings for the refresh's connections: the memory cap, from the environment or the default."""
    return {"memory_limit": os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT}


def make_resources(settings: Settings, reuse_ingest: bool = True) -> dict:
    # Assets write to the build file; the `warehouse` asset swaps it in only when everything succeeded.
    return {
        "duckdb": BuildDuckDB(
            database=str(build_path(settings.warehouse)), connection_config=duckdb_config()
        ),
        "paths": SgpulsePaths.from_settings(settings, reuse_ingest),
        "report_workers": ReportWorkers(),
    }


@dg.definitions
def resources() -> dg.Definitions:
    # Every job runs in one process unless it says otherwise (the UI's ad hoc runs included): the steps of a
    # run share one DuckDB build file, which one process at a time may write, and the run's lock.
    return dg.Definitions(resources=make_resources(Settings.resolve()), executor=dg.in_process_executor)
