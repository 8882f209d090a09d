"""The KPI contract's marts built from the optional raw tables (docs/optional-tables.md): empty without them."""

from __future__ import annotations

from pipelines.ingest.tables import EVENT_CATEGORIES, EVENT_KINDS, ITU_REGIONS
from pipelines.quality.contract import MartSpec
from pipelines.questionnaire import questionnaire


def optional_mart_specs() -> list[MartSpec]:
    """Marts of the optional tables events and consultation_responses (an empty mart is expected without them)."""
    q = questionnaire()
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
        MartSpec(
            "consultation_sg_year",
            ["sg", "year", "question", "category", "itu_region"],
            {
                "sg": "text",
                "year": "integer",
                "question": "text",
                "category": "text",
                "itu_region": "text",
                "responses": "integer",
                "mean": "float",
                "share_agreeing": "float",
                "suppressed": "boolean",
            },
            "The membership consultation per SG, year and question, small n suppressed.",
            value_sets={
                "question": q.ids(kind="likert"),
                "category": (*EVENT_CATEGORIES, "all"),
                "itu_region": (*ITU_REGIONS, "all"),
            },
            ranges={"responses": (1, None), "mean": (1, 5), "share_agreeing": (0, 1)},
            not_null=["sg", "year", "question", "category", "itu_region", "responses", "suppressed"],
            rules=[
                (
                    "rule:small n suppressed",
                    f"a cell of fewer than {q.min_responses} answers has no mean and no share agreeing",
                    f"select t.* from {{batch}} t where (t.responses < {q.min_responses}) <> t.suppressed "
                    "or (t.suppressed and (t.mean is not null or t.share_agreeing is not null))",
                )
            ],
            years=["year"],
            expect_rows=False,
        ),
    ]
