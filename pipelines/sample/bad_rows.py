"""The deliberately bad rows (the same twelve at every scale), where they are inserted, and what the
pipeline should say about each (documented in the sample's README.md)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd


def bad_rows(
    tables: dict[str, pd.DataFrame], orgs_count: dict[str, int]
) -> dict[str, list[tuple[int, dict]]]:
    att = tables["attendance"]
    con = tables["contributions"]
    y23 = att[att["meeting_id"].str.startswith("SG12-2023")].index
    row = att.loc[y23[0]].to_dict()
    sg13 = att[att["meeting_id"].str.startswith("SG13-2023")].index
    dup_src = att.loc[sg13[5]].to_dict()
    bad_att = [
        dict(
            row,
            meeting_id="SG99-2023-1",
            participant_name="Rosa Lindqvist",
            participant_email="rosa.lindqvist@brightquay-mail.example",
            _bad="att-fk",
        ),
        dict(
            row,
            participant_name="Tomás Okafor",
            participant_email="tomas.okafor@ken-admin.example",
            organisation="",
            _bad="att-org",
        ),
        dict(
            row,
            participant_name="Leila Virtanen",
            participant_email="leila.virtanen@fin-admin.example",
            mode="hybrid",
            _bad="att-mode",
        ),
        dict(
            dup_src,
            participant_email=(dup_src["participant_email"] or "kofi.meyer@gha-admin.example").upper(),
            _bad="att-dup",
        ),
    ]
    c22 = con[con["document"].str.startswith("T22-SG13-C-")]
    c17 = con[con["document"].str.startswith("T17-SG16-C-")]
    original = con.loc[c22.index[10]].to_dict()
    bad_con = [
        dict(
            con.loc[c22.index[20]].to_dict(),
            document="T22-SG13-C-9001",
            submitted_on="2023-13-45",
            _bad="con-date",
        ),
        dict(original, title=original["title"] + " (resubmitted)", _bad="con-dup"),
        dict(
            con.loc[c17.index[30]].to_dict(),
            document="T17-SG21-C-0001",
            sg="SG21",
            study_period="2017-2020",
            _bad="con-sg",
        ),
    ]
    return {
        "attendance": [
            (int(y23[0]) + 1, bad_att[0]),
            (int(y23[0]) + 2, bad_att[1]),
            (int(y23[0]) + 3, bad_att[2]),
            (int(sg13[5]) + 1, bad_att[3]),
        ],
        "contributions": [
            (int(c22.index[20]), bad_con[0]),
            (int(c22.index[10]) + 200, bad_con[1]),
            (int(c17.index[30]), bad_con[2]),
        ],
        "meetings": [
            (
                len(tables["meetings"]),
                dict(
                    meeting_id="SG12-2019-10-WS9",
                    sg="SG12",
                    kind="workshop",
                    start_date=np.datetime64("2019-10-17"),
                    end_date=np.datetime64("2019-10-15"),
                    city="Geneva",
                    country_iso3="CHE",
                    format="physical",
                    _bad="meet-dates",
                ),
            )
        ],
        "members": [
            (
                len(tables["members"]),
                dict(
                    member_id=f"AC-{orgs_count['Academia'] + 1:04d}",
                    name="Institute of Ferrovane Signal Studies",
                    category="Academia",
                    country_iso3="XXX",
                    joined_on=dt.date(2019, 5, 14),
                    left_on=None,
                    sgs="SG12",
                    _bad="mem-country",
                ),
            )
        ],
        "org_aliases": [
            (
                len(tables["org_aliases"]) // 2,
                dict(alias="Qorvane Datalink", member_id="SM-9999", _bad="alias-fk"),
            )
        ],
        "recommendations": [
            (
                len(tables["recommendations"]) // 3,
                dict(
                    rec_id="Y.4999",
                    approved_on="2022-06-13",
                    sg="SG99",
                    question="",
                    title="Framework of IoT data exchange",
                    kind="new",
                    approval_process="AAP",
                    status="in force",
                    work_item="",
                    abstract="",
                    _bad="rec-sg",
                ),
            )
        ],
        "work_items": [
            (
                len(tables["work_items"]) // 2,
                dict(
                    work_item="Q.Test-reqts-bad",
                    sg="SG11",
                    question="Q9/11",
                    title="Requirements for benchmark testing",
                    started_on="2021-09-01",
                    target_on="2020-03-31",
                    status="ongoing",
                    approved_as="",
                    _bad="wi-dates",
                ),
            )
        ],
    }


def insert_rows(df: pd.DataFrame, rows: list[tuple[int, dict]]) -> pd.DataFrame:
    """Insert rows before the given positions (positions refer to the original frame)."""
    if not rows:
        return df
    df = df.copy()
    df["_pos"] = np.arange(len(df), dtype=float)
    extra = pd.DataFrame([dict(r, _pos=pos - 0.5 + 0.001 * k) for k, (pos, r) in enumerate(rows)])
    out = pd.concat([df, extra], ignore_index=True).sort_values("_pos", kind="stable")
    out["_bad"] = out["_bad"].fillna("")
    return out.drop(columns="_pos").reset_index(drop=True)


BAD_ROWS_DOC = {  # code -> (what, the reason the pipeline should give)
    "att-fk": ("`meeting_id` `SG99-2023-1`", "meeting_id 'SG99-2023-1' not in meetings"),
    "att-org": ("empty `organisation`", "required value organisation is missing"),
    "att-mode": ("`mode` `hybrid`", "mode 'hybrid' is not one of: on-site, remote"),
    "att-dup": (
        "the person of the row before again, e-mail in upper case",
        "duplicate key (meeting_id, participant): the later copy",
    ),
    "con-date": ("`T22-SG13-C-9001`, `submitted_on` `2023-13-45`", "submitted_on '2023-13-45' is not a date"),
    "con-dup": (
        "second copy of `T22-SG13-C-0011` (title + resubmitted)",
        "duplicate key document: the later copy",
    ),
    "con-sg": (
        "`T17-SG21-C-0001`: SG21 in study period 2017-2020",
        "sg 'SG21' not in study_groups for 2017-2020",
    ),
    "meet-dates": (
        "`SG12-2019-10-WS9` ends before it starts",
        "end_date is before start_date (nothing refers to it)",
    ),
    "mem-country": ("Academia member with `country_iso3` `XXX`", "country_iso3 'XXX' not in countries"),
    "alias-fk": ("`Qorvane Datalink` -> `SM-9999`", "member_id 'SM-9999' not in members"),
    "rec-sg": ("`Y.4999` with `sg` `SG99`", "sg 'SG99' not in study_groups"),
    "wi-dates": ("`Q.Test-reqts-bad`: `target_on` before `started_on`", "target_on is before started_on"),
}
