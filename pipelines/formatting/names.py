"""How study groups are named: one spelling (SG17, TSAG, sector) whatever the case or spacing typed."""

from __future__ import annotations

import re

SECTOR = "sector"
_SG = re.compile(r"sg\s*0*(\d+)", re.IGNORECASE)


def canonical_sg(name: str) -> str:
    """`sg17`, `Sg 17` -> `SG17`; `tsag` -> `TSAG`; `Sector` -> `sector`; anything else upper-cased."""
    text = str(name).strip()
    if text.casefold() == SECTOR:
        return SECTOR
    match = _SG.fullmatch(text)
    return f"SG{int(match.group(1))}" if match else text.upper()
