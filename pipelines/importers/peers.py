"""Peer standards bodies' publication records (3GPP, ETSI, W3C, ISO, IEEE) -> the `peer_publications` raw table.

One written row is one *publication event* of a body, defined per body (docs/importers.md):
3GPP a specification version under change control; ETSI a deliverable version (an edition of an ETS);
W3C a dated technical-report publication; ISO and IEEE an edition, amendment or corrigendum. Every record
read is either written or reported with a reason (the first that applies, in the order of `REASONS`).
"""

from __future__ import annotations

import gzip
import html
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

CONFIG_FILE = Path(__file__).resolve().parents[1] / "config" / "peer_committees.yaml"
TABLE = "peer_publications"
OUTPUT_FILE = "peers.parquet"
REPORT_FILE = "peers-import-report.json"
# One line per record not written (line, sdo, id, code, reason); not a batch of the table (.gz is not read).
REPORTED_FILE = "peers-reported.jsonl.gz"
BODIES = ("3GPP", "ETSI", "W3C", "ISO", "IEEE")
# Where each body's records come from (the bundle names the commit of each, not the repository).
SOURCES = {
    "3GPP": "github.com/relaton/relaton-data-3gpp",
    "ETSI": "github.com/relaton/relaton-data-etsi",
    "W3C": "github.com/relaton/relaton-data-w3c",
    "ISO": "github.com/relaton/relaton-data-iso",
    "IEEE": "github.com/relaton/relaton-data-ieee",
}
COLUMNS = (
    "sdo",
    "publication_id",
    "document",
    "title",
    "published_on",
    "date_precision",
    "date_basis",
    "committee",
    "committee_code",
    "kind",
    "doctype",
    "maturity",
    "release",
    "version",
    "radiotechnology",
    "ics",
    "source",
    "source_commit",
    "source_line",
)
# Reasons in the order they are checked.
REASONS = {
    "unreadable": "not a readable JSON object",
    "unknown_body": "not one of the five bodies",
    "no_identifier": "no id",
    "duplicate": "same body and identifier as a more complete record, which is the one written",
    "draft": "a draft, not a publication",
    "redline": "a redline (a marked-up copy of a published standard), not a publication of its own",
    "undated_alias": "an undated reference to the current edition, which is written under its dated identifier",
    "undated": "an undated reference, no dated edition of it in the bundle",
    "bad_identifier": "identifier not in the body's usual form",
    "transposition": "ETSI transposition of a 3GPP specification, counted once, at 3GPP",
    "no_committee": "no committee",
    "no_date": "no publication date",
    "no_title": "no title",
}
KINDS = ("version", "publication", "edition", "amendment", "corrigendum", "supplement")

THREEGPP_ID = re.compile(r"3GPP (?P<type>TS|TR) (?P<number>[^:]+):(?P<release>[^/]*)/(?P<version>\S+)")
ETSI_ID = re.compile(
    r"(?P<document>ETSI .+?)(?: V(?P<version>\d[\w.]*)| ed\.(?P<edition>\d+))? \((?P<date>\d{4}-\d{2})\)"
)
# ETSI TS/TR 1xx yyy with xx in 21-55 publishes 3GPP TS/TR xx.yyy (ETSI TS 138 101 = 3GPP TS 38.101).
ETSI_TRANSPOSITION = re.compile(r"ETSI (?P<type>TS|TR) 1(?P<series>[2-5]\d) (?P<number>\d{3})(?P<part>-\d+)?")
# W3C TR addresses: maturity-shortname-YYYYMMDD, or YYMMDD in the 1990s (NOTE-html-970421).
W3C_ID = re.compile(r"W3C (?P<maturity>[A-Za-z]+)-(?P<short>.+)-(?P<date>\d{8}|\d{6})")
# ISO stage codes of a draft (DIS, FDIS, CD...), alone or before Amd/Cor ("CD Amd", "DAmd", "PRF Amd").
ISO_DRAFT = re.compile(
    r"(?:^|[/ ])(?:DIS|FDIS|CD|CDV|AWI|WD|NP|PWI|PRF|DTS|DTR|DPAS|DIS|DAM|FDAM|PDAM|DAmd|FDAmd|PDAmd|DCOR|"
    r"FDCOR|DCor|FDCor|DSuppl|DIWA|DGuide|DG)(?=[ /]|$)"
)
ISO_YEAR = re.compile(r":(?P<year>\d{4})(?:\([A-Za-z]+\))?$")
IEEE_DRAFT = re.compile(r"(?:^|[ /])P[A-Z]?\d|/D[-\d]|Unapproved|\bDraft\b")
IEEE_YEAR = re.compile(r"-(?P<year>\d{4})(?: Redline)?$")
# IEEE designations end in a year (IEEE Std 802.11-2020), but some end in a part number (IEC/IEEE 60076-57-1202):
# a "year" before the AIEE's first standards or after the record's publication date is not one.
IEEE_FIRST_YEAR = 1884
DATE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")


@dataclass
class PeersImport:
    rows: pd.DataFrame
    reported: list[dict] = field(default_factory=list)  # line, sdo, id, code, reason
    report: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Committees:
    version: str
    threegpp: dict[str, str]
    etsi_aliases: dict[str, str]
    w3c_placeholders: frozenset[str]


@cache
def load_committees(path: Path = CONFIG_FILE) -> Committees:
    """The committee-name configuration (config/peer_committees.yaml), checked on load."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key, kind in (("3gpp_codes", dict), ("etsi_aliases", dict), ("w3c_placeholders", list)):
        if not isinstance(data.get(key), kind):
            raise ValueError(f"{path.name}: {key} must be a {kind.__name__}")
    return Committees(
        version=str(data.get("version", "")),
        threegpp={str(k): str(v) for k, v in data["3gpp_codes"].items()},
        etsi_aliases={str(k): str(v) for k, v in data["etsi_aliases"].items()},
        w3c_placeholders=frozenset(str(v) for v in data["w3c_placeholders"]),
    )


# ---- reading -------------------------------------------------------------------------------------------


def read_records(source: Path):
    """(line number, record or None when unreadable) for every non-empty line of a .jsonl(.gz) bundle."""
    source = Path(source)
    if not source.is_file():
        raise FileNotFoundError(f"{source}: no such file")
    opener = gzip.open if source.name.endswith(".gz") else open
    with opener(source, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError:
                yield number, None
                continue
            yield number, doc if isinstance(doc, dict) else None


def _text(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


# ---- per body ------------------------------------------------------------------------------------------


@dataclass
class Parsed:
    """What a record says once its body's identifier rules have been applied."""

    document: str
    kind: str
    maturity: str = ""
    year_from_id: int | None = None  # the designation's year, where the identifier carries one
    version: str = ""
    release: str = ""


def _not_written(code: str, detail: str = "") -> tuple[str, str]:
    return code, REASONS[code] + (f" ({detail})" if detail else "")


def parse_3gpp(identifier: str) -> Parsed | tuple[str, str]:
    match = THREEGPP_ID.fullmatch(identifier)
    if not match:
        return _not_written("bad_identifier", "not '3GPP TS|TR <number>:<release>/<version>'")
    version = match["version"]
    major = version.split(".")[0]
    # Versions 0.x-2.x are drafts before change control (1.0.0 for information, 2.0.0 for approval).
    if major.isdigit() and int(major) < 3:
        return _not_written("draft", f"version {version}: before change control")
    return Parsed(
        document=f"3GPP {match['type']} {match['number']}",
        kind="version",
        version=version,
        release=match["release"],
    )


def transposed_spec(identifier: str) -> str | None:
    """The 3GPP specification an ETSI deliverable transposes (ETSI TS 138 101-1 -> 3GPP TS 38.101-1), or None."""
    match = ETSI_TRANSPOSITION.match(identifier)
    if not match:
        return None
    return f"3GPP {match['type']} {match['series']}.{match['number']}{match['part'] or ''}"


def parse_etsi(identifier: str) -> Parsed | tuple[str, str]:
    match = ETSI_ID.fullmatch(identifier)
    if not match:
        return _not_written("bad_identifier", "not 'ETSI <deliverable> V<version> (YYYY-MM)'")
    spec = transposed_spec(identifier)
    if spec:
        return _not_written("transposition", f"{spec} version {match['version'] or '?'}")
    return Parsed(
        document=match["document"],
        kind="version",
        version=match["version"] or (f"ed.{match['edition']}" if match["edition"] else ""),
        year_from_id=int(match["date"][:4]),
    )


def parse_w3c(identifier: str) -> Parsed | tuple[str, str]:
    match = W3C_ID.fullmatch(identifier)
    if not match:
        # The latest-version address of a document (W3C vc-data-model), or an early note without a date.
        return _not_written("undated")
    date = match["date"]
    return Parsed(
        document=f"W3C {match['short']}",
        kind="publication",
        maturity=match["maturity"],
        year_from_id=int(date[:4]) if len(date) == 8 else 1900 + int(date[:2]),
    )


def parse_iso(identifier: str, dated: set[str]) -> Parsed | tuple[str, str]:
    if ISO_DRAFT.search(identifier):
        return _not_written("draft", "stage code in the identifier")
    match = ISO_YEAR.search(identifier)
    if not match:
        return _not_written("undated_alias" if identifier in dated else "undated")
    base = identifier.split(":", 1)[0]
    last = identifier.rsplit("/", 1)[-1] if identifier.count(":") > 1 else ""
    kind = "edition"
    if re.match(r"(?:Amd|AMD|Add)\b", last):
        kind = "amendment"
    elif re.match(r"(?:Cor|COR)\b", last):
        kind = "corrigendum"
    elif re.match(r"Suppl\b", last):
        kind = "supplement"
    return Parsed(document=base, kind=kind, year_from_id=int(match["year"]))


def parse_ieee(identifier: str, doctype: str | None, published: str | None) -> Parsed | tuple[str, str]:
    if doctype == "redline" or identifier.endswith("Redline"):
        return _not_written("redline")
    if IEEE_DRAFT.search(identifier):
        return _not_written("draft", "project (P...) or draft (/D...) designation")
    match = IEEE_YEAR.search(identifier)
    published_year = DATE.fullmatch(published or "")
    if match and not (
        IEEE_FIRST_YEAR <= int(match["year"]) <= (int(published_year["year"]) + 1 if published_year else 9999)
    ):
        match = None  # a part number (IEC/IEEE 60076-57-1202), not a year
    base = identifier[: match.start()] if match else identifier
    document = re.sub(r"^(?:ANSI/)?IEEE Std\.? ", "IEEE ", base)
    kind = "edition"
    if re.search(r"/Cor ?\d", base):
        kind = "corrigendum"
    elif re.search(r"/Amd ?\d|\d[a-z]{1,3}$", base):
        kind = "amendment"  # IEEE amendments carry a lower-case letter suffix (802.11ax)
    return Parsed(document=document, kind=kind, year_from_id=int(match["year"]) if match else None)


def committee_name(sdo: str, raw: str | None, committees: Committees) -> str | None:
    """The committee as the landscape names it (3GPP S4 -> 3GPP TSG SA WG4; ISO identifiers as ISO writes them)."""
    raw = _text(html.unescape(raw)) if raw else None
    if raw is None:
        return None
    if sdo == "3GPP":
        return committees.threegpp.get(raw, f"3GPP {raw}")
    if sdo == "ETSI":
        return "ETSI " + committees.etsi_aliases.get(raw, raw)
    if sdo == "W3C":
        if raw in committees.w3c_placeholders:
            return None
        historical = raw.startswith("(historical) ")
        name = raw.removeprefix("(historical) ")
        return f"W3C {name}" + (" (historical)" if historical else "")
    if sdo == "IEEE":
        # The same sponsor is written with "&" and "and", with and without a trademark sign.
        return re.sub(r"(\d)TM\b", r"\1", raw.replace(" & ", " and "))
    return raw  # ISO: as ISO writes it (ISO/IEC JTC 1/SC 27)


def _publication_date(published: str | None, year_from_id: int | None) -> tuple[str, str, str] | None:
    """(YYYY-MM-DD, precision, basis); the designation's year wins over a disagreeing `published` year."""
    match = DATE.fullmatch(published or "")
    if not match:
        return None
    year, month, day = int(match["year"]), match["month"], match["day"]
    if year_from_id is not None and year_from_id != year:
        return f"{year_from_id:04d}-01-01", "year", "identifier year"
    precision = "day" if day else "month" if month else "year"
    return f"{year:04d}-{month or '01'}-{day or '01'}", precision, "published"


# ---- the whole bundle ----------------------------------------------------------------------------------


def _completeness(doc: dict) -> tuple:
    """Which of two records with one identifier to keep: the one with a committee, a date, ICS codes."""
    return (bool(doc.get("committee")), bool(doc.get("published")), len(doc.get("ics") or []))


def import_peers(source: Path, committees: Committees | None = None) -> PeersImport:
    """Read the bundle and map it to `peer_publications` rows; everything not written is reported."""
    started = time.monotonic()
    committees = committees or load_committees()
    reported: list[dict] = []
    read = 0
    records: dict[tuple[str, str], list[tuple[int, dict]]] = defaultdict(list)
    threegpp_versions: set[tuple[str, str]] = set()
    for line, doc in read_records(source):
        read += 1
        if doc is None:
            reported.append(_entry(line, None, None, *_not_written("unreadable")))
            continue
        sdo, identifier = _text(doc.get("sdo")), _text(doc.get("id"))
        if sdo not in BODIES:
            reported.append(_entry(line, sdo, identifier, *_not_written("unknown_body", f"'{sdo}'")))
        elif identifier is None:
            reported.append(_entry(line, sdo, None, *_not_written("no_identifier")))
        else:
            records[(sdo, identifier)].append((line, doc))
            if sdo == "3GPP" and (match := THREEGPP_ID.fullmatch(identifier)):
                threegpp_versions.add((f"3GPP {match['type']} {match['number']}", match["version"]))

    # Undated ISO identifiers that stand for a dated edition present in the bundle (ISO 4937 -> ISO 4937:2024).
    iso_dated = {
        identifier.split(":", 1)[0]
        for (sdo, identifier) in records
        if sdo == "ISO" and ISO_YEAR.search(identifier)
    }
    rows: list[dict] = []
    transposition_in_bundle = Counter()
    date_checks = Counter()
    for (sdo, identifier), copies in records.items():
        # Keep the most complete copy (ISO lists many standards twice, once without committee or ICS).
        ordered = sorted(copies, key=lambda c: (tuple(-int(x) for x in _completeness(c[1])), c[0]))
        line, doc = ordered[0]
        for other_line, _ in ordered[1:]:
            reported.append(
                _entry(other_line, sdo, identifier, *_not_written("duplicate", f"kept line {line}"))
            )
        if sdo == "3GPP":
            parsed = parse_3gpp(identifier)
        elif sdo == "ETSI":
            parsed = parse_etsi(identifier)
            if isinstance(parsed, tuple) and parsed[0] == "transposition":
                version = ETSI_ID.fullmatch(identifier)["version"] or ""
                in_bundle = (transposed_spec(identifier), version) in threegpp_versions
                transposition_in_bundle["same version at 3GPP" if in_bundle else "version not at 3GPP"] += 1
        elif sdo == "W3C":
            parsed = parse_w3c(identifier)
        elif sdo == "ISO":
            parsed = parse_iso(identifier, iso_dated)
        else:
            parsed = parse_ieee(identifier, _text(doc.get("doctype")), _text(doc.get("published")))
        if isinstance(parsed, tuple):
            reported.append(_entry(line, sdo, identifier, *parsed))
            continue
        committee = committee_name(sdo, doc.get("committee"), committees)
        if committee is None:
            raw = _text(doc.get("committee"))
            detail = f"'{raw}' is a placeholder" if raw else ""
            reported.append(_entry(line, sdo, identifier, *_not_written("no_committee", detail)))
            continue
        published = _text(doc.get("published"))
        date = _publication_date(published, parsed.year_from_id)
        if date is None:
            detail = f"'{published}' is not YYYY, YYYY-MM or YYYY-MM-DD" if published else ""
            reported.append(_entry(line, sdo, identifier, *_not_written("no_date", detail)))
            continue
        title = _text(doc.get("title"))
        if title is None:
            reported.append(_entry(line, sdo, identifier, *_not_written("no_title")))
            continue
        date_checks[f"{sdo}: {date[2]}"] += 1
        ics = doc.get("ics") or []
        rows.append(
            {
                "sdo": sdo,
                "publication_id": identifier,
                "document": parsed.document,
                "title": title,
                "published_on": date[0],
                "date_precision": date[1],
                "date_basis": date[2],
                "committee": committee,
                "committee_code": _text(doc.get("committee")) or "",
                "kind": parsed.kind,
                "doctype": _text(doc.get("doctype")) or "",
                "maturity": parsed.maturity,
                "release": parsed.release or _text(doc.get("release")) or "",
                "version": parsed.version or _text(doc.get("version")) or "",
                "radiotechnology": _text(doc.get("radiotechnology")) or "",
                "ics": "; ".join(str(c) for c in ics if c),
                "source": SOURCES[sdo],
                "source_commit": _text(doc.get("source_commit")) or "",
                "source_line": str(line),
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS)).sort_values(
        ["sdo", "published_on", "publication_id"], ignore_index=True
    )
    reported.sort(key=lambda r: r["line"] or 0)
    report = _report(source, read, frame, reported, committees, transposition_in_bundle, date_checks)
    report["seconds"] = round(time.monotonic() - started, 2)
    return PeersImport(frame.astype(str), reported, report)


def _entry(line, sdo, identifier, code, reason) -> dict:
    return {"line": line, "sdo": sdo, "id": identifier, "code": code, "reason": reason}


def _report(source, read, frame, reported, committees, transpositions, date_checks) -> dict:
    by_body = {}
    for sdo in BODIES:
        rows = frame[frame["sdo"] == sdo]
        mine = [r for r in reported if r["sdo"] == sdo]
        commits = sorted(set(rows["source_commit"]) - {""})
        by_body[sdo] = {
            "source": SOURCES[sdo],
            "source_commits": commits,
            "read": len(rows) + len(mine),
            "written": len(rows),
            "reported": dict(Counter(r["code"] for r in mine).most_common()),
            "committees": int(rows["committee"].nunique()),
            "documents": int(rows["document"].nunique()),
            "first_date": rows["published_on"].min() if len(rows) else None,
            "last_date": rows["published_on"].max() if len(rows) else None,
            "written_by_year": {
                str(y): int(n) for y, n in rows["published_on"].str[:4].value_counts().sort_index().items()
            },
            "written_by_kind": {k: int(n) for k, n in rows["kind"].value_counts().sort_index().items()},
        }
    by_reason = Counter(r["code"] for r in reported)
    example = {}
    for r in reported:
        example.setdefault(r["code"], r["reason"])
    unmapped = sorted(
        set(frame.loc[(frame["sdo"] == "3GPP") & frame["committee"].str.match(r"3GPP \S+$"), "committee"])
    )
    return {
        "source": str(source),
        "committee_config_version": committees.version,
        "read": read,
        "written": len(frame),
        "reported": len(reported),
        "bodies": by_body,
        "reported_by_reason": {
            code: {"records": n, "example_reason": example[code]} for code, n in by_reason.most_common()
        },
        "etsi_transpositions": dict(transpositions),
        "date_basis": dict(sorted(date_checks.items())),
        "unmapped_3gpp_codes": unmapped,
        "reported_records_file": REPORTED_FILE,
    }


def write_peers(result: PeersImport, raw_dir: Path) -> tuple[Path, Path]:
    """Write peer_publications/peers.parquet, its JSON report and the reported records (only those files)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(raw_dir) / TABLE
    folder.mkdir(parents=True, exist_ok=True)
    path, report_path = folder / OUTPUT_FILE, folder / REPORT_FILE
    tmp = path.with_name(path.name + ".tmp")  # not *.parquet: never read as a batch if left behind
    table = pa.Table.from_pandas(result.rows, preserve_index=False)
    pq.write_table(table, tmp, compression="zstd")
    tmp.replace(path)
    report_path.write_text(json.dumps(result.report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    with gzip.open(folder / REPORTED_FILE, "wt", encoding="utf-8") as fh:
        for entry in result.reported:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return path, report_path
