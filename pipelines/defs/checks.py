"""Data-quality checks: each guarded table is validated against its expectation suite right after it is built.

Every guarded asset has two checks: `blocking_expectations` (critical expectations; a failure stops every
downstream asset, so the `warehouse` is never published) and `warning_expectations` (recorded, the run goes
on). Outcomes are written to meta.check_results in the build, before the warehouse is published.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.alerts.notify import after_successful_run
from pipelines.defs.analytics import analytics_keys
from pipelines.defs.ingest import NAMES_KEY, REPORT_KEY
from pipelines.defs.marts import python_mart_keys
from pipelines.defs.models import sql_models
from pipelines.defs.resources import ReportWorkers, SgpulsePaths
from pipelines.defs.versions import code_version
from pipelines.dictionary import owners
from pipelines.ingest.tables import TABLE_NAMES
from pipelines.quality.results import (
    BLOCKING_CHECK,
    WARNING_CHECK,
    check_metadata,
    previous_row_counts,
    save_results,
    validate_tables,
)
from pipelines.quality.settings import quality_settings
from pipelines.quality.suites import suites
from pipelines.warehouse import ensure_build

# The assets the ingest step writes in one go are validated in one go (their suites refer to each other).
INGEST_KEYS = {
    *(dg.AssetKey(["staging", t]) for t in TABLE_NAMES),
    *(dg.AssetKey(["quarantine", t]) for t in TABLE_NAMES),
    dg.AssetKey(NAMES_KEY),
    dg.AssetKey(REPORT_KEY),
}
BUILT_KEYS = {dg.AssetKey(list(m.key)) for m in sql_models} | set(python_mart_keys) | set(analytics_keys)
CHECKS = {
    "critical": (BLOCKING_CHECK, True, dg.AssetCheckSeverity.ERROR),
    "warning": (WARNING_CHECK, False, dg.AssetCheckSeverity.WARN),
}


def _key(suite_name: str) -> dg.AssetKey:
    return dg.AssetKey(suite_name.split("."))


def _specs(names: list[str]) -> list[dg.AssetCheckSpec]:
    specs = []
    for name in names:
        severities = {e["severity"] for e in suites()[name]["expectations"]}
        for severity, (check, blocking, _) in CHECKS.items():
            if severity in severities:
                what = "stop downstream assets" if blocking else "are recorded and alerted, the run goes on"
                specs.append(
                    dg.AssetCheckSpec(
                        check,
                        asset=_key(name),
                        blocking=blocking,
                        description=f"The {severity} expectations of suite {name} (expectations/gx/): "
                        f"failures {what}.",
                    )
                )
    return specs


def _suite_check(check_name: str, names: list[str]) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(
        specs=_specs(names),
        name=check_name,
        description=f"Validate {', '.join(names)} in DuckDB against the expectation suites.",
    )
    def _check(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource, paths: SgpulsePaths):
        # The last good counts are the published warehouse's, read before anything of this run is published.
        previous = previous_row_counts(Path(paths.warehouse))
        ensure_build(Path(paths.warehouse))
        with duckdb.get_connection() as conn:
            results = validate_tables(
                conn, [suites()[n] for n in names], context.run.run_id, previous, quality_settings()
            )
        save_results(Path(paths.out_dir), results)
        for result in results:
            present = {e["severity"] for e in suites()[result.suite]["expectations"]}
            for severity, (check, _, level) in CHECKS.items():
                if severity in present:
                    yield dg.AssetCheckResult(
                        asset_key=_key(result.suite),
                        check_name=check,
                        passed=not result.failures(severity),
                        severity=level,
                        metadata=check_metadata(result, severity),
                    )

    return _check


def _build_checks() -> list[dg.AssetChecksDefinition]:
    guarded = [n for n in suites() if _key(n) in INGEST_KEYS]
    checks = [_suite_check("validate_ingest", guarded)] if guarded else []
    for name in suites():
        if _key(name) in BUILT_KEYS:
            checks.append(_suite_check("validate_" + name.replace(".", "__"), [name]))
    return checks


quality_checks = _build_checks()


# After the warehouse is published: this run's Data Docs, and a warning alert above the threshold.
@dg.asset(
    key=["quality", "data_docs"],
    deps=["warehouse"],
    group_name="quality",
    kinds={"html"},
    owners=owners("quality"),
    code_version=code_version("pipelines.alerts.notify", "config/quality.yaml"),
)
def data_docs(
    context: dg.AssetExecutionContext, paths: SgpulsePaths, report_workers: ReportWorkers
) -> dg.MaterializeResult:
    """Great Expectations Data Docs of this run's validations (<out>/data_docs/index.html)."""
    report = after_successful_run(
        Path(paths.out_dir), context.run.run_id, log=context.log.warning, pool=report_workers.analysis
    )
    metadata = {
        "warnings": report.warnings,
        "suites_validated": len(report.results),
        "alert": report.alert.summary if report.alert else "none",
        "undelivered": ", ".join(d.channel for d in report.deliveries if not d.delivered) or "none",
    }
    if report.data_docs:
        metadata["index"] = dg.MetadataValue.path(str(report.data_docs))
    if report.problems:
        metadata["problems"] = "\n".join(report.problems)
    return dg.MaterializeResult(metadata=metadata)
