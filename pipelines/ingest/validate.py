"""Row-level validation inside DuckDB: typed staging rows, and quarantined rows with one specific reason each."""

from __future__ import annotations

import datetime as dt
import re

import duckdb

from pipelines.privacy import mask_personal_sql

from .policy import personal as about_people
from .tables import Column, DatedStudyGroup, ForeignKey, TableSpec

DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
# What a value of each parsed kind must be, as a quarantine reason says it.
NOT_A = {"date": "a date (YYYY-MM-DD)", "integer": "a whole number (0 or more)"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _raw(name: str) -> str:
    return _q("raw__" + name)


def _list_literal(values) -> str:
    return "[" + ", ".join(_lit(v) for v in values) + "]::varchar[]"


def _typed_expression(column: Column) -> str:
    raw = _raw(column.name)
    if column.kind == "date":
        return (
            f"case when regexp_full_match({raw}, '{DATE_PATTERN}') "
            f"then try_strptime({raw}, '%Y-%m-%d')::date end"
        )
    if column.kind == "masked":
        return mask_personal_sql(raw)
    if column.kind == "integer":
        return f"case when regexp_full_match({raw}, '[0-9]{{1,12}}') then {raw}::bigint end"
    if column.kind == "list":
        items = f"list_transform(string_split({raw}, ';'), lambda x: trim(x))"
        return f"nullif(list_filter({items}, lambda x: x <> ''), [])"
    if column.values:
        whens = " ".join(f"when {_lit(v.lower())} then {_lit(v)}" for v in column.values)
        return f"case lower({raw}) {whens} end"
    return raw


def _format_call(template: str, columns: tuple[str, ...]) -> str:
    """Turn 'x {0} y {1}' into DuckDB format('x {} y {}', col0, col1)."""
    args: list[str] = []

    def repl(match: re.Match) -> str:
        args.append(_q(columns[int(match.group(1))]))
        return "{}"

    fmt = re.sub(r"\{(\d)\}", repl, template)
    return f"format({_lit(fmt)}, {', '.join(args)})" if args else _lit(fmt)


def _reason_cases(
    spec: TableSpec, known: dict[str, list[str]], windows: dict[str, tuple[dt.date, dt.date]] | None = None
) -> list[tuple[str, str]]:
    """(condition, reason) per rule, in order. A table about people gets reasons that name the column and the
    rule but never quote a value (a shifted row puts names and e-mails into any column)."""
    quote = not about_people(spec)
    cases: list[tuple[str, str]] = []
    for column in spec.columns:
        if column.required:
            # A list of only separators (' ; ') is as empty as a missing value.
            missing = _q(column.name) if column.kind == "list" else _raw(column.name)
            cases.append((f"{missing} is null", _lit(f"required value {column.name} is missing")))
    for column in spec.columns:
        raw, typed = _raw(column.name), _q(column.name)
        if column.kind in NOT_A:
            # A value given that does not read as its kind: the reason says what it should be.
            what = f"{column.name} ''{{}}'' is not {NOT_A[column.kind]}"
            cases.append(
                (
                    f"{raw} is not null and {typed} is null",
                    f"format('{what}', {raw})"
                    if quote
                    else _lit(f"{column.name} is not {NOT_A[column.kind]}"),
                )
            )
        if column.kind == "date" and windows and column.name in windows:
            earliest, latest = windows[column.name]
            window = f"the plausible dates {earliest} to {latest}"
            cases.append(
                (
                    f"{typed} not between DATE '{earliest}' and DATE '{latest}'",
                    f"format('{column.name} {{}} is outside {window}', {typed})"
                    if quote
                    else _lit(f"{column.name} is outside {window}"),
                )
            )
        elif column.kind not in NOT_A and column.values:
            allowed = ", ".join(column.values).replace("'", "''")
            cases.append(
                (
                    f"{raw} is not null and {typed} is null",
                    f"format('{column.name} ''{{}}'' is not one of: {allowed}', {raw})"
                    if quote
                    else f"'{column.name} is not one of: {allowed}'",
                )
            )
    for number, fk in enumerate(spec.foreign_keys):
        cases.append(_foreign_key_case(fk, number, quote))
    if spec.sg_existed:
        cases.append(_sg_existed_case(spec.sg_existed))
    for check in spec.row_checks:
        bad, reason = check.bad, check.reason
        for name, values in known.items():
            bad = bad.replace(f"${name}", _list_literal(values))
            reason = reason.replace(f"${name}", _list_literal(values))
        cases.append((f"coalesce({bad}, false)", reason))
    return cases


def _foreign_key_case(fk: ForeignKey, number: int, quote: bool = True) -> tuple[str, str]:
    present = " and ".join(f"t.{_q(c)} is not null" for c in fk.columns)
    reason = (
        _format_call(fk.reason, fk.columns) if quote else _lit(f"{', '.join(fk.columns)} not in {fk.table}")
    )
    return f"{present} and _fk{number}.found is null", reason


def _sg_lookup(values: dict[str, str], otherwise: str) -> str:
    """SQL mapping the row's `sg` to a value by a CASE over the configured SGs (no join: the order of the
    checked rows stays as read)."""
    whens = " ".join(f"when {_lit(sg)} then {value}" for sg, value in sorted(values.items()))
    return f"(case t.sg {whens} else {otherwise} end)" if whens else otherwise


def _date_literal(day) -> str:
    return f"date '{day.isoformat()}'"


def _sg_existed_case(rule: DatedStudyGroup) -> tuple[str, str]:
    """The row's SG did not exist on its date (config/study_groups.yaml): the reason gives both dates.

    With `successor_carries`, a date on which one of the SG's predecessors existed is accepted as well.
    """
    from pipelines.lineage import lineage

    config = lineage()
    starts, ends, carried, predecessors = {}, {}, {}, {}
    for sg, first, until, _ in config.existence_rows():
        if first:
            starts[sg] = _date_literal(first)
        if until:
            ends[sg] = _date_literal(until)
        line = [config.existence(s)[0] for s in [sg, *config.predecessors(sg)]]
        if all(line):
            carried[sg] = _date_literal(min(line))
        if config.predecessors(sg):
            predecessors[sg] = _lit(f" (nor did its predecessors {', '.join(config.predecessors(sg))})")
    day = _q(rule.date)
    exists_from = _sg_lookup(starts, "null::date")
    earliest = _sg_lookup(carried, "null::date") if rule.successor_carries else exists_from
    exists_until = _sg_lookup(ends, "null::date")
    nor = _sg_lookup(predecessors, "''") if rule.successor_carries else "''"
    reason = (
        f"case when {day} > {exists_until} "
        f"then format('sg ''{{}}'' did not exist on {{}} ({rule.date}): it existed until {{}}', "
        f"t.sg, {day}, {exists_until}) "
        f"else format('sg ''{{}}'' did not exist on {{}} ({rule.date}): it exists from {{}}{{}}', "
        f"t.sg, {day}, {exists_from}, {nor}) end"
    )
    return f"{day} is not null and ({day} < {earliest} or {day} > {exists_until})", reason


def reference_salt(key: bytes) -> str:
    """A secret derived from the pseudonymisation key: what `reference_digest_sql` hashes with."""
    import hashlib
    import hmac

    return hmac.new(key, b"sgpulse quarantine reference", hashlib.sha256).hexdigest()


def reference_digest_sql(value: str, salt: str) -> str:
    """SQL: a keyed digest of a reference as compared case-blind (`lower(trim(...))`).

    The quarantine of a table about people keeps no unmatched reference (in a shifted row it may be a name),
    only this digest, so that an incremental ingest can still tell that new rows of the referenced table
    match a quarantined row (pipelines/ingest/reuse.py) without a value that could be read back.
    """
    return f"sha256({_lit(salt)} || lower(trim({value}::varchar)))"


def _foreign_key_joins(spec: TableSpec) -> str:
    """A left join per foreign key that `_foreign_key_case` tests for a match.

    Not a correlated `not exists`: DuckDB decorrelates that into a copy of every column of the rows checked
    (measured on the foreign-key expectations, pipelines/quality/contract.py; the ingest step as a whole
    was no faster at 100x, the cost there is in reading and writing the rows).
    """
    joins = []
    for number, fk in enumerate(spec.foreign_keys):
        alias = f"_fk{number}"
        refs = ", ".join(f"{_q(r)} as {alias}_{i}" for i, r in enumerate(fk.ref_columns))
        on = " and ".join(f"{alias}.{alias}_{i} = t.{_q(c)}" for i, c in enumerate(fk.columns))
        joins.append(
            f"left join (select distinct {refs}, true as found from staging.{_q(fk.table)}) {alias} on {on}"
        )
    return " ".join(joins)


class TableStager:
    """Validate one table's batches one at a time into staging.<table> and quarantine.<table>.

    Each batch is checked in a temporary table of its own rows only (a batch fits in memory; a whole
    table at 100x scale spilled to disk twice) and appended. A key already staged from an earlier batch
    makes the new row a later copy: files come in sorted order, so the first copy is always the staged one.
    """

    def __init__(
        self,
        conn: duckdb.DuckDBPyConnection,
        spec: TableSpec,
        known: dict[str, list[str]],
        resume: bool = False,
        windows: dict[str, tuple[dt.date, dt.date]] | None = None,
        salt: str = "",
    ):
        """`resume`: append to the staging and quarantine tables already in the build (an incremental ingest);
        `windows`: the plausible (earliest, latest) dates of date columns (pipelines/ingest/policy.py)."""
        self.conn, self.spec, self.known, self.windows, self.salt = conn, spec, known, windows, salt
        self.table = _q(spec.name)
        # Columns of the staging and quarantine tables so far (None until the first batch creates them).
        self.columns: dict[str, list[str] | None] = {"staging": None, "quarantine": None}
        if resume:
            for schema in self.columns:
                self.columns[schema] = [
                    name
                    for (name,) in conn.execute(
                        "select column_name from duckdb_columns() where database_name = current_database() "
                        "and schema_name = ? and table_name = ? order by column_index",
                        [schema, spec.name],
                    ).fetchall()
                ]

    def add(self, relation: str, raw_columns: list[str]) -> None:
        """Check the rows of `relation` (one raw batch, as text) and append them to staging or quarantine."""
        conn, spec = self.conn, self.spec
        spec_names = [c.name for c in spec.columns]
        extras = [c for c in raw_columns if c not in spec_names and c not in ("source_file", "source_row")]
        personal = {c.name for c in spec.columns if c.personal}
        carried = [c for c in ("participant_key",) if c in raw_columns]
        extras = [c for c in extras if c not in carried]
        # A plain text column's typed value is its raw text: only converted columns keep both.
        converted = {c.name for c in spec.columns if c.kind != "text" or c.values}

        def raw_text(name: str) -> str:
            return f"nullif(trim({_q(name)}), '')" if name in raw_columns else "null::varchar"

        def as_text(name: str) -> str:
            return _raw(name) if name in converted or name in extras else _q(name)

        select_raw = ", ".join(f"{raw_text(c)} as {_raw(c)}" for c in spec_names + extras)
        typed = ", ".join(f"{_typed_expression(c)} as {_q(c.name)}" for c in spec.columns)
        carried_sql = "".join(f", {_q(c)}" for c in carried)
        cases = _reason_cases(spec, self.known, self.windows)
        reason = " ".join(f"when {cond} then {why}" for cond, why in cases)
        # Whether each foreign key found its row: a table about people keeps only values that passed a rule.
        found = "".join(f", _fk{i}.found is not null as _fk{i}_found" for i in range(len(spec.foreign_keys)))
        if about_people(spec):
            found += f", {self._reference(cases)} as _reference"
        kept = ", ".join(
            [_q(c) for c in spec_names if c not in personal]
            + [_raw(c) for c in spec_names if c in converted and c not in personal]
            + [_raw(c) for c in extras]
            + [_q(c) for c in carried]
        )
        # Row rules first, in one pass over the raw rows; the duplicate-key rule then looks at valid rows only.
        conn.execute(
            f"""
            create or replace temp table _checked as
            with raw as (
                select {select_raw}{carried_sql}, source_file, source_row::bigint as source_row
                from {relation}
            ),
            typed as (select raw.*, {typed} from raw)
            select {kept}, source_file, source_row, {mask_personal_sql(f"case {reason} end")} as reason{found}
            from typed t {_foreign_key_joins(spec)}
            """
        )
        staged = f"staging.{self.table}" if self.columns["staging"] is not None else None
        _find_duplicates(conn, spec, staged, quote=not about_people(spec))
        has_duplicates = conn.execute("select count(*) from _duplicates").fetchall()[0][0] > 0
        # An anti join for the same reason as the foreign keys.
        not_duplicate = (
            " anti join _duplicates d on d.source_file = t.source_file and d.source_row = t.source_row"
            if has_duplicates
            else ""
        )
        staging_names = (
            [c for c in spec_names if c not in personal] + extras + carried + ["source_file", "source_row"]
        )
        staging_select = ", ".join(
            [_q(c) for c in spec_names if c not in personal]
            + [f"{_raw(c)} as {_q(c)}" for c in extras]
            + [_q(c) for c in carried]
            + ["source_file", "source_row"]
        )
        self._append(
            "staging",
            staging_names,
            f"select {staging_select} from _checked t{not_duplicate} where reason is null",
        )
        digest = ["reference_digest"] if about_people(spec) else []
        quarantine_names = [c for c in spec_names + extras if c not in personal] + carried + digest
        quarantine_select = ", ".join(
            [
                f"{self._quarantined(c, as_text(c))} as {_q(c)}"
                for c in spec_names + extras
                if c not in personal
            ]
            + [f"t.{_q(c)}" for c in carried]
            + [f"t._reference as {c}" for c in digest]
        )
        self._append(
            "quarantine",
            quarantine_names + ["source_file", "source_row", "reason"],
            f"select {quarantine_select}, t.source_file, t.source_row, coalesce(t.reason, d.reason) as reason "
            "from _checked t left join _duplicates d on d.source_file = t.source_file "
            "and d.source_row = t.source_row where t.reason is not null or d.reason is not null"
            if has_duplicates
            else f"select {quarantine_select}, t.source_file, t.source_row, t.reason from _checked t "
            "where t.reason is not null",
        )
        conn.execute("drop table _checked")
        conn.execute("drop table _duplicates")

    def _reference(self, cases: list[tuple[str, str]]) -> str:
        """SQL: the keyed digest of the unmatched reference when a row is quarantined for a foreign key."""
        digests = {
            _foreign_key_case(fk, number)[0]: reference_digest_sql(f"t.{_raw(fk.columns[0])}", self.salt)
            for number, fk in enumerate(self.spec.foreign_keys)
            if len(fk.columns) == 1
        }
        whens = " ".join(f"when {cond} then {digests.get(cond, 'null')}" for cond, _ in cases)
        return f"case {whens} end"

    def _quarantined(self, name: str, raw_text: str) -> str:
        """What the quarantine keeps of a column: its raw text, or for a table about people only a value that
        passed its rule (a canonical value of its set, a date, a reference found), else NULL."""
        spec = self.spec
        column = next((c for c in spec.columns if c.name == name), None)
        if column is not None and column.kind == "masked":
            return f"t.{_q(name)}"  # the masked value, never the raw text
        if not about_people(spec):
            return f"t.{raw_text}"
        if column is not None and column.kind == "date":
            return f"strftime(t.{_q(name)}, '%Y-%m-%d')"
        if column is not None and column.kind == "list":
            return f"array_to_string(t.{_q(name)}, '; ')"
        if column is not None and column.values:
            return f"t.{_q(name)}"
        for number, fk in enumerate(spec.foreign_keys):
            if fk.columns == (name,):
                return f"case when t._fk{number}_found then t.{_q(name)} end"
        return "null::varchar"

    def _append(self, schema: str, names: list[str], select: str) -> None:
        """Create the table from the first batch; later batches add their new columns (NULL before) and rows."""
        target = f"{schema}.{self.table}"
        existing = self.columns[schema]
        if existing is None:
            self.conn.execute(f"create or replace table {target} as {select}")
            self.columns[schema] = list(names)
            return
        for name in names:
            if name not in existing:  # a column only some batches have: NULL elsewhere
                self.conn.execute(f"alter table {target} add column {_q(name)} varchar")
                existing.append(name)
        self.conn.execute(f"insert into {target} by name {select}")

    def finish(self) -> tuple[int, int]:
        """Order the quarantine by file and row (it is small and read by people); return (staged, quarantined)."""
        if self.columns["staging"] is None:
            raise ValueError(f"{self.spec.name}: no batch was added")
        # Staging rows keep no particular order (readers sort by source_file, source_row when they need one):
        # at 100x scale, sorting attendance and contributions under the memory cap took 22 s of the ingest.
        self.conn.execute(
            f"create or replace table quarantine.{self.table} as "
            f"select * from quarantine.{self.table} order by source_file, source_row"
        )
        return self.counts()

    def counts(self) -> tuple[int, int]:
        """Rows (staged, quarantined) so far."""
        if self.columns["staging"] is None:
            return 0, 0
        staged = self.conn.execute(f"select count(*) from staging.{self.table}").fetchall()[0][0]
        quarantined = self.conn.execute(f"select count(*) from quarantine.{self.table}").fetchall()[0][0]
        return staged, quarantined


def _find_duplicates(
    conn: duckdb.DuckDBPyConnection, spec: TableSpec, staged: str | None, quote: bool = True
) -> None:
    """_duplicates: the later copies of a key among valid rows, each with the place of the first copy.

    `staged` holds the valid rows of earlier batches, one per key: a key found there was first seen there.
    Without `quote`, the reason names the key's columns, not its values.
    """
    key = ", ".join(_q(k) for k in spec.key)
    key_shown = ", ".join(f"{k} ''{{}}''" for k in spec.key) if quote else ", ".join(spec.key)
    key_values = f"{key}, " if quote else ""
    valid = "select * from _checked where reason is null"
    # Grouping finds the few repeated keys cheaply; only their rows are ranked (a window over every
    # row would sort the whole table). Earlier copies: the key columns of the staged rows are matched
    # against a hash table of this batch's keys (~3 s in all for attendance at 100x scale).
    earlier = (
        f"select {key}, source_file, source_row from {staged} "
        f"semi join (select distinct {key} from ({valid})) b using ({key})"
        if staged
        else f"select {key}, source_file, source_row from _checked where false"
    )
    conn.execute(
        f"""
        create or replace temp table _duplicates as
        with earlier as ({earlier}),
        repeated as (
            select {key} from ({valid}) group by all having count(*) > 1
            union
            select {key} from earlier
        ),
        candidates as (
            select {key}, source_file, source_row from earlier
            union all
            select {key}, source_file, source_row from ({valid}) v join repeated using ({key})
        ),
        ranked as (
            select {key}, source_file, source_row,
                row_number() over w as copy_number,
                first_value(source_file) over w as first_file,
                first_value(source_row) over w as first_row
            from candidates
            window w as (partition by {key} order by source_file, source_row)
        )
        select source_file, source_row,
            {mask_personal_sql(f"format('duplicate key ({key_shown}): first copy kept at {{}} row {{}}', {key_values}first_file, first_row)")}
                as reason
        from ranked where copy_number > 1
        """
    )
