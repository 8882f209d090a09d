"""Deliver an alert: always to the JSON-lines alert log, then by e-mail (SMTP) and webhook where configured.

Why our own channels rather than Dagster's `make_email_on_run_failure_sensor` and dagster-msteams'
`make_teams_on_run_failure_sensor`: the former only speaks SSL/STARTTLS with a login (no internal relay) and
the latter posts a Teams card that Slack rejects; neither retries, writes the alert log, or runs outside a
Dagster daemon (`sgpulse refresh` runs in-process on a throwaway instance, where no sensor ever fires).
A channel that cannot be reached is retried with exponential backoff, then logged; it never raises, so it
can never hide the failure being reported.
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from pathlib import Path

from pipelines.alerts.config import AlertConfig, EmailChannel, WebhookChannel
from pipelines.alerts.message import Alert, scrub

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())  # the CLI's stderr is one line on failure: no stray log output


@dataclass
class Delivery:
    channel: str
    delivered: bool
    attempts: int
    error: str | None = None


def append_log(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")


def send_email(channel: EmailChannel, alert: Alert) -> None:
    message = EmailMessage()
    message["Subject"] = alert.subject
    message["From"] = channel.sender
    message["To"] = ", ".join(channel.recipients)
    message.set_content(alert.text())
    if channel.security == "ssl":
        server = smtplib.SMTP_SSL(
            channel.host, channel.port, timeout=channel.timeout_seconds, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(channel.host, channel.port, timeout=channel.timeout_seconds)
    with server:
        if channel.security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if channel.username:
            server.login(channel.username, channel.password.get_secret_value() if channel.password else "")
        server.send_message(message)


def webhook_body(alert: Alert) -> dict:
    """`text` is what Slack and Microsoft Teams incoming webhooks both display."""
    return {"text": alert.text()}


def post_webhook(channel: WebhookChannel, alert: Alert) -> None:
    request = urllib.request.Request(
        channel.url.get_secret_value(),
        data=json.dumps(webhook_body(alert)).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=channel.timeout_seconds) as response:  # noqa: S310 (configured URL)
        if not 200 <= response.status < 300:
            raise OSError(f"webhook answered HTTP {response.status}")


def with_retries(
    send: Callable[[], None],
    retries: int,
    backoff_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[int, str | None]:
    """Up to 1 + retries tries, waiting backoff, 2 x backoff, ... in between; (attempts, last error)."""
    error = None
    for attempt in range(1, retries + 2):
        try:
            send()
            return attempt, None
        except Exception as exc:  # any failure of a channel is reported, never raised
            error = scrub(f"{type(exc).__name__}: {exc}")
            if attempt <= retries:
                sleep(backoff_seconds * 2 ** (attempt - 1))
    return retries + 1, error


def dispatch(
    alert: Alert, config: AlertConfig, out_dir: Path, log: Callable[[str], None] | None = None
) -> list[Delivery]:
    """Log the alert, then send it to every configured channel; report each delivery, raise nothing."""
    log = log or logger.warning
    path = config.alert_log(out_dir)
    deliveries = []
    try:
        append_log(path, {"event": "alert", **alert.to_json()})
        deliveries.append(Delivery("log", True, 1))
    except OSError as exc:
        deliveries.append(Delivery("log", False, 1, scrub(str(exc))))
        log(f"alert log {path} not writable: {scrub(str(exc))}")
    channels: list[tuple[str, Callable[[], None], str]] = []
    if config.email:
        channels.append(("email", lambda: send_email(config.email, alert), ""))
    if config.webhook:
        channels.append(
            ("webhook", lambda: post_webhook(config.webhook, alert), config.webhook.url.get_secret_value())
        )
    for name, send, secret in channels:
        attempts, error = with_retries(send, config.retries, config.backoff_seconds)
        if error and secret:
            error = error.replace(secret, "<webhook url>")
        deliveries.append(Delivery(name, error is None, attempts, error))
        if error:
            log(f"alert channel {name} unreachable after {attempts} attempts: {error}")
            try:
                append_log(
                    path,
                    {
                        "event": "delivery_failed",
                        "run_id": alert.run_id,
                        "kind": alert.kind,
                        **asdict(deliveries[-1]),
                    },
                )
            except OSError:
                pass
    return deliveries
