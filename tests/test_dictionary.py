"""The data dictionary: every table described and every published column defined, each from one source."""

from __future__ import annotations

import pytest

from pipelines.catalogue import catalogue
from pipelines.dictionary import (
    DEFINED_SCHEMAS,
    column_definition,
    data_dictionary,
    dictionary_config,
    table_description,
    tables,
)
from pipelines.sql_models import load_models


def test_every_table_of_the_warehouse_is_described(small_warehouse):
    found = small_warehouse.execute("select schema_name, table_name from duckdb_tables()").fetchall()
    undescribed = sorted(f"{s}.{t}" for s, t in found if not table_description(f"{s}.{t}"))
    assert not undescribed, f"add them to pipelines/config/data_dictionary.yaml: {undescribed}"
    marts = [t for s, t in found if s == "marts"]
    assert len(marts) >= 14  # SQL and Python marts alike (notebook 01 showed NaN for 7 of 14)


def test_every_published_column_is_defined(small_warehouse):
    columns = data_dictionary(small_warehouse, DEFINED_SCHEMAS)
    assert set(columns["schema"]) == set(DEFINED_SCHEMAS) and len(columns) > 200
    undefined = columns[columns["definition"].isna()]
    where = (undefined["schema"] + "." + undefined["table"] + "." + undefined["column"]).tolist()
    assert not where, f"define them in pipelines/config/data_dictionary.yaml (or the KPI catalogue): {where}"
    assert columns["type"].notna().all() and columns["source"].notna().all()


def test_one_source_per_definition():
    # A SQL model describes itself: the YAML only describes tables built in Python.
    sql_tables = {".".join(m.key) for m in load_models()}
    assert not sql_tables & set(dictionary_config().tables)
    assert tables()["marts.sg_year_kpis"][0] == next(
        m.description for m in load_models() if m.key == ("marts", "sg_year_kpis")
    )
    # A KPI column is the catalogue's definition, with its unit; the YAML does not define KPIs again.
    participants = catalogue().get("participants")
    assert column_definition("marts.sg_year_kpis", "participants") == (
        participants.definition,
        participants.unit,
        "KPI catalogue (participants)",
    )
    kpi_columns = {(m, k.column_name) for k in catalogue().kpis for m in k.marts}
    redefined = [key for key in dictionary_config().columns if tuple(key.split(".")[1:]) in kpi_columns]
    assert not redefined


@pytest.mark.parametrize(
    ("table", "column", "expected"),
    [
        ("core.fct_recommendation_edition", "kind", "Kind of approved text"),
        ("core.dim_meeting", "kind", "Kind of meeting"),
        ("marts.unresolved_organisations", "name", "never a person's name"),
        ("marts.sg_risks", "value", "for the SG in as_of_year"),
    ],
)
def test_a_table_specific_definition_wins_over_the_shared_name(table, column, expected):
    definition, _, defined_in = column_definition(table, column)
    assert expected in definition and defined_in.endswith(f"({table}.{column})")


def test_owners_for_every_group():
    owners = dictionary_config().owners
    assert {"raw", "staging", "quarantine", "core", "marts", "briefs", "quality", "publish"} <= set(owners)
    assert all(o.startswith("team:") or "@" in o for names in owners.values() for o in names)
