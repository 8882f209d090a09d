"""The raw-data contract as data: columns, required values, value sets, keys and foreign keys per table."""

from __future__ import annotations

from dataclasses import dataclass, field

STUDY_PERIODS = ("2017-2020", "2022-2024", "2025-2028")
ITU_REGIONS = ("Africa", "Americas", "Arab States", "Asia-Pacific", "CIS", "Europe")
DEVELOPMENT_STATUSES = ("developed", "developing", "LDC")
MEMBER_CATEGORIES = ("Member State", "Sector Member", "Associate", "Academia")
MEETING_KINDS = ("SG", "WP", "RG", "TSAG", "workshop", "CxO")
MEETING_FORMATS = ("physical", "hybrid", "virtual")
ROLES = ("delegate", "chair", "vice-chair", "rapporteur", "associate rapporteur", "editor", "liaison", "TSB")
MODES = ("on-site", "remote")
GENDERS = ("F", "M", "X")
DOC_TYPES = ("C", "TD", "LS-in", "LS-out")
OUTCOMES = ("agreed", "partly agreed", "noted", "withdrawn")
REC_KINDS = ("new", "revised", "amendment", "corrigendum", "supplement")
APPROVAL_PROCESSES = ("AAP", "TAP")
REC_STATUSES = ("in force", "superseded", "withdrawn")
WORK_ITEM_STATUSES = ("ongoing", "approved", "deleted")
PEER_BODIES = ("3GPP", "ETSI", "W3C", "ISO", "IEEE")
PEER_KINDS = ("version", "publication", "edition", "amendment", "corrigendum", "supplement")
DATE_PRECISIONS = ("day", "month", "year")
EVENT_KINDS = ("CxO meeting", "workshop", "forum", "webinar")
# Who took part in an event: the member categories, and people of organisations that are not ITU-T members.
EVENT_CATEGORIES = (*MEMBER_CATEGORIES, "Non-member")


@dataclass(frozen=True)
class Column:
    name: str
    # text | date | list (`;`-separated) | integer (a whole number, 0 or more) | masked (free text whose e-mail
    # and phone shapes are masked as it is read: pipelines/privacy.py)
    kind: str = "text"
    required: bool = False
    values: tuple[str, ...] | None = None  # allowed values, canonical spelling (matched case-insensitively)
    personal: bool = False  # personal data: never leaves ingest, replaced by a pseudonymous key


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]
    # Reason template; {0}, {1}... are the row's values of `columns`.
    reason: str


@dataclass(frozen=True)
class RowCheck:
    """A rule across columns: `bad` is a SQL condition on typed columns, `reason` a SQL string expression.

    `name` says what holds when no row is bad; it names the rule's data-quality check (`rule:<name>`).
    """

    name: str
    bad: str
    reason: str


@dataclass(frozen=True)
class DatedStudyGroup:
    """The row's study group must have existed on the row's date (config/study_groups.yaml).

    `successor_carries`: a successor may carry what its predecessors started (a work item started under SG9
    and moved to SG21 at WTSA-24), so a date on which a predecessor existed is accepted too.
    """

    date: str
    successor_carries: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    row_checks: tuple[RowCheck, ...] = ()
    # The `sg` column checked against the date the study group existed (after the foreign key to study_groups).
    sg_existed: DatedStudyGroup | None = None
    # Columns that hold organisation names, resolved to entities downstream.
    organisation_columns: tuple[str, ...] = field(default=())
    # An optional table may have no folder or no file: its staging and quarantine tables are then empty and
    # the ingest says it is absent (rather than stopping the run), and what depends on it says so too.
    optional: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _sg_fk(columns=("sg",), table="study_groups") -> ForeignKey:
    if columns == ("sg", "study_period"):
        return ForeignKey(columns, table, columns, "sg '{0}' not in study_groups for {1}")
    return ForeignKey(columns, table, ("sg",), "sg '{0}' not in study_groups")


def _country_fk(column: str) -> ForeignKey:
    return ForeignKey((column,), "countries", ("iso3",), column + " '{0}' not in countries")


def _ends_before_starts(end: str, start: str) -> RowCheck:
    return RowCheck(
        name=f"{end}_not_before_{start}",
        bad=f"{end} < {start}",
        reason=f"format('{end} {{}} is before {start} {{}}', {end}, {start})",
    )


def _questions():
    from pipelines.questionnaire import questionnaire

    return questionnaire()


def _consultation_checks() -> tuple[RowCheck, ...]:
    """An answer fits its question (config/questionnaire.yaml): a Likert answer 1-5 to a Likert question, text
    to a text question, and a study group named exactly when the question is about one."""
    q = _questions()

    def listed(ids) -> str:
        return "[" + ", ".join(f"'{i}'" for i in ids) + "]"

    likert, text, sector = (
        listed(q.ids(kind="likert")),
        listed(q.ids(kind="text")),
        listed(q.ids(about="sector")),
    )
    return (
        RowCheck(
            name="respondent_id_opaque",
            bad="respondent_id like '%<e-mail>%' or respondent_id like '%<phone>%'",
            reason="'respondent_id is shaped like an e-mail address or a phone number: use an opaque id'",
        ),
        RowCheck(
            name="likert_1_to_5",
            bad="likert not between 1 and 5",
            reason="format('likert {} is not 1 to 5', likert)",
        ),
        RowCheck(
            name="answer_fits_question",
            bad=f"(list_contains({likert}, question_id) and (likert is null or free_text is not null)) "
            f"or (list_contains({text}, question_id) and (free_text is null or likert is not null))",
            reason=f"format('question {{}} takes {{}}', question_id, "
            f"case when list_contains({likert}, question_id) then 'a likert answer 1-5 and no free_text' "
            "else 'free_text and no likert' end)",
        ),
        RowCheck(
            name="sg_fits_question",
            bad=f"list_contains({sector}, question_id) = (sg is not null)",
            reason=f"format('question {{}} is about {{}}', question_id, "
            f"case when list_contains({sector}, question_id) then 'ITU-T as a whole: sg must be empty' "
            "else 'one study group: sg is required' end)",
        ),
    )


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "countries",
        key=("iso3",),
        columns=(
            Column("iso3", required=True),
            Column("name", required=True),
            Column("itu_region", required=True, values=ITU_REGIONS),
            Column("development_status", required=True, values=DEVELOPMENT_STATUSES),
        ),
        row_checks=(
            RowCheck(
                name="iso3_format",
                bad="not regexp_full_match(iso3, '[A-Z]{3}')",
                reason="format('iso3 ''{}'' is not three upper-case letters', iso3)",
            ),
        ),
    ),
    TableSpec(
        "study_groups",
        key=("sg", "study_period"),
        columns=(
            Column("sg", required=True),
            Column("study_period", required=True, values=STUDY_PERIODS),
            Column("title", required=True),
            Column("successor_sg"),
        ),
        row_checks=(
            RowCheck(
                name="sg_format",
                bad="not regexp_full_match(sg, 'SG[0-9]{1,2}|TSAG')",
                reason="format('sg ''{}'' is not SG<n> or TSAG', sg)",
            ),
        ),
    ),
    TableSpec(
        "questions",
        key=("question", "study_period"),
        columns=(
            Column("question", required=True),
            Column("sg", required=True),
            Column("study_period", required=True, values=STUDY_PERIODS),
            Column("title", required=True),
        ),
        foreign_keys=(_sg_fk(("sg", "study_period")),),
    ),
    TableSpec(
        "members",
        key=("member_id",),
        columns=(
            Column("member_id", required=True),
            Column("name", required=True),
            Column("category", required=True, values=MEMBER_CATEGORIES),
            Column("country_iso3", required=True),
            Column("joined_on", kind="date", required=True),
            Column("left_on", kind="date"),
            Column("sgs", kind="list"),
        ),
        foreign_keys=(_country_fk("country_iso3"),),
        row_checks=(
            _ends_before_starts("left_on", "joined_on"),
            RowCheck(
                name="associate_in_one_sg",
                bad="category = 'Associate' and coalesce(len(sgs), 0) <> 1",
                reason="format('an Associate is registered in exactly one SG, found {}', coalesce(len(sgs), 0))",
            ),
            RowCheck(
                name="sgs_known",
                bad="len(list_filter(sgs, lambda x: not list_contains($known_sgs, x))) > 0",
                reason="format('sgs entry ''{}'' not in study_groups', "
                "list_filter(sgs, lambda x: not list_contains($known_sgs, x))[1])",
            ),
        ),
        organisation_columns=("name",),
    ),
    TableSpec(
        "org_aliases",
        key=("alias",),
        columns=(
            Column("alias", required=True),
            Column("member_id", required=True),
        ),
        foreign_keys=(
            ForeignKey(("member_id",), "members", ("member_id",), "member_id '{0}' not in members"),
        ),
        organisation_columns=("alias",),
    ),
    TableSpec(
        "meetings",
        key=("meeting_id",),
        columns=(
            Column("meeting_id", required=True),
            Column("sg", required=True),
            Column("kind", required=True, values=MEETING_KINDS),
            Column("start_date", kind="date", required=True),
            Column("end_date", kind="date", required=True),
            Column("city"),
            Column("country_iso3"),
            Column("format", required=True, values=MEETING_FORMATS),
        ),
        foreign_keys=(_sg_fk(), _country_fk("country_iso3")),
        row_checks=(_ends_before_starts("end_date", "start_date"),),
        sg_existed=DatedStudyGroup("start_date"),
    ),
    TableSpec(
        "attendance",
        key=("meeting_id", "participant_key"),
        columns=(
            Column("meeting_id", required=True),
            Column("participant_name", required=True, personal=True),
            Column("participant_email", personal=True),
            Column("organisation", required=True),
            Column("country_iso3", required=True),
            Column("role", required=True, values=ROLES),
            Column("mode", required=True, values=MODES),
            Column("gender", values=GENDERS),
        ),
        foreign_keys=(
            ForeignKey(("meeting_id",), "meetings", ("meeting_id",), "meeting_id '{0}' not in meetings"),
            _country_fk("country_iso3"),
        ),
        organisation_columns=("organisation",),
    ),
    TableSpec(
        "contributions",
        key=("document",),
        columns=(
            Column("document", required=True),
            Column("sg", required=True),
            Column("study_period", required=True, values=STUDY_PERIODS),
            Column("doc_type", required=True, values=DOC_TYPES),
            Column("meeting_id"),
            Column("submitted_on", kind="date", required=True),
            Column("questions", kind="list"),
            Column("sources", kind="list", required=True),
            Column("title", required=True),
            Column("counterpart"),
            Column("outcome", values=OUTCOMES),
        ),
        foreign_keys=(
            _sg_fk(("sg", "study_period")),
            ForeignKey(("meeting_id",), "meetings", ("meeting_id",), "meeting_id '{0}' not in meetings"),
        ),
        organisation_columns=("sources",),
        sg_existed=DatedStudyGroup("submitted_on"),
    ),
    TableSpec(
        "recommendations",
        key=("rec_id", "approved_on", "kind"),
        columns=(
            Column("rec_id", required=True),
            Column("approved_on", kind="date", required=True),
            Column("sg", required=True),
            Column("question"),
            Column("title", required=True),
            Column("kind", required=True, values=REC_KINDS),
            Column("approval_process", values=APPROVAL_PROCESSES),
            Column("status", required=True, values=REC_STATUSES),
            Column("work_item"),
            Column("abstract"),
        ),
        foreign_keys=(_sg_fk(),),
        sg_existed=DatedStudyGroup("approved_on"),
    ),
    TableSpec(
        "work_items",
        key=("work_item",),
        columns=(
            Column("work_item", required=True),
            Column("sg", required=True),
            Column("question"),
            Column("title", required=True),
            Column("started_on", kind="date", required=True),
            Column("target_on", kind="date"),
            Column("status", required=True, values=WORK_ITEM_STATUSES),
            Column("approved_as"),
        ),
        foreign_keys=(_sg_fk(),),
        row_checks=(_ends_before_starts("target_on", "started_on"),),
        sg_existed=DatedStudyGroup("started_on", successor_carries=True),
    ),
    # Publication records of peer standards bodies (sgpulse import peers): the landscape of each SG.
    TableSpec(
        "peer_publications",
        key=("sdo", "publication_id"),
        columns=(
            Column("sdo", required=True, values=PEER_BODIES),
            Column("publication_id", required=True),
            Column("document", required=True),
            Column("title", required=True),
            Column("published_on", kind="date", required=True),
            Column("date_precision", required=True, values=DATE_PRECISIONS),
            Column("committee", required=True),
            Column("kind", required=True, values=PEER_KINDS),
            Column("source", required=True),
            Column("source_commit", required=True),
            # Not required, but always staged (NULL when a batch lacks them): the landscape reads them.
            Column("committee_code"),
            Column("date_basis"),
            Column("ics", kind="list"),
        ),
        optional=True,
    ),
    # CxO meetings and industry events (docs/optional-tables.md): one row per event and participant group, the
    # participants of one member category from one ITU region, and the follow-up contributions they made.
    TableSpec(
        "events",
        key=("event_id", "category", "itu_region"),
        columns=(
            Column("event_id", required=True),
            Column("title", required=True),
            Column("kind", required=True, values=EVENT_KINDS),
            Column("event_date", kind="date", required=True),
            Column("category", required=True, values=EVENT_CATEGORIES),
            Column("itu_region", required=True, values=ITU_REGIONS),
            Column("participants", kind="integer", required=True),
            Column("follow_up_contributions", kind="integer"),
            Column("sg"),
            Column("country_iso3"),
        ),
        foreign_keys=(_sg_fk(), _country_fk("country_iso3")),
        optional=True,
    ),
    # The membership consultation (docs/consultation.md): one row per answer, no names.
    TableSpec(
        "consultation_responses",
        key=("respondent_id", "sg", "question_id"),
        columns=(
            Column("respondent_id", kind="masked", required=True),
            Column("responded_on", kind="date", required=True),
            Column("category", required=True, values=EVENT_CATEGORIES),
            Column("itu_region", required=True, values=ITU_REGIONS),
            Column("sg"),
            Column("question_id", required=True, values=_questions().ids()),
            Column("likert", kind="integer"),
            Column("free_text", kind="masked"),
        ),
        foreign_keys=(_sg_fk(),),
        row_checks=_consultation_checks(),
        optional=True,
    ),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}
TABLE_NAMES = tuple(t.name for t in TABLES)

# The data domains whose coverage the warehouse records (meta.dataset, marts.coverage), and the raw tables each
# is read from. The approval process is a domain of its own: it is often imported from another source (the ITU
# Operational Bulletin) than the Recommendations it describes.
DOMAIN_TABLES: dict[str, tuple[str, ...]] = {
    "membership": ("members", "org_aliases"),
    "meetings": ("meetings",),
    "attendance": ("attendance",),
    "contributions": ("contributions",),
    "recommendations": ("recommendations",),
    "approval_process": ("recommendations",),
    "work_items": ("work_items",),
    # Optional: only when the raw directory has the peer bodies' publication records (sgpulse import peers).
    "peer_publications": ("peer_publications",),
    # Optional: CxO meetings and industry events (enabler E6).
    "events": ("events",),
    # Optional: the membership consultation's answers.
    "consultation": ("consultation_responses",),
}
