"""The two contribution facts agree: a document's source count is its number of weighted source rows."""

from __future__ import annotations

from marts_fixture import kpi_warehouse


def test_source_entities_count_every_distinct_resolved_source():
    conn = kpi_warehouse()
    # Resolved here from the staging sources directly, not through fct_contribution_source.
    rows = conn.execute(
        """
        with expected as (
            select c.document, count(distinct o.entity_id) as n
            from staging.contributions c
            left join (select document, unnest(sources) as name from staging.contributions) s using (document)
            left join intermediate.int_organisation_names o using (name)
            group by c.document
        )
        select e.document, e.n, f.source_entities
        from expected e full join core.fct_contribution f using (document)
        """
    ).fetchall()
    assert rows and all(expected == actual for _, expected, actual in rows), rows
    assert any(n > 1 for _, n, _ in rows)  # a document signed by several entities is covered


def test_each_document_with_sources_weighs_one_in_total():
    conn = kpi_warehouse()
    totals = conn.execute(
        "select document, sum(weight), count(*), any_value(f.source_entities) from core.fct_contribution_source "
        "join core.fct_contribution f using (document) group by document"
    ).fetchall()
    assert totals and all(abs(total - 1) < 1e-12 and rows == n for _, total, rows, n in totals)


def test_a_question_listed_twice_counts_once():
    conn = kpi_warehouse()
    # T22-SG17-C-0002 lists Q4/17 twice (and Q6/17 once).
    rows = conn.execute(
        "select question, count(*) from core.fct_contribution_question where document = 'T22-SG17-C-0002' "
        "group by question order by question"
    ).fetchall()
    assert rows == [("Q4/17", 1), ("Q6/17", 1)]
    pairs = conn.execute(
        "select count(*), count(distinct (document, question)) from core.fct_contribution_question"
    ).fetchall()[0]
    assert pairs[0] == pairs[1]


def test_weights_are_fixed_point_so_their_sums_do_not_depend_on_the_order_of_addition():
    # Summed as doubles, a region's 186.05 came out as 186.04999... or 186.05000...1 depending on how
    # DuckDB's threads split the rows, and the brief showed 186.0 or 186.1 from the same warehouse.
    conn = kpi_warehouse()
    (kind,) = conn.execute("select distinct typeof(weight) from core.fct_contribution_source").fetchall()[0]
    assert kind.startswith("DECIMAL(")
    shuffled = [
        conn.execute(
            f"select sum(weight) from (select weight from core.fct_contribution_source order by hash(document, {i}))"
        ).fetchall()[0][0]
        for i in range(5)
    ]
    assert len(set(shuffled)) == 1
    # The marts publish doubles (the KPI contract's types); the exact sum is converted once, at the end.
    (region_kind,) = conn.execute("select distinct typeof(contributions) from marts.region_year").fetchall()[
        0
    ]
    assert region_kind == "DOUBLE"


def test_weights_count_distinct_entities_whatever_the_names_listed():
    """One listed name, the same entity under two names, a name listed twice, two entities, no source."""
    import duckdb

    from pipelines.sql_models import build_model, load_models

    conn = duckdb.connect()
    for schema in ("staging", "intermediate", "core"):
        conn.execute(f"create schema {schema}")
    conn.execute(
        """create table staging.contributions as select * from (values
            ('D1', ['ACME']), ('D2', ['ACME', 'Acme Corp.']), ('D3', ['Beta', 'Beta']),
            ('D4', ['ACME', 'Beta']), ('D5', []::varchar[]), ('D6', ['Nobody Ltd'])
        ) v(document, sources)"""
    )
    conn.execute(
        """alter table staging.contributions add column sg varchar default 'SG17';
        alter table staging.contributions add column study_period varchar default '2025-2028';
        alter table staging.contributions add column doc_type varchar default 'C';
        alter table staging.contributions add column submitted_on date default '2025-03-01'"""
    )
    conn.execute(
        """create table intermediate.int_organisation_names as select * from (values
            ('ACME', 'm1'), ('Acme Corp.', 'm1'), ('Beta', 'm2'), ('Nobody Ltd', 'unresolved:nobody ltd')
        ) v(name, entity_id)"""
    )
    conn.execute(
        """create table core.dim_entity as select entity_id, 'Sector Member' as category, 'CHE' as country_iso3,
            'Europe' as itu_region, 'developed' as development_status
        from (values ('m1'), ('m2'), ('unresolved:nobody ltd')) v(entity_id)"""
    )
    (model,) = [m for m in load_models() if m.key == ("core", "fct_contribution_source")]
    build_model(conn, model)
    rows = conn.execute(
        "select document, entity_id, weight::varchar from core.fct_contribution_source order by all"
    ).fetchall()
    one = "1.000000000000000"
    assert rows == [
        ("D1", "m1", one),
        ("D2", "m1", one),
        ("D3", "m2", one),
        ("D4", "m1", "0.500000000000000"),
        ("D4", "m2", "0.500000000000000"),
        ("D6", "unresolved:nobody ltd", one),
    ]
