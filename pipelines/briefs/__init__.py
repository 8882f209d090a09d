"""Evidence briefs for TSAG: one content model per brief, rendered as HTML, Word (.docx) and Markdown.

Modules: `data` (what a brief reads from the published warehouse), `rules` (the "what the evidence shows"
statements), `model` (the content tree), `content` (data -> model), `render_html` / `render_docx` / `render_markdown`, and `build` (files on disk).
How values are written, the small-cell rule and SG order come from `pipelines.formatting`, which charts use
too. Nothing here imports altair or python-docx at module level.
"""
