"""Charts for briefs and notebooks: pure functions from a DataFrame to an Altair chart (altair loaded lazily).

`kpi` has the per-scope KPI charts, `restructuring` the cross-SG ones (relevance, overlap, risks),
`export` turns a chart into SVG, PNG or a self-contained interactive HTML page through vl-convert.
Titles and axis labels come from the KPI catalogue; colours from the Okabe-Ito palette (`palette`).
"""
