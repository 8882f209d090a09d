"""What the UI shows about each asset, from the data dictionary: description, owners and column schema."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.dictionary import column_definition, owners, table_description


def described(key: dg.AssetKey | list[str], group: str) -> dict:
    """An asset's description (its table's, from the data dictionary) and owners (its group's), as keywords."""
    path = key.path if isinstance(key, dg.AssetKey) else key
    description = table_description(".".join(path))
    if description is None:
        raise KeyError(f"{'.'.join(path)} is not described in the data dictionary (pipelines/dictionary.py)")
    return {"description": description, "owners": owners(group)}


def table_metadata(
    conn: duckdb.DuckDBPyConnection, key: dg.AssetKey | list[str] | tuple[str, str], rows: int | None = None
) -> dict:
    """dagster/row_count and dagster/column_schema of a warehouse table, read from the build just written."""
    schema, table = key.path if isinstance(key, dg.AssetKey) else key
    columns = conn.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, table],
    ).fetchall()
    if rows is None:
        rows = conn.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0]
    described = []
    for name, data_type in columns:
        definition, unit, _ = column_definition(f"{schema}.{table}", name)
        text = f"{definition} ({unit})" if definition and unit else definition
        described.append(dg.TableColumn(name, data_type, description=text))
    return {"dagster/row_count": rows, "dagster/column_schema": dg.TableSchema(columns=described)}
