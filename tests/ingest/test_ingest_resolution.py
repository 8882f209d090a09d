"""Resolution rules: normalisation, aliases, Member States by name or ISO3, unresolved names, weights."""

from __future__ import annotations

import pytest
from ingest_helpers import rows

from pipelines.ingest.normalise import normalise_email, normalise_org_name, normalise_person_name


@pytest.mark.parametrize(
    "name, normalised",
    [
        ("Alpha Networks Ltd", "alpha networks"),
        ("ALPHA NETWORKS", "alpha networks"),
        ("  Alpha   Networks  Ltd.  ", "alpha networks"),
        ("Alpha Networks Co., Ltd.", "alpha networks"),
        ("Alpha Networks Co.,Ltd", "alpha networks"),
        ("ＡＬＰＨＡ\u3000Ｎｅｔｗｏｒｋｓ", "alpha networks"),
        ("Beta Telecom GmbH", "beta telecom"),
        ("Beta-Telecom, GmbH.", "beta telecom"),
        ("Gamma S.A.", "gamma"),
        ("Delta Corp. Inc.", "delta"),
        ("A.B.C. Labs", "abc labs"),
        ("O'Reilly & Sons", "oreilly sons"),
        ("Straße AG", "strasse"),
        ("Co", "co"),  # a name is never reduced to nothing
        ("   ", None),
        ("...", None),
        (None, None),
    ],
)
def test_normalise_org_name(name, normalised):
    assert normalise_org_name(name) == normalised


def test_the_ascii_fast_path_gives_what_the_unicode_rules_give():
    import random
    import string
    import unicodedata

    from pipelines.ingest import normalise

    def by_the_rules(name: str) -> str | None:
        text = unicodedata.normalize("NFKC", name).casefold().translate(normalise._DELETE)
        text = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
        tokens = normalise._SPACES.split(text.strip())
        while len(tokens) > 1 and tokens[-1] in normalise.LEGAL_SUFFIXES:
            tokens.pop()
        return " ".join(t for t in tokens if t) or None

    rng = random.Random(20251129)
    alphabet = [chr(c) for c in range(128)]
    words = ["Alpha", "LTD", "co", "GmbH", "S.A.", "Inc.", "A&B", "x-y", "(Pty)", "plc", "_", "~"]
    names = [*alphabet, string.punctuation, string.whitespace]
    names += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    names += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 5))) for _ in range(3000)]
    assert all(name.isascii() for name in names)
    assert [normalise_org_name(n) for n in names] == [by_the_rules(n) for n in names]


def test_normalise_email_and_person_name():
    assert normalise_email(" Ada.Quill@Alpha.example ") == "ada.quill@alpha.example"
    assert normalise_email("ada. quill@ALPHA.example") == "ada.quill@alpha.example"
    assert normalise_email("  ") is None
    assert normalise_email(None) is None
    assert normalise_person_name("  Cy   MARL ") == "cy marl"
    assert normalise_person_name("Ｃｙ Marl") == "cy marl"
    assert normalise_person_name("") is None


# Every organisation-like string of the published fixture, resolved (entity, how).
EXPECTED_NAMES = {
    "Alpha Networks Ltd": ("SM-1", "member name"),
    "ALPHA NETWORKS": ("SM-1", "member name"),
    "ＡＬＰＨＡ\u3000Networks Co., Ltd.": ("SM-1", "member name"),
    "anw": ("SM-1", "alias"),
    "ANW": ("SM-1", "alias"),
    "Beta Telecom GmbH": ("SM-2", "member name"),
    "Beta-Telecom, GmbH.": ("SM-2", "member name"),
    "Beta Tel": ("SM-2", "alias"),
    "Gamma Labs": ("AS-1", "member name"),
    "University of Delta": ("AC-1", "member name"),
    "Kenya": ("MS-KEN", "member name"),
    "KEN": ("MS-KEN", "iso3"),
    "Switzerland": ("MS-CHE", "member name"),
    "Egypt": ("MS-EGY", "country name"),
    "egy": ("MS-EGY", "iso3"),
    "EGY": ("MS-EGY", "iso3"),
    "Arab Republic of Egypt": ("MS-EGY", "member name"),
    "Orbis Consulting": ("unresolved:orbis consulting", None),
    "ORBIS CONSULTING LLC": ("unresolved:orbis consulting", None),
}


@pytest.fixture(scope="module")
def conn(published):
    with published.connect() as connection:
        yield connection


@pytest.mark.parametrize("name", list(EXPECTED_NAMES))
def test_int_organisation_names_resolves(conn, name):
    entity, matched_by = EXPECTED_NAMES[name]
    assert rows(
        conn,
        "select entity_id, is_resolved, matched_by from intermediate.int_organisation_names where name = ?",
        [name],
    ) == [(entity, not entity.startswith("unresolved:"), matched_by)]


def test_country_without_member_state_stays_unresolved(conn):
    # USA is a country but has no Member State member in the fixture.
    assert rows(
        conn, "select entity_id, is_resolved from intermediate.int_organisation_names where name = 'USA'"
    ) == [("unresolved:usa", False)]


def test_unresolved_name_is_one_entity_without_category_or_country(conn):
    assert rows(
        conn,
        "select entity_id, name, category, country_iso3, itu_region, development_status, is_resolved "
        "from core.dim_entity where not is_resolved",
    ) == [("unresolved:orbis consulting", "orbis consulting", None, None, None, None, False)]
    assert rows(conn, "select count(*) from core.dim_entity where is_resolved") == [(7,)]


EXPECTED_WEIGHTS = {
    "T22-SG17-C-0001": {"SM-1": 1.0},
    "T22-SG17-C-0002": {"SM-1": 0.5, "MS-KEN": 0.5},
    # Alias and member name of the same organisation count once.
    "T22-SG17-C-0003": {"SM-2": 0.5, "AC-1": 0.5},
    "T22-SG17-C-0004": {"unresolved:orbis consulting": 1.0},
    "T22-SG17-C-0005": {"AS-1": 0.5, "MS-KEN": 0.5},
    "T22-SG17-C-0006": {"SM-1": 1.0},
    "T22-SG17-C-0007": {"SM-2": 1.0},
    "T22-SG17-C-0008": {"SM-1": 1.0},
    "T22-SG17-C-0009": {"MS-EGY": 1.0},
    # Two spellings of one unresolved organisation count once, beside a Member State given by ISO3.
    "T22-SG17-C-0010": {"MS-EGY": 0.5, "unresolved:orbis consulting": 0.5},
    "T22-SG17-LS-0001": {"MS-KEN": 1.0},
    "T22-SG17-LS-0002": {"MS-CHE": 1.0},
    "T22-SG17-TD-0001": {"SM-1": 1.0},
}


def test_fct_contribution_source_weights(conn):
    found: dict[str, dict[str, float]] = {}
    for document, entity, weight in rows(
        conn, "select document, entity_id, weight from core.fct_contribution_source"
    ):
        found.setdefault(document, {})[entity] = pytest.approx(float(weight))
    assert found == EXPECTED_WEIGHTS
    sums = rows(conn, "select document, sum(weight) from core.fct_contribution_source group by 1 order by 1")
    # Fixed-point (DECIMAL): a document of three sources sums to 0.999999999999999.
    assert all(abs(float(total) - 1.0) < 1e-9 for _, total in sums)


def test_fct_contribution_source_carries_entity_attributes(conn):
    assert rows(
        conn,
        "select category, country_iso3, is_developing from core.fct_contribution_source "
        "where document = 'T22-SG17-C-0005' order by entity_id",
    ) == [("Associate", "KEN", True), ("Member State", "KEN", True)]
    assert rows(
        conn,
        "select category, country_iso3, is_developing from core.fct_contribution_source "
        "where document = 'T22-SG17-C-0004'",
    ) == [(None, None, None)]


def test_unresolved_attendance_still_counted(conn):
    assert rows(
        conn, "select entity_id from core.fct_attendance where meeting_id = 'SG17-2023-2' order by source_row"
    ) == [("SM-1",), ("unresolved:orbis consulting",)]
