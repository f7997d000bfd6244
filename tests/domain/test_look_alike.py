"""Look-alike names among open charts (issue 12)."""

from __future__ import annotations

from datetime import date

from clinic_app.domain.look_alike import NameKey, look_alikes, looks_alike, normalised

BORN = date(1975, 6, 1)


def key(pid: int, family: str, given: str, born: date = BORN) -> NameKey:
    return NameKey(pid, family, given, born)


def test_the_same_surname_without_case_accents_or_hyphens_looks_alike() -> None:
    assert normalised("Żółć-Nowak") == "zolcnowak"
    assert looks_alike(key(1, "Żółć", "Łukasz"), key(2, "ZOLC", "Anna", date(1990, 1, 1)))


def test_same_initials_and_birth_date_look_alike_but_not_with_another_birth_date() -> None:
    assert looks_alike(key(1, "Nowak", "Anna"), key(2, "Nowicka", "Alicja"))
    assert not looks_alike(key(1, "Nowak", "Anna"), key(2, "Nowicka", "Alicja", date(1980, 1, 1)))


def test_a_patient_never_looks_like_itself_and_different_names_do_not() -> None:
    assert not looks_alike(key(1, "Nowak", "Anna"), key(1, "Nowak", "Anna"))
    others = [key(2, "García", "José"), key(3, "NOWAK", "Ewa")]
    assert look_alikes(key(1, "Nowak", "Anna"), others) == [key(3, "NOWAK", "Ewa")]
