"""Reading, validating, resolving and pseudonymising the raw tables (plain Python, no Dagster)."""
