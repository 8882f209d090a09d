"""Data quality: expectation suites derived from the contracts, validated in DuckDB, and their outcomes."""
