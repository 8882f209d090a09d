"""What the warehouse knows about its own data, read by every output by one rule: the years each domain covers,
which years are partial, and which domains are real or synthetic.

    cov = load_coverage(conn)            # marts.year_coverage and marts.coverage
    cov.check_year(2030)                 # ValueError: no data for 2030: years available 2016-2025
    cov.mask_partial(kpis)               # KPI values of partial or uncovered years -> NaN (trends, charts)
    label = dataset_label(conn)          # meta.dataset: SAMPLE / MIXED banner, real or synthetic per KPI

The rules (docs/kpis.md): a KPI whose domain does not cover a year is NULL (the SQL of int_kpis_by_scope);
a partial year (more than 31 days of the year not covered) keeps its value but is never a trend point, a
target status, a risk indicator or a "rose / fell" comparison, and charts leave it out and say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

# The domains of marts.coverage, in reading order, with the words outputs use for them.
DOMAIN_NAMES = {
    "membership": "membership",
    "meetings": "meetings",
    "attendance": "attendance",
    "contributions": "contributions",
    "recommendations": "Recommendations",
    "approval_process": "approval process",
    "work_items": "work items",
    "peer_publications": "peer bodies' publications",
    "events": "CxO meetings and industry events",
    "consultation": "membership consultation",
}
# A year a brief, a scenario or an analyst can ask for: one of these domains covers all of it.
ACTIVITY_DOMAINS = ("meetings", "attendance", "contributions", "recommendations")
SAMPLE_BANNER = "SAMPLE DATA — synthetic"
MIXED_BANNER = "MIXED DATA"


def has_table(conn: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    """Whether the warehouse has the table (a warehouse built by an older version may lack newer marts)."""
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()[0][0]
    )


def year_ranges(years: list[int]) -> str:
    """'2016-2025' or '2015, 2017-2020': consecutive years as ranges."""
    years = sorted(set(int(y) for y in years))
    if not years:
        return "none"
    parts, start, prev = [], years[0], years[0]
    for year in [*years[1:], None]:
        if year is not None and year == prev + 1:
            prev = year
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if year is not None:
            start = prev = year
    return ", ".join(parts)


@dataclass
class DataCoverage:
    """marts.year_coverage (one row per year and domain) and marts.coverage (one per domain)."""

    years: pd.DataFrame
    domains: pd.DataFrame
    kpi_domains: dict[str, str] = field(default_factory=dict)  # KPI column -> domain (the KPI catalogue)

    def status(self, year: int, domain: str) -> str:
        """'full', 'partial' or 'none'."""
        rows = self.years[(self.years["year"] == year) & (self.years["domain"] == domain)]
        return str(rows["coverage"].iloc[0]) if len(rows) else "none"

    def domain_of(self, kpi: str) -> str | None:
        return self.kpi_domains.get(kpi)

    def is_full(self, year: int, kpi: str) -> bool:
        """Whether the KPI's domain covers the whole year (a value that may be a trend point or have a status)."""
        domain = self.domain_of(kpi)
        return domain is None or self.status(year, domain) == "full"

    def is_partial(self, year: int, kpi: str) -> bool:
        domain = self.domain_of(kpi)
        return domain is not None and self.status(year, domain) == "partial"

    def full_years(self, domain: str) -> list[int]:
        rows = self.years[(self.years["domain"] == domain) & (self.years["coverage"] == "full")]
        return sorted(int(y) for y in rows["year"])

    def partial_years(self, domain: str) -> list[int]:
        rows = self.years[(self.years["domain"] == domain) & (self.years["coverage"] == "partial")]
        return sorted(int(y) for y in rows["year"])

    def available_years(self) -> list[int]:
        """Years some activity domain covers in full: the years a brief, a scenario or `explore` accepts."""
        rows = self.years[self.years["domain"].isin(ACTIVITY_DOMAINS) & (self.years["coverage"] == "full")]
        return sorted({int(y) for y in rows["year"]})

    def default_year(self) -> int:
        """The latest year the meetings cover in full (else the latest available year): never a year made by a
        stray row, which the coverage does not stretch to."""
        for domain in ("meetings", "attendance"):
            full = self.full_years(domain)
            if full:
                return full[-1]
        available = self.available_years()
        if not available:
            raise ValueError(
                "the warehouse covers no full year of meetings, attendance, contributions or output"
            )
        return available[-1]

    def check_year(self, year: int) -> int:
        """The year if the data cover it, else a ValueError whose one line says which years are available."""
        available = self.available_years()
        if int(year) not in available:
            raise ValueError(f"no data for {year}: the data cover {year_ranges(available)}")
        return int(year)

    def mask_partial(self, frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
        """A copy of a yearly KPI frame with the values of years their domain does not cover in full set to NaN:
        what trends, charts and "rose / fell" comparisons read."""
        out = frame.copy()
        for column in columns if columns is not None else list(out.columns):
            domain = self.domain_of(column)
            if domain is None or column not in out:
                continue
            keep = set(self.full_years(domain))
            bad = ~out["year"].isin(keep)
            if bad.any():
                out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
                out.loc[bad, column] = float("nan")
        return out

    def coverage_line(self, label: DatasetLabel | None = None) -> str:
        """One line on what the data cover, domains with the same dates together: 'membership, meetings, ...
        2016-01-01 to 2025-12-31; contributions 2015-07-24 to 2025-12-24; Recommendations: real records
        2015-01-01 to 2026-08-21' (real records named so in a mixed run)."""
        groups: dict[tuple, list[str]] = {}
        for row in self.domains.itertuples():
            if pd.isna(row.first_date) or row.domain not in DOMAIN_NAMES:
                continue
            real = label is not None and label.kind == "mixed" and row.source_label == "real"
            groups.setdefault((_day(row.first_date), _day(row.last_date), real), []).append(
                DOMAIN_NAMES[row.domain]
            )
        return "; ".join(
            f"{', '.join(names)}{': real records' if real else ''} {first} to {last}"
            for (first, last, real), names in groups.items()
        )


def _day(value) -> str:
    return pd.Timestamp(value).date().isoformat()


def kpi_domains() -> dict[str, str]:
    """KPI column -> the domain it is computed from (the KPI catalogue; scope_kpis adds its extra inputs)."""
    from pipelines.analytics.scope_kpis import EXTRA_KPI_DOMAINS
    from pipelines.catalogue import catalogue

    found = {k.column_name: k.domain for k in catalogue().kpis if k.domain}
    return {**found, **EXTRA_KPI_DOMAINS}


def load_coverage(conn: duckdb.DuckDBPyConnection) -> DataCoverage:
    """The coverage marts of a warehouse (a warehouse built before them: every activity year taken as full)."""
    if has_table(conn, "marts", "year_coverage"):
        years = conn.execute(
            "select year, domain, covered_days, coverage, partial from marts.year_coverage"
        ).df()
        domains = conn.execute(
            "select domain, first_date, last_date, source_label, source from marts.coverage"
        ).df()
    else:
        found = [r[0] for r in conn.execute("select distinct year from marts.sg_year_kpis").fetchall()]
        years = pd.DataFrame(
            [(y, d, 365, "full", False) for y in found for d in DOMAIN_NAMES],
            columns=["year", "domain", "covered_days", "coverage", "partial"],
        )
        domains = pd.DataFrame(columns=["domain", "first_date", "last_date", "source_label", "source"])
    order = {d: i for i, d in enumerate(DOMAIN_NAMES)}
    domains = domains.sort_values(
        "domain", key=lambda s: s.map(lambda d: order.get(d, 99)), ignore_index=True
    )
    return DataCoverage(years, domains, kpi_domains())


# --- Provenance: real, synthetic or mixed -----------------------------------------------------------------------


@dataclass
class DatasetLabel:
    """How a run's data must be labelled: one banner for every output, and real / synthetic per domain."""

    kind: str  # "synthetic" | "real" | "mixed"
    labels: dict[str, str]  # domain -> "real" | "synthetic"
    sources: dict[str, str]  # domain -> source text
    notice: str = ""
    dataset_name: str = ""

    @property
    def banner(self) -> str | None:
        """'SAMPLE DATA — synthetic', 'MIXED DATA — real: ...; synthetic: ...', or None for real data."""
        if self.kind == "synthetic":
            return SAMPLE_BANNER
        if self.kind == "mixed":
            real = [
                f"{DOMAIN_NAMES.get(d, d)} ({self.sources[d]})"
                if self.sources.get(d)
                else DOMAIN_NAMES.get(d, d)
                for d in self.real_domains
            ]
            synthetic = [DOMAIN_NAMES.get(d, d) for d in self.synthetic_domains]
            return f"{MIXED_BANNER} — real: {', '.join(real)}; synthetic: {', '.join(synthetic)}"
        return None

    @property
    def real_domains(self) -> list[str]:
        return [d for d in DOMAIN_NAMES if self.labels.get(d) == "real"] + sorted(
            d for d, v in self.labels.items() if v == "real" and d not in DOMAIN_NAMES
        )

    @property
    def synthetic_domains(self) -> list[str]:
        return [d for d in DOMAIN_NAMES if self.labels.get(d) == "synthetic"] + sorted(
            d for d, v in self.labels.items() if v == "synthetic" and d not in DOMAIN_NAMES
        )

    def source_of(self, kpi: str) -> str | None:
        """'real' or 'synthetic' for a KPI column (by its domain), None when it has no domain."""
        domain = kpi_domains().get(kpi)
        return self.labels.get(domain) if domain else None


def label_kind(labels: dict[str, str]) -> str:
    values = set(labels.values())
    if values == {"real"}:
        return "real"
    return "mixed" if "real" in values else "synthetic"


def dataset_label(conn: duckdb.DuckDBPyConnection) -> DatasetLabel:
    """The run's label from meta.dataset (one row per domain); a warehouse from before per-domain rows is
    labelled by its single `synthetic` flag."""
    columns = [c[0] for c in conn.execute("select * from meta.dataset limit 0").description]
    if "domain" not in columns:
        synthetic, notice, name = conn.execute("select synthetic, notice, name from meta.dataset").fetchall()[
            0
        ]
        kind = "synthetic" if synthetic else "real"
        return DatasetLabel(kind, {d: kind for d in DOMAIN_NAMES}, {}, notice or "", name or "")
    rows = conn.execute("select domain, source_label, source, notice, name from meta.dataset").fetchall()
    labels = {domain: label for domain, label, _, _, _ in rows}
    sources = {domain: source or "" for domain, _, source, _, _ in rows}
    notice = next((n for *_, n, _ in rows if n), "")
    name = next((n for *_, n in rows if n), "")
    return DatasetLabel(label_kind(labels), labels, sources, notice, name)
