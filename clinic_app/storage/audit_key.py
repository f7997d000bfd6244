"""The clinic's audit key: it signs the head of the audit chain from outside the database
(issue 11, item 9).

Without a key anyone who can write the database can rehash the whole chain after editing a row,
cut its tail and rewind the head, and the chain still verifies. With it, every write that
extends the chain also signs the new head: HMAC-SHA256 over the entry count, the last hash and
the position of any unsigned break, under a 32-byte key kept in a file outside the database
(:func:`key_path`, mode 0600). Whoever holds the database but not the key cannot produce a head
that verifies.

- The first time a database is opened with a key, its current head is signed and the key's
  fingerprint recorded (``audit_chain_head.key_id``): what was there is vouched for from then on.
- A write whose starting head does not verify under the key (written by a program without the
  key, with another key, or tampered with) records the chain position in ``unsigned_at``; that
  mark is signed with every later head, so it cannot be removed without the key, and
  ``clinic-app db verify-audit`` reports it.
- The key is never copied into backups; an administrator keeps a copy of the key file apart
  from the backups (a lost key only means later heads cannot be checked against the old one).

Every workstation of a PostgreSQL clinic needs the same key file (``CLINIC_APP_AUDIT_KEY``
names its path).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

from clinic_app.storage.private_files import create_private_file, make_private_folder

KEY_FILE_NAME = "audit.key"
KEY_ENV = "CLINIC_APP_AUDIT_KEY"
_KEYS: WeakKeyDictionary[Engine, bytes] = WeakKeyDictionary()


class AuditKeyError(ValueError):
    """The key file cannot be read or is not a key."""


def key_path(database_folder: Path, environ: Mapping[str, str] | None = None) -> Path:
    """``CLINIC_APP_AUDIT_KEY`` when set, else ``audit.key`` in ``database_folder``."""
    env = os.environ if environ is None else environ
    named = env.get(KEY_ENV, "").strip()
    return Path(named).expanduser() if named else database_folder / KEY_FILE_NAME


def load_or_create_key(path: Path) -> bytes:
    """The key in ``path`` (64 hex digits); a new random key is written there (0600, in a
    0700 folder when the folder has to be made) when the file does not exist."""
    if not path.exists():
        make_private_folder(path.parent)
        create_private_file(path)
        path.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise AuditKeyError(f"The audit key file {path} cannot be read as a key ({exc}); "
                            "restore it from the administrator's copy.") from None
    if len(key) != 32:
        raise AuditKeyError(f"The audit key file {path} does not hold a 32-byte key; restore "
                            "it from the administrator's copy.")
    return key


def fingerprint(key: bytes) -> str:
    """A short public name of the key (the first 16 hex digits of its SHA-256)."""
    return hashlib.sha256(key).hexdigest()[:16]


def head_mac(key: bytes, last_id: int, last_hash: str, unsigned_at: int | None) -> str:
    """The signature of a chain head."""
    message = f"{last_id}:{last_hash}:{'' if unsigned_at is None else unsigned_at}"
    return hmac.new(key, message.encode("ascii"), hashlib.sha256).hexdigest()


def use_audit_key(engine: Engine, key: bytes) -> None:
    """Sign every chain head written through ``engine`` with ``key``."""
    _KEYS[engine] = key


def audit_key_of(engine: Engine) -> bytes | None:
    """The key heads written through ``engine`` are signed with (None: unsigned)."""
    return _KEYS.get(engine)
