"""Data Docs: Great Expectations' HTML report of one run's validation results, under <out>/data_docs/."""

from __future__ import annotations

import logging
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.quality.engine import Outcome
from pipelines.quality.results import SuiteResult

SITE = "sgpulse"


def docs_dir(out_dir: Path) -> Path:
    return Path(out_dir) / "data_docs"


def _result_payload(o: Outcome) -> dict:
    """The `result` of a GX validation result; offending rows are named by reference, never by value."""
    if o.failed_rows is not None and o.element_count is not None:
        total = o.element_count
        payload = {
            "element_count": total,
            "unexpected_count": o.failed_rows,
            "unexpected_percent": (100.0 * o.failed_rows / total) if total else 0.0,
            "partial_unexpected_list": [],
        }
        if o.sample_refs:
            payload["partial_unexpected_index_list"] = [{"row": ref} for ref in o.sample_refs]
            payload["unexpected_index_column_names"] = ["row"]
        return payload
    payload = {"observed_value": o.observed}
    if o.sample_refs:
        payload["details"] = {"sample_refs": o.sample_refs}
    return payload


def _gx_suite(gx, suite: dict):
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    expectations = [
        ExpectationConfiguration(
            type=e["type"],
            kwargs=e["kwargs"],
            meta=e["meta"],
            severity=e["severity"],
            description=e.get("description"),
        ).to_domain_obj()
        for e in suite["expectations"]
    ]
    return gx.ExpectationSuite(name=suite["name"], expectations=expectations, meta=suite.get("meta", {}))


def _gx_validation_result(result: SuiteResult, suite: dict):
    import datetime as dt

    from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    by_check = {e["meta"]["check"]: e for e in suite["expectations"]}
    evrs = []
    for o in result.outcomes:
        source = by_check.get(o.check, {})
        config = ExpectationConfiguration(
            type=o.type,
            kwargs=o.kwargs,
            meta={"check": o.check},
            severity=o.severity,
            description=source.get("description"),
        )
        exception = (
            {"raised_exception": True, "exception_message": o.error, "exception_traceback": None}
            if o.error
            else {"raised_exception": False, "exception_message": None, "exception_traceback": None}
        )
        evrs.append(
            ExpectationValidationResult(
                success=o.success,
                expectation_config=config,
                result=_result_payload(o),
                exception_info=exception,
            )
        )
    passed = sum(o.success for o in result.outcomes)
    total = len(result.outcomes)
    run_time = dt.datetime.fromisoformat(result.checked_at)
    run_id = RunIdentifier(run_name=result.run_id, run_time=run_time)
    return run_id, ExpectationSuiteValidationResult(
        success=passed == total,
        results=evrs,
        suite_name=result.suite,
        statistics={
            "evaluated_expectations": total,
            "successful_expectations": passed,
            "unsuccessful_expectations": total - passed,
            "success_percent": (100.0 * passed / total) if total else None,
        },
        meta={
            "run_id": run_id,
            "batch_spec": {"data_asset_name": result.suite},
            "validation_time": run_time.strftime("%Y%m%dT%H%M%S.%fZ"),
            "suite_parameters": {k: v for k, v in result.parameters.items() if v is not None},
        },
    )


class _Collect(logging.Handler):
    """Keeps what Great Expectations logs (first lines only): it belongs in the run's log, not on stderr."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.lines) < 20:
            text = (record.getMessage() or "").strip()
            self.lines.append(
                f"great_expectations {record.levelname.lower()}: {text.splitlines()[0] if text else ''}"
            )


@contextmanager
def gx_logging_collected():
    """Great Expectations' loggers write to a collector instead of stderr for the duration of the block."""
    gx_logger = logging.getLogger("great_expectations")
    collector = _Collect()
    before = gx_logger.propagate, gx_logger.level
    gx_logger.addHandler(collector)
    gx_logger.propagate = False
    gx_logger.setLevel(logging.WARNING)
    try:
        yield collector
    finally:
        gx_logger.removeHandler(collector)
        gx_logger.propagate, level = before
        gx_logger.setLevel(level)


@dataclass
class DataDocsBuild:
    index: Path
    log: list[str] = field(default_factory=list)  # what GX logged (warnings, errors), for the run's log


def build_data_docs(
    out_dir: Path, results: list[SuiteResult], suites: dict[str, dict], target: Path | None = None
) -> DataDocsBuild:
    """Render the suites and this run's results with GX into `target` (default <out>/data_docs/).

    The site is built beside `target` and renamed into place when complete. A refresh builds it into its
    staging folder, published with the warehouse (pipelines/outputs.py).
    """
    os.environ.setdefault("TQDM_DISABLE", "1")  # GX's progress bars on stderr
    with gx_logging_collected() as collector:
        index = _build(Path(target) if target else docs_dir(out_dir), results, suites)
    return DataDocsBuild(index, collector.lines)


def _build(target: Path, results: list[SuiteResult], suites: dict[str, dict]) -> Path:
    import great_expectations as gx
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    staging = target.with_name(target.name + ".next")
    shutil.rmtree(staging, ignore_errors=True)
    context = gx.get_context(mode="ephemeral")
    context.add_data_docs_site(
        SITE,
        {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(staging)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    for suite in suites.values():
        context.suites.add(_gx_suite(gx, suite))
    for result in results:
        suite = suites.get(result.suite, {"name": result.suite, "expectations": []})
        run_id, validation = _gx_validation_result(result, suite)
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite),
            run_id=run_id,
            batch_identifier=result.suite,
        )
        context.validation_results_store.set(key, validation)
    try:
        context.build_data_docs(site_names=[SITE])
        if not (staging / "index.html").is_file():
            raise OSError(f"Great Expectations wrote no index.html in {staging}")
        make_offline(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # Swap the finished site in; a reader sees the previous report or the new one, not half of each.
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target / "index.html"


_LINKED = re.compile(r'(?P<attr>src|href)="(?P<url>[^"#]+)"')
_SCRIPT = re.compile(r'<script src="(?P<url>https?://[^"]+)"></script>\n?')
# Subresource integrity and CORS mode: a browser refuses a file:// script fetched in CORS mode.
_SRI = re.compile(r'\s+(integrity="[^"]*"|crossorigin="[^"]*")')


def make_offline(site: Path) -> None:
    """Serve the site's CSS, JavaScript, fonts and logo from its own static/ folder instead of CDNs."""
    from pipelines.quality.data_docs_assets import ASSETS_DIR

    vendor = site / "static" / "vendor"
    shutil.copytree(ASSETS_DIR, vendor, dirs_exist_ok=True)
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(offline_page(text, page.parent, site), encoding="utf-8")


def offline_page(text: str, folder: Path, site: Path) -> str:
    """One page of the site in `folder`, with every CDN address replaced by the site's own copy."""
    from pipelines.quality.data_docs_assets import CDN_FILES, DROPPED_SCRIPTS, LOGO_URL_PREFIX

    def local(match: re.Match) -> str:
        url = match["url"]
        if url in CDN_FILES:
            target = site / "static" / "vendor" / CDN_FILES[url]
        elif url.startswith(LOGO_URL_PREFIX) and "logo-long.png" in url:
            target = site / "static" / "images" / "logo-long.png"
        elif "static/" in url and not url.startswith("http") and not (folder / url).exists():
            # GX's validation pages point one folder short for their favicon.
            target = site / url[url.index("static/") :]
        else:  # a link to a web page, or a file that is where it says
            return match[0]
        return f'{match["attr"]}="{Path(os.path.relpath(target, folder)).as_posix()}"'

    text = _SCRIPT.sub(lambda m: "" if m["url"] in DROPPED_SCRIPTS else m[0], text)
    text = _LINKED.sub(local, text)
    return "\n".join(_SRI.sub("", line) if "static/vendor/" in line else line for line in text.split("\n"))
