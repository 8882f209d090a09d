"""Helpers of the ingest tests: the published fixture's raw data, in-memory ingests, refresh runs."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

TESTS_DIR = Path(__file__).resolve().parents[1]
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

from small_raw import PERSONAL_STRINGS, SMALL_RAW  # noqa: E402

from pipelines.ingest.load import ingest  # noqa: E402

TEST_KEY = b"ingest-tests-key-0123456789abcdef"

# The published warehouse of these tests adds resolution cases to the small raw directory: a Member State
# whose member name differs from its country name, and name variants on co-signed documents.
RESOLUTION_MEMBERS = SMALL_RAW["members"] + "MS-EGY,Arab Republic of Egypt,Member State,EGY,1947-01-01,,\n"
RESOLUTION_CONTRIBUTIONS = SMALL_RAW["contributions"] + (
    # Full-width letters, an ideographic space and a "Co., Ltd." suffix.
    "T22-SG17-C-0006,SG17,2022-2024,C,SG17-2023-1,2023-02-24,Q6/17,"
    '"ＡＬＰＨＡ\u3000Networks Co., Ltd.",Full width,,\n'
    'T22-SG17-C-0007,SG17,2022-2024,C,SG17-2023-1,2023-02-24,Q6/17,"Beta-Telecom, GmbH.",Punctuation,,\n'
    "T22-SG17-C-0008,SG17,2022-2024,C,SG17-2023-1,2023-02-24,Q6/17,"
    "Alpha Networks Ltd; ALPHA NETWORKS; anw,Three spellings,,\n"
    "T22-SG17-C-0009,SG17,2022-2024,C,SG17-2023-1,2023-02-24,Q6/17,Egypt,Country name,,\n"
    "T22-SG17-C-0010,SG17,2022-2024,C,SG17-2023-1,2023-02-24,Q6/17,"
    "egy; Orbis Consulting; ORBIS CONSULTING LLC,Iso3,,\n"
)
# Rejected attendance rows: their personal data must not reach the quarantine either.
RESOLUTION_ATTENDANCE = SMALL_RAW["attendance"] + (
    "SG99-2023-1,Ed Vane,ed.vane@orbis.example,Orbis Consulting,EGY,delegate,remote,M\n"
    "SG17-2023-1,Fay Tern,fay.tern@gamma.example,Gamma Labs,KEN,delegate,hybrid,F\n"
    "SG17-2023-1,Ada Quill,ADA.QUILL@alpha.example,Alpha Networks Ltd,USA,delegate,remote,F\n"
)
PUBLISHED_OVERRIDES = {
    "members": RESOLUTION_MEMBERS,
    "contributions": RESOLUTION_CONTRIBUTIONS,
    "attendance": RESOLUTION_ATTENDANCE,
}


def ingest_into_memory(raw_dir: Path, key: bytes = TEST_KEY):
    """Ingest a raw directory into a fresh in-memory DuckDB; return (connection, report)."""
    conn = duckdb.connect()
    report = ingest(raw_dir, conn, key)
    return conn, report


def rows(conn, sql: str, params=None) -> list[tuple]:
    return conn.execute(sql, params or []).fetchall()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def all_tables(conn) -> list[tuple[str, str]]:
    return rows(
        conn,
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database() order by 1, 2",
    )


def personal_hits(conn, strings=PERSONAL_STRINGS) -> list[str]:
    """Every `schema.table.column: string` where a personal string appears (case-insensitively) in a value."""
    needles = [s.lower() for s in strings]
    hits = []
    for schema, table in all_tables(conn):
        result = conn.execute(f'select * from "{schema}"."{table}"')
        columns = [d[0] for d in result.description]
        for row in result.fetchall():
            for column, value in zip(columns, row, strict=True):
                text = str(value).lower()
                hits += [f"{schema}.{table}.{column}: {n}" for n in needles if n in text]
    return sorted(set(hits))


@dataclass
class Run:
    """One `sgpulse refresh` subprocess and what it left."""

    raw: Path
    warehouse: Path
    out: Path
    process: subprocess.Popen
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""

    def wait(self, timeout: float = 300) -> Run:
        if self.returncode is None:
            self.stdout, self.stderr = self.process.communicate(timeout=timeout)
            self.returncode = self.process.returncode
        return self


def refresh_env(home: Path, key_file: Path | None = None, key: str | None = None) -> dict[str, str]:
    """A clean environment: no SGPULSE_* defaults leak in, and nothing is written under the real ~/.config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SGPULSE_")}
    env.update({"XDG_CONFIG_HOME": str(home / "config"), "COLUMNS": "200", "NO_COLOR": "1"})
    if key is not None:
        env["SGPULSE_PSEUDONYM_KEY"] = key
    if key_file is not None:
        env["SGPULSE_PSEUDONYM_KEY_FILE"] = str(key_file)
    return env


def start_refresh(
    raw: Path, warehouse: Path, out: Path, env: dict[str, str], flags: tuple[str, ...] = ()
) -> Run:
    """Start `sgpulse refresh` in its own process (runs on different paths must not share one process)."""
    script = Path(sys.executable).with_name("sgpulse")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "pipelines.cli"]
    process = subprocess.Popen(
        [*command, "refresh", "--raw", str(raw), "--warehouse", str(warehouse), "--out", str(out), *flags],
        cwd=raw.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return Run(raw, warehouse, out, process)
