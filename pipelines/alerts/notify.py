"""After a run: render its Data Docs and alert maintainers (warnings above the threshold, or a failure).

Both entry points are called from more than one place (the `data_docs` asset, `sgpulse refresh`, the run
failure sensor) and never raise: reporting must not turn a good run into a failed one, nor hide a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.alerts.channels import Delivery, append_log, dispatch
from pipelines.alerts.config import AlertConfig, AlertConfigError, load_alert_config
from pipelines.alerts.digest import Digest, compare, load_open_problems, save_open_problems
from pipelines.alerts.message import Alert, failed_run_alert, scrub, warnings_alert
from pipelines.quality.results import SuiteResult, load_results, prune_runs


@dataclass
class RunReport:
    results: list[SuiteResult]
    data_docs: Path | None = None
    alert: Alert | None = None
    deliveries: list[Delivery] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be done (never raised)
    docs_error: str | None = None  # why the Data Docs were not written
    digest: Digest | None = None  # new, still open and resolved since the last run

    @property
    def warnings(self) -> int:
        return sum(len(r.failures("warning")) for r in self.results)


def _load(out_dir: Path, run_id: str, log: Callable[[str], None]) -> RunReport:
    try:
        return RunReport(load_results(out_dir, run_id))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problem = f"validation results of run {run_id} unreadable: {scrub(str(exc))}"
        log(problem)
        return RunReport([], problems=[problem])


def _config(env: Mapping[str, str], report: RunReport, log: Callable[[str], None]) -> AlertConfig:
    try:
        return load_alert_config(env)
    except AlertConfigError as exc:  # alert anyway, to the default log, and say why the channels are off
        report.problems.append(str(exc))
        log(f"alert configuration ignored: {exc}")
        return AlertConfig()


def _docs(
    out_dir: Path,
    report: RunReport,
    log: Callable[[str], None],
    pool: Executor | None = None,
    target: Path | None = None,
) -> None:
    if not report.results:
        return  # nothing was validated (e.g. a raw file could not be read): no report to render
    try:
        from pipelines.quality.docs import build_data_docs
        from pipelines.quality.suites import suites

        if pool is None:
            built = build_data_docs(out_dir, report.results, suites(), target)
        else:  # a worker that imported Great Expectations (~2.5 s) while the run's earlier steps ran
            built = pool.submit(build_data_docs, out_dir, report.results, suites(), target).result()
        report.data_docs = built.index
        for line in built.log:  # Great Expectations' own log, in the run's log rather than on stderr
            log(scrub(line))
    except Exception as exc:  # reported here; the caller decides whether it fails the run
        report.docs_error = scrub(f"{type(exc).__name__}: {exc}")
        report.problems.append(f"data docs: {report.docs_error}")
        log(f"data docs not written: {report.problems[-1]}")


def _digest(out_dir: Path, report: RunReport, log: Callable[[str], None]) -> Digest:
    """This run's failures against the problems open after the last run (new, still open, resolved)."""
    digest = compare(load_open_problems(out_dir), report.results)
    report.digest = digest
    return digest


def _remember(out_dir: Path, digest: Digest, report: RunReport, log: Callable[[str], None]) -> None:
    try:
        save_open_problems(out_dir, digest.open_after)
    except OSError as exc:  # the next alert repeats this run's failures as new: said, never raised
        report.problems.append(f"open problems not saved: {scrub(str(exc))}")
        log(report.problems[-1])


def _keep_recent(out_dir: Path, run_id: str) -> None:
    from pipelines.quality.settings import quality_settings

    try:
        prune_runs(out_dir, quality_settings().keep_runs, run_id)
    except (OSError, ValueError):
        pass


def after_successful_run(
    out_dir: Path,
    run_id: str,
    env: Mapping[str, str] = os.environ,
    log: Callable[[str], None] = lambda _: None,
    pool: Executor | None = None,
    docs_target: Path | None = None,
) -> RunReport:
    """Data Docs for the run, and a warning alert when more warning expectations failed than the threshold.

    `pool` (the run's report workers) builds the Data Docs in a worker process instead of this one;
    `docs_target` is where (default <out>/data_docs; a refresh gives its staging folder's).
    """
    report = _load(out_dir, run_id, log)
    _docs(out_dir, report, log, pool, docs_target)
    config = _config(env, report, log)
    digest = _digest(out_dir, report, log)
    report.alert = warnings_alert(
        run_id, report.results, config.warnings_threshold, digest, config.dagster_url
    )
    if report.alert:
        report.deliveries = dispatch(report.alert, config, out_dir, log)
    _remember(out_dir, digest, report, log)
    _keep_recent(out_dir, run_id)
    return report


def after_failed_run(
    out_dir: Path,
    run_id: str,
    error: str | None,
    env: Mapping[str, str] = os.environ,
    log: Callable[[str], None] = lambda _: None,
) -> RunReport:
    """Data Docs of what was validated before the failure, and an error alert on every channel.

    The Data Docs go with the run's records (<out>/quality/runs/<run_id>/data_docs/): the published ones, of
    the last good run, stay as they were.
    """
    from pipelines.quality.results import runs_dir

    report = _load(out_dir, run_id, log)
    _docs(out_dir, report, log, target=runs_dir(out_dir) / run_id / "data_docs")
    config = _config(env, report, log)
    digest = _digest(out_dir, report, log)
    report.alert = failed_run_alert(run_id, error, report.results, digest, config.dagster_url)
    report.deliveries = dispatch(report.alert, config, out_dir, log)
    _remember(out_dir, digest, report, log)
    for problem in report.problems:
        try:
            append_log(config.alert_log(out_dir), {"event": "problem", "run_id": run_id, "problem": problem})
        except OSError:
            pass
    _keep_recent(out_dir, run_id)
    return report
