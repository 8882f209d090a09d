"""Alert channels and thresholds: a YAML file (SGPULSE_ALERTS_FILE) and SGPULSE_ALERT_* variables, validated.

Every setting can come from the file; the variables override it (secrets such as the SMTP password belong in
variables, never in a committed file). The JSON-lines alert log is always on.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

FILE_ENV = "SGPULSE_ALERTS_FILE"
# variable -> (section, field); list fields take comma-separated values.
ENV_FIELDS = {
    "SGPULSE_ALERT_LOG": (None, "log_file"),
    "SGPULSE_ALERT_WARNINGS_THRESHOLD": (None, "warnings_threshold"),
    "SGPULSE_ALERT_RETRIES": (None, "retries"),
    "SGPULSE_ALERT_BACKOFF_SECONDS": (None, "backoff_seconds"),
    "SGPULSE_ALERT_DEADLINE_SECONDS": (None, "deadline_seconds"),
    "SGPULSE_DAGSTER_URL": (None, "dagster_url"),
    "SGPULSE_ALERT_SMTP_HOST": ("email", "host"),
    "SGPULSE_ALERT_SMTP_PORT": ("email", "port"),
    "SGPULSE_ALERT_SMTP_SECURITY": ("email", "security"),
    "SGPULSE_ALERT_SMTP_USER": ("email", "username"),
    "SGPULSE_ALERT_SMTP_PASSWORD": ("email", "password"),
    "SGPULSE_ALERT_EMAIL_FROM": ("email", "sender"),
    "SGPULSE_ALERT_EMAIL_TO": ("email", "recipients"),
    "SGPULSE_ALERT_WEBHOOK_URL": ("webhook", "url"),
}
LIST_FIELDS = {"recipients"}


class EmailChannel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1)
    port: int = Field(25, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = "none"
    username: str | None = None
    password: SecretStr | None = None
    sender: str = Field(min_length=3)
    recipients: list[str] = Field(min_length=1)
    timeout_seconds: float = Field(10, gt=0, le=120)


class WebhookChannel(BaseModel):
    """An incoming webhook (Slack, Microsoft Teams, or anything that takes a JSON `text`)."""

    model_config = ConfigDict(extra="forbid")

    url: SecretStr  # the URL is the credential of an incoming webhook
    timeout_seconds: float = Field(10, gt=0, le=120)

    @field_validator("url")
    @classmethod
    def _http(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value


class AlertConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    log_file: Path | None = None  # default: <out>/quality/alerts.jsonl
    email: EmailChannel | None = None
    webhook: WebhookChannel | None = None
    dagster_url: str | None = None  # base URL of the Dagster UI, for a link to the run
    warnings_threshold: int = Field(0, ge=0)  # alert when more warning expectations than this fail
    retries: int = Field(3, ge=0, le=10)
    backoff_seconds: float = Field(1.0, ge=0, le=60)
    # The most a delivery may take, every attempt and wait included (connect, send and read): a server that
    # answers one byte at a time never trips a socket timeout, so the whole delivery has a deadline.
    # Channels are delivered side by side: a run waits at most this long for its alert.
    deadline_seconds: float = Field(30.0, gt=0, le=600)

    def alert_log(self, out_dir: Path) -> Path:
        return self.log_file or Path(out_dir) / "quality" / "alerts.jsonl"


class AlertConfigError(ValueError):
    pass


def load_alert_config(env: Mapping[str, str] = os.environ, path: Path | None = None) -> AlertConfig:
    """The file (if any) overlaid with the variables; a clear AlertConfigError when something is wrong."""
    path = path or (Path(env[FILE_ENV]) if env.get(FILE_ENV) else None)
    data: dict = {}
    where = "alert settings"
    if path is not None:
        where = str(path)
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise AlertConfigError(f"{where}: cannot read ({type(exc).__name__})") from None
        if not isinstance(data, dict):
            raise AlertConfigError(f"{where}: must be a mapping")
    for variable, (section, name) in ENV_FIELDS.items():
        value = env.get(variable)
        if value is None or value == "":
            continue
        parsed = [v.strip() for v in value.split(",") if v.strip()] if name in LIST_FIELDS else value
        target = data if section is None else data.setdefault(section, {}) or {}
        if section is not None:
            data[section] = target
        target[name] = parsed
    try:
        return AlertConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise AlertConfigError(f"{where}: {problems}") from None
