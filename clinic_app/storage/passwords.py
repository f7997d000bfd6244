"""Password and PIN hashing with argon2id (argon2-cffi); secrets are never stored in clear."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.patient_validation import has_lone_surrogate

MIN_PASSWORD_LENGTH = 8
PIN_LENGTHS = range(4, 9)

_HASHER = PasswordHasher()


def check_password_rules(password: str) -> None:
    """Refuse a password shorter than :data:`MIN_PASSWORD_LENGTH` characters, or holding a
    character that cannot be hashed (a lone surrogate)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "password", f"A password needs at least {MIN_PASSWORD_LENGTH} characters."
        )
    if has_lone_surrogate(password):
        raise InvalidInput("password", "The password holds a broken character: type it, "
                                       "do not paste it.")


def check_pin_rules(pin: str) -> None:
    """Refuse a PIN that is not 4 to 8 digits."""
    if not (pin.isdecimal() and len(pin) in PIN_LENGTHS):
        raise InvalidInput("pin", "A PIN is 4 to 8 digits.")


def hash_secret(secret: str) -> str:
    """An argon2id hash of ``secret`` (salted; the text includes the parameters)."""
    return _HASHER.hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    """True when ``secret`` matches ``stored_hash``; a malformed hash, or a secret that cannot
    be hashed, never matches."""
    if has_lone_surrogate(secret):
        return False
    try:
        return _HASHER.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than the current ones."""
    return _HASHER.check_needs_rehash(stored_hash)
