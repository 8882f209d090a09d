"""The attribution rules: the shipped YAML loads, rules are guarded by today's SG, bad files fail clearly."""

from __future__ import annotations

import pytest

from pipelines.importers.attribution import AttributionError, attribute, load_attribution, series_and_number


@pytest.fixture(scope="module")
def config():
    return load_attribution()


def test_periods_follow_the_marts_convention(config):
    assert config.period_of(2016) is None
    assert config.period_of(2021) == "2017-2020"  # the period ran until WTSA-20 (March 2022)
    assert config.period_of(2022) == "2022-2024"
    assert config.period_of(2025) == "2025-2028"


@pytest.mark.parametrize(
    ("rec_id", "year", "current", "sg", "basis"),
    [
        ("J.1015", 2020, "SG21", "SG9", "historical: J-cable"),
        ("H.264", 2023, "SG21", "SG16", "historical: H-multimedia"),
        ("G.711.1", 2019, "SG21", "SG16", "historical: G700-speech-coding"),
        ("G.709/Y.1331", 2019, "SG15", "SG15", "unchanged"),  # same range, another SG today: rule not applied
        ("J.341", 2019, "SG12", "SG12", "unchanged"),
        ("E.180", 2019, "SG21", "SG21", "no rule"),
        ("H.264", 2025, "SG21", "SG21", "current period"),
        ("H.264", 2003, "SG21", "SG21", "before 2017"),
    ],
)
def test_attribute(config, rec_id, year, current, sg, basis):
    result = attribute(config, rec_id, year, current)
    assert (result.sg, result.basis) == (sg, basis)


def test_series_and_number():
    assert series_and_number("G.8011/Y.1307") == ("G", 8011)
    assert series_and_number("F Suppl. 4") == ("F", None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "version: '1'\nperiods: {2025-2028: [2025, 2028]}\nstudy_groups: {2025-2028: [SG21]}\nrules:\n"
            "  - {id: x, series: J, sg: {2025-2028: SG99}}\n",
            "SG99 is not a study group of 2025-2028",
        ),
        (
            "version: '1'\nperiods: {2025-2028: [2025, 2028]}\nstudy_groups: {2025-2028: [SG21]}\nrules:\n"
            "  - {id: x, series: J, sg: {2022-2024: SG9}}\n",
            "needs the 2025-2028 SG",
        ),
        (
            "version: '1'\nperiods: {2025-2028: [2025, 2028]}\nstudy_groups: {2025-2028: [SG21]}\nrules:\n"
            "  - {id: x, series: J, numbers: [9, 1], sg: {2025-2028: SG21}}\n",
            "run backwards",
        ),
        ("periods: [\n", "not valid YAML"),
    ],
)
def test_bad_files_fail_with_the_file_and_key(tmp_path, text, message):
    path = tmp_path / "attribution.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AttributionError, match=message) as err:
        load_attribution(path)
    assert str(path) in str(err.value)
