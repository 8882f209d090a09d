"""Real recommendations beside synthetic domains: `import`, then `sgpulse refresh` says which is which."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import yaml
from small_raw import write_small_raw
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.importers.dataset import mark_domain
from pipelines.ingest.errors import RawDataError
from pipelines.ingest.load import read_dataset_description

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_DATASET = """# The synthetic sample (as `sgpulse sample` writes it)
name: small sample
synthetic: true
notice: "SAMPLE DATA — synthetic: fictional organisations and people."
rows:
  recommendations: 3
"""


def test_import_then_refresh_names_real_and_synthetic_domains(tmp_path):
    raw = write_small_raw(tmp_path / "raw")
    (raw / "DATASET.yaml").write_text(SAMPLE_DATASET, encoding="utf-8")
    (raw / "recommendations" / "recommendations.csv").unlink()  # the sample's synthetic recommendations
    runner = CliRunner()

    imported = runner.invoke(app, ["import", "relaton", str(FIXTURES / "relaton"), "--raw", str(raw)])
    assert imported.exit_code == 0, imported.output
    assert "written       13" in imported.output and "before_since" in imported.output
    assert "DATASET.yaml: recommendations: real" in imported.output
    ob_csv = str(FIXTURES / "ob-approvals-sample.csv")
    enriched = runner.invoke(app, ["import", "ob-approvals", ob_csv, "--raw", str(raw)])
    assert enriched.exit_code == 0, enriched.output
    dataset = yaml.safe_load((raw / "DATASET.yaml").read_text(encoding="utf-8"))
    assert dataset["domains"] == {"recommendations": "real"} and dataset["synthetic"] is True
    assert (raw / "DATASET.yaml").read_text(encoding="utf-8").startswith("# The synthetic sample")

    warehouse = tmp_path / "wh.duckdb"
    result = runner.invoke(
        app, ["refresh", "--raw", str(raw), "--warehouse", str(warehouse), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert "MIXED DATA — real: Recommendations (relaton (relaton))" in result.output
    assert "approval process (ITU Operational Bulletin (ob-approvals-sample.csv))" in result.output
    assert "synthetic: membership, meetings, attendance, contributions, work items" in result.output
    assert "SAMPLE DATA — synthetic" not in result.output

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        (domains,) = conn.execute("select domains from meta.dataset").fetchall()[0]
        staged = dict(conn.execute("select rec_id, sg from staging.recommendations").fetchall())
        reasons = [r for (r,) in conn.execute("select reason from quarantine.recommendations").fetchall()]
        read = conn.execute(
            "select rows_read, rows_staged + rows_quarantined from meta.ingest_report "
            "where table_name = 'recommendations'"
        ).fetchall()[0]
    assert json.loads(domains)["recommendations"] == "real"
    assert json.loads(domains)["attendance"] == "synthetic"
    assert read == (13, 13)  # E.180 (2019), SG21 before it existed, is reported by the import
    # SGs the small study_groups table knows are staged; the others are quarantined with the reason.
    assert staged["J.1015"] == "SG9" and staged["X.1252"] == "SG17" and staged["H.266"] == "SG21"
    assert "sg 'SG16' not in study_groups" in reasons


def test_mark_domain_creates_updates_and_says_mixed(tmp_path):
    raw = tmp_path / "raw"
    (raw / "recommendations").mkdir(parents=True)
    (raw / "recommendations" / "relaton.csv").write_text("rec_id\nX.1\nX.2\n", encoding="utf-8")
    assert mark_domain(raw, "recommendations", "relaton.csv") == "real"
    assert yaml.safe_load((raw / "DATASET.yaml").read_text(encoding="utf-8")) == {
        "domains": {"recommendations": "real"},
        "rows": {"recommendations": 2},
    }
    # Beside a synthetic batch the table is mixed, and every other key stays.
    dataset = "name: s\nsynthetic: true\ndomains: {work_items: real}\n"
    (raw / "DATASET.yaml").write_text(dataset, encoding="utf-8")
    (raw / "recommendations" / "recommendations.csv").write_text("rec_id\nY.1\n", encoding="utf-8")
    window = {"recommendations": {"from": "2017-01-01", "to": "2026-08-21", "source": "relaton (test)"}}
    assert mark_domain(raw, "recommendations", "relaton.csv", coverage=window) == "mixed"
    assert yaml.safe_load((raw / "DATASET.yaml").read_text(encoding="utf-8")) == {
        "name": "s",
        "synthetic": True,
        "domains": {"work_items": "real", "recommendations": "mixed"},
        "rows": {"recommendations": 3},
        "coverage": window,
    }
    assert read_dataset_description(raw)["domains"]["recommendations"] == "mixed"
    assert read_dataset_description(raw)["domains"]["meetings"] == "synthetic"


@pytest.mark.parametrize(
    ("domains", "message"),
    [
        ("{nope: real}", "'nope' is not a raw table"),
        ("{meetings: fake}", "meetings is 'fake'"),
        ("[x]", "mapping"),
    ],
)
def test_dataset_domains_are_validated(tmp_path, domains, message):
    (tmp_path / "DATASET.yaml").write_text(f"synthetic: true\ndomains: {domains}\n", encoding="utf-8")
    with pytest.raises(RawDataError, match=message):
        read_dataset_description(tmp_path)
