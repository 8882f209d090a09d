"""Screenshots for docs and reviews: the Dagster UI (asset graph, catalogue, an asset's checks) and notebook 02.

    make dev &                                        # or any running `dagster dev` / dagster-webserver
    SGPULSE_WAREHOUSE=/path/wh.duckdb .venv/bin/python scripts/screenshots.py --out build/screenshots

Needs headless Chromium (`apt-get install -y chromium`); without it the script says so and exits 2, so CI can
skip it. The notebook is executed with nbclient against the warehouse of SGPULSE_WAREHOUSE (read-only),
exported with nbconvert, and shot from its top and from the top of a few sections (outputs only).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "02_study_group_deep_dive.ipynb"
# Sections of notebook 02 to shoot besides its top ("## " headings).
SECTIONS = ("Participation", "Contributions", "Targets", "Risks")
# One list of Chromium names and headless flags for both scripts (this one may be loaded from any directory).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_briefs import CHROMIUM_FLAGS, CHROMIUM_NAMES  # noqa: E402


def find_chromium(explicit: str | None) -> str | None:
    if explicit:
        return explicit if shutil.which(explicit) or Path(explicit).exists() else None
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def screenshot(chromium: str, url: str, out: Path, window: str, budget_ms: int) -> Path:
    """One headless Chromium screenshot; the virtual-time budget lets a JS app (Dagster's UI) render first."""
    with tempfile.TemporaryDirectory(prefix="sgpulse-chromium-") as profile:
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--screenshot={out}",
            f"--window-size={window}",
            f"--virtual-time-budget={budget_ms}",
            url,
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"chromium failed on {url}: {result.stderr.strip()[-500:]}")
    return out


def wait_for(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(1)
    return False


def graphql(base: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["data"]


def asset_graph(chromium: str, dagster_url: str, out_dir: Path, window: str, assets, checks=()) -> list[Path]:
    """The global asset lineage (one box per group), the asset catalogue, the nearest neighbours of a few
    assets and the checks of a few."""
    base = dagster_url.rstrip("/")
    if not wait_for(f"{base}/server_info", 30):
        raise RuntimeError(f"no Dagster UI answers at {base} (start one with `make dev`)")
    # A local UI greets a new browser profile with a community sign-up dialog over the graph; mark it seen
    # (what its Skip button does) so the screenshot shows the graph.
    graphql(base, "mutation { setNuxSeen }")
    shots = [screenshot(chromium, f"{base}/asset-groups", out_dir / "dagster-asset-graph.png", window, 15000)]
    # The catalogue: every asset with its last materialisation and whether it is unsynced.
    shots.append(
        screenshot(chromium, f"{base}/assets", out_dir / "dagster-asset-catalogue.png", window, 15000)
    )
    for key in assets:
        # A whole group's graph opens at 100% zoom on a corner; an asset's lineage tab is laid out to fit.
        out = out_dir / f"dagster-asset-graph-{key.replace('/', '-')}.png"
        shots.append(screenshot(chromium, f"{base}/assets/{key}?view=lineage", out, window, 15000))
    for entry in checks:
        # An asset's checks (one per kind of rule), `key:check` opening one: its result names what failed.
        key, _, check = entry.partition(":")
        out = out_dir / f"dagster-asset-checks-{key.replace('/', '-')}{'-' + check if check else ''}.png"
        url = f"{base}/assets/{key}?view=checks" + (f"&checkDetail={check}" if check else "")
        shots.append(screenshot(chromium, url, out, window, 15000))
    return shots


def execute_notebook(notebook: Path, sg: str | None):
    """Run the notebook top to bottom (optionally for another `sg`), as JupyterLab would, in its folder."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    if sg:
        for cell in nb.cells:
            if "parameters" in cell.metadata.get("tags", []):
                cell.source += f"\nsg = {sg!r}  # injected by scripts/screenshots.py"
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}}
    ).execute()
    return nb


def notebook_pages(nb, stem: str, out_dir: Path, sections=SECTIONS) -> list[tuple[str, Path]]:
    """The whole notebook as HTML, plus one outputs-only page per section (each page starts at its top)."""
    import copy

    from nbconvert import HTMLExporter

    pages = []
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    (path := out_dir / f"{stem}.html").write_text(html, encoding="utf-8")
    pages.append((stem, path))
    starts = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## ")]
    for section in sections:
        begin = next((i for i in starts if nb.cells[i].source[3:].startswith(section)), None)
        if begin is None:
            raise RuntimeError(f"notebook {stem} has no section '## {section}'")
        end = next((i for i in starts if i > begin), len(nb.cells))
        part = copy.deepcopy(nb)
        part.cells = part.cells[begin:end]
        exporter = HTMLExporter(
            template_name="lab", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
        )
        html, _ = exporter.from_notebook_node(part)
        name = f"{stem}-{section.lower()}"
        (path := out_dir / f"{name}.html").write_text(html, encoding="utf-8")
        pages.append((name, path))
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    parser.add_argument(
        "--dagster-url", default="http://127.0.0.1:3000", help="a running dagster dev or dagster-webserver"
    )
    parser.add_argument(
        "--assets",
        default="marts/sg_year_kpis",
        help="comma-separated asset keys whose lineage (nearest neighbours) to shoot",
    )
    parser.add_argument(
        "--checks",
        default="quarantine/attendance:no_rows_quarantined",
        help="comma-separated asset keys (or key:check, to open one check) whose checks tab to shoot",
    )
    parser.add_argument("--notebook", type=Path, default=NOTEBOOK)
    parser.add_argument("--sg", help="run the notebook for this study group instead of its default")
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help="comma-separated '## ' headings of the notebook to shoot (outputs only)",
    )
    parser.add_argument("--window", default="1600,1000", help="browser window WIDTH,HEIGHT")
    parser.add_argument("--chromium", help="the Chromium binary (default: found on the PATH)")
    parser.add_argument("--skip-ui", action="store_true", help="no Dagster UI screenshot")
    parser.add_argument("--skip-notebook", action="store_true", help="no notebook screenshots")
    args = parser.parse_args(argv)
    # The notebook's kernel runs in notebooks/, where a relative warehouse path would point elsewhere.
    if os.environ.get("SGPULSE_WAREHOUSE"):
        os.environ["SGPULSE_WAREHOUSE"] = str(Path(os.environ["SGPULSE_WAREHOUSE"]).resolve())

    chromium = find_chromium(args.chromium)
    if not chromium:
        print(
            "no Chromium found (apt-get install -y chromium, or --chromium PATH); skipping screenshots",
            file=sys.stderr,
        )
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    if not args.skip_ui:
        shots += asset_graph(
            chromium,
            args.dagster_url,
            args.out,
            args.window,
            [x for x in args.assets.split(",") if x],
            [x for x in args.checks.split(",") if x],
        )
    if not args.skip_notebook:
        nb = execute_notebook(args.notebook, args.sg)
        sections = [x for x in args.sections.split(",") if x]
        for name, html in notebook_pages(nb, args.notebook.stem, args.out, sections):
            shots.append(screenshot(chromium, html.as_uri(), args.out / f"{name}.png", args.window, 3000))
    for shot in shots:
        print(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
