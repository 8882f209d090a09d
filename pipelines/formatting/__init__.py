"""How every output writes what it shows: number formats per catalogue unit (`numbers`), small-cell
suppression of counts of people (`suppression`), the order of study groups (`ordering`) and their one
spelling (`names`).

Below both `pipelines.briefs` and `pipelines.charts` (briefs use charts, never the reverse): it imports
neither, so a chart, a brief, a notebook or an export cannot disagree on how a value is written.
"""
