"""The landscape on hand-made inputs: similarity (against an independent TF-IDF), ranking, trends, indicators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipelines.analytics.landscape import (
    BOILERPLATE,
    MAX_DF,
    MIN_DF,
    TOKEN_PATTERN,
    Corpus,
    LandscapeConfig,
    LandscapeInputs,
    complete_years,
    landscape_indicators,
    landscape_tables,
    load_landscape_config,
    rank_committees,
)

SG_TEXTS = {
    "SG1": [
        "Cybersecurity framework for IoT devices",
        "Security of cryptographic key management",
        "Countering spam with security controls",
    ],
    "SG2": [
        "Video coding for multimedia streaming",
        "Audio visual codec quality assessment",
        "Multimedia streaming media transport",
    ],
    "SG3": [
        "Energy efficiency of data centres",
        "Power feeding and energy consumption of network equipment",
        "Environmental impact and circular economy of ICT",
    ],
}
COMMITTEES = {
    ("ETSI", "ETSI Cyber Security"): [
        "Cyber security for consumer IoT devices",
        "Cryptographic key management security",
        "Security controls for IoT devices baseline",
        "Spam and security incident reporting",
        "Key management for cybersecurity",
    ],
    ("3GPP", "3GPP TSG SA WG4"): [
        "Video codec for multimedia streaming services",
        "Audio codec quality test methods",
        "Multimedia streaming media transport over 5G",
        "Video coding profiles for streaming",
        "Audio visual quality assessment",
    ],
    ("ETSI", "ETSI EE"): [
        "Energy efficiency of network equipment",
        "Power feeding interfaces for data centres",
        "Energy consumption measurement of ICT equipment",
        "Circular economy and environmental impact of ICT",
        "Energy efficiency metrics for data centres",
    ],
    # Close to every SG a little: the hub correction keeps it from heading each list.
    ("IEEE", "IEEE Generic"): [
        "Security of IoT devices",
        "Video streaming media",
        "Energy efficiency of equipment",
        "Key management and multimedia transport",
        "Data centres power and security",
    ],
    # Specialised but less close than the generic one: the hub correction puts it ahead for SG1.
    ("ISO", "ISO/IEC JTC 1/SC 27"): [
        "Information security management systems",
        "Biometric information protection",
        "Privacy protection for cloud services",
        "Information security incident management",
        "Security evaluation criteria",
    ],
    ("ISO", "ISO/TC 34"): [
        "Milk and milk products sampling",
        "Cereals and pulses specifications",
        "Animal feed determination",
        "Fruit juices and vegetable products",
        "Spices and condiments methods",
    ],
    # Too small: fewer than five documents.
    ("W3C", "W3C Tiny"): ["Web security for IoT devices", "Cybersecurity of key management"],
}
AS_OF = 2023
# Publications per year (the trends are checked by hand below).
COMMITTEE_YEARS = {
    ("ETSI", "ETSI Cyber Security"): {2019: 2, 2020: 4, 2021: 6, 2022: 8, 2023: 10},
    ("3GPP", "3GPP TSG SA WG4"): {2018: 20, 2019: 20, 2020: 22, 2021: 18, 2022: 20, 2023: 3},
    ("ETSI", "ETSI EE"): {2019: 5, 2020: 5, 2021: 5, 2022: 5, 2023: 5},
    ("IEEE", "IEEE Generic"): {2019: 1, 2020: 2, 2021: 1, 2022: 1, 2023: 1},
    ("ISO", "ISO/TC 34"): {2019: 10, 2020: 10, 2021: 10, 2022: 10, 2023: 10},
    ("ISO", "ISO/IEC JTC 1/SC 27"): {2019: 4, 2020: 4, 2021: 4, 2022: 4, 2023: 4},
    ("W3C", "W3C Tiny"): {2022: 1, 2023: 1},
}
SG_OUTPUT = {
    "SG1": {2019: 10, 2020: 9, 2021: 8, 2022: 7, 2023: 6},
    "SG2": {2018: 4, 2019: 6, 2020: 8, 2021: 10, 2022: 12, 2023: 1},
    "SG3": {2019: 3, 2020: 3, 2021: 3, 2022: 3, 2023: 3},
}


def make_inputs() -> LandscapeInputs:
    sg_units = pd.DataFrame(
        [{"sg": sg, "text": t, "kind": "title"} for sg, texts in SG_TEXTS.items() for t in texts]
    )
    units = []
    for (sdo, committee), titles in COMMITTEES.items():
        for i, title in enumerate(titles):
            units.append(
                {
                    "sdo": sdo,
                    "committee": committee,
                    "document": f"{committee} {i}",
                    "year": AS_OF - i,
                    "title": title,
                    "ics": None,
                }
            )
    committee_years = pd.DataFrame(
        [
            {"sdo": sdo, "committee": c, "year": y, "publications": n}
            for (sdo, c), years in COMMITTEE_YEARS.items()
            for y, n in years.items()
        ]
    )
    sg_output = pd.DataFrame(
        [{"sg": sg, "year": y, "texts": n} for sg, years in SG_OUTPUT.items() for y, n in years.items()]
    )
    full = set(range(2010, 2024))
    return LandscapeInputs(
        as_of_year=AS_OF,
        sgs=sorted(SG_TEXTS),
        sg_window=(2020, 2023),
        sg_units=sg_units,
        committee_units=pd.DataFrame(units),
        committee_years=committee_years,
        sg_output=sg_output,
        # 3GPP's records end in October 2023: 2023 is partial for it.
        body_complete_years={"ETSI": full, "IEEE": full, "ISO": full, "W3C": full, "3GPP": full - {2023}},
        sg_complete_years=full,
    )


def config(**changes) -> LandscapeConfig:
    base = load_landscape_config().model_dump()
    base.update(
        committee_years=8,
        sg_abstracts=True,
        ics_topics=True,
        ngram_max=2,
        min_documents=5,
        threshold=0.05,
        hub_correction=True,
        top_n=5,
        trend_years=5,
        min_trend_publications=10,
    )
    base.update(changes)
    return LandscapeConfig(**base)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(make_inputs(), {})


def test_similarity_equals_an_independent_tfidf_of_the_pooled_texts(corpus):
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    # Words only: pooled texts then give the same counts as the units summed (no pairs across two titles).
    settings = config(ngram_max=1).base
    got = corpus.similarities(settings).set_index(["sg", "committee"])["similarity"]
    kept = [k for k, titles in COMMITTEES.items() if len(titles) >= settings.min_documents]
    docs = [" \n".join(SG_TEXTS[sg]) for sg in sorted(SG_TEXTS)] + [" \n".join(COMMITTEES[k]) for k in kept]
    vectorizer = TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | set(BOILERPLATE)),
        token_pattern=TOKEN_PATTERN,
        sublinear_tf=True,
        min_df=MIN_DF,
        max_df=MAX_DF,
    )
    matrix = vectorizer.fit_transform(docs)
    expected = cosine_similarity(matrix[:3], matrix[3:])
    for i, sg in enumerate(sorted(SG_TEXTS)):
        for j, (_, committee) in enumerate(kept):
            assert got[(sg, committee)] == pytest.approx(expected[i, j], abs=1e-12), (sg, committee)
    assert ((got >= 0) & (got <= 1)).all()


def test_ranking_with_and_without_the_hub_correction(corpus):
    settings = config().base
    sims = corpus.similarities(settings)
    assert set(sims["committee"]) == {c for _, c in COMMITTEES} - {"W3C Tiny"}  # below min_documents
    ranked = rank_committees(sims, settings)
    top = {sg: list(g.sort_values("rank")["committee"]) for sg, g in ranked.groupby("sg")}
    assert [t[0] for t in (top["SG1"], top["SG2"], top["SG3"])] == [
        "ETSI Cyber Security",
        "3GPP TSG SA WG4",
        "ETSI EE",
    ]
    assert all("ISO/TC 34" not in t for t in top.values())  # food: nothing in common
    # The specificity is the similarity less the committee's mean similarity over the three SGs.
    hub = sims[sims["committee"] == "IEEE Generic"]
    assert hub["specificity"].to_numpy() == pytest.approx(
        hub["similarity"].to_numpy() - hub["similarity"].mean(), abs=1e-12
    )
    # SG1: the generic committee is closer than JTC 1/SC 27 (0.41 against 0.32), but close to every SG.
    assert top["SG1"][:3] == ["ETSI Cyber Security", "ISO/IEC JTC 1/SC 27", "IEEE Generic"]
    plain_settings = config(hub_correction=False).base
    plain = rank_committees(corpus.similarities(plain_settings), plain_settings)
    assert list(plain[plain["sg"] == "SG1"].sort_values("rank")["committee"])[:3] == [
        "ETSI Cyber Security",
        "IEEE Generic",
        "ISO/IEC JTC 1/SC 27",
    ]


def test_trends_over_the_window_both_sides_cover(corpus):
    tables = landscape_tables(make_inputs(), config(), {})
    land = tables.landscape.set_index(["sg", "committee"])
    cyber = land.loc[("SG1", "ETSI Cyber Security")]
    # 2, 4, 6, 8, 10: every pairwise slope is 2, the median level 6.
    assert cyber["committee_trend"] == pytest.approx(2 / 6, abs=1e-12)
    # 10, 9, 8, 7, 6: slope -1, median 8.
    assert cyber["sg_trend"] == pytest.approx(-1 / 8, abs=1e-12)
    assert (cyber["trend_first_year"], cyber["trend_last_year"]) == (2019, 2023)
    assert (cyber["publications"], cyber["sg_texts"]) == (30, 40)
    # SG2's committees include 3GPP, whose 2023 is partial: its window ends in 2022 (3 in 2023 is not a fall).
    sa4 = land.loc[("SG2", "3GPP TSG SA WG4")]
    assert (sa4["trend_first_year"], sa4["trend_last_year"]) == (2018, 2022)
    # 20, 20, 22, 18, 20: median slope 0 -> stable; SG2 4..12 by 2: slope 2, median 8.
    assert sa4["committee_trend"] == pytest.approx(0.0, abs=1e-12)
    assert sa4["sg_trend"] == pytest.approx(2 / 8, abs=1e-12)
    # Below ten publications in the window: no trend.
    generic = land.loc[("SG1", "IEEE Generic")] if ("SG1", "IEEE Generic") in land.index else None
    if generic is not None:
        assert np.isnan(generic["committee_trend"])
    ee = land.loc[("SG3", "ETSI EE")]
    assert ee["committee_trend"] == pytest.approx(0.0) and ee["sg_trend"] == pytest.approx(0.0)


def test_series_is_indexed_to_the_first_year():
    tables = landscape_tables(make_inputs(), config(), {})
    series = tables.series
    sg1 = series[(series["sg"] == "SG1") & (series["kind"] == "study group")]
    assert sg1["year"].tolist() == [2019, 2020, 2021, 2022, 2023]
    assert sg1["output_index"].tolist() == pytest.approx([100, 90, 80, 70, 60])
    cyber = series[(series["sg"] == "SG1") & (series["series"] == "ETSI Cyber Security")]
    assert cyber["output_index"].tolist() == pytest.approx([100, 200, 300, 400, 500])


def test_indicators_divergence_and_pace():
    tables = landscape_tables(make_inputs(), config(), {})
    ind = landscape_indicators(tables.landscape).set_index("sg")
    sg1 = ind.loc["SG1"]
    field = sg1["field_trend"]
    assert sg1["sg_trend"] == pytest.approx(-0.125)
    assert sg1["pace"] == pytest.approx(-0.125 - field)
    # The field: ETSI Cyber Security +1/3, JTC 1/SC 27 0 (4 a year); the generic one has too few publications.
    assert field == pytest.approx((1 / 3 + 0) / 2)
    # The field grows (>= 5 %/yr) while SG1 shrinks (<= -5 %/yr): the gap.
    assert sg1["divergence"] == pytest.approx(-0.125 - field)
    # SG3's only committee with a trend is ETSI EE: one committee is not a field, so no field trend.
    assert np.isnan(ind.loc["SG3", "field_trend"]) and np.isnan(ind.loc["SG3", "divergence"])


def test_sensitivity_and_stability():
    tables = landscape_tables(make_inputs(), config(), {})
    sens = tables.sensitivity
    alternatives = list(load_landscape_config().alternatives)
    # A setting under which no committee qualifies (a 4-year window leaves four documents each) has no row.
    assert "base" in set(sens["setting"]) and set(sens["setting"]) <= {"base", *alternatives}
    assert "committee window 4 years" not in set(sens["setting"])
    assert (sens.groupby(["sg", "setting"])["rank"].max() <= 3).all()
    land = tables.landscape
    top3 = land[land["rank"] <= 3]
    assert top3["stability"].between(0, 1).all() and land.loc[land["rank"] > 3, "stability"].isna().all()
    cyber = land[(land["sg"] == "SG1") & (land["committee"] == "ETSI Cyber Security")].iloc[0]
    sg1 = sens[sens["sg"] == "SG1"]
    kept = [
        "ETSI Cyber Security" in set(sg1.loc[sg1["setting"] == name, "committee"]) for name in alternatives
    ]
    assert cyber["stability"] == pytest.approx(sum(kept) / len(alternatives))


def test_no_peer_data_gives_empty_typed_tables():
    inputs = make_inputs()
    inputs.committee_units = inputs.committee_units.iloc[0:0]
    tables = landscape_tables(inputs, config(), {})
    assert tables.landscape.empty and tables.series.empty and tables.sensitivity.empty
    assert tables.landscape["similarity"].dtype == "float64"


def test_complete_years_follow_the_31_day_rule():
    import datetime as dt

    assert complete_years(dt.date(2019, 1, 15), dt.date(2023, 10, 31)) == {2019, 2020, 2021, 2022}
    assert complete_years(dt.date(2019, 2, 1), dt.date(2023, 12, 1)) == {2019, 2020, 2021, 2022, 2023}


def test_config_rejects_unknown_alternatives(tmp_path):
    from pipelines.analytics import landscape

    bad = tmp_path / "landscape.yaml"
    text = landscape.CONFIG_FILE.read_text(encoding="utf-8") + "  typo: {threshhold: 0.1}\n"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="threshhold"):
        landscape.load_landscape_config.__wrapped__(bad)
