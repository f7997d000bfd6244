"""Synthetic people for the demo database: names in several scripts, dates of birth, contacts.

Deterministic for a given :class:`random.Random`; the names are made up from common first and
family names of the clinic's likely languages (accented Latin and Cyrillic included) and belong
to nobody in particular.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

# (given names female, given names male, family names) per language; Slavic family names
# that change with sex are given as (female, male).
_NAMES: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str | tuple[str, str], ...]], ...] = (
    (("Zofia", "Małgorzata", "Agnieszka", "Katarzyna", "Łucja", "Jadwiga"),
     ("Łukasz", "Paweł", "Grzegorz", "Michał", "Wojciech", "Jędrzej"),
     ("Nowak", "Wiśniewski", "Wójcik", "Kowalczyk", "Żółć", "Dąbrowski", "Szczęsny",
      "Zieliński", "Wąsowicz", "Kaczmarek")),
    (("María", "Lucía", "Inés", "Begoña", "Nuria"),
     ("José", "Álvaro", "Iñigo", "Sebastián", "Joaquín"),
     ("García", "Muñoz", "Fernández", "Pérez", "Núñez", "Jiménez", "Gómez", "Ibáñez")),
    (("Chloé", "Élise", "Françoise", "Amélie", "Noëlle"),
     ("François", "Étienne", "Jérôme", "Loïc", "Théo"),
     ("Lefèvre", "Dubois", "Mercier", "Gauthier", "Béranger", "Moreau")),
    (("Anna", "Lena", "Grete", "Jördis", "Ingrid"),
     ("Jörg", "Lukas", "Matthias", "Søren", "Håkon"),
     ("Müller", "Schäfer", "Keller", "Østergård", "Brandt", "Fischer", "Vogel")),
    (("Анна", "Ольга", "Мария", "Екатерина", "Наталья", "Ирина"),
     ("Дмитрий", "Сергей", "Алексей", "Иван", "Николай", "Михаил"),
     (("Иванова", "Иванов"), ("Петрова", "Петров"), ("Смирнова", "Смирнов"),
      ("Соколова", "Соколов"), ("Кузнецова", "Кузнецов"), ("Попова", "Попов"))),
    (("Оксана", "Олена", "Ганна"),
     ("Андрій", "Олександр", "Тарас"),
     ("Шевченко", "Коваленко", "Бондаренко", "Ткаченко")),
    (("Ayşe", "Zeynep", "Elif"),
     ("Mehmet", "Çağrı", "Emre"),
     ("Yılmaz", "Şahin", "Öztürk", "Çelik")),
    (("Emma", "Olivia", "Sarah", "Zoë"),
     ("James", "Liam", "Noah", "Seán"),
     ("Smith", "O'Brien", "Brontë", "Taylor", "MacDonald", "Walker", "Evans")),
)
_STREETS = ("ul. Marszałkowska", "Calle Mayor", "rue de la Paix", "Hauptstraße",
            "ул. Ленина", "Station Road", "Atatürk Cd.")
ALLERGENS = (("Penicillin", "rash"), ("Sulfonamides", "urticaria"), ("Latex", "contact rash"),
             ("Ibuprofen", "bronchospasm"), ("Iodinated contrast", "hives"),
             ("Amoxicillin", "swelling"))


@dataclass(frozen=True)
class DemoPerson:
    """A made-up patient's identity and contact."""

    mrn: str
    family_name: str
    given_names: str
    date_of_birth: date
    sex: str
    phone: str
    address: str


def _family(name: str | tuple[str, str], sex: str) -> str:
    if isinstance(name, tuple):
        return name[0] if sex == "female" else name[1]
    return name


def make_person(rng: random.Random, mrn: str, today: date) -> DemoPerson:
    """A person aged 18 to 85 with names from one language."""
    female, male, families = rng.choice(_NAMES)
    sex = rng.choice(("female", "male"))
    given = rng.choice(female if sex == "female" else male)
    born = today - timedelta(days=rng.randint(18 * 366, 85 * 365))
    return DemoPerson(
        mrn=mrn, family_name=_family(rng.choice(families), sex), given_names=given,
        date_of_birth=born, sex=sex, phone=f"+48 {rng.randint(500, 799)} {rng.randint(100, 999)} "
        f"{rng.randint(100, 999)}",
        address=f"{rng.choice(_STREETS)} {rng.randint(1, 180)}",
    )


def demo_mrn(number: int) -> str:
    """The MRN of demo patient ``number`` ("DEMO000001")."""
    return f"DEMO{number:06d}"
