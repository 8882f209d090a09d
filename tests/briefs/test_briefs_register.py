"""The risk register aligned with ERM: the scoring (likelihood from the appetite, impact from the catalogue and the
SG's weight), the versioned catalogue, and the brief's register, change since last year and heat map equal
marts.sg_risks_history on the bundled sample (2025 against 2024)."""

from __future__ import annotations

import pytest
from briefs_fixture import SAMPLE_YEAR, assert_matches, bundled_sample, markdown_tables, sample_briefs

from pipelines.analytics import risk_register
from pipelines.analytics.targets import RiskAppetite, load_framework
from pipelines.briefs.register import LEVELS

YEAR = SAMPLE_YEAR
HIGHER = RiskAppetite(indicator="overdue_share", direction="higher is worse", medium=0.35, high=0.50)
LOWER = RiskAppetite(indicator="decline_trend", direction="lower is worse", medium=-0.03, high=-0.06)


@pytest.fixture(scope="module")
def sample():
    return bundled_sample()


@pytest.mark.parametrize(
    ("appetite", "value", "expected"),
    [
        (HIGHER, 0.20, 1),  # a band (0.15) or more inside the appetite
        (HIGHER, 0.21, 2),
        (HIGHER, 0.35, 3),  # on the medium threshold: medium level
        (HIGHER, 0.49, 3),
        (HIGHER, 0.50, 4),  # on the high threshold
        (HIGHER, 0.649, 4),
        (HIGHER, 0.65, 5),  # a band beyond high
        (LOWER, 0.0, 1),
        (LOWER, -0.01, 2),
        (LOWER, -0.03, 3),
        (LOWER, -0.06, 4),
        (LOWER, -0.104, 5),
        (LOWER, None, None),
    ],
)
def test_likelihood_counts_bands_from_the_medium_threshold(appetite, value, expected):
    assert risk_register.likelihood(value, appetite) == expected


def test_impact_is_the_base_moved_by_the_sgs_weight():
    reg = risk_register.register()
    kind = reg.risks["decline"]
    assert risk_register.impact(kind, 0.22, reg.scoring) == kind.impact + 1
    assert risk_register.impact(kind, 0.10, reg.scoring) == kind.impact
    assert risk_register.impact(kind, 0.01, reg.scoring) == kind.impact - 1
    assert risk_register.impact(kind, None, reg.scoring) == kind.impact


def test_the_catalogue_covers_every_risk_of_the_appetite_and_errors_name_the_key(tmp_path):
    reg = risk_register.register()
    reg.check_covers(load_framework().risk_appetite)
    assert reg.version
    bad = tmp_path / "risk_register.yaml"
    text = risk_register.REGISTER_FILE.read_text(encoding="utf-8").replace("owner: TSB", "owner: nobody", 1)
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(risk_register.RegisterError, match=r"risks\.diversity\.owner"):
        risk_register.load_register(bad)


def test_the_mart_scores_agree_with_its_levels(sample):
    rows = sample.execute(
        "select level, insufficient_data, likelihood, impact, risk_score from marts.sg_risks_history"
    ).df()
    levelled = rows[rows["level"].notna()]
    assert ((levelled["likelihood"] >= 3) == levelled["level"].isin(["medium", "high"])).all()
    assert ((levelled["likelihood"] >= 4) == (levelled["level"] == "high")).all()
    assert rows.loc[rows["level"].isna(), "likelihood"].isna().all()
    assert (levelled["risk_score"] == levelled["likelihood"] * levelled["impact"]).all()
    assert rows["impact"].between(1, 5).all()


def _brief(sample, scope: str):
    brief, markdown = sample_briefs(scope)[scope]
    return brief, markdown_tables(markdown)


def test_sg11_register_equals_the_mart_and_last_year(sample):
    brief, tables = _brief(sample, "SG11")
    rows = tables[f"Risk register of SG11, {YEAR}"]
    mart = sample.execute(
        "select * from marts.sg_risks_history where sg = 'SG11' and as_of_year in (?, ?)", [YEAR - 1, YEAR]
    ).df()
    assert len(rows) == int((mart["as_of_year"] == YEAR).sum())
    for row in rows:
        now = mart[(mart["as_of_year"] == YEAR) & (mart["risk"] == row["Risk"])].iloc[0]
        before = mart[(mart["as_of_year"] == YEAR - 1) & (mart["risk_id"] == now["risk_id"])].iloc[0]
        assert_matches(row["Value"].removesuffix(" a year"), now["value"], row["Risk"])
        assert row["Level"] == now["level"]
        assert row["Likelihood × impact"] == f"{now['likelihood']} × {now['impact']} = {now['risk_score']}"
        since = row[f"Since {YEAR - 1}"]
        step = LEVELS[now["level"]] - LEVELS[before["level"]]
        word = "unchanged" if step == 0 else "raised" if step > 0 else "lowered"
        assert since.startswith(f"{word}: {before['level']} in {YEAR - 1} at "), since
        assert_matches(since.rsplit(" at ", 1)[1].removesuffix(" a year"), before["value"], since)
    overdue = next(r for r in rows if r["Risk"] == "Work programme running late")
    assert overdue["Value"] == "59.2%" and overdue["Level"] == "high"
    controls = tables[f"Owners, controls in place and mitigation measures of SG11's risks, {YEAR}"]
    reg = risk_register.register()
    late = next(r for r in controls if r["Risk"] == "Work programme running late")
    assert late["Owner"] == reg.risks["capacity"].owner
    assert reg.risks["capacity"].mitigation[0] in late["Mitigation measures"]
    assert all(r["Mitigation measures"].startswith("none: level") for r in controls if r is not late)


def test_the_sector_heat_map_places_every_scored_risk(sample):
    brief, _ = _brief(sample, "sector")
    figure = next(f for f in brief.figures() if f.label == "fig:risk-heatmap")
    counts = {}
    for dataset in figure.spec["datasets"].values():
        for row in dataset:
            if "risks" in row:
                counts[(row["likelihood"], row["impact"])] = row["risks"]
    mart = sample.execute(
        "select likelihood, impact, count(*) as n from marts.sg_risks_history where as_of_year = ? "
        "and likelihood is not null group by all",
        [YEAR],
    ).fetchall()
    assert counts == {(int(x), int(y)): n for x, y, n in mart}
    assert sum(counts.values()) >= 50
