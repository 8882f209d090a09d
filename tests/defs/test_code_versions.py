"""Code versions are content hashes: the same in every process, so nothing looks unsynced after a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from pipelines.defs.versions import PACKAGE_DIR, code_version, module_closure, text_version
from pipelines.sql_models import load_models

PROBE = """
import json
from pipelines.definitions import defs

graph = defs.resolve_asset_graph()
print(json.dumps({
    key.to_user_string(): graph.get(key).code_version
    for key in graph.get_all_asset_keys()
    if graph.get(key).is_materializable
}))
"""


def _versions_in_a_new_process(hash_seed: str) -> dict[str, str | None]:
    # Different hash seeds make any use of hash() on strings differ between the two processes.
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, env=env
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_every_asset_has_the_same_code_version_in_two_processes():
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(_versions_in_a_new_process, ["1", "2"])
    assert first.keys() == second.keys() and len(first) >= 50
    problems = {
        "without a code version": sorted(k for k, v in first.items() if not v),
        "changing between processes": sorted(k for k in first if first[k] != second[k]),
    }
    assert not any(problems.values()), problems


def test_a_sql_model_is_versioned_by_its_sql():
    model = next(m for m in load_models() if m.key == ("marts", "sg_year_kpis"))
    assert text_version(model.sql) == text_version(model.sql + "") != text_version(model.sql + " ")


def test_a_python_asset_version_covers_the_modules_it_reaches():
    files = {p.relative_to(PACKAGE_DIR).as_posix() for p in module_closure("pipelines.briefs.build")}
    # Reached through imports inside functions and through other modules (briefs -> charts -> formatting).
    assert {"briefs/content.py", "charts/kpi.py", "formatting/suppression.py", "catalogue.py"} <= files
    assert "sample/generate.py" not in files and "ingest/load.py" not in files
    relative = {p.name for p in module_closure("pipelines.ingest.load")}  # `from .tables import ...`
    assert {"tables.py", "normalise.py", "pseudonymise.py"} <= relative
    assert code_version("pipelines.analytics.targets") != code_version(
        "pipelines.analytics.targets", "config/results_framework.yaml"
    )
