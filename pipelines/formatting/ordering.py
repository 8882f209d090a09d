"""The order study groups are listed in: SG2, SG3 ... SG21 by number, then TSAG and anything else by name."""

from __future__ import annotations

import re


def sg_sort_key(sg: str) -> tuple[int, int, str]:
    match = re.fullmatch(r"SG(\d+)", sg)
    return (0, int(match.group(1)), sg) if match else (1, 0, sg)
