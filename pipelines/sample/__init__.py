"""Synthetic, seeded raw sample for sgpulse (`generate_sample`) and its committed reference data."""
