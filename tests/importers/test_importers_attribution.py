"""The attribution rules: the shipped YAML loads, rules are guarded by today's SG, bad files fail clearly."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.importers.attribution import AttributionError, attribute, load_attribution, series_and_number


@pytest.fixture(scope="module")
def config():
    return load_attribution()


def test_periods_come_from_the_study_group_configuration(config):
    assert config.period_of(dt.date(2016, 6, 1)) == "2013-2016"
    assert config.period_of(dt.date(2021, 6, 1)) == "2017-2020"  # the period ran until WTSA-20 (March 2022)
    assert config.period_of(dt.date(2022, 3, 10)) == "2022-2024"
    assert config.period_of(dt.date(2024, 10, 25)) == "2025-2028"  # WTSA-24 closed on 24 October 2024
    assert config.period_of(dt.date(2003, 5, 30)) is None


@pytest.mark.parametrize(
    ("rec_id", "day", "current", "sg", "basis", "existed"),
    [
        ("J.1015", "2020-04-01", "SG21", "SG9", "historical: J-cable", True),
        ("H.264", "2023-06-01", "SG21", "SG16", "historical: H-multimedia", True),
        ("G.711.1", "2019-03-01", "SG21", "SG16", "historical: G700-speech-coding", True),
        ("G.709/Y.1331", "2019-03-01", "SG15", "SG15", "unchanged", True),  # same range, other SG today
        ("J.341", "2019-03-01", "SG12", "SG12", "unchanged", True),
        # No rule for the series and SG21 did not exist in 2019: reported by the importer, not written.
        ("E.180", "2019-05-01", "SG21", "SG21", "no rule", False),
        ("H.264", "2025-03-01", "SG21", "SG21", "current period", True),
        ("H.264", "2024-11-20", "SG21", "SG21", "current period", True),  # after WTSA-24
        # Before 2017: the same series rules as 2017-2020.
        ("H.264", "2003-05-30", "SG21", "SG16", "historical (before 2017): H-multimedia", True),
        ("J.83", "2015-06-01", "SG21", "SG9", "historical (before 2017): J-cable", True),
        ("X.1252", "2010-04-01", "SG17", "SG17", "unchanged", True),
        # SG20 was created in June 2015: an IoT text of 2012 cannot be SG20's.
        ("Y.4000/Y.2060", "2012-06-01", "SG20", "SG20", "unchanged", False),
    ],
)
def test_attribute(config, rec_id, day, current, sg, basis, existed):
    result = attribute(config, rec_id, dt.date.fromisoformat(day), current)
    assert (result.sg, result.basis, result.existed) == (sg, basis, existed)


def test_series_and_number():
    assert series_and_number("G.8011/Y.1307") == ("G", 8011)
    assert series_and_number("F Suppl. 4") == ("F", None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "version: '1'\nrules:\n  - {id: x, series: J, sg: {2025-2028: SG99}}\n",
            "SG99 is not a study group of 2025-2028",
        ),
        (
            "version: '1'\nrules:\n  - {id: x, series: J, sg: {2022-2024: SG9}}\n",
            "needs the 2025-2028 SG",
        ),
        (
            "version: '1'\nrules:\n  - {id: x, series: J, numbers: [9, 1], sg: {2025-2028: SG21}}\n",
            "run backwards",
        ),
        ("rules: [\n", "not valid YAML"),
        (
            "version: '1'\nrules:\n  - {id: x, series: J, sg: {2022-2024: SG21, 2025-2028: SG21}}\n",
            "SG21 is not a study group of 2022-2024",
        ),
    ],
)
def test_bad_files_fail_with_the_file_and_key(tmp_path, text, message):
    path = tmp_path / "attribution.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AttributionError, match=message) as err:
        load_attribution(path)
    assert str(path) in str(err.value)
