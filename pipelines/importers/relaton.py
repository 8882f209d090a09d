"""Relaton ITU-T records (YAML files or a JSON-lines bundle) -> the `recommendations` raw table + a report.

Every record read is either written (one row) or reported with a reason; the first reason that applies wins,
in the order of `_classify` and `import_relaton`. The mapping rules are described in docs/importers.md.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from pipelines.ingest.tables import TABLES_BY_NAME
from pipelines.lineage import lineage

from .attribution import Attribution, attribute, fill_current_sg, load_attribution

CONTRACT_COLUMNS = tuple(c.name for c in TABLES_BY_NAME["recommendations"].columns)
# Extra columns: kept in staging, ignored by the marts; they say where each value came from.
EXTRA_COLUMNS = (
    "designation",
    "relaton_id",
    "edition",
    "study_period",
    "sg_current",
    "sg_current_basis",
    "sg_basis",
    "status_basis",
)
OUTPUT_FILE = "relaton.csv"
REPORT_FILE = "relaton-import-report.json"
DEFAULT_SINCE = 2017

KIND_BY_DOCTYPE = {
    "recommendation": None,  # new or revised, from the edition history
    "recommendation-amendment": "amendment",
    "recommendation-corrigendum": "corrigendum",
    "recommendation-supplement": "supplement",
}
# The status code at the end of an itu.int address (T-REC-X.1162-200805-I): I in force, P pre-published,
# S superseded, W withdrawn. It agrees with status.stage on 99.7% of the records that have both.
STATUS_BY_ITU_CODE = {"I": "in force", "P": "in force", "S": "superseded", "W": "withdrawn"}

IDENTIFIER = re.compile(r"ITU-T (?P<designation>.+) \((?P<month>\d\d)/(?P<year>\d{4})\)")
BASE_EDITION_YEAR = re.compile(r" \((\d{4})\)")
VERSION_TAG = re.compile(r" \(V\d+\)")  # H.264 (V9): the ninth version of H.264, not another Recommendation
# A Recommendation number (G.993.2, G.8011/Y.1307, V.25 ter) or a supplement (G Suppl. 55, E-100 series
# Suppl. 1); handbooks filed as Recommendations (EMC-3, MES-2, SEC-QKD) are neither.
RECOMMENDATION_NUMBER = re.compile(r"[A-Z]\.\d|[A-Z][\d.-]*(?: series)? Suppl\. ")
ITU_CODE = re.compile(r"/rec/T-REC-[^/]*-\d{6}-([A-Z])$")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Reported:
    code: str  # stable key for the counts
    reason: str  # one short, specific sentence


@dataclass
class Edition:
    """One parsed relaton record that is a Recommendation text (before the edition-history rules)."""

    origin: str
    relaton_id: str
    identifier: str
    designation: str
    rec_id: str
    history_key: str
    doctype_kind: str | None  # None = new or revised
    is_edition: bool  # a whole text (not an amendment/corrigendum of an earlier one)
    approved_on: str
    year: int
    title: str
    title_from_identifier: bool
    abstract: str
    stage: str | None
    itu_code: str | None
    sg_contributor: str | None
    edition: str


@dataclass
class RelatonImport:
    rows: pd.DataFrame
    reported: list[dict] = field(default_factory=list)  # origin, identifier, code, reason
    report: dict = field(default_factory=dict)


# ---- reading -------------------------------------------------------------------------------------------


def read_documents(source: Path) -> Iterator[tuple[str, dict | Reported]]:
    """(origin, document) for every record of a directory of *.yaml files or a .jsonl / .jsonl.gz bundle."""
    source = Path(source)
    if source.is_dir():
        for path in sorted([*source.glob("*.yaml"), *source.glob("*.yml")]):
            try:
                data = yaml.load(
                    path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
                )
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                yield path.name, Reported("unreadable", f"not readable YAML ({type(exc).__name__})")
                continue
            docs = data if isinstance(data, list) else [data]
            for i, doc in enumerate(docs, start=1):
                origin = path.name if len(docs) == 1 else f"{path.name}#{i}"
                yield (
                    origin,
                    doc if isinstance(doc, dict) else Reported("unreadable", "not a relaton document"),
                )
        return
    if not source.is_file():
        raise FileNotFoundError(f"{source}: no such file or directory")
    opener = gzip.open if source.name.endswith(".gz") else open
    with opener(source, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            origin = f"{source.name}:{number}"
            try:
                doc = json.loads(line)
            except json.JSONDecodeError:
                yield origin, Reported("unreadable", "not a readable JSON line")
                continue
            yield origin, doc if isinstance(doc, dict) else Reported("unreadable", "not a relaton document")


# ---- one record ----------------------------------------------------------------------------------------


def _content(value) -> str | None:
    """relaton wraps most values as {content: ...}; older files use plain strings."""
    if isinstance(value, dict):
        value = value.get("content")
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _primary_identifier(doc: dict) -> str | None:
    ids = doc.get("docidentifier") or []
    if isinstance(ids, dict):
        ids = [ids]
    ids = [i for i in ids if isinstance(i, dict)]
    chosen = next((i for i in ids if i.get("primary")), None) or next(iter(ids), None)
    return _content(chosen)


def _english_text(items, prefer_type: str | None = None) -> str | None:
    if isinstance(items, dict):
        items = [items]
    items = [i for i in (items or []) if isinstance(i, dict) and _content(i)]
    for pick in (
        lambda i: i.get("type") == prefer_type and i.get("language", "en") == "en",
        lambda i: i.get("language", "en") == "en",
        lambda i: True,
    ):
        found = next((i for i in items if pick(i)), None)
        if found:
            return " ".join(_content(found).split())
    return None


def _approval_date(doc: dict) -> str | None:
    dates = doc.get("date") or []
    if isinstance(dates, dict):
        dates = [dates]
    chosen = next((d for d in dates if isinstance(d, dict) and d.get("type") == "published"), None)
    if chosen is None:
        return None
    value = chosen.get("at", chosen.get("value"))
    return None if value is None else str(value).strip()


def _study_group(doc: dict) -> str | None:
    """The responsible study group named by the `contributor` subdivision (relaton: today's SG)."""
    for contributor in doc.get("contributor") or []:
        organization = (contributor or {}).get("organization") or {}
        for sub in organization.get("subdivision") or []:
            names = " ".join(_content(n) or "" for n in (sub.get("name") or []))
            match = re.search(r"Study Group (\d+)", names)
            if match:
                return f"SG{int(match.group(1))}"
            if sub.get("subtype") == "tsag" or "Advisory Group" in names:
                return "TSAG"
    return None


def _itu_code(doc: dict) -> str | None:
    for source in doc.get("source") or []:
        match = ITU_CODE.search(_content(source) or "")
        if match:
            return match.group(1)
    return None


def rec_id_of(designation: str) -> str:
    """The Recommendation a text belongs to: G.993.2 (2006) Amd. 1 -> G.993.2, H.264 (V9) -> H.264."""
    return VERSION_TAG.sub("", BASE_EDITION_YEAR.split(designation, maxsplit=1)[0])


def history_key(rec_id: str) -> str:
    """The Recommendation whose editions are compared: G.707/Y.1322 -> G.707, G.722.2 Annex C -> G.722.2."""
    if "Suppl." in rec_id:
        return rec_id
    return re.sub(r" (?:Annex \S+|App\. ?\S+)$", "", rec_id.split("/")[0])


def _classify(origin: str, doc: dict) -> Edition | Reported:
    identifier = _primary_identifier(doc)
    if identifier is None:
        return Reported("no_identifier", "no docidentifier")
    if not identifier.startswith("ITU-T "):
        return Reported("not_itu_t", f"not an ITU-T publication ('{identifier.split(' ')[0]}')")
    ext = doc.get("ext") or {}
    doctype = _content(ext.get("doctype")) or _content(doc.get("doctype"))
    if doctype == "recommendation-annex":
        return Reported("annex", "separately published annex: the raw contract has no such kind")
    if doctype not in KIND_BY_DOCTYPE:
        return Reported("not_recommendation", f"not a Recommendation-type publication (doctype '{doctype}')")
    match = IDENTIFIER.fullmatch(identifier)
    if not match:
        return Reported("bad_identifier", f"identifier '{identifier}' is not 'ITU-T <number> (MM/YYYY)'")
    designation = match["designation"]
    rec_id = rec_id_of(designation)
    if not RECOMMENDATION_NUMBER.match(rec_id):
        return Reported(
            "not_recommendation",
            f"not a Recommendation-type publication ('{rec_id}' is not a Recommendation number)",
        )
    if re.search(r"\bErr\.", designation):
        return Reported("erratum", "erratum: an editorial correction, not a kind of the raw contract")
    if doctype == "recommendation" and re.search(r"\bApp\.", designation):
        return Reported(
            "appendix", "separately published appendix: informative, not a kind of the raw contract"
        )
    if doctype == "recommendation" and re.search(r"\bAdd\.", designation):
        return Reported("addendum", "addendum: not a kind of the raw contract")
    approved_on = _approval_date(doc)
    if approved_on is None:
        return Reported("no_date", "no approval date (no date of type 'published')")
    if not DATE.fullmatch(approved_on):
        return Reported("no_date", f"approval date '{approved_on}' is not a full date (YYYY-MM-DD)")
    title = _english_text(doc.get("title"), prefer_type="main")
    status = doc.get("status") or {}
    return Edition(
        origin=origin,
        relaton_id=str(doc.get("id") or ""),
        identifier=identifier,
        designation=designation,
        rec_id=rec_id,
        history_key=history_key(rec_id),
        doctype_kind=KIND_BY_DOCTYPE[doctype],
        is_edition=BASE_EDITION_YEAR.search(designation) is None,
        approved_on=approved_on,
        year=int(approved_on[:4]),
        title=title or designation,
        title_from_identifier=title is None,
        abstract=_english_text(doc.get("abstract")) or "",
        stage=_content(status.get("stage")) if isinstance(status, dict) else _content(status),
        itu_code=_itu_code(doc),
        sg_contributor=_study_group(doc),
        edition=_content(doc.get("edition")) or "",
    )


def _reported(e: Edition, code: str, reason: str) -> dict:
    return {"origin": e.origin, "identifier": e.identifier, "code": code, "reason": reason}


# ---- the whole set -------------------------------------------------------------------------------------


def import_relaton(
    source: Path, since: int = DEFAULT_SINCE, attribution: Attribution | None = None
) -> RelatonImport:
    """Read relaton records and map them to `recommendations` rows; everything not written is reported."""
    started = time.monotonic()
    config = attribution or load_attribution()
    reported: list[dict] = []
    editions: list[Edition] = []
    read = 0
    for origin, doc in read_documents(source):
        read += 1
        parsed = doc if isinstance(doc, Reported) else _classify(origin, doc)
        if isinstance(parsed, Reported):
            identifier = None if isinstance(doc, Reported) else _primary_identifier(doc)
            reported.append(
                {"origin": origin, "identifier": identifier, "code": parsed.code, "reason": parsed.reason}
            )
        else:
            editions.append(parsed)

    # Edition history over every parsed record, whatever --since says: 2019 is 'revised' if 2010 exists.
    history: dict[tuple[str, bool], list[str]] = defaultdict(list)  # (key, is supplement) -> edition dates
    sg_of_key: dict[str, tuple[str, str]] = {}  # key -> (latest date, contributor SG)
    for e in editions:
        if e.is_edition:
            history[(e.history_key, e.doctype_kind == "supplement")].append(e.approved_on)
        if e.sg_contributor and e.approved_on >= sg_of_key.get(e.history_key, ("", ""))[0]:
            sg_of_key[e.history_key] = (e.approved_on, e.sg_contributor)
    first_edition = {k: min(v) for k, v in history.items()}
    last_edition = {k: max(v) for k, v in history.items()}

    rows: list[dict] = []
    checks = Counter()
    for e in sorted(editions, key=lambda e: (e.approved_on, e.designation)):
        supplement = e.doctype_kind == "supplement"
        if e.doctype_kind is None:
            kind = "new" if e.approved_on == first_edition[(e.history_key, False)] else "revised"
            checks[f"{kind} / edition field {'1' if e.edition == '1' else 'not 1'}"] += 1
        else:
            kind = e.doctype_kind
        if e.year < since:
            reported.append(_reported(e, "before_since", f"approved before {since} (--since)"))
            continue
        later = last_edition.get((e.history_key, supplement), "") > e.approved_on
        if e.stage == "Published":
            status, status_basis = "in force", "status.stage"
        elif e.stage == "Withdrawal":
            status, status_basis = ("superseded" if later else "withdrawn"), "status.stage + later edition"
            if e.itu_code in ("S", "W"):
                checks[
                    "withdrawal rule "
                    + ("agrees" if status == STATUS_BY_ITU_CODE[e.itu_code] else "disagrees")
                    + " with itu.int code"
                ] += 1
        elif e.stage is None and e.itu_code in STATUS_BY_ITU_CODE:
            status, status_basis = STATUS_BY_ITU_CODE[e.itu_code], "itu.int status code"
        else:
            stage = "no status.stage" if e.stage is None else f"status.stage '{e.stage}' unknown"
            reported.append(_reported(e, "no_status", f"{stage} and no status code in the itu.int address"))
            continue
        if e.sg_contributor:
            sg_current, sg_current_basis = e.sg_contributor, "contributor"
        elif e.history_key in sg_of_key:
            sg_current, sg_current_basis = sg_of_key[e.history_key][1], "contributor of another edition"
        elif filled := fill_current_sg(config, e.rec_id):
            sg_current, sg_current_basis = filled[0], f"rule: {filled[1]}"
        else:
            reported.append(
                _reported(
                    e,
                    "no_study_group",
                    "no study group: no contributor subdivision, none on another edition, no rule",
                )
            )
            continue
        approved = dt.date.fromisoformat(e.approved_on)
        attributed = attribute(config, e.rec_id, approved, sg_current)
        if not attributed.existed:
            first, last = lineage().existence(attributed.sg)
            when = f"it existed until {last}" if last and approved > last else f"it exists from {first}"
            reported.append(
                _reported(
                    e,
                    "sg_did_not_exist",
                    f"attributed to {attributed.sg} ({attributed.basis}), which did not exist on {e.approved_on}: "
                    f"{when}",
                )
            )
            continue
        rows.append(
            {
                "rec_id": e.rec_id,
                "approved_on": e.approved_on,
                "sg": attributed.sg,
                "question": "",
                "title": e.title,
                "kind": kind,
                "approval_process": "",
                "status": status,
                "work_item": "",
                "abstract": e.abstract,
                "designation": e.designation,
                "relaton_id": e.relaton_id,
                "edition": e.edition,
                "study_period": attributed.period or "",
                "_identifier": e.identifier,
                "sg_current": sg_current,
                "sg_current_basis": sg_current_basis,
                "sg_basis": attributed.basis,
                "status_basis": status_basis,
                "_origin": e.origin,
                "_title_from_identifier": e.title_from_identifier,
            }
        )

    # The raw key is (rec_id, approved_on, kind): a second text with that key would be quarantined at ingest.
    kept: dict[tuple[str, str, str], dict] = {}
    unique_rows = []
    for row in rows:
        key = (row["rec_id"], row["approved_on"], row["kind"])
        if key in kept:
            reported.append(
                {
                    "origin": row["_origin"],
                    "identifier": row["_identifier"],
                    "code": "duplicate_key",
                    "reason": f"same rec_id, approved_on and kind as '{kept[key]['_identifier']}' "
                    "(the raw key holds one of them)",
                }
            )
            continue
        kept[key] = row
        unique_rows.append(row)

    frame = pd.DataFrame(
        unique_rows,
        columns=[*CONTRACT_COLUMNS, *EXTRA_COLUMNS, "_origin", "_identifier", "_title_from_identifier"],
    )
    titles_from_identifier = int(frame["_title_from_identifier"].sum()) if len(frame) else 0
    frame = frame.drop(columns=["_origin", "_identifier", "_title_from_identifier"]).astype(str)
    last_approval = max((e.approved_on for e in editions), default=None)
    report = _report(
        source, since, config, read, frame, reported, checks, titles_from_identifier, last_approval
    )
    report["seconds"] = round(time.monotonic() - started, 2)
    return RelatonImport(frame, reported, report)


def _report(
    source, since, config, read, frame, reported, checks, titles_from_identifier, last_approval
) -> dict:
    by_reason = Counter(r["code"] for r in reported)
    reasons = {}
    for r in reported:
        reasons.setdefault(r["code"], r["reason"])
    early = frame[frame["study_period"].isin(["2017-2020", "2022-2024"])]
    historical = early["sg_basis"].str.startswith("historical")
    before = frame[frame["approved_on"] < "2017-01-01"]
    years = (
        frame.assign(year=frame["approved_on"].str[:4].astype(int)) if len(frame) else frame.assign(year=[])
    )
    by_year = {
        str(year): {k: int(n) for k, n in group["kind"].value_counts().sort_index().items()}
        for year, group in years.groupby("year")
    }
    return {
        "source": str(source),
        "since": since,
        "attribution_version": config.version,
        "read": read,
        "written": len(frame),
        "reported": len(reported),
        "written_by_kind": {k: int(n) for k, n in frame["kind"].value_counts().sort_index().items()},
        "written_by_year": by_year,
        "reported_by_reason": {
            code: {"records": n, "example_reason": reasons[code]} for code, n in by_reason.most_common()
        },
        "status": {k: int(n) for k, n in frame["status"].value_counts().sort_index().items()},
        "status_basis": {k: int(n) for k, n in frame["status_basis"].value_counts().sort_index().items()},
        "sg_current_basis": {
            k: int(n) for k, n in frame["sg_current_basis"].value_counts().sort_index().items()
        },
        "sg_basis": {k: int(n) for k, n in frame["sg_basis"].value_counts().sort_index().items()},
        "historical_attribution": {
            "editions_2017_2024": len(early),
            "given_a_historical_sg": int(historical.sum()),
            "share": round(float(historical.mean()), 4) if len(early) else None,
            "flagged_no_rule": int((early["sg_basis"] == "no rule").sum()),
            "editions_before_2017": len(before),
            "before_2017_by_rule": int(before["sg_basis"].str.startswith("historical").sum()),
        },
        # The dates the written rows cover: from --since to the last approval in the records read.
        "window": {"from": f"{since}-01-01", "to": last_approval},
        "titles_from_identifier": titles_from_identifier,
        "checks": dict(sorted(checks.items())),
        # Every reported record except the (many) ones before --since, so each can be looked up.
        "reported_records": [r for r in reported if r["code"] != "before_since"],
    }


def write_relaton(result: RelatonImport, raw_dir: Path) -> tuple[Path, Path]:
    """Write recommendations/relaton.csv and its JSON report (replacing only those two files)."""
    folder = Path(raw_dir) / "recommendations"
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, report_path = folder / OUTPUT_FILE, folder / REPORT_FILE
    tmp = csv_path.with_name(csv_path.name + ".tmp")  # not *.csv: never read as a batch if left behind
    result.rows.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    tmp.replace(csv_path)
    report_path.write_text(json.dumps(result.report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return csv_path, report_path
