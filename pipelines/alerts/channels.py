"""Deliver an alert: always to the JSON-lines alert log, then by e-mail (SMTP) and webhook where configured.

Why our own channels rather than Dagster's `make_email_on_run_failure_sensor` and dagster-msteams'
`make_teams_on_run_failure_sensor`: the former only speaks SSL/STARTTLS with a login (no internal relay) and
the latter posts a Teams card that Slack rejects; neither retries, writes the alert log, or runs outside a
Dagster daemon (`sgpulse refresh` runs in-process on a throwaway instance, where no sensor ever fires).
A channel that cannot be reached is retried with exponential backoff, then logged; it never raises, so it
can never hide the failure being reported. Each delivery has a deadline (`deadline_seconds`): its attempts,
its waits and every read of a slow server end by then.
"""

from __future__ import annotations

import http.client
import json
import logging
import smtplib
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
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


class Deadline:
    """The end of one delivery's time: every socket of an attempt is shut down when it passes.

    A socket timeout bounds each read, not a delivery: a server sending a byte every few seconds held a
    refresh for 435 s. Shutting the socket down from a timer wakes the blocked read at the deadline.
    """

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self.ends = clock() + seconds
        self.passed = False

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def timeout(self, per_operation: float) -> float:
        """The socket timeout of the next operation: the channel's own, or less if the deadline is nearer."""
        left = self.remaining()
        if left <= 0:
            raise self.error()
        return min(per_operation, left)

    def error(self) -> TimeoutError:
        return TimeoutError(f"no complete answer within the delivery deadline of {self.seconds:g} s")

    @contextmanager
    def watch(self, sockets: Callable[[], list]):
        """Shut down the sockets `sockets()` returns if the deadline passes inside the block."""

        def cut_off() -> None:
            self.passed = True
            for sock in sockets():
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:  # not connected yet, or already closed
                    pass

        timer = threading.Timer(max(0.0, self.remaining()), cut_off)
        timer.daemon = True
        timer.start()
        try:
            yield
        except Exception:
            if self.passed:
                raise self.error() from None
            raise
        finally:
            timer.cancel()
        if self.passed:  # the answer was complete, but too late to count on
            raise self.error()


def send_email(channel: EmailChannel, alert: Alert, deadline: Deadline | None = None) -> None:
    deadline = deadline or Deadline(channel.timeout_seconds * 4)
    message = EmailMessage()
    message["Subject"] = alert.subject
    message["From"] = channel.sender
    message["To"] = ", ".join(channel.recipients)
    message.set_content(alert.text())
    timeout = deadline.timeout(channel.timeout_seconds)
    # Created unconnected, so the deadline can watch the socket from the moment it exists.
    if channel.security == "ssl":
        server = smtplib.SMTP_SSL(timeout=timeout, context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(timeout=timeout)
    with deadline.watch(lambda: [s for s in (getattr(server, "sock", None),) if s is not None]):
        try:
            server.connect(channel.host, channel.port)
            if channel.security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if channel.username:
                server.login(
                    channel.username, channel.password.get_secret_value() if channel.password else ""
                )
            server.send_message(message)
            server.quit()
        finally:
            server.close()


def webhook_body(alert: Alert) -> dict:
    """`text` is what Slack and Microsoft Teams incoming webhooks both display."""
    return {"text": alert.text()}


def _recording_opener(connections: list) -> urllib.request.OpenerDirector:
    """urllib's opener (proxies from the environment included) that keeps the HTTP connections it opens."""

    def recorded(cls):
        def make(*args, **kwargs):
            connection = cls(*args, **kwargs)
            connections.append(connection)
            return connection

        return make

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(recorded(http.client.HTTPConnection), req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(recorded(http.client.HTTPSConnection), req, context=self._context)

    return urllib.request.build_opener(Http(), Https())


def post_webhook(channel: WebhookChannel, alert: Alert, deadline: Deadline | None = None) -> None:
    deadline = deadline or Deadline(channel.timeout_seconds * 4)
    request = urllib.request.Request(
        channel.url.get_secret_value(),
        data=json.dumps(webhook_body(alert)).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    connections: list = []
    opener = _recording_opener(connections)
    timeout = deadline.timeout(channel.timeout_seconds)
    with deadline.watch(lambda: [c.sock for c in connections if c.sock is not None]):
        with opener.open(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            response.read()
            if not 200 <= response.status < 300:
                raise OSError(f"webhook answered HTTP {response.status}")


def with_retries(
    send: Callable[[], None],
    retries: int,
    backoff_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[int, str | None]:
    """Up to 1 + retries tries, waiting backoff, 2 x backoff, ... in between; (attempts, last error).

    With `deadline` (seconds from now), no wait or try starts that the deadline would cut short.
    """
    started = clock()
    error = None
    attempts = 0
    for attempt in range(1, retries + 2):
        attempts = attempt
        try:
            send()
            return attempt, None
        except Exception as exc:  # any failure of a channel is reported, never raised
            error = scrub(f"{type(exc).__name__}: {exc}")
        if attempt > retries:
            break
        wait = backoff_seconds * 2 ** (attempt - 1)
        if deadline is not None and clock() - started + wait >= deadline:
            break
        sleep(wait)
    return attempts, error


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
    channels: list[tuple[str, Callable[[Deadline], None], str]] = []
    if config.email:
        channels.append(("email", lambda until: send_email(config.email, alert, until), ""))
    if config.webhook:
        channels.append(
            (
                "webhook",
                lambda until: post_webhook(config.webhook, alert, until),
                config.webhook.url.get_secret_value(),
            )
        )

    def deliver(send: Callable[[Deadline], None]) -> tuple[int, str | None]:
        deadline = Deadline(config.deadline_seconds)
        return with_retries(
            lambda: send(deadline), config.retries, config.backoff_seconds, deadline=config.deadline_seconds
        )

    # Side by side: a run waits for its alert at most one deadline, however many channels there are.
    with ThreadPoolExecutor(max(1, len(channels)), thread_name_prefix="sgpulse-alert") as pool:
        outcomes = [pool.submit(deliver, send) for _, send, _ in channels]
    for (name, _, secret), outcome in zip(channels, outcomes, strict=True):
        attempts, error = outcome.result()
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
