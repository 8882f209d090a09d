"""Alerts to maintainers: a JSON-lines log, e-mail over SMTP and an incoming webhook (Slack, Teams)."""
