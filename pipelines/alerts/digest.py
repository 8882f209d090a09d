"""What changed since the last run: each failed expectation has a stable key (`<table>/<expectation>`), and
the problems still open after a run are kept in <out>/quality/open_problems.json, so an alert says which
failures are new, how many are still open (counted, not listed again) and which were resolved.

A problem is resolved only when its table was validated again and the expectation held: a run stopped by a
blocking check before the marts were built leaves the marts' open problems as they were.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.quality.results import SuiteResult


def problem_key(suite: str, check: str) -> str:
    """The stable key of a failed expectation: the same table and expectation, whatever the rows or run."""
    return f"{suite}/{check}"


def open_problems_path(out_dir: Path) -> Path:
    return Path(out_dir) / "quality" / "open_problems.json"


def load_open_problems(out_dir: Path) -> dict[str, dict]:
    """{key: {"severity", "first_seen_run", "first_seen"}} of the problems open after the last run."""
    path = open_problems_path(out_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_open_problems(out_dir: Path, problems: dict[str, dict]) -> None:
    path = open_problems_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(problems, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


@dataclass
class Digest:
    new: list[str] = field(default_factory=list)  # keys failing now and not open before
    still_open: list[str] = field(default_factory=list)  # keys failing now and already open
    resolved: list[str] = field(default_factory=list)  # keys open before whose expectation now holds
    open_after: dict[str, dict] = field(default_factory=dict)  # what to keep for the next run

    @property
    def changed(self) -> bool:
        return bool(self.new or self.resolved)


def compare(previous: dict[str, dict], results: list[SuiteResult]) -> Digest:
    """This run's failures against the problems open after the last run."""
    digest = Digest(open_after=dict(previous))
    for result in results:
        for o in result.outcomes:
            key = problem_key(result.suite, o.check)
            if o.success:
                if key in previous:
                    digest.resolved.append(key)
                    digest.open_after.pop(key)
            elif key in previous:
                digest.still_open.append(key)
            else:
                digest.new.append(key)
                digest.open_after[key] = {
                    "severity": o.severity,
                    "first_seen_run": result.run_id,
                    "first_seen": result.checked_at,
                }
    return digest
