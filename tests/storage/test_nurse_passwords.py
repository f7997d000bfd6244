from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from clinic_app.domain.errors import InvalidInput
from clinic_app.storage import passwords
from clinic_app.storage.models import Nurse


def test_the_shipped_hasher_uses_argon2id_with_the_recommended_cost(monkeypatch):
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher())  # undo the fast test hasher
    nurse = Nurse(username="x", display_name="X")
    nurse.set_password("correct horse battery")
    assert nurse.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert nurse.verify_password("correct horse battery")
    assert not passwords.needs_rehash(nurse.password_hash)


def test_a_password_is_stored_as_an_argon2id_hash_and_verifies(uow, nurse_id, db_path):
    with uow() as work:
        nurse = work.nurses.get(nurse_id)
        assert nurse.password_hash.startswith("$argon2id$")
        assert nurse.verify_password("correct horse battery")
        assert not nurse.verify_password("Correct horse battery")
    assert b"correct horse battery" not in db_path.read_bytes()


def test_a_short_password_is_refused():
    with pytest.raises(InvalidInput, match="at least 8 characters"):
        Nurse(username="x", display_name="X").set_password("short")


def test_a_pin_is_hashed_and_must_be_four_to_eight_digits():
    nurse = Nurse(username="x", display_name="X")
    assert not nurse.verify_pin("1234")  # no PIN set yet
    nurse.set_pin("1234")
    assert nurse.pin_hash is not None and "1234" not in nurse.pin_hash
    assert nurse.verify_pin("1234") and not nurse.verify_pin("4321")
    for bad in ("123", "123456789", "12a4"):
        with pytest.raises(InvalidInput, match="4 to 8 digits"):
            nurse.set_pin(bad)


def test_a_damaged_hash_never_matches():
    nurse = Nurse(username="x", display_name="X", password_hash="not-a-hash")
    assert not nurse.verify_password("anything")


def test_user_names_are_found_whatever_their_case(uow, nurse_id):
    with uow() as work:
        nurse = work.nurses.get_by_username("  AKeller ")
    assert nurse is not None and nurse.id == nurse_id
