"""The Markdown form of a brief: the same content model, figures as links to the exported SVG files."""

from __future__ import annotations

from pipelines.briefs.model import Brief, Figure, Note, Paragraph, Statement, Statements, Table

SOURCE = "sgpulse"


def _escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table_markdown(brief: Brief, table: Table) -> list[str]:
    align = {"l": ":---", "r": "---:"}
    lines = [
        f"**Table {table.number} – {table.caption}**",
        "",
        "| " + " | ".join(_escape(c) for c in table.columns) + " |",
        "| " + " | ".join(align[a] for a in table.alignment()) + " |",
    ]
    lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in table.rows]
    note = f" {table.note}" if table.note else ""
    return [*lines, "", f"*Source: {table.source}.{note}*", ""]


def figure_markdown(figure: Figure, chart_dir: str) -> list[str]:
    caption = f"Figure {figure.number} – {figure.caption}"
    lines = [f"![{caption}]({chart_dir}/{figure.name}.svg)", "", f"*{caption}. Source: {figure.source}.*"]
    if figure.interactive:
        lines[-1] = lines[-1][:-1] + f" [Interactive version]({chart_dir}/{figure.name}.html).*"
    return [*lines, ""]


def render_markdown(brief: Brief, chart_dir: str = "charts") -> str:
    lines: list[str] = []
    if brief.watermark:
        detail = f" — {brief.notice_detail}" if brief.notice_detail else ""
        lines += [f"**{brief.watermark}**{detail}", ""]
    lines += [
        f"# {brief.title}",
        "",
        "| | |",
        "|---|---|",
        "| Group | TSAG |",
        f"| Study period | {brief.study_period or 'n/a'} |",
        f"| Source | {SOURCE} |",
        f"| Title | {_escape(brief.title)} |",
        f"| Date | {brief.generated_at.date().isoformat()} |",
        "| Purpose | Information |",
        f"| Keywords | {', '.join(brief.keywords)} |",
        "",
        "## Summary",
        "",
    ]
    for item in brief.summary:
        if isinstance(item, Paragraph):
            lines += [item.text, ""]
        else:
            lines.append(f"- {brief.cite(item)} [{item.rule_id}]")
    lines.append("")
    for section in brief.sections:
        lines += [f"## {section.number} {section.title}", ""]
        for block in section.blocks:
            if isinstance(block, Table):
                lines += table_markdown(brief, block)
            elif isinstance(block, Figure):
                lines += figure_markdown(block, chart_dir)
            elif isinstance(block, Statements):
                lines += [f"- {brief.cite(s)} [{s.rule_id}]" for s in block.items] + [""]
            elif isinstance(block, Note):
                lines += [f"*{block.text}*", ""]
            elif isinstance(block, Paragraph):
                lines += [block.text, ""]
            elif isinstance(block, Statement):  # pragma: no cover - statements live in Statements blocks
                lines += [f"- {brief.cite(block)}", ""]
    return "\n".join(lines).rstrip() + "\n"
