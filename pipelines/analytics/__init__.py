"""KPI targets, relevance, overlap and risk analytics (plain Python, no Dagster)."""
