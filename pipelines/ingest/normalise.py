"""Name normalisation for organisation resolution and participant keys (raw-data contract, resolution rules)."""

from __future__ import annotations

import re
import unicodedata

# Trailing legal-form tokens removed from organisation names (after punctuation is gone).
LEGAL_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "co",
        "corp",
        "corporation",
        "company",
        "gmbh",
        "ag",
        "sa",
        "plc",
        "llc",
        "llp",
        "bv",
        "nv",
        "srl",
        "spa",
        "sas",
        "sarl",
        "oy",
        "ab",
        "kk",
        "pty",
        "pte",
        "kg",
    }
)
# Abbreviation marks are deleted ("A.B.C." = "ABC"); any other punctuation separates words ("Co.,Ltd").
_DELETE = str.maketrans("", "", ".'’`´")
_SPACES = re.compile(r"\s+")


# Every ASCII punctuation mark and symbol (Unicode categories P* and S*) left after _DELETE, as a space.
_ASCII_PUNCTUATION = str.maketrans(
    {chr(c): " " for c in range(128) if unicodedata.category(chr(c))[0] in "PS" and chr(c) not in ".'`"}
)


def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def normalise_org_name(name: str | None) -> str | None:
    """Normalised form of an organisation name: NFKC, case-folded, punctuation and legal suffixes removed."""
    if name is None:
        return None
    if name.isascii():
        # The same result without a Python call per character (~150,000 names at 100x scale: 3.4 s -> ~1 s):
        # NFKC leaves ASCII as it is, and casefold() is lower().
        text = name.lower().translate(_DELETE).translate(_ASCII_PUNCTUATION)
    else:
        text = unicodedata.normalize("NFKC", name).casefold().translate(_DELETE)
        text = "".join(" " if _is_punctuation(ch) else ch for ch in text)
    tokens = _SPACES.split(text.strip())
    while len(tokens) > 1 and tokens[-1] in LEGAL_SUFFIXES:
        tokens.pop()
    result = " ".join(t for t in tokens if t)
    return result or None


def normalise_email(email: str | None) -> str | None:
    """E-mail as an identity: NFKC, case-folded, all whitespace removed."""
    if email is None:
        return None
    text = _SPACES.sub("", unicodedata.normalize("NFKC", email).casefold())
    return text or None


def normalise_person_name(name: str | None) -> str | None:
    """Person name as an identity: NFKC, case-folded, whitespace collapsed."""
    if name is None:
        return None
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()
    return text or None
