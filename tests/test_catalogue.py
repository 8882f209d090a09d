"""The KPI catalogue is the one definition of every KPI: it matches the contract, the marts and docs/kpis.md."""

import re
from pathlib import Path

import pytest
from testkit import SHARED

from pipelines.catalogue import catalogue, load_catalogue, render_markdown

ROOT = Path(__file__).parent.parent
CONTRACT = SHARED / "contracts" / "kpis.md"
KEYS = {"sg", "year", "as_of_year", "itu_region", "category"}
# Columns the project adds to published marts beyond the contract ("the project may add columns"): the number of
# records a KPI rests on, where no contract column holds it.
PROJECT_COLUMNS = {"sg_year_kpis": {"cycle_basis", "gender_basis", "retention_basis"}}
PROJECT_COLUMNS["sector_year_kpis"] = PROJECT_COLUMNS["sg_year_kpis"]


def contract_columns() -> dict[str, set[str]]:
    """KPI columns per published mart, read from the contract's text."""
    text = CONTRACT.read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## marts\.(\w+).*?\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S))
    sg = set()
    for cell in re.findall(r"^\| ([a-z_, ]+) \|", sections["sg_year_kpis"], flags=re.M):
        sg |= {c.strip() for c in cell.split(",")}
    sg -= KEYS | {"column"}
    # "Additions to existing marts": `- sg_year_kpis, sector_year_kpis: `aap_basis` (...) and `aap_coverage` (...)`.
    for marts, body in re.findall(r"^- ([a-z_, ]+): (.*(?:\n  .*)*)", text, flags=re.M):
        if "sg_year_kpis" in marts:
            sg |= set(re.findall(r"`([a-z_]+)` \(", body))

    def prose(name: str) -> set[str]:
        # "members (active on ...), joined (...), left (...)." -> the words before each bracket or comma.
        body = re.sub(r"\([^()]*(\([^()]*\)[^()]*)*\)", "", sections[name].split("\n\n")[0])
        return {w.strip(" .") for w in body.replace("\n", " ").split(",") if w.strip(" .")}

    return {
        "sg_year_kpis": sg,
        "sector_year_kpis": sg,
        "membership_year": prose("membership_year"),
        "region_year": prose("region_year"),
    }


@pytest.mark.skipif(not CONTRACT.exists(), reason="../shared/contracts/kpis.md is not beside this checkout")
def test_every_contract_column_has_a_catalogue_entry_and_vice_versa():
    cat = catalogue()
    for mart, columns in contract_columns().items():
        assert columns, mart
        assert cat.columns_of(mart) == columns | PROJECT_COLUMNS.get(mart, set()), mart


def test_catalogue_matches_the_built_marts(small_warehouse):
    cat = catalogue()
    marts = {m for k in cat.kpis for m in k.marts}
    for mart in marts:
        built = {
            r[0]
            for r in small_warehouse.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?",
                [mart],
            ).fetchall()
        }
        assert built, f"marts.{mart} was not built"
        assert built - KEYS - {"question", "study_period", "via"} == cat.columns_of(mart), mart


def test_every_risk_indicator_is_in_the_catalogue(small_warehouse):
    built = {
        r[0] for r in small_warehouse.execute("select distinct indicator from marts.sg_risks").fetchall()
    }
    assert built, "marts.sg_risks is empty"
    assert built <= catalogue().indicators_of("sg_risks"), built - catalogue().indicators_of("sg_risks")


def test_every_risk_appetite_indicator_is_in_the_catalogue():
    from pipelines.analytics.targets import load_framework

    known = {k.column_name for k in catalogue().kpis}
    for risk_id, appetite in load_framework().risk_appetite.items():
        assert appetite.indicator in known, risk_id


def test_docs_page_is_generated_from_the_catalogue():
    assert (ROOT / "docs" / "kpis.md").read_text(encoding="utf-8") == render_markdown(catalogue()), (
        "docs/kpis.md is stale: run `sgpulse catalogue --write docs/kpis.md`"
    )


def test_invalid_catalogue_is_rejected(tmp_path):
    bad = tmp_path / "kpis.yaml"
    bad.write_text(
        "version: '1'\nkpis:\n  - id: x\n    name: X\n    definition: d\n    unit: u\n"
        "    direction: sideways\n    rbm_level: output\n    marts: [m]\n"
    )
    with pytest.raises(ValueError, match="direction"):
        load_catalogue(bad)
