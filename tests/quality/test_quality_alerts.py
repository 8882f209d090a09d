"""Alerts reach a real SMTP server, a real HTTP webhook and the alert log; configuration is validated; an
unreachable channel is retried, logged, and never raises; alerts carry no personal data."""

from __future__ import annotations

import json
from email import message_from_bytes, policy

import pytest
from quality_helpers import SmtpServer, WebhookServer, free_port

from pipelines.alerts.channels import dispatch, with_retries
from pipelines.alerts.config import AlertConfig, AlertConfigError, load_alert_config
from pipelines.alerts.message import failed_run_alert, scrub, warnings_alert
from pipelines.quality.engine import Outcome
from pipelines.quality.results import SuiteResult


def _result(suite: str, severity: str, rows: int, refs: list[str]) -> SuiteResult:
    failing = Outcome(
        suite,
        "not_null:meeting_id",
        "expect_column_values_to_not_be_null",
        severity,
        False,
        {"column": "meeting_id"},
        "meeting_id is never missing",
        rows,
        10,
        refs,
    )
    passing = Outcome(
        suite, "columns", "expect_table_columns_to_match_set", "critical", True, {}, "has columns"
    )
    return SuiteResult(suite, "run-1", "2026-01-05T03:00:00+00:00", {}, [passing, failing])


def _env(smtp: SmtpServer, hook: WebhookServer, out, **extra) -> dict[str, str]:
    return {
        "SGPULSE_ALERT_SMTP_HOST": "127.0.0.1",
        "SGPULSE_ALERT_SMTP_PORT": str(smtp.port),
        "SGPULSE_ALERT_EMAIL_FROM": "sgpulse@example.org",
        "SGPULSE_ALERT_EMAIL_TO": "tsb-data@example.org, maintainer@example.org",
        "SGPULSE_ALERT_WEBHOOK_URL": hook.url,
        "SGPULSE_DAGSTER_URL": "http://dagster.example.org:3000/",
        "SGPULSE_ALERT_LOG": str(out / "alerts.jsonl"),
        **extra,
    }


def test_a_blocking_failure_reaches_email_webhook_and_log(tmp_path):
    results = [_result("staging.attendance", "critical", 2, ["attendance/a.csv:4", "attendance/a.csv:9"])]
    with SmtpServer() as smtp, WebhookServer() as hook:
        config = load_alert_config(_env(smtp, hook, tmp_path))
        alert = failed_run_alert(
            "run-1", "DagsterAssetCheckFailedError", results, dagster_url=config.dagster_url
        )
        deliveries = dispatch(alert, config, tmp_path)
    assert [(d.channel, d.delivered, d.attempts) for d in deliveries] == [
        ("log", True, 1),
        ("email", True, 1),
        ("webhook", True, 1),
    ]

    (envelope,) = smtp.messages
    assert envelope.rcpt_tos == ["tsb-data@example.org", "maintainer@example.org"]
    email = message_from_bytes(envelope.content, policy=policy.default)
    assert email["Subject"].startswith(
        "[sgpulse] ERROR: blocking data-quality check failed on staging.attendance"
    )
    body = email.get_content()
    for text in (
        "Run: run-1",
        "http://dagster.example.org:3000/runs/run-1",
        "staging.attendance / not_null: not_null:meeting_id: 2 rows (attendance/a.csv:4, attendance/a.csv:9)",
    ):
        assert text in body

    (post,) = hook.received
    assert post["content_type"] == "application/json" and post["path"] == "/hooks/sgpulse"
    assert set(post["json"]) == {"text"}  # the body both Slack and Teams incoming webhooks accept
    assert "not_null:meeting_id: 2 rows (attendance/a.csv:4, attendance/a.csv:9)" in post["json"]["text"]

    (line,) = (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert (
        record["event"] == "alert"
        and record["kind"] == "blocking_check_failed"
        and record["run_id"] == "run-1"
    )
    assert record["failures"][0]["failed_rows"] == 2
    assert record["failures"][0]["sample_refs"] == ["attendance/a.csv:4", "attendance/a.csv:9"]


def test_warnings_alert_only_above_the_threshold():
    results = [
        _result("quarantine.attendance", "warning", 1, ["attendance/a.csv:12"]),
        _result("quarantine.meetings", "warning", 1, ["meetings/m.csv:3"]),
    ]
    assert warnings_alert("r", results, threshold=2) is None
    alert = warnings_alert("r", results, threshold=1)
    assert alert.kind == "warnings" and alert.severity == "warning"
    assert alert.summary == "2 new data-quality warnings on 2 tables (2 rows); run succeeded"


def test_an_unreachable_channel_is_retried_with_backoff_logged_and_never_raises(tmp_path):
    dead = free_port()  # nothing listens there
    config = load_alert_config(
        {
            "SGPULSE_ALERT_SMTP_HOST": "127.0.0.1",
            "SGPULSE_ALERT_SMTP_PORT": str(dead),
            "SGPULSE_ALERT_EMAIL_FROM": "a@example.org",
            "SGPULSE_ALERT_EMAIL_TO": "b@example.org",
            "SGPULSE_ALERT_WEBHOOK_URL": f"http://127.0.0.1:{dead}/hook",
            "SGPULSE_ALERT_RETRIES": "2",
            "SGPULSE_ALERT_BACKOFF_SECONDS": "0",
        }
    )
    alert = failed_run_alert("run-9", "raw/x.csv: not valid UTF-8", [])
    messages = []
    deliveries = dispatch(alert, config, tmp_path, log=messages.append)
    assert [(d.channel, d.delivered, d.attempts) for d in deliveries] == [
        ("log", True, 1),
        ("email", False, 3),
        ("webhook", False, 3),
    ]
    lines = [json.loads(x) for x in (tmp_path / "quality" / "alerts.jsonl").read_text().splitlines()]
    assert [x["event"] for x in lines] == ["alert", "delivery_failed", "delivery_failed"]
    assert lines[0]["summary"] == "refresh run failed, warehouse unchanged: raw/x.csv: not valid UTF-8"
    assert "ConnectionRefusedError" in lines[1]["error"] and lines[1]["attempts"] == 3
    assert len(messages) == 2 and "unreachable after 3 attempts" in messages[0]


def test_backoff_doubles_between_attempts_and_stops_at_the_bound():
    waits, calls = [], []

    def always_fails():
        calls.append(1)
        raise TimeoutError("timed out")

    assert with_retries(always_fails, retries=3, backoff_seconds=0.5, sleep=waits.append) == (
        4,
        "TimeoutError: timed out",
    )
    assert waits == [0.5, 1.0, 2.0] and len(calls) == 4
    errors = iter([OSError("down")])

    def fails_once():
        error = next(errors, None)
        if error:
            raise error

    assert with_retries(fails_once, retries=3, backoff_seconds=0, sleep=waits.append) == (2, None)


def test_a_webhook_answering_an_error_is_a_failed_delivery(tmp_path):
    with WebhookServer(status=500) as hook:
        config = AlertConfig.model_validate(
            {"webhook": {"url": hook.url}, "retries": 1, "backoff_seconds": 0}
        )
        (log, webhook) = dispatch(failed_run_alert("r", "boom", []), config, tmp_path)
    assert log.delivered and not webhook.delivered and webhook.attempts == 2 and len(hook.received) == 2
    assert hook.url not in (webhook.error or "")


def test_configuration_from_yaml_with_environment_overrides(tmp_path):
    path = tmp_path / "alerts.yaml"
    path.write_text(
        "email:\n  host: smtp.example.org\n  port: 587\n  security: starttls\n"
        "  sender: sgpulse@example.org\n  recipients: [a@example.org]\nwarnings_threshold: 5\n",
        encoding="utf-8",
    )
    config = load_alert_config(
        {
            "SGPULSE_ALERTS_FILE": str(path),
            "SGPULSE_ALERT_SMTP_PASSWORD": "s3cret",
            "SGPULSE_ALERT_WARNINGS_THRESHOLD": "0",
        }
    )
    assert config.email.port == 587 and config.email.security == "starttls"
    assert config.email.password.get_secret_value() == "s3cret" and "s3cret" not in repr(config)
    assert config.warnings_threshold == 0 and config.webhook is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SGPULSE_ALERT_SMTP_HOST": "smtp.example.org"}, "email.sender: Field required"),
        ({"SGPULSE_ALERT_WEBHOOK_URL": "ftp://x"}, "webhook.url: Value error, must be an http"),
        ({"SGPULSE_ALERT_RETRIES": "99"}, "retries: Input should be less than or equal to 10"),
    ],
)
def test_a_bad_setting_is_named(env, message):
    with pytest.raises(AlertConfigError, match=message):
        load_alert_config(env)


def test_alerts_carry_no_personal_data():
    assert scrub("Conversion Error: could not convert 'ada.quill@alpha.example' to DATE\nmore") == (
        "Conversion Error: could not convert '<e-mail>' to DATE"
    )
    alert = failed_run_alert("r", "value 'Fay.Tern@gamma.example' is wrong", [])
    assert "@" not in alert.text() and "Fay" not in json.dumps(alert.to_json())


def test_the_example_configuration_is_valid():
    from pipelines.alerts.config import load_alert_config as load
    from pipelines.quality.suites import EXPECTATIONS_DIR

    config = load({}, EXPECTATIONS_DIR.parent / "config" / "alerts.example.yaml")
    assert config.email.security == "starttls" and config.webhook is None


# A webhook answering one byte every 0.5 s (and an SMTP server greeting the same way) would hold the run for
# minutes: every read returns within the socket timeout. The deadline bounds the whole delivery instead.
SLOW_HTTP = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + b" " * 200
SLOW_SMTP = b"220 " + b"x" * 300 + b"\r\n"


def test_a_slow_channel_is_cut_off_at_the_delivery_deadline(tmp_path):
    import time

    from quality_helpers import DripServer

    with DripServer(SLOW_HTTP) as http, DripServer(SLOW_SMTP) as smtp:
        config = load_alert_config(
            {
                "SGPULSE_ALERT_SMTP_HOST": "127.0.0.1",
                "SGPULSE_ALERT_SMTP_PORT": str(smtp.port),
                "SGPULSE_ALERT_EMAIL_FROM": "a@example.org",
                "SGPULSE_ALERT_EMAIL_TO": "b@example.org",
                "SGPULSE_ALERT_WEBHOOK_URL": f"http://127.0.0.1:{http.port}/hook",
                "SGPULSE_ALERT_RETRIES": "3",
                "SGPULSE_ALERT_BACKOFF_SECONDS": "0.2",
                "SGPULSE_ALERT_DEADLINE_SECONDS": "2",
            }
        )
        started = time.monotonic()
        deliveries = dispatch(failed_run_alert("run-slow", "boom", []), config, tmp_path)
        waited = time.monotonic() - started
    # Both channels are delivered side by side, each within its deadline: the run waits 2 s, not 2 x 2 s.
    assert waited < 3.5, f"dispatch took {waited:.1f} s"
    by_channel = {d.channel: d for d in deliveries}
    assert by_channel["log"].delivered
    for channel in ("email", "webhook"):
        assert not by_channel[channel].delivered
        assert "deadline of 2 s" in by_channel[channel].error


def test_retries_and_backoff_stay_inside_the_deadline():
    clock = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        clock[0] += seconds

    def fails_after_a_second():
        clock[0] += 1.0
        raise TimeoutError("timed out")

    attempts, error = with_retries(
        fails_after_a_second,
        retries=10,
        backoff_seconds=1.0,
        sleep=sleep,
        deadline=5.0,
        clock=lambda: clock[0],
    )
    # 1 s try, 1 s wait, 1 s try, 2 s wait: no time left for a 4 s wait and a try within 5 s.
    assert (attempts, waits) == (2, [1.0])
    assert clock[0] <= 5.0 and error.startswith("TimeoutError")


def test_alerts_are_a_digest_of_what_changed_across_three_runs(tmp_path, monkeypatch):
    """Run 1 alerts two new warnings; run 2, with the same two, alerts nothing on any channel; run 3 alerts
    the one new warning in full, counts the one still open and lists the one resolved, on every channel."""
    from pipelines.alerts import notify
    from pipelines.quality.results import save_results

    monkeypatch.setattr(notify, "_docs", lambda *args, **kwargs: None)  # Data Docs are tested elsewhere

    def outcome(suite, check, failing, rows=1, ref="a.csv:3"):
        return Outcome(
            suite,
            check,
            "t",
            "warning",
            not failing,
            {},
            "d",
            rows if failing else 0,
            10,
            [ref] if failing else [],
        )

    def run(run_id: str, quarantined: bool, plausible: bool, empty_risks: bool):
        results = [
            SuiteResult("quarantine.attendance", run_id, "2026-01-05T03:00:00+00:00", {},
                        [outcome("quarantine.attendance", "no_rows_quarantined", quarantined)]),
            SuiteResult("staging.meetings", run_id, "2026-01-05T03:00:00+00:00", {},
                        [outcome("staging.meetings", "plausible:start_date", plausible, 2, "m.csv:4")]),
            SuiteResult("marts.sg_risks", run_id, "2026-01-05T03:00:00+00:00", {},
                        [outcome("marts.sg_risks", "not_empty", empty_risks, None, "")]),
        ]  # fmt: skip
        save_results(tmp_path, results)
        return notify.after_successful_run(tmp_path, run_id, env=env)

    log = tmp_path / "quality" / "alerts.jsonl"
    with SmtpServer() as smtp, WebhookServer() as hook:
        env = _env(smtp, hook, tmp_path, SGPULSE_ALERT_LOG=str(log))
        first = run("run-1", quarantined=True, plausible=True, empty_risks=False)
        second = run("run-2", quarantined=True, plausible=True, empty_risks=False)
        third = run("run-3", quarantined=True, plausible=False, empty_risks=True)
        emails, posts = list(smtp.messages), list(hook.received)
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]

    assert first.alert.summary == "2 new data-quality warnings on 2 tables (3 rows); run succeeded"
    assert [f.key for f in first.alert.failures] == [
        "quarantine.attendance/no_rows_quarantined",
        "staging.meetings/plausible:start_date",
    ]
    # Nothing new, nothing resolved: no e-mail, no post, no line in the log.
    assert second.alert is None and second.digest.still_open == [f.key for f in first.alert.failures]
    assert len(emails) == len(posts) == len(records) == 2

    assert third.alert.summary == (
        "1 new data-quality warning on 1 table (0 rows), 1 still open, 1 resolved; run succeeded"
    )
    assert [f.key for f in third.alert.failures] == ["marts.sg_risks/not_empty"]
    assert (third.alert.still_open, third.alert.resolved) == (1, ["staging.meetings/plausible:start_date"])
    text = third.alert.text()
    assert "no_rows_quarantined" not in text  # still open: counted, not repeated
    assert "Still open: 1 (alerted by an earlier run, not repeated)" in text
    assert "Resolved since the last run:\n- staging.meetings/plausible:start_date" in text
    # The same digest on every channel.
    assert posts[-1]["json"]["text"] == text
    email = message_from_bytes(emails[-1].content, policy=policy.default)
    assert email.get_content().split() == text.split()
    assert records[-1]["run_id"] == "run-3" and records[-1]["summary"] == third.alert.summary
    assert (records[-1]["still_open"], records[-1]["resolved"]) == (
        1,
        ["staging.meetings/plausible:start_date"],
    )
    assert [f["key"] for f in records[-1]["failures"]] == ["marts.sg_risks/not_empty"]
    open_after = json.loads((tmp_path / "quality" / "open_problems.json").read_text())
    assert sorted(open_after) == ["marts.sg_risks/not_empty", "quarantine.attendance/no_rows_quarantined"]
    assert open_after["quarantine.attendance/no_rows_quarantined"]["first_seen_run"] == "run-1"


def test_a_run_stopped_early_resolves_nothing_it_did_not_validate():
    from pipelines.alerts.digest import compare

    previous = {"marts.sg_risks/not_empty": {"severity": "warning"}}
    blocked = [_result("staging.attendance", "critical", 2, ["attendance/a.csv:4"])]
    digest = compare(previous, blocked)
    assert digest.resolved == [] and "marts.sg_risks/not_empty" in digest.open_after
    assert digest.new == ["staging.attendance/not_null:meeting_id"]
