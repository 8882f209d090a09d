"""What an alert says: what failed, where, how many rows, the run id and a link; never personal data.

Alerts name rows by `source_file:source_row` (or a mart's key values) and checks by name; they carry no data
values. Free text from an exception is cut to its first line and stripped of anything that looks
like an e-mail address or a phone number (pipelines/privacy.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from pipelines.privacy import mask_personal
from pipelines.quality.engine import outcome_line
from pipelines.quality.results import SuiteResult, dagster_check_name

MAX_LISTED = 20


def scrub(text: str, limit: int = 300) -> str:
    """First line only, no e-mail addresses or phone numbers, bounded length."""
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    line = mask_personal(line)
    return line if len(line) <= limit else line[: limit - 3] + "..."


@dataclass
class Failure:
    asset: str
    check: str  # the Dagster asset check (one per expectation)
    expectation: str  # the expectation's name in its suite, and what it went wrong with
    severity: str
    failed_rows: int | None
    sample_refs: list[str] = field(default_factory=list)


@dataclass
class Alert:
    kind: str  # blocking_check_failed | run_failed | warnings
    severity: str  # error | warning
    run_id: str
    summary: str
    failures: list[Failure] = field(default_factory=list)
    more_failures: int = 0
    job: str = "refresh"
    run_url: str | None = None
    raised_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat())

    @property
    def subject(self) -> str:
        return scrub(f"[sgpulse] {self.severity.upper()}: {self.summary}", 200)

    def text(self) -> str:
        lines = [self.subject, "", f"Job: {self.job}", f"Run: {self.run_id}"]
        if self.run_url:
            lines.append(f"Dagster UI: {self.run_url}")
        if self.failures:
            lines += ["", "What failed (asset / check: expectation: rows (where)):"]
            lines += [f"- {f.asset} / {f.check}: {f.expectation}" for f in self.failures]
            if self.more_failures:
                lines.append(f"- ... and {self.more_failures} more")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return asdict(self)


def run_url(dagster_url: str | None, run_id: str) -> str | None:
    return f"{dagster_url.rstrip('/')}/runs/{run_id}" if dagster_url else None


def _failures(results: list[SuiteResult], severity: str) -> list[Failure]:
    return [
        Failure(
            r.suite,
            dagster_check_name(o.check),
            outcome_line(o),
            "error" if severity == "critical" else "warning",
            o.failed_rows,
            list(o.sample_refs),
        )
        for r in results
        for o in r.failures(severity)
    ]


def _bounded(failures: list[Failure]) -> tuple[list[Failure], int]:
    return failures[:MAX_LISTED], max(0, len(failures) - MAX_LISTED)


def failed_run_alert(
    run_id: str,
    error: str | None,
    results: list[SuiteResult],
    dagster_url: str | None = None,
    job: str = "refresh",
) -> Alert:
    """A failed run: the blocking checks that stopped it, or else the run's one-line error."""
    blocking = _failures(results, "critical")
    url = run_url(dagster_url, run_id)
    if blocking:
        assets = sorted({f.asset for f in blocking})
        rows = sum(f.failed_rows or 0 for f in blocking)
        summary = (
            f"blocking data-quality check failed on {', '.join(assets[:3])}"
            f"{' and more' if len(assets) > 3 else ''} ({len(blocking)} expectation"
            f"{'s' if len(blocking) > 1 else ''}, {rows} row{'s' if rows != 1 else ''}); run stopped, "
            "warehouse unchanged"
        )
        shown, more = _bounded(blocking)
        return Alert("blocking_check_failed", "error", run_id, summary, shown, more, job, url)
    summary = f"refresh run failed, warehouse unchanged: {scrub(error or 'unknown error')}"
    return Alert("run_failed", "error", run_id, summary, [], 0, job, url)


def warnings_alert(
    run_id: str,
    results: list[SuiteResult],
    threshold: int,
    dagster_url: str | None = None,
    job: str = "refresh",
) -> Alert | None:
    """Failed warning expectations of a successful run, when there are more than `threshold`."""
    warnings = _failures(results, "warning")
    if len(warnings) <= threshold:
        return None
    rows = sum(f.failed_rows or 0 for f in warnings)
    assets = sorted({f.asset for f in warnings})
    summary = (
        f"{len(warnings)} data-quality warning{'s' if len(warnings) > 1 else ''} on {len(assets)} "
        f"table{'s' if len(assets) > 1 else ''} ({rows} row{'s' if rows != 1 else ''}); run succeeded"
    )
    shown, more = _bounded(warnings)
    return Alert("warnings", "warning", run_id, summary, shown, more, job, run_url(dagster_url, run_id))
