"""Every command's help says where its paths come from, and shows flags as flags."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.settings import DEFAULT_OUT, DEFAULT_RAW, DEFAULT_WAREHOUSE, OUT_ENV, RAW_ENV, WAREHOUSE_ENV


def _commands(group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group (typer's own click types)
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = _commands(typer.main.get_command(app))


def _help(words: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, [*words, "--help"])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # help is wrapped to the terminal's width


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "sgpulse")
def test_help_shows_flags_without_a_type_and_brackets_as_written(words):
    text = _help(words)
    assert "<bool>" not in text
    assert "--help" in text and "Show this message and exit." in text


def test_path_options_name_their_variable_and_default():
    assert len(COMMANDS) >= 10  # refresh, sample, catalogue, brief, scenario merge/split, import ...
    refresh = _help(("refresh",))
    for env, default in ((RAW_ENV, DEFAULT_RAW), (WAREHOUSE_ENV, DEFAULT_WAREHOUSE), (OUT_ENV, DEFAULT_OUT)):
        assert f"[env {env}; default {default}]" in refresh
    for words in (("brief",), ("scenario", "merge"), ("scenario", "split")):
        assert f"[env {WAREHOUSE_ENV}; default {DEFAULT_WAREHOUSE}]" in _help(words)
