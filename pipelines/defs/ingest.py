"""Raw folders, and the ingest step that turns them into staging and quarantine tables."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.defs.metadata import described, table_metadata
from pipelines.defs.resources import SgpulsePaths
from pipelines.defs.versions import code_version
from pipelines.dictionary import owners
from pipelines.ingest.load import ingest
from pipelines.ingest.pseudonymise import load_or_create_key
from pipelines.ingest.tables import TABLES
from pipelines.warehouse import start_build

# The peer bodies' publication records, imported into raw peer_publications by `sgpulse import peers`: an
# external asset, so the landscape's lineage starts at the bundle it came from.
PEER_BUNDLE = dg.AssetSpec(
    ["external", "peer_sdo_publications"],
    group_name="raw",
    kinds={"json"},
    description="Publication records of 3GPP, ETSI, W3C, ISO and IEEE (relaton bundle, one JSON object a "
    "line); `sgpulse import peers BUNDLE --raw DIR` writes them into raw peer_publications.",
    owners=owners("raw"),
)
# Optional raw tables made from a file outside the raw directory, by an importer.
IMPORTED_FROM = {"peer_publications": [PEER_BUNDLE.key]}

# The raw folders are produced outside Dagster (exports from ITU systems), so they are external assets:
# they appear in the lineage graph without Dagster pretending to build them.
raw_tables = [
    dg.AssetSpec(
        ["raw", spec.name],
        group_name="raw",
        kinds={"csv", "xlsx", "parquet"},
        deps=IMPORTED_FROM.get(spec.name, []),
        description=f"Raw export batches of {spec.name} (data/raw/{spec.name}/*.csv|xlsx|parquet)"
        + (
            " - optional: without files the ingest stages it empty and says it is absent."
            if spec.optional
            else "."
        ),
        owners=owners("raw"),
    )
    for spec in TABLES
]

NAMES_KEY = ["staging", "organisation_names"]
REPORT_KEY = ["meta", "ingest_report"]
# What the ingest records besides the rows: the dataset's domains (real or synthetic, declared windows) and the
# study-group configuration it checked rows against (config/study_groups.yaml).
META_KEYS = [["meta", "dataset"], ["meta", "study_periods"], ["meta", "sg_existence"], ["meta", "sg_lineage"]]


def _ingest_specs() -> list[dg.AssetSpec]:
    # Built in a function: module-level AssetSpecs would be loaded a second time as external assets.
    deps = [spec.key for spec in raw_tables]

    def spec(key):
        group = "quarantine" if key[0] == "quarantine" else "staging"
        return dg.AssetSpec(key, group_name=group, kinds={"duckdb"}, deps=deps, **described(key, group))

    return [
        *(spec(["staging", t.name]) for t in TABLES),
        *(spec(["quarantine", t.name]) for t in TABLES),
        spec(NAMES_KEY),
        spec(REPORT_KEY),
        *(spec(key) for key in META_KEYS),
    ]


@dg.multi_asset(
    specs=_ingest_specs(),
    name="ingest_raw",
    code_version=code_version(
        "pipelines.ingest.load", "pipelines.warehouse", "config/study_groups.yaml", "config/ingest.yaml"
    ),
)
def ingest_raw(context: dg.AssetExecutionContext, duckdb: DuckDBResource, paths: SgpulsePaths):
    """Read, validate, pseudonymise and stage every raw table into a fresh build of the warehouse."""
    start_build(Path(paths.warehouse), from_published=paths.reuse_ingest)
    key = load_or_create_key()
    with duckdb.get_connection() as conn:
        report = ingest(Path(paths.raw_dir), conn, key, reuse=paths.reuse_ingest)
        schemas = {
            (schema, t.table): table_metadata(conn, (schema, t.table), rows)
            for t in report.tables
            for schema, rows in (("staging", t.rows_staged), ("quarantine", t.rows_quarantined))
        }
        schemas[tuple(NAMES_KEY)] = table_metadata(conn, NAMES_KEY)
        schemas[tuple(REPORT_KEY)] = table_metadata(conn, REPORT_KEY)
        for key in META_KEYS:
            schemas[tuple(key)] = table_metadata(conn, key)
    context.log.info(f"raw inputs sha256 {report.raw_sha256}")
    if report.reuse_note:
        context.log.info(f"every raw file read: {report.reuse_note}")
    for table in report.tables:
        plan = report.plans[table.table]
        context.log.info(f"{table.table}: {plan.mode} ({plan.why})")
        yield dg.MaterializeResult(
            asset_key=["staging", table.table],
            metadata={
                **schemas[("staging", table.table)],
                "rows_read": table.rows_read,
                "files": table.files,
                # keep: the previous warehouse's rows; append: those plus the new files; full: every file read.
                "ingest": f"{plan.mode} ({plan.why})",
            },
        )
        yield dg.MaterializeResult(
            asset_key=["quarantine", table.table], metadata=schemas[("quarantine", table.table)]
        )
    yield dg.MaterializeResult(asset_key=NAMES_KEY, metadata=schemas[tuple(NAMES_KEY)])
    yield dg.MaterializeResult(
        asset_key=REPORT_KEY,
        metadata={
            **schemas[tuple(REPORT_KEY)],
            "raw_sha256": report.raw_sha256,
            "synthetic": report.synthetic,
            "domains": report.dataset.get("domains", {}),
            "rows_quarantined": sum(t.rows_quarantined for t in report.tables),
        },
    )
    for key in META_KEYS:
        yield dg.MaterializeResult(asset_key=key, metadata=schemas[tuple(key)])
