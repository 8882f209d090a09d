"""Every notebook runs top to bottom on a warehouse built from the bundled sample, with no personal data."""

from __future__ import annotations

import importlib.util
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from pipelines.ingest.readers import discover_files, read_batch
from pipelines.refresh import QUIET
from pipelines.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SAMPLE = ROOT / "data" / "raw"
NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
WORD = re.compile(r"\w+")


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory) -> Path:
    """The bundled sample built once per session by the pipeline's own assets and checks, up to publishing.

    The assets that only read the published warehouse (briefs, Data Docs) are left out: the notebooks do not
    read their outputs, and they take most of a full refresh's time.
    """
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.defs.resources import make_resources

    if not (SAMPLE / "DATASET.yaml").exists():
        pytest.fail(f"the bundled sample is missing from {SAMPLE} (make sample)")
    root = tmp_path_factory.mktemp("sample_warehouse")
    settings = Settings.resolve(SAMPLE, root / "warehouse.duckdb", root / "out")
    after_publishing = dg.AssetSelection.assets("warehouse").downstream(include_self=False)
    with pytest.MonkeyPatch.context() as mp, dg.DagsterInstance.ephemeral() as instance:
        mp.setenv("SGPULSE_PSEUDONYM_KEY", "notebook-test-key-0123456789abcdef")
        result = dg.materialize(
            [*defs.assets, *defs.asset_checks],
            selection=dg.AssetSelection.all() - after_publishing,
            resources=make_resources(settings),
            instance=instance,
            raise_on_error=False,
            run_config=QUIET,
        )
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    assert settings.warehouse.exists()
    return settings.warehouse


@pytest.fixture(scope="session")
def participant_names() -> set[tuple[str, ...]]:
    """Every participant name of the sample's raw attendance, as a tuple of lower-case words."""
    names = set()
    for path in discover_files(SAMPLE, "attendance"):
        batch = read_batch(path, SAMPLE)
        for name in batch.column("participant_name").to_pylist():
            words = tuple(WORD.findall((name or "").lower()))
            if len(words) >= 2:
                names.add(words)
    return names


def outputs_text(nb: nbformat.NotebookNode) -> str:
    return json.dumps([cell.get("outputs", []) for cell in nb.cells], ensure_ascii=False)


def names_in(text: str, names: set[tuple[str, ...]]) -> set[str]:
    """Participant names appearing word for word in the text (word n-grams looked up in the set of names)."""
    words = WORD.findall(text.lower())
    lengths = {len(n) for n in names}
    found = set()
    for n in lengths:
        for i in range(len(words) - n + 1):
            gram = tuple(words[i : i + n])
            if gram in names:
                found.add(" ".join(gram))
    return found


def execute(path: Path, sg: str | None = None) -> nbformat.NotebookNode:
    """Run like JupyterLab does: a kernel started in notebooks/, the warehouse from SGPULSE_WAREHOUSE."""
    nb = nbformat.read(path, as_version=4)
    if sg is not None:
        [params] = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        params.source += f"\nsg = {sg!r}"
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    return nb


# Every notebook, and deep dive for a study group that exists only in the latest study period (one year of
# data: no newcomer share, retention or trend).
CASES = {p.stem: (p, None) for p in NOTEBOOK_FILES}
CASES["02-SG21"] = (NOTEBOOKS / "02_study_group_deep_dive.ipynb", "SG21")


@pytest.fixture(scope="session")
def executed(sample_warehouse) -> dict[str, nbformat.NotebookNode | str]:
    """Every case run once, two kernels at a time (each is one process): the notebook, or the error."""

    def run(case: str):
        started = time.monotonic()
        try:
            nb = execute(*CASES[case])
        except CellExecutionError as exc:
            return case, f"{CASES[case][0].name} failed:\n{exc}"
        print(f"{case}: {time.monotonic() - started:.1f} s")
        return case, nb

    with pytest.MonkeyPatch.context() as mp, ThreadPoolExecutor(max_workers=2) as pool:
        mp.setenv("SGPULSE_WAREHOUSE", str(sample_warehouse))
        started = time.monotonic()
        results = dict(pool.map(run, CASES))
    print(f"all notebooks: {time.monotonic() - started:.1f} s")
    return results


@pytest.mark.parametrize("case", CASES)
def test_notebook_runs_and_shows_no_personal_data(case, executed, participant_names):
    nb = executed[case]
    if isinstance(nb, str):
        pytest.fail(nb)
    text = outputs_text(nb)
    assert "@" not in text, "an output contains '@' (an e-mail address, or a chart loading code from a CDN)"
    assert not names_in(text, participant_names), "participant names appear in the outputs"
    assert "SAMPLE DATA" in text  # a notebook on the sample says so


def test_start_here_describes_every_mart(executed):
    """Notebook 01's list of marts has a description for each, SQL and Python marts alike (7 of 14 were NaN)."""
    nb = executed["01_start_here"]
    if isinstance(nb, str):
        pytest.fail(nb)
    [cell] = [c for c in nb.cells if c.source.startswith('tables[tables["schema"] == "marts"]')]
    text = json.dumps(cell.outputs)
    assert "sg_relevance" in text and "kpi_vs_target" in text and "NaN" not in text


def test_every_analyst_notebook_is_there():
    assert [p.stem for p in NOTEBOOK_FILES] == [
        "01_start_here",
        "02_study_group_deep_dive",
        "03_restructuring",
        "04_data_quality",
        "05_landscape",
        "06_consultation",
    ]


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs_and_opens_with_what_it_answers(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ") and "answers" in first.source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: outputs not stripped"


def test_deep_dive_has_a_parameters_cell():
    nb = nbformat.read(NOTEBOOKS / "02_study_group_deep_dive.ipynb", as_version=4)
    [params] = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert params.source.startswith('sg = "SG17"')


def test_notebooks_are_what_the_generator_writes():
    spec = importlib.util.spec_from_file_location("build_notebooks", ROOT / "scripts" / "build_notebooks.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert generator.main(["--check"]) == 0, "run scripts/build_notebooks.py and commit the notebooks"


def test_the_name_check_would_catch_a_name():
    names = {("ada", "quill"), ("jo", "van", "pike")}
    assert names_in('{"text": "chair: Ada Quill (SG17)"}', names) == {"ada quill"}
    assert names_in("Jo van Pike; Jo Pike", names) == {"jo van pike"}
    assert not names_in("Adaquill", names)


@pytest.fixture(scope="session")
def landscape_warehouse(tmp_path_factory) -> Path:
    """The bundled sample with the real peer bodies' records imported, built without Dagster."""
    import os
    import shutil

    import duckdb
    from testkit import REAL_DATA, build_warehouse

    from pipelines.importers.dataset import mark_domain
    from pipelines.importers.peers import OUTPUT_FILE, TABLE, import_peers, write_peers

    bundle = REAL_DATA / "peer-sdo-publications.jsonl.gz"
    if not bundle.exists():
        pytest.skip(f"real data not found at {bundle}")
    root = tmp_path_factory.mktemp("landscape_warehouse")
    raw = root / "raw"
    # Hard links for the sample's batches; DATASET.yaml is rewritten by the import (renamed into place).
    shutil.copytree(SAMPLE, raw, copy_function=os.link)
    write_peers(import_peers(bundle), raw)
    mark_domain(raw, TABLE, OUTPUT_FILE)
    path = root / "warehouse.duckdb"
    with duckdb.connect(str(path)) as conn:
        build_warehouse(raw, conn)
    return path


def test_landscape_notebook_on_the_real_bundle(landscape_warehouse, participant_names, monkeypatch):
    monkeypatch.setenv("SGPULSE_WAREHOUSE", str(landscape_warehouse))
    nb = execute(NOTEBOOKS / "05_landscape.ipynb")
    text = outputs_text(nb)
    assert "relaton-data-3gpp at commit c6e533e1" in text  # sources and commits
    assert "study-group side mixes real and synthetic data" in text  # the sample's side, labelled
    assert "ETSI" in text and "stability" in text and "<svg" in text
    assert "@" not in text and not names_in(text, participant_names)
    assert (SAMPLE / "DATASET.yaml").read_text(encoding="utf-8").count("peer_publications") == 0
