"""Data-quality checks: each guarded table is validated against its expectation suite right after it is built.

Each kind of rule in a suite is an asset check of its table (`not_null`, `type`, `in_set`, `unique`, `fk`,
`range`, `rule`, `plausible`, `volume`...), grouping the expectations named `<kind>:<what>`: the asset's
Checks tab says which kind of rule failed, and the result names each failed expectation (`not_null:meeting_id:
2 rows (meetings.csv:4, ...)`). Critical rules are blocking checks (a failure stops every downstream asset,
so the `warehouse` is never published); warnings are recorded and alerted, and the run goes on. A suite is
validated in one step; outcomes are also written to meta.check_results in the build.
"""

from collections import defaultdict
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.alerts.notify import after_successful_run
from pipelines.defs.analytics import analytics_keys
from pipelines.defs.ingest import NAMES_KEY, REPORT_KEY
from pipelines.defs.landscape import landscape_keys
from pipelines.defs.marts import python_mart_keys
from pipelines.defs.models import sql_models
from pipelines.defs.publish import BUILD_KEYS, publish_stage_now, publishes_later
from pipelines.defs.resources import ReportWorkers, SgpulsePaths
from pipelines.defs.review import review_keys
from pipelines.defs.versions import code_version
from pipelines.dictionary import owners
from pipelines.ingest.tables import TABLE_NAMES
from pipelines.quality.engine import describe
from pipelines.quality.results import (
    check_metadata,
    dagster_check_name,
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
BUILT_KEYS = (
    {dg.AssetKey(list(m.key)) for m in sql_models}
    | set(python_mart_keys)
    | set(analytics_keys)
    | set(landscape_keys)
    | set(review_keys)
)
SEVERITY = {"critical": dg.AssetCheckSeverity.ERROR, "warning": dg.AssetCheckSeverity.WARN}
CONSEQUENCE = {
    "critical": "Critical: a failure stops every downstream asset (the warehouse is not published).",
    "warning": "Warning: a failure is recorded and alerted; the run goes on.",
}


def _key(suite_name: str) -> dg.AssetKey:
    return dg.AssetKey(suite_name.split("."))


def _expectation_line(expectation: dict) -> str:
    """'not_null:meeting_id (meeting_id is never missing)', run-time parameters by name."""
    kwargs = {
        k: f"<{v['$PARAMETER']}>" if isinstance(v, dict) and "$PARAMETER" in v else v
        for k, v in expectation["kwargs"].items()
    }
    what = describe(expectation["type"], kwargs, expectation.get("description"))
    return f"{expectation['meta']['check']} ({what})"


def _sections(names: list[str]) -> dict[tuple[str, str], list[dict]]:
    """(suite, check name) -> its expectations, in suite order."""
    sections: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for name in names:
        for e in suites()[name]["expectations"]:
            sections[(name, dagster_check_name(e["meta"]["check"]))].append(e)
    for (name, check), expectations in sections.items():
        if len({e["severity"] for e in expectations}) > 1:  # one check blocks or not: name them apart
            raise ValueError(f"suite {name}: the {check} expectations mix severities; give them two kinds")
    return sections


def _specs(names: list[str]) -> list[dg.AssetCheckSpec]:
    specs = []
    for (name, check), expectations in _sections(names).items():
        severity = expectations[0]["severity"]
        specs.append(
            dg.AssetCheckSpec(
                check,
                asset=_key(name),
                blocking=severity == "critical",
                description=f"{CONSEQUENCE[severity]} Expectations of suite {name}: "
                + "; ".join(_expectation_line(e) for e in expectations),
                metadata={"suite": name, "expectations": len(expectations)},
            )
        )
    return specs


def _suite_check(op_name: str, names: list[str]) -> dg.AssetChecksDefinition:
    specs = _specs(names)
    declared = {(spec.asset_key, spec.name) for spec in specs}

    @dg.multi_asset_check(
        specs=specs,
        name=op_name,
        description=f"Validate {', '.join(names)} in DuckDB against the expectation suites.",
    )
    def _check(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource, paths: SgpulsePaths):
        # The last good counts are the published warehouse's, read before anything of this run is published.
        previous = previous_row_counts(Path(paths.warehouse))
        ensure_build(Path(paths.warehouse))
        current = suites()
        with duckdb.get_connection() as conn:
            results = validate_tables(
                conn, [current[n] for n in names], context.run.run_id, previous, quality_settings()
            )
        save_results(Path(paths.out_dir), results)
        for result in results:
            by_check = defaultdict(list)
            for outcome in result.outcomes:
                by_check[dagster_check_name(outcome.check)].append(outcome)
            for check, outcomes in by_check.items():
                if (_key(result.suite), check) not in declared:  # a suite edited after the code was loaded
                    raise dg.Failure(
                        f"suite {result.suite} has expectations of kind {check}, which no asset check "
                        "declares: reload the code location"
                    )
                yield dg.AssetCheckResult(
                    asset_key=_key(result.suite),
                    check_name=check,
                    passed=all(o.success for o in outcomes),
                    severity=SEVERITY[outcomes[0].severity],
                    metadata=check_metadata(outcomes),
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


# Once every table is built and checked: this run's Data Docs, staged to be published with the warehouse,
# and a warning alert above the threshold.
@dg.asset(
    key=["quality", "data_docs"],
    deps=BUILD_KEYS,
    group_name="quality",
    kinds={"html"},
    owners=owners("quality"),
    code_version=code_version("pipelines.alerts.notify", "pipelines.outputs", "config/quality.yaml"),
)
def data_docs(
    context: dg.AssetExecutionContext, paths: SgpulsePaths, report_workers: ReportWorkers
) -> dg.MaterializeResult:
    """Great Expectations Data Docs of this run's validations (<out>/data_docs/index.html)."""
    from pipelines.outputs import ensure_stage

    out_dir = Path(paths.out_dir)
    report = after_successful_run(
        out_dir,
        context.run.run_id,
        log=context.log.warning,
        pool=report_workers.analysis,
        docs_target=ensure_stage(out_dir, context.run.run_id) / "data_docs",
    )
    if report.docs_error:  # exit 0 means everything was published: the Data Docs too
        raise RuntimeError(f"Data Docs not written: {report.docs_error}")
    if not publishes_later(context):
        publish_stage_now(out_dir, context.run.run_id)
    metadata = {
        "warnings": report.warnings,
        "suites_validated": len(report.results),
        "alert": report.alert.summary if report.alert else "none",
        "undelivered": ", ".join(d.channel for d in report.deliveries if not d.delivered) or "none",
    }
    if report.data_docs:  # where it will be once published with the warehouse
        metadata["index"] = dg.MetadataValue.path(str(out_dir / "data_docs" / "index.html"))
    if report.problems:
        metadata["problems"] = "\n".join(report.problems)
    return dg.MaterializeResult(metadata=metadata)
