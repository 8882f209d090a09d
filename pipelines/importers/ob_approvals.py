"""Operational Bulletin approval notices -> approval process (AAP/TAP) and approval month on relaton rows.

A notice matches a row when the normalised designation (`G.993.2 (2006) Amd 5` = `G.993.2 (2006) Amd. 5`)
and the kind group (new or revised / amendment / corrigendum) are equal and the approval months are equal,
or one month apart (a notice dates the approval by month, relaton by day; time zones move the first of a
month back a day). Each notice is used once. relaton's day-precise `approved_on` is kept; the notice's
month goes to `ob_approved_on`, its issue to `ob_issue`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .relaton import OUTPUT_FILE

REPORT_FILE = "ob-approvals-report.json"
OB_COLUMNS = ("ob_approved_on", "ob_issue")
KIND_GROUP = {"new": "rec", "revised": "rec", "amendment": "amendment", "corrigendum": "corrigendum"}
OB_KIND_GROUP = {
    "Recommendation (new or revised)": "rec",
    "Amendment": "amendment",
    "Corrigendum": "corrigendum",
}
REQUIRED = ("ob_issue", "recommendation", "item_kind", "approval_date", "procedures")


@dataclass
class ObEnrichment:
    rows: pd.DataFrame
    report: dict = field(default_factory=dict)


def normalise_designation(text: str) -> str:
    """One spelling for a designation: 'Amd 5' / 'Amd.5' -> 'Amd. 5', 'Technical Cor. 1' -> 'Cor. 1'."""
    text = re.sub(r"^ITU-T\s+", "", str(text).strip())
    text = re.sub(r"\s*\(V\d+\)", "", text)  # version tags: relaton and the Bulletin use them inconsistently
    text = re.sub(r"\b(?:Technical\s+)?Cor(?:rigendum)?\.?\s*(?=\d)", "Cor. ", text)
    text = re.sub(r"\bAmd(?:endment)?\.?\s*(?=\d)", "Amd. ", text)
    return " ".join(text.split())


def approval_process(procedures: str) -> str:
    """`Recommendation ITU-T A.8` = AAP (alternative approval), `Resolution 1` = TAP (traditional)."""
    text = str(procedures or "")
    if "A.8" in text:
        return "AAP"
    if "Resolution 1" in text:
        return "TAP"
    return ""


def _month_index(date: str) -> int:
    return int(date[:4]) * 12 + int(date[5:7]) - 1


def read_ob_approvals(path: Path) -> pd.DataFrame:
    """The Operational Bulletin approvals CSV, as text; a missing column stops with a clear message."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: required column(s) {', '.join(missing)} missing")
    return frame


def enrich_with_ob(rows: pd.DataFrame, ob: pd.DataFrame) -> ObEnrichment:
    """Fill approval_process (and ob_approved_on, ob_issue) where a notice matches; report the match rates."""
    rows = rows.copy()
    for column in OB_COLUMNS:
        rows[column] = ""
    notices = ob.assign(
        _key=ob["recommendation"].map(normalise_designation),
        _group=ob["item_kind"].map(OB_KIND_GROUP),
        _month=ob["approval_date"].map(lambda d: _month_index(d) if re.match(r"\d{4}-\d{2}", d) else None),
        _process=ob["procedures"].map(approval_process),
        _issue=pd.to_numeric(ob["ob_issue"], errors="coerce"),
    )
    unusable = notices["_group"].isna() | notices["_month"].isna()
    # A notice repeated in a later issue (a correction) is one approval: keep the first issue's copy.
    usable = notices[~unusable].sort_values("_issue", kind="stable")
    repeated = usable.duplicated(["_key", "_group", "_month"])
    usable = usable[~repeated]
    by_key: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for index, key, group, month in zip(
        usable.index, usable["_key"], usable["_group"], usable["_month"], strict=True
    ):
        by_key.setdefault((key, group), []).append((int(month), index))

    used: set[int] = set()
    outcome = Counter()
    match_of: dict[int, int] = {}
    for row_index, designation, kind, approved_on in zip(
        rows.index, rows["designation"], rows["kind"], rows["approved_on"], strict=True
    ):
        group = KIND_GROUP.get(kind)
        if group is None:
            continue
        month = _month_index(approved_on)
        candidates = [
            (abs(m - month), m != month, i)
            for m, i in by_key.get((normalise_designation(designation), group), [])
            if abs(m - month) <= 1 and i not in used
        ]
        if not candidates:
            continue
        distance, _, notice = min(candidates)
        used.add(notice)
        match_of[row_index] = notice
        outcome["same month" if distance == 0 else "one month apart"] += 1
    for row_index, notice in match_of.items():
        rows.at[row_index, "approval_process"] = notices.at[notice, "_process"]
        rows.at[row_index, "ob_approved_on"] = notices.at[notice, "approval_date"]
        rows.at[row_index, "ob_issue"] = notices.at[notice, "ob_issue"]
    report = _report(rows, notices, unusable, repeated, used, match_of, outcome)
    return ObEnrichment(rows, report)


def _report(rows, notices, unusable, repeated, used, match_of, outcome) -> dict:
    usable = ~unusable & ~repeated.reindex(notices.index, fill_value=False)
    dated = notices.loc[usable, "approval_date"]
    # The months both sources cover: the Bulletin's first to last approval, the rows' (e.g. from --since).
    months = rows["approved_on"].str[:7]
    first = max(dated.min()[:7], months.min()) if len(dated) and len(rows) else ""
    last = min(dated.max()[:7], months.max()) if len(dated) and len(rows) else ""
    comparable = rows["kind"].isin(list(KIND_GROUP)) & (months >= first) & (months <= last)
    notices_in = (
        usable & (notices["approval_date"].str[:7] >= first) & (notices["approval_date"].str[:7] <= last)
    )
    matched = rows.index.isin(list(match_of))
    by_kind = {}
    for kind in KIND_GROUP:
        scope = comparable & (rows["kind"] == kind)
        by_kind[kind] = {
            "rows": int(scope.sum()),
            "matched": int((scope & matched).sum()),
            "rate": _rate((scope & matched).sum(), scope.sum()),
        }
    by_year = {}
    for year in sorted(set(months[comparable].str[:4])):
        in_year = comparable & (rows["approved_on"].str[:4] == year)
        by_year[year] = {
            "relaton_rows": int(in_year.sum()),
            "relaton_new_or_revised": int((in_year & rows["kind"].isin(["new", "revised"])).sum()),
            "ob_notices": int((notices_in & (notices["approval_date"].str[:4] == year)).sum()),
            "ob_new_or_revised": int(
                (notices_in & (notices["approval_date"].str[:4] == year) & (notices["_group"] == "rec")).sum()
            ),
            "matched": int((in_year & matched).sum()),
        }
    in_use = notices.index.isin(list(used))
    return {
        "ob_notices": len(notices),
        "ob_notices_unusable": int(unusable.sum()),
        "ob_notices_repeated": int(repeated.sum()),
        "window": [first, last],
        "rows": len(rows),
        "rows_in_window": int(comparable.sum()),
        "rows_in_window_matched": int((comparable & matched).sum()),
        "row_match_rate": _rate((comparable & matched).sum(), comparable.sum()),
        "notices_in_window": int(notices_in.sum()),
        "notices_in_window_matched": int((notices_in & in_use).sum()),
        "notice_match_rate": _rate((notices_in & in_use).sum(), notices_in.sum()),
        "match_month": dict(outcome),
        "approval_process": dict(
            Counter(rows.loc[matched, "approval_process"].replace("", "unknown procedure"))
        ),
        "by_kind": by_kind,
        "by_year": by_year,
        "unmatched_notices_examples": notices.loc[notices_in & ~in_use, "recommendation"].head(20).tolist(),
    }


def month_window(first: str, last: str) -> dict[str, str]:
    """The dates a window of months ('2010-05', '2026-06') covers: its first day to its last."""
    import calendar

    year, month = (int(x) for x in last.split("-"))
    return {"from": f"{first}-01", "to": f"{last}-{calendar.monthrange(year, month)[1]:02d}"}


def _rate(part, whole) -> float | None:
    return round(int(part) / int(whole), 4) if whole else None


def enrich_raw_dir(raw_dir: Path, ob_csv: Path) -> tuple[ObEnrichment, Path, Path]:
    """Enrich DIR/recommendations/relaton.csv in place and write ob-approvals-report.json beside it."""
    folder = Path(raw_dir) / "recommendations"
    csv_path = folder / OUTPUT_FILE
    if not csv_path.exists():
        raise FileNotFoundError(f"{csv_path}: not found (run `sgpulse import relaton` first)")
    rows = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
    # A re-run starts from relaton's values: only the notices fill these columns.
    rows = rows.drop(columns=[c for c in OB_COLUMNS if c in rows.columns]).assign(approval_process="")
    result = enrich_with_ob(rows, read_ob_approvals(ob_csv))
    result.report["source"] = str(ob_csv)
    tmp = csv_path.with_name(csv_path.name + ".tmp")
    result.rows.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    tmp.replace(csv_path)
    report_path = folder / REPORT_FILE
    report_path.write_text(json.dumps(result.report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return result, csv_path, report_path
