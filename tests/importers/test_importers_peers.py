"""`sgpulse import peers` on a hand-made bundle: every rule, every record written or reported."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.importers.peers import COLUMNS, import_peers, write_peers
from pipelines.ingest.load import ingest

FIXTURE = Path(__file__).parent / "fixtures" / "peers-small.jsonl"

# Line -> (publication_id, committee, published_on, precision, basis, kind, document) of the rows written.
WRITTEN = {
    1: ("3GPP TS 26.114:REL-18/18.5.0", "3GPP TSG SA WG4", "2024-01-05", "day", "published", "version", "3GPP TS 26.114"),
    3: ("3GPP TS 38.101-1:REL-17/17.0.0", "3GPP TSG RAN WG4", "2021-01-08", "day", "published", "version", "3GPP TS 38.101-1"),
    4: ("3GPP TS 22.261:REL-19/19.1.0", "3GPP X9", "2024-12-20", "day", "published", "version", "3GPP TS 22.261"),
    7: ("ETSI TS 103 645 V2.1.2 (2020-06)", "ETSI Cyber Security", "2020-06-01", "month", "published", "version", "ETSI TS 103 645"),
    8: ("ETSI EN 303 645 V3.1.3 (2024-09)", "ETSI Electronic Signatures and Infrastructures", "2024-09-01", "month", "published", "version", "ETSI EN 303 645"),
    10: ("W3C REC-webauthn-2-20210408", "W3C Web Authentication Working Group", "2021-04-08", "day", "published", "publication", "W3C webauthn-2"),
    13: ("W3C WD-css-mixins-1-20250515", "W3C Cascading Style Sheets (CSS) Working Group (historical)", "2025-05-15", "day", "published", "publication", "W3C css-mixins-1"),
    15: ("ISO/IEC 27001:2022", "ISO/IEC JTC 1/SC 27", "2022-10-01", "month", "published", "edition", "ISO/IEC 27001"),
    # The amendment's record gives its base edition's year; its designation says 2024.
    16: ("ISO/IEC 27001:2022/Amd 1:2024", "ISO/IEC JTC 1/SC 27", "2024-01-01", "year", "identifier year", "amendment", "ISO/IEC 27001"),
    # Approved in 2020 (the designation), published in IEEE Xplore in 2021.
    21: ("IEEE Std 802.11-2020", "LAN/MAN Standards Committee of the IEEE Computer Society", "2020-01-01", "year", "identifier year", "edition", "IEEE 802.11"),
    22: ("IEEE Std 802.11ax-2021", "LAN/MAN Standards Committee of the IEEE Computer Society", "2021-05-19", "day", "published", "amendment", "IEEE 802.11ax"),
    # 1202 is a part number, not a year: the record's date stands.
    25: ("IEC/IEEE 60076-57-1202", "Transformers of the IEEE Power and Energy Society", "2017-06-02", "day", "published", "edition", "IEC/IEEE 60076-57-1202"),
}  # fmt: skip
REPORTED = {
    2: "draft",
    5: "no_date",
    6: "transposition",
    9: "no_date",
    11: "undated",
    12: "no_committee",
    14: "duplicate",
    17: "undated_alias",
    18: "draft",
    19: "draft",
    20: "undated",
    23: "draft",
    24: "redline",
    26: "unknown_body",
    27: "no_identifier",
    28: "unreadable",
    29: "no_title",
}


@pytest.fixture(scope="module")
def imported():
    return import_peers(FIXTURE)


def test_every_record_is_written_or_reported_once(imported):
    report = imported.report
    assert report["read"] == 29
    assert report["written"] + report["reported"] == report["read"]
    lines = [int(x) for x in imported.rows["source_line"]] + [r["line"] for r in imported.reported]
    assert sorted(lines) == list(range(1, 30))


def test_written_rows(imported):
    rows = imported.rows
    assert list(rows.columns) == list(COLUMNS)
    got = {
        int(r.source_line): (
            r.publication_id,
            r.committee,
            r.published_on,
            r.date_precision,
            r.date_basis,
            r.kind,
            r.document,
        )
        for r in rows.itertuples()
    }
    assert got == WRITTEN
    iso = rows[rows["publication_id"] == "ISO/IEC 27001:2022"].iloc[0]
    # The copy with a committee and ICS codes is the one written (ISO lists many standards twice).
    assert iso["ics"] == "35.030; 03.100.70" and iso["committee_code"] == "ISO/IEC JTC 1/SC 27"
    assert rows.loc[rows["sdo"] == "W3C", "maturity"].tolist() == ["REC", "WD"]
    assert set(rows["source"]) >= {
        "github.com/relaton/relaton-data-3gpp",
        "github.com/relaton/relaton-data-iso",
    }


def test_reported_reasons(imported):
    assert {r["line"]: r["code"] for r in imported.reported} == REPORTED
    reasons = {r["line"]: r["reason"] for r in imported.reported}
    assert "3GPP TS 38.101-1 version 17.0.0" in reasons[6]
    assert "kept line 15" in reasons[14]
    assert "'UNKNOWN WORKING GROUP' is a placeholder" in reasons[12]
    assert "version 1.0.0: before change control" in reasons[2]


def test_report_per_body(imported):
    report = imported.report
    assert report["etsi_transpositions"] == {"same version at 3GPP": 1}
    assert report["unmapped_3gpp_codes"] == ["3GPP X9"]
    bodies = report["bodies"]
    assert {sdo: (b["read"], b["written"]) for sdo, b in bodies.items()} == {
        "3GPP": (5, 3),
        "ETSI": (5, 2),  # the one without a title too
        "W3C": (5, 2),  # the record without an identifier is counted under its body
        "ISO": (7, 2),
        "IEEE": (5, 3),
    }
    assert bodies["ISO"]["written_by_year"] == {"2022": 1, "2024": 1}
    assert bodies["3GPP"]["source_commits"] == ["c6e533e"]
    # Bodies' reads and the unknown body add up to everything read (the unreadable line has no body).
    assert sum(b["read"] for b in bodies.values()) + 2 == report["read"]


def test_write_and_ingest(imported, tmp_path):
    raw = tmp_path / "raw"
    path, report_path = write_peers(imported, raw)
    assert path.name == "peers.parquet" and report_path.exists()
    with gzip.open(raw / "peer_publications" / "peers-reported.jsonl.gz", "rt", encoding="utf-8") as fh:
        assert len([json.loads(line) for line in fh]) == imported.report["reported"]
    assert pd.read_parquet(path)["publication_id"].tolist() == imported.rows["publication_id"].tolist()


def test_cli_writes_the_table_and_marks_it_real(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "DATASET.yaml").write_text("name: t\nsynthetic: true\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", "peers", str(FIXTURE), "--raw", str(raw)])
    assert result.exit_code == 0, result.output
    assert "written       12" in result.output and "transposition" in result.output
    assert yaml.safe_load((raw / "DATASET.yaml").read_text())["domains"] == {"peer_publications": "real"}
    missing = CliRunner().invoke(app, ["import", "peers", str(tmp_path / "nope.jsonl"), "--raw", str(raw)])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_written_rows_pass_the_raw_contract(imported, tmp_path):
    import duckdb
    from small_raw import write_small_raw

    raw = write_small_raw(tmp_path / "raw")
    write_peers(imported, raw)
    conn = duckdb.connect()
    report = ingest(raw, conn, b"peers-test-key-0123456789abcdef01")
    assert report.table("peer_publications").rows_read == 12
    assert conn.execute("select count(*) from quarantine.peer_publications").fetchall() == [(0,)]
    assert conn.execute(
        "select ics from staging.peer_publications where publication_id = 'ISO/IEC 27001:2022'"
    ).fetchall() == [(["35.030", "03.100.70"],)]
