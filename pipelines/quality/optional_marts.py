"""The KPI contract's marts built from the optional raw tables (docs/optional-tables.md): empty without them."""

from __future__ import annotations

from pipelines.ingest.tables import EVENT_KINDS
from pipelines.quality.contract import MartSpec


def optional_mart_specs() -> list[MartSpec]:
    """Marts of the optional tables events and consultation_responses (an empty mart is expected without them)."""
    return [
        MartSpec(
            "event_year",
            ["year", "kind"],
            {
                "year": "integer",
                "kind": "text",
                "events": "integer",
                "participants": "integer",
                "industry_participants": "integer",
                "most_regions": "integer",
                "follow_up_contributions": "integer",
                "events_with_follow_up": "integer",
                "partial": "boolean",
            },
            "CxO meetings and industry events per year and kind.",
            value_sets={"kind": EVENT_KINDS},
            ranges={
                "events": (1, None),
                "participants": (0, None),
                "industry_participants": (0, None),
                "most_regions": (0, 6),
                "follow_up_contributions": (0, None),
                "events_with_follow_up": (0, None),
            },
            not_null=["year", "kind", "events", "events_with_follow_up", "partial"],
            pairs=[
                ("participants", "industry_participants", True),
                ("events", "events_with_follow_up", True),
            ],
            years=["year"],
            expect_rows=False,
        ),
    ]
