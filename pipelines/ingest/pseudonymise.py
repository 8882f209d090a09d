"""Participant pseudonymisation: a keyed hash whose key persists across runs and is never committed."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from .normalise import normalise_email, normalise_person_name

KEY_ENV = "SGPULSE_PSEUDONYM_KEY"
KEY_FILE_ENV = "SGPULSE_PSEUDONYM_KEY_FILE"
KEY_BYTES = 32


def default_key_file() -> Path:
    """Per-user key file outside the repository, so the same person gets the same key on every refresh."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "sgpulse" / "pseudonym.key"


def load_or_create_key(key_file: Path | None = None) -> bytes:
    """The pseudonymisation key: from $SGPULSE_PSEUDONYM_KEY, else the key file (created owner-only if absent)."""
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        if len(from_env) < 16:
            raise ValueError(f"{KEY_ENV} must be at least 16 characters long")
        return from_env.encode("utf-8")
    path = Path(key_file or os.environ.get(KEY_FILE_ENV) or default_key_file())
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Written to a private temporary file, then linked into place: two first runs at once end up
        # with the same key (the loser of the race reads the winner's), and nobody reads a half-written key.
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(KEY_BYTES) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ValueError(f"{path}: pseudonymisation key is too short; delete it only if you accept new keys")
    return key.encode("ascii")


def participant_identity(name: str | None, email: str | None, country_iso3: str | None) -> str | None:
    """What identifies a participant: the normalised e-mail, or the normalised name plus delegation."""
    email_norm = normalise_email(email)
    if email_norm:
        return "email:" + email_norm
    name_norm = normalise_person_name(name)
    if name_norm:
        return f"name:{name_norm}|{(country_iso3 or '').strip().upper()}"
    return None


class PseudonymHasher:
    """participant_key for many identities: HMAC-SHA256 with the key's padded blocks hashed once (RFC 2104).

    hmac.digest hashes both padded key blocks again for every message; here each message costs two
    SHA-256 copies. At 100x scale that is a million identities.
    """

    def __init__(self, key: bytes):
        block = hashlib.sha256(key).digest() if len(key) > 64 else key
        block = block.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def __call__(self, identity: str | None) -> str | None:
        if identity is None:
            return None
        inner = self._inner.copy()
        inner.update(identity.encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return "p_" + outer.hexdigest()[:20]


def participant_key(key: bytes, identity: str | None) -> str | None:
    """Pseudonymous participant key: HMAC-SHA256 of the identity, 20 hex characters (80 bits)."""
    if identity is None:
        return None
    return "p_" + hmac.digest(key, identity.encode("utf-8"), "sha256").hex()[:20]
