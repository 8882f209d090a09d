"""Pseudonymisation: keyed participant keys, the key file, no personal data anywhere in the warehouse."""

from __future__ import annotations

import hashlib
import hmac
import re
import stat

import pyarrow as pa
import pytest
from ingest_helpers import PUBLISHED_OVERRIDES, all_tables, ingest_into_memory, personal_hits, rows
from small_raw import PERSONAL_STRINGS, write_small_raw

from pipelines.ingest.pseudonymise import (
    KEY_ENV,
    KEY_FILE_ENV,
    REDACTED,
    Pseudonymiser,
    load_or_create_key,
    participant_identity,
    participant_key,
    pseudonymise_attendance,
)


def expected_key(key: bytes, identity: str) -> str:
    return "p_" + hmac.new(key, identity.encode(), hashlib.sha256).hexdigest()[:20]


# --- units ------------------------------------------------------------------------------------------------


def test_participant_identity():
    assert (
        participant_identity("Ada Quill", " Ada.Quill@Alpha.example ", "USA")
        == "email:ada.quill@alpha.example"
    )
    assert participant_identity("  Cy   MARL ", None, " ken ") == "name:cy marl|KEN"
    assert participant_identity(None, None, "KEN") is None


def test_participant_key_is_a_keyed_hash():
    assert participant_key(b"k" * 32, "email:a@b") == expected_key(b"k" * 32, "email:a@b")
    assert re.fullmatch(r"p_[0-9a-f]{20}", participant_key(b"k" * 32, "email:a@b"))
    assert participant_key(b"k" * 32, "email:a@b") != participant_key(b"j" * 32, "email:a@b")
    assert participant_key(b"k" * 32, None) is None


def test_pseudonymise_attendance_table():
    table = pa.table(
        {
            "meeting_id": ["M1", "M2", "M3", "M4", "M5"],
            "participant_name": ["Ada Quill", "ADA  quill", "Cy Marl", None, "  "],
            "participant_email": ["ada.quill@alpha.example", " Ada.Quill@ALPHA.example", None, None, ""],
            "country_iso3": ["USA", "USA", "KEN", "KEN", "KEN"],
        }
    )
    out = pseudonymise_attendance(table, b"k" * 32)
    assert out.column_names == ["meeting_id", "participant_name", "country_iso3", "participant_key"]
    ada = expected_key(b"k" * 32, "email:ada.quill@alpha.example")
    assert out["participant_key"].to_pylist() == [
        ada,
        ada,
        expected_key(b"k" * 32, "name:cy marl|KEN"),
        None,
        None,
    ]
    assert out["participant_name"].to_pylist() == [REDACTED, REDACTED, REDACTED, None, None]


def test_key_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(KEY_ENV, "a-test-key-of-24-chars!!")
    monkeypatch.setenv(KEY_FILE_ENV, str(tmp_path / "never.key"))
    assert load_or_create_key() == b"a-test-key-of-24-chars!!"
    assert not (tmp_path / "never.key").exists()
    monkeypatch.setenv(KEY_ENV, "too-short")
    with pytest.raises(ValueError, match="at least 16"):
        load_or_create_key()


def test_key_file_created_owner_only_and_reused(monkeypatch, tmp_path):
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = tmp_path / "sub" / "pseudonym.key"
    monkeypatch.setenv(KEY_FILE_ENV, str(path))
    first = load_or_create_key()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert re.fullmatch(rb"[0-9a-f]{64}", first)
    assert path.read_text(encoding="ascii") == first.decode() + "\n"
    assert load_or_create_key() == first
    assert load_or_create_key(path) == first


def test_short_key_file_is_refused(monkeypatch, tmp_path):
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = tmp_path / "pseudonym.key"
    path.write_text("short\n", encoding="ascii")
    with pytest.raises(ValueError, match="too short"):
        load_or_create_key(path)
    assert path.read_text(encoding="ascii") == "short\n"


def test_same_key_same_participants_other_key_other_participants(tmp_path):
    raw = write_small_raw(tmp_path / "raw")
    first, _ = ingest_into_memory(raw, b"first-key-0123456789abcdef")
    again, _ = ingest_into_memory(raw, b"first-key-0123456789abcdef")
    other, _ = ingest_into_memory(raw, b"other-key-0123456789abcdef")
    sql = "select participant_key from staging.attendance order by source_row"
    assert rows(first, sql) == rows(again, sql)
    first_keys, other_keys = [k for (k,) in rows(first, sql)], [k for (k,) in rows(other, sql)]
    assert len(set(first_keys)) == len(set(other_keys)) == 6
    assert set(first_keys).isdisjoint(other_keys)


# --- through the published refresh -------------------------------------------------------------------------


def test_refresh_created_the_key_file_owner_only(published):
    assert not published.key_file_existed_before
    assert stat.S_IMODE(published.key_file.stat().st_mode) == 0o600
    assert re.fullmatch(r"[0-9a-f]{64}\n", published.key_file.read_text(encoding="ascii"))


def test_participant_keys_in_the_warehouse(published):
    key = published.key_file.read_text(encoding="ascii").strip().encode()
    ada = expected_key(key, "email:ada.quill@alpha.example")
    bo = expected_key(key, "email:bo.rennet@beta.example")
    cy = expected_key(key, "name:cy marl|KEN")
    with published.connect() as conn:
        found = rows(conn, "select source_row, participant_key from staging.attendance order by source_row")
        quarantined = rows(conn, "select source_row, participant_key, reason from quarantine.attendance")
    # E-mails differing in case and spaces (rows 1, 5, 7), and no e-mail: name plus delegation (rows 3, 8).
    assert found == [
        (1, ada),
        (2, bo),
        (3, cy),
        (4, expected_key(key, "email:di.sorrel@delta.example")),
        (5, ada),
        (6, expected_key(key, "email:ed.vane@orbis.example")),
        (7, ada),
        (8, cy),
        (9, expected_key(key, "email:fay.tern@gamma.example")),
        (10, bo),
    ]
    # Attendance is about people: the reasons name the column and the rule, never a value.
    assert quarantined == [
        (11, expected_key(key, "email:ed.vane@orbis.example"), "meeting_id not in meetings"),
        (12, expected_key(key, "email:fay.tern@gamma.example"), "mode is not one of: on-site, remote"),
        (
            13,
            ada,
            "duplicate key (meeting_id, participant_key): first copy kept at attendance/attendance.csv row 1",
        ),
    ]


def test_name_without_email_depends_on_delegation(tmp_path):
    attendance = (
        PUBLISHED_OVERRIDES["attendance"] + "SG21-2025-1,cy  MARL,,Switzerland,CHE,delegate,remote,\n"
    )
    conn, _ = ingest_into_memory(write_small_raw(tmp_path / "raw", {"attendance": attendance}), b"k" * 32)
    assert rows(
        conn, "select participant_key from staging.attendance where source_row in (3, 8, 14) order by 1"
    ) == sorted(
        [(expected_key(b"k" * 32, "name:cy marl|KEN"),)] * 2
        + [(expected_key(b"k" * 32, "name:cy marl|CHE"),)]
    )


def test_no_personal_data_in_any_table_of_the_warehouse(published):
    with published.connect() as conn:
        tables = all_tables(conn)
        assert {s for s, _ in tables} >= {"staging", "quarantine", "meta", "intermediate", "core"}
        assert ("quarantine", "attendance") in tables
        # The scan does find what is there (organisation names), so an empty result means something.
        assert personal_hits(conn, ("Alpha Networks", "Orbis Consulting")) != []
        assert personal_hits(conn) == []


def test_raw_input_does_hold_the_personal_data(published):
    raw = (published.run.raw / "attendance" / "attendance.csv").read_text(encoding="utf-8").lower()
    assert all(s.lower() in raw for s in PERSONAL_STRINGS)


def test_no_personal_data_in_refresh_output_or_outputs_folder(published):
    output = (published.run.stdout + published.run.stderr).lower()
    assert [s for s in PERSONAL_STRINGS if s.lower() in output] == []
    files = [p for p in published.run.out.rglob("*") if p.is_file()] if published.run.out.exists() else []
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="ignore").lower()
        assert [s for s in PERSONAL_STRINGS if s.lower() in text] == [], path


KEY = b"bulk-email-keys-test-key-0123456"
EMAIL_CELLS = [
    "ada.quill@alpha.example",
    " Ada.Quill@Alpha.EXAMPLE ",
    "ada.\tquill@alpha.example\n",
    "ada.quill@alpha.example\x1c\x1f\v\f",
    "   ",
    "",
    "\x1c",
    "STRASSE@ß.example",
    "Ｆｕｌｌ＠ｗｉｄｔｈ.example",
    "zoë@ü.example\u2003",
    "ΣΊΣΥΦΟΣ@example.gr",
]


NAME_CELLS = ["Ada Quill", "  ADA\t\x1cQUILL ", "Zoë Ångström", "ZOË  ÅNGSTRÖM", "\u2003", "", "Cy Marl"]
COUNTRY_CELLS = ["USA", " ken\x0b", "", "Ｆｒａ"]


def test_bulk_keys_equal_the_one_by_one_definition():
    # Every combination of tricky cells: the Arrow path for ASCII cells, the Python path for the others
    # and the hash in DuckDB must give exactly participant_key(participant_identity(stripped cells)).
    combos = [(n, e, c) for n in NAME_CELLS for e in EMAIL_CELLS for c in COUNTRY_CELLS]
    table = pa.table(
        {
            "participant_name": [n for n, _, _ in combos],
            "participant_email": [e or None for _, e, _ in combos],
            "country_iso3": [c for _, _, c in combos],
        }
    )
    bulk = Pseudonymiser(KEY)(table)["participant_key"].to_pylist()

    def blank(cell):
        return (cell or "").strip() or None

    one_by_one = [
        participant_key(KEY, participant_identity(blank(n), blank(e), blank(c))) for n, e, c in combos
    ]
    assert bulk == one_by_one
    # 5 e-mails; 3 names (after normalising) x 4 delegations; None where neither is there.
    assert len(set(bulk)) == 18 and None in bulk


@pytest.mark.parametrize("key", [b"k" * 16, b"k" * 64, b"a-key-longer-than-one-sha256-block-" * 3])
def test_hash_in_duckdb_is_hmac_sha256(key):
    identities = pa.array(["email:a@b", "name:cy marl|KEN", "email:zoë@ü.example", None, "email:a@b"])
    keys = Pseudonymiser(key).keys(identities).to_pylist()
    assert keys == [participant_key(key, i) for i in identities.to_pylist()]
