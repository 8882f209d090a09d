"""What an alert says: what failed, where, how many rows, the run id and a link; never personal data.

Alerts name rows by `source_file:source_row` (or a mart's key values) and checks by name; they carry no data
values. Free text from an exception is cut to its first line and stripped of anything that looks
like an e-mail address or a phone number (pipelines/privacy.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from pipelines.alerts.digest import Digest, compare, problem_key
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
    check: str  # the Dagster asset check (one per kind of rule of a table)
    expectation: str  # the expectation's name in its suite, and what it went wrong with
    severity: str
    failed_rows: int | None
    sample_refs: list[str] = field(default_factory=list)
    key: str = ""  # stable across runs: <table>/<expectation> (pipelines/alerts/digest.py)


@dataclass
class Alert:
    """One run's digest: the failures new since the last run in full, those still open counted, the resolved."""

    kind: str  # blocking_check_failed | run_failed | warnings | resolved | stale_warehouse
    severity: str  # error | warning | info
    run_id: str
    summary: str
    failures: list[Failure] = field(default_factory=list)  # new since the last run
    more_failures: int = 0
    job: str = "refresh"
    run_url: str | None = None
    raised_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat())
    still_open: int = 0  # failing again, already alerted by an earlier run: counted, not repeated
    resolved: list[str] = field(default_factory=list)  # keys of problems that no longer fail

    @property
    def subject(self) -> str:
        return scrub(f"[sgpulse] {self.severity.upper()}: {self.summary}", 200)

    def text(self) -> str:
        lines = [self.subject, "", f"Job: {self.job}", f"Run: {self.run_id}"]
        if self.run_url:
            lines.append(f"Dagster UI: {self.run_url}")
        if self.failures:
            lines += ["", "New since the last run (asset / check: expectation: rows (where)):"]
            lines += [f"- {f.asset} / {f.check}: {f.expectation}" for f in self.failures]
            if self.more_failures:
                lines.append(f"- ... and {self.more_failures} more")
        if self.still_open:
            lines += ["", f"Still open: {self.still_open} (alerted by an earlier run, not repeated)"]
        if self.resolved:
            shown = self.resolved[:MAX_LISTED]
            lines += ["", "Resolved since the last run:", *(f"- {key}" for key in shown)]
            if len(self.resolved) > len(shown):
                lines.append(f"- ... and {len(self.resolved) - len(shown)} more")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return asdict(self)


def run_url(dagster_url: str | None, run_id: str) -> str | None:
    return f"{dagster_url.rstrip('/')}/runs/{run_id}" if dagster_url else None


def _failures(results: list[SuiteResult], severity: str, keys: set[str] | None = None) -> list[Failure]:
    """Failed expectations of a severity (only those whose key is in `keys`, when given)."""
    return [
        Failure(
            r.suite,
            dagster_check_name(o.check),
            outcome_line(o),
            "error" if severity == "critical" else "warning",
            o.failed_rows,
            list(o.sample_refs),
            key,
        )
        for r in results
        for o in r.failures(severity)
        for key in [problem_key(r.suite, o.check)]
        if keys is None or key in keys
    ]


def _bounded(failures: list[Failure]) -> tuple[list[Failure], int]:
    return failures[:MAX_LISTED], max(0, len(failures) - MAX_LISTED)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _changes(digest: Digest) -> str:
    parts = [f"{len(digest.still_open)} still open"] if digest.still_open else []
    parts += [f"{len(digest.resolved)} resolved"] if digest.resolved else []
    return f", {', '.join(parts)}" if parts else ""


def failed_run_alert(
    run_id: str,
    error: str | None,
    results: list[SuiteResult],
    digest: Digest | None = None,
    dagster_url: str | None = None,
    job: str = "refresh",
) -> Alert:
    """A failed run, always alerted: the blocking checks that stopped it (or its one-line error), with the
    failures new since the last run in full and the rest counted."""
    digest = digest or compare({}, results)
    blocking = _failures(results, "critical")
    new = set(digest.new)
    listed = [f for f in _failures(results, "critical") + _failures(results, "warning") if f.key in new]
    shown, more = _bounded(listed)
    url = run_url(dagster_url, run_id)
    if blocking:
        assets = sorted({f.asset for f in blocking})
        rows = sum(f.failed_rows or 0 for f in blocking)
        summary = (
            f"blocking data-quality check failed on {', '.join(assets[:3])}"
            f"{' and more' if len(assets) > 3 else ''} ({_plural(len(blocking), 'expectation')}, "
            f"{_plural(rows, 'row')}, {len([f for f in blocking if f.key in new])} new{_changes(digest)}); "
            "run stopped, warehouse unchanged"
        )
        kind = "blocking_check_failed"
    else:
        summary = f"refresh run failed, warehouse unchanged: {scrub(error or 'unknown error')}"
        kind = "run_failed"
    return Alert(
        kind, "error", run_id, summary, shown, more, job, url,
        still_open=len(digest.still_open), resolved=list(digest.resolved),
    )  # fmt: skip


def warnings_alert(
    run_id: str,
    results: list[SuiteResult],
    threshold: int,
    digest: Digest | None = None,
    dagster_url: str | None = None,
    job: str = "refresh",
) -> Alert | None:
    """A successful run's digest: sent when more warnings than `threshold` are new since the last run, or a
    problem was resolved; nothing when the same warnings fail again (they are counted in the next digest)."""
    digest = digest or compare({}, results)
    new = _failures(results, "warning", set(digest.new))
    if len(new) <= threshold and not digest.resolved:
        return None
    url = run_url(dagster_url, run_id)
    shown, more = _bounded(new)
    extra = dict(still_open=len(digest.still_open), resolved=list(digest.resolved))
    if len(new) <= threshold:  # only resolutions to report
        still = f", {len(digest.still_open)} still open" if digest.still_open else ""
        summary = f"{_plural(len(digest.resolved), 'data-quality problem')} resolved{still}; run succeeded"
        return Alert("resolved", "info", run_id, summary, shown, more, job, url, **extra)
    rows = sum(f.failed_rows or 0 for f in new)
    assets = sorted({f.asset for f in new})
    summary = (
        f"{len(new)} new data-quality warning{'s' if len(new) > 1 else ''} on {_plural(len(assets), 'table')} "
        f"({_plural(rows, 'row')}){_changes(digest)}; run succeeded"
    )
    return Alert("warnings", "warning", run_id, summary, shown, more, job, url, **extra)
