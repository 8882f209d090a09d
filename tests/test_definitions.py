"""The Dagster code location loads, every SQL model is an asset, and every dependency exists."""

import dagster as dg

from pipelines.sql_models import load_models


def test_definitions_load_and_every_dependency_is_an_asset():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = set(graph.get_all_asset_keys())
    for key in keys:
        node = graph.get(key)
        missing = [p for p in node.parent_keys if p not in keys]
        assert not missing, f"{key.to_user_string()} depends on undefined {missing}"
        if not node.is_external:
            assert node.description, f"{key.to_user_string()} has no description"
    for model in load_models():
        assert dg.AssetKey(list(model.key)) in keys


def test_sql_dependencies_are_read_from_the_sql():
    models = {m.key: m for m in load_models()}
    assert ("core", "dim_meeting") in models[("core", "fct_attendance")].references
    assert ("intermediate", "int_organisation_names") in models[("core", "fct_attendance")].references
    assert models[("core", "dim_country")].references == [("staging", "countries")]


def test_publish_waits_for_every_warehouse_asset():
    """The build is swapped in only after every asset that writes to it has run."""
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    upstream = graph.get(dg.AssetKey("warehouse")).parent_keys
    writers = {
        k
        for k in graph.get_all_asset_keys()
        if k.path[0] in {"intermediate", "core", "marts"} and not graph.get(k).is_external
    }
    assert writers <= set(upstream) | _ancestors_of(graph, upstream)


def _ancestors_of(graph, keys):
    seen, stack = set(), list(keys)
    while stack:
        for parent in graph.get(stack.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def test_refresh_job_runs_in_one_process():
    from pipelines.definitions import defs

    assert defs.resolve_job_def("refresh").executor_def.name == "in_process"
