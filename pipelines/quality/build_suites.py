"""Regenerate the reviewed expectation suites of the GX project: `python -m pipelines.quality.build_suites`.

The suites are derived from the contracts (pipelines/quality/contract.py); every expectation is passed through
Great Expectations' own classes (which validate its arguments) before it is written, in GX's store layout, to
expectations/gx/expectations/<schema>/<table>.json. `--check` only reports suites that are out of date.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipelines.quality.suites import GX_DIR, SUITES_DIR, suite_path


def validate_with_gx(suite: dict) -> None:
    """Raise if GX does not accept an expectation (unknown type, wrong or missing arguments)."""
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    for e in suite["expectations"]:
        ExpectationConfiguration(
            type=e["type"],
            kwargs=e["kwargs"],
            meta=e["meta"],
            id=e["id"],
            severity=e["severity"],
            description=e.get("description"),
        ).to_domain_obj()


def render(suite: dict, gx_version: str) -> str:
    """The suite as the GX expectations store writes it (sorted keys, two-space indent)."""
    data = {**suite, "meta": {**suite["meta"], "great_expectations_version": gx_version}}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def ensure_project(gx_dir: Path = GX_DIR) -> None:
    """Create the GX file project (great_expectations.yml and its folders) once."""
    import great_expectations as gx

    if not (gx_dir / "great_expectations.yml").exists():
        gx.get_context(mode="file", project_root_dir=str(gx_dir.parent))


def build_suites(suites_dir: Path = SUITES_DIR, check: bool = False) -> list[str]:
    """Write (or with `check`, compare) every suite; return the names of suites that changed."""
    import great_expectations as gx

    from pipelines.quality.contract import all_suites

    changed = []
    wanted = set()
    for suite in all_suites():
        validate_with_gx(suite)
        path = suite_path(suite["name"], suites_dir)
        wanted.add(path)
        text = render(suite, gx.__version__)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed.append(suite["name"])
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for stale in sorted(set(suites_dir.rglob("*.json")) - wanted):
        changed.append(f"(stale) {stale.relative_to(suites_dir)}")
        if not check:
            stale.unlink()
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report suites that are out of date")
    args = parser.parse_args(argv)
    if not args.check:
        ensure_project()
    changed = build_suites(check=args.check)
    for name in changed:
        print(("out of date: " if args.check else "wrote: ") + name)
    if args.check and changed:
        print("run `python -m pipelines.quality.build_suites` and review the diff", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
