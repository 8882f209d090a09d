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
