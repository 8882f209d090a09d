"""The landscape end to end on the small raw directory: import, marts, risk register, relevance, briefs."""

from __future__ import annotations

import json

import pytest
from small_raw import SMALL_RAW, write_small_raw
from testkit import build_warehouse

from pipelines.analytics.landscape import (
    build_sg_landscape,
    landscape_problems,
    load_landscape_config,
)
from pipelines.importers.peers import import_peers, write_peers

SECURITY = ["Cyber security for IoT devices", "Spam countering security", "IoT security baseline", "Security of telecommunication services", "Cybersecurity certification"]  # fmt: skip
MEDIA = ["Multimedia streaming coordination", "Multimedia codec", "Multimedia telephony", "Video multimedia services", "Multimedia broadcast"]  # fmt: skip
FOOD = ["Milk products", "Cereals", "Fruit juices", "Spices", "Animal feed"]
# Publications per year, 2019-2025 (one document per publication).
YEARS = {
    "cyber": [1, 2, 3, 4, 5, 6, 7],
    "mts": [1, 1, 2, 2, 3, 4, 5],
    "sa4": [9, 9, 9, 9, 9, 9, 9],
    "food": [2, 2, 2, 2, 2, 2, 2],
}
TESTING = ["Security testing methodology", "IoT security conformance testing", "Spam filter testing", "Security test specification", "Telecommunication services security testing"]  # fmt: skip


def bundle_lines() -> list[dict]:
    lines = []
    for key, sdo, committee, titles in (
        ("cyber", "ETSI", "Cyber Security", SECURITY),
        ("mts", "ETSI", "Methods for Testing & Specification", TESTING),
        ("sa4", "3GPP", "S4", MEDIA),
        ("food", "ISO", "ISO/TC 34", FOOD),
    ):
        n = 0
        for year, count in zip(range(2019, 2026), YEARS[key], strict=True):
            for _ in range(count):
                n += 1
                title = titles[n % len(titles)]
                if sdo == "ETSI":
                    series = 103 if key == "cyber" else 104
                    ident, published = f"ETSI TS {series} {n:03d} V1.1.1 ({year}-03)", f"{year}-03"
                elif sdo == "3GPP":
                    ident, published = f"3GPP TS 26.{n:03d}:REL-18/18.0.0", f"{year}-06-15"
                else:
                    ident, published = f"ISO {1000 + n}:{year}", f"{year}-05"
                lines.append(
                    {
                        "sdo": sdo,
                        "id": ident,
                        "title": title,
                        "published": published,
                        "committee": committee,
                        "doctype": None,
                        "source_commit": f"{sdo.lower()}0123456789",
                    }  # fmt: skip
                )
    # ETSI's records run to December 2025.
    lines.append({"sdo": "ETSI", "id": "ETSI TS 103 900 V1.1.1 (2025-12)", "title": "Food labelling",
                  "published": "2025-12", "committee": "Human Factors", "doctype": None, "source_commit": "etsi0123456789"})  # fmt: skip
    return lines


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("landscape")
    bundle = root / "bundle.jsonl"
    bundle.write_text("".join(json.dumps(line) + "\n" for line in bundle_lines()), encoding="utf-8")
    # SG17 meets in 2025 too, so that both SGs exist in the landscape's year.
    meetings = SMALL_RAW["meetings"] + "SG17-2025-1,SG17,SG,2025-03-03,2025-03-07,Geneva,CHE,hybrid\n"
    raw = write_small_raw(root / "raw", {"meetings": meetings})
    imported = import_peers(bundle)
    assert imported.report["reported"] == 0
    write_peers(imported, raw)
    conn = build_warehouse(raw)
    # The small raw directory has three texts a year at most: a trend needs one publication, not ten.
    config = load_landscape_config().model_copy(update={"min_trend_publications": 1})
    build_sg_landscape(conn, exclude=("TSAG",), config=config)
    from pipelines.analytics.relevance import build_sg_relevance
    from pipelines.analytics.risks import build_sg_risks
    from pipelines.analytics.targets import load_framework

    build_sg_relevance(conn, load_framework())
    build_sg_risks(conn, load_framework())
    return conn


def test_committee_year_counts_are_the_bundle_counts(warehouse):
    rows = warehouse.execute(
        "select committee, list(publications order by year) from marts.peer_committee_year "
        "where committee in ('ETSI Cyber Security', '3GPP TSG SA WG4') group by 1 order by 1"
    ).fetchall()
    assert rows == [("3GPP TSG SA WG4", YEARS["sa4"]), ("ETSI Cyber Security", YEARS["cyber"])]
    # A body's records from March/June/May 2019 to December/June/May 2025 miss over 31 days of those years.
    partial = warehouse.execute(
        "select sdo, year from marts.peer_committee_year where partial group by all order by all"
    ).fetchall()
    assert partial == [("3GPP", 2019), ("3GPP", 2025), ("ETSI", 2019), ("ISO", 2019), ("ISO", 2025)]
    assert warehouse.execute(
        "select source_commit from marts.peer_coverage where sdo = 'ISO'"
    ).fetchall() == [("iso0123456789",)]


def test_each_sg_gets_its_field(warehouse):
    top = dict(warehouse.execute("select sg, committee from marts.sg_landscape where rank = 1").fetchall())
    assert top == {"SG17": "ETSI Cyber Security", "SG21": "3GPP TSG SA WG4"}
    food = warehouse.execute(
        "select count(*) from marts.sg_landscape where committee = 'ISO/TC 34'"
    ).fetchall()
    assert food == [(0,)]
    problems = landscape_problems(warehouse)
    assert (problems.state, problems.out_of_range, problems.without_committee) == ("present", [], [])


def test_trends_over_the_years_both_sides_cover(warehouse):
    row = warehouse.execute(
        "select committee_trend, sg_trend, trend_first_year, trend_last_year, publications, sg_texts "
        "from marts.sg_landscape where sg = 'SG17' and committee = 'ETSI Cyber Security'"
    ).fetchall()[0]
    # The small raw directory's activity runs 2023-2025; ETSI: 5, 6, 7 (slope 1, median 6).
    # SG17 approved 2, 1 and 0 texts (slope -1, median 1).
    assert row == (pytest.approx(1 / 6), pytest.approx(-1.0), 2023, 2025, 18, 3)


def test_the_risk_register_and_the_relevance_index_take_the_landscape(warehouse):
    risk = warehouse.execute(
        "select value, level from marts.sg_risks where sg = 'SG17' and risk_id = 'landscape'"
    ).fetchall()
    # The field grows (median of +1/6 and +1/4) while SG17 shrinks (-1): the gap.
    assert risk == [(pytest.approx(-1 - (1 / 6 + 1 / 4) / 2), "high")]
    scores = warehouse.execute(
        "select sg, external_engagement_score from marts.sg_relevance where as_of_year = 2025 order by sg"
    ).fetchall()
    assert scores and all(0 <= s <= 100 for _, s in scores if s is not None)


def test_without_peer_data_everything_else_is_built(small_warehouse):
    assert small_warehouse.execute("select count(*) from marts.sg_landscape").fetchall() == [(0,)]
    assert small_warehouse.execute(
        "select count(*) from marts.sg_risks where risk_id = 'landscape'"
    ).fetchall() == [(0,)]
    assert small_warehouse.execute("select count(*) from marts.sg_relevance").fetchall()[0][0] > 0
    assert landscape_problems(small_warehouse).state == "absent"


def test_brief_sections(warehouse, small_warehouse):
    from pipelines.briefs.content import build_brief
    from pipelines.briefs.data import generation_time, load_brief_data

    brief = build_brief(load_brief_data(warehouse, "SG17", 2025), generation_time())
    section = next(s for s in brief.sections if s.title == "The landscape")
    labels = [getattr(b, "label", None) for b in section.blocks]
    assert "tab:landscape" in labels and "fig:landscape" in labels
    notes = " ".join(b.text for b in section.blocks if type(b).__name__ == "Note")
    assert "relaton-data-iso at commit iso01234" in notes and "etsi0123" in notes  # sources, commits
    assert "synthetic" not in notes  # the small raw directory has no DATASET.yaml: real
    texts = [s.text for s in brief.statements() if s.rule_id == "R13"]
    assert any("ETSI Cyber Security (similarity" in t for t in texts)
    assert any("SG17 falls behind a growing field" in t for t in texts)
    sector = build_brief(load_brief_data(warehouse, "sector", 2025), generation_time())
    assert any(t.label == "tab:landscape" for t in sector.tables())
    absent = build_brief(load_brief_data(small_warehouse, "SG17", 2024), generation_time())
    section = next(s for s in absent.sections if s.title == "The landscape")
    assert "absent" in section.blocks[0].text and not [s for s in absent.statements() if s.rule_id == "R13"]
