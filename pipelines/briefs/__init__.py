"""Evidence briefs for TSAG: one content model per brief, rendered as HTML, Word (.docx) and Markdown.

Modules: `suppression` (small-cell rule), `numbers` (how values are written), `data` (what a brief reads from
the published warehouse), `rules` (the "what the evidence shows" statements), `model` (the content tree),
`content` (data -> model), `render_html` / `render_docx` / `render_markdown`, and `build` (files on disk).
Nothing here imports altair or python-docx at module level.
"""
