"""Masking of anything shaped like an e-mail address or a phone number, wherever free text is published.

Used in SQL (every quarantine reason is masked as it is made, so marts.quarantine_summary's examples are too)
and in Python (alerts, the refresh's messages). The two forms are the same regular expressions (RE2 and
Python's `re` agree on them): a phone number is 9 or more digits, optionally after `+` or `(`, with at most
two separators (space, brackets, `.`, `-`, `/`) between digits, not preceded by a letter, digit or `_`
(so participant keys, ISO dates, study periods and document numbers are not phone numbers).
"""

from __future__ import annotations

import re

EMAIL = r"[\w.+-]+@[\w-]+(\.[\w-]+)+"
PHONE = r"(^|[^\w+])[+(]?\d([ ()./-]{0,2}\d){8,}"
EMAIL_MASK, PHONE_MASK = "<e-mail>", "<phone>"

_EMAIL, _PHONE = re.compile(EMAIL, re.ASCII), re.compile(PHONE, re.ASCII)


def mask_personal(text: str) -> str:
    """`text` with e-mail addresses and phone numbers replaced by <e-mail> and <phone>."""
    return _PHONE.sub(r"\1" + PHONE_MASK, _EMAIL.sub(EMAIL_MASK, text))


def mask_personal_sql(expression: str) -> str:
    """A DuckDB expression: `expression` (text) masked as `mask_personal` masks it."""
    email = EMAIL.replace("'", "''")
    phone = PHONE.replace("'", "''")
    return (
        f"regexp_replace(regexp_replace({expression}, '{email}', '{EMAIL_MASK}', 'g'), "
        f"'{phone}', '\\1{PHONE_MASK}', 'g')"
    )
