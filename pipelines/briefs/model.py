"""The content model of a brief: one dataclass tree that the HTML, Word and Markdown renderers all walk.

Tables and figures carry a `label` (stable, e.g. "tab:kpis") and get their number when the brief is
finished; statements cite labels, and renderers turn them into "Table 1" / "Figure 2".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

WATERMARK = "SAMPLE DATA — synthetic"
_HAS_NUMBER = re.compile(r"\d")


@dataclass
class Paragraph:
    text: str


@dataclass
class Note:
    """A short remark in italics: a section that is not available, a method, a caveat."""

    text: str


@dataclass
class Statement:
    """A "what the evidence shows" sentence, made by a rule of `pipelines.briefs.rules` from the numbers."""

    rule_id: str
    text: str
    cites: list[str]

    def __post_init__(self) -> None:
        if not _HAS_NUMBER.search(self.text):
            raise ValueError(f"rule {self.rule_id}: a statement must state its numbers: {self.text!r}")
        if not self.cites:
            raise ValueError(f"rule {self.rule_id}: a statement must cite the table or figure it comes from")


@dataclass
class Table:
    label: str
    caption: str
    columns: list[str]
    rows: list[list[str]]
    source: str  # the warehouse tables the numbers come from
    align: list[str] | None = None  # "l" or "r" per column (default: first column left, the rest right)
    note: str = ""
    number: int = 0
    sortable: bool = False  # the HTML form sorts it by a click on a column heading

    def alignment(self) -> list[str]:
        return self.align or ["l", *(["r"] * (len(self.columns) - 1))]


@dataclass
class Figure:
    label: str
    caption: str
    name: str  # file stem of the exported chart, e.g. "participation"
    spec: dict  # the Vega-Lite specification (chart.to_dict())
    source: str
    interactive: bool = False  # also export an interactive HTML page for it
    alt_text: str = ""
    number: int = 0
    svg: str | None = None
    png: bytes | None = None
    png_scale: float = 2.0  # PNG pixels per chart pixel (the Word renderer sizes the picture from it)


@dataclass
class Statements:
    """The list of evidence statements of a section."""

    items: list[Statement]


Block = Paragraph | Note | Table | Figure | Statements


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    number: int = 0


@dataclass
class Brief:
    scope: str  # "SG17" ... or "sector"
    year: int
    title: str
    study_period: str
    generated_at: dt.datetime
    synthetic: bool
    notice: str
    summary: list[Paragraph | Statement]
    sections: list[Section]
    keywords: list[str] = field(default_factory=list)
    # The run's label (pipelines.coverage.DatasetLabel.banner): SAMPLE DATA — synthetic, MIXED DATA — real: ...;
    # synthetic: ..., or None for real data. Without one, the `synthetic` flag decides.
    banner: str | None = None
    # What the evidence site's index shows of the brief (pipelines.briefs.site.card): KPIs and flags.
    card: dict = field(default_factory=dict)

    @property
    def subject(self) -> str:
        """The document's subject (Word's core properties): what the brief is evidence on."""
        who = "the ITU-T sector" if self.scope == "sector" else self.scope
        return f"Evidence for TSAG on {who}, {self.year} (study period {self.study_period or 'n/a'})"

    @property
    def watermark(self) -> str | None:
        """The banner every page and header carries unless every domain is real; None for real data."""
        if self.banner:
            return self.banner
        return WATERMARK if self.synthetic else None

    @property
    def notice_detail(self) -> str:
        """The dataset notice without a leading copy of the watermark (the sample's notice starts with it)."""
        text = self.notice.strip()
        if text.startswith(WATERMARK):
            text = text[len(WATERMARK) :].lstrip(" :—-")
        if text and self.watermark and self.watermark != WATERMARK:
            return f"the synthetic domains: {text}"  # a mixed run: the notice describes the synthetic part
        return text

    def table_file(self, table: Table) -> str:
        """The name of a table's CSV: 'sector-2025-growth-participants.csv' for tab:growth-participants (not
        'brief-...': the brief's own files are the ones named so)."""
        return f"{self.scope}-{self.year}-{table.label.removeprefix('tab:').replace(':', '-')}.csv"

    @property
    def slug(self) -> str:
        return f"brief-{self.scope}-{self.year}"

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]

    def statements(self) -> list[Statement]:
        found = [s for s in self.summary if isinstance(s, Statement)]
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Statements):
                    found.extend(block.items)
        return found

    def finish(self) -> Brief:
        """Number the sections, tables and figures in reading order; check that every citation resolves."""
        for i, section in enumerate(self.sections, start=1):
            section.number = i
        for i, table in enumerate(self.tables(), start=1):
            table.number = i
        for i, figure in enumerate(self.figures(), start=1):
            figure.number = i
        labels = [t.label for t in self.tables()] + [f.label for f in self.figures()]
        duplicates = sorted({x for x in labels if labels.count(x) > 1})
        if duplicates:
            raise ValueError(f"duplicate labels in brief {self.slug}: {duplicates}")
        for statement in self.statements():
            for label in statement.cites:
                self.ref(label)
        return self

    def ref(self, label: str) -> str:
        """'Table 3' or 'Figure 2' for a label."""
        for table in self.tables():
            if table.label == label:
                return f"Table {table.number}"
        for figure in self.figures():
            if figure.label == label:
                return f"Figure {figure.number}"
        raise KeyError(f"brief {self.slug}: nothing is labelled {label!r}")

    def cite(self, statement: Statement) -> str:
        """The statement's text followed by its sources, e.g. '... (Table 1, Figure 2)'."""
        return f"{statement.text.rstrip('.')} ({', '.join(self.ref(label) for label in statement.cites)})."
