"""Importers of real, public records into raw tables (plain functions returning DataFrames and a report).

- `relaton`: relaton ITU-T records -> the `recommendations` raw table (see docs/importers.md);
- `ob_approvals`: Operational Bulletin approval notices -> approval process and month on those rows;
- `attribution`: the study group responsible for an edition when it was approved (config/sg_attribution.yaml);
- `dataset`: marks the imported table `real` in the raw directory's DATASET.yaml;
- `cli`: the `sgpulse import ...` commands.

Nothing is imported here, so that `sgpulse --help` does not load pandas.
"""
