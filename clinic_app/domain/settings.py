"""Clinic settings: the local-practice values that are not label rules.

Defaults live in ``resources/clinic_settings.toml`` and ``resources/closed_days.toml`` (each with
the safe default from the clinical reference); a clinic may override any key with its own TOML
file, passed to :func:`load_settings`. The domain functions take a :class:`ClinicSettings`
parameter so tests and clinics can change a rule without touching code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from clinic_app.domain.dates import DEFAULT_DATE_FORMAT, DateFormat
from clinic_app.domain.double_check import DoubleCheckSettings, double_check_settings
from clinic_app.domain.premedication import PremedicationSettings, premedication_settings
from clinic_app.resource_files import resource_path


@dataclass(frozen=True)
class DosingSettings:
    """Dosing practice (clinical reference, "Dosing practice").

    ``weight_change_warn_percent`` applies to the change since the last weight and since the
    weight the dose plan was made from; ``max_weight_age_days`` is how old a dosing weight may be
    before a re-weigh is asked for (default 30 days; a protocol may set a shorter limit).
    """

    round_to_whole_vials: bool = False
    round_to_vial_tolerance_percent: Decimal = Decimal(10)
    weight_change_warn_percent: Decimal = Decimal(10)
    max_weight_age_days: int = 30
    plausible_weight_min_kg: Decimal = Decimal(15)
    plausible_weight_max_kg: Decimal = Decimal(250)
    max_weight_kg: Decimal = Decimal(350)
    allow_shortened_infusion: bool = False


@dataclass(frozen=True)
class VitalsFlags:
    """Thresholds that flag a vital sign (clinical reference, "Monitoring and reactions"; high
    blood pressure and a low respiratory rate: December 2026 additions)."""

    systolic_below: int = 90
    systolic_drop_from_baseline: int = 20
    systolic_at_or_above: int = 180
    diastolic_at_or_above: int = 110
    heart_rate_above: int = 120
    heart_rate_below: int = 50
    temperature_at_or_above_c: Decimal = Decimal("38.0")
    spo2_below: int = 92
    respiratory_rate_above: int = 24
    respiratory_rate_below: int = 10


@dataclass(frozen=True)
class ClosedDays:
    """Days the clinic does not book infusions: weekdays (0 = Monday) and holidays."""

    weekdays: frozenset[int] = frozenset({5, 6})
    fixed_holidays: frozenset[tuple[int, int]] = frozenset()  # (month, day), every year
    closures: frozenset[date] = frozenset()

    def is_closed(self, day: date) -> bool:
        """True when no infusion is booked on ``day``."""
        return (
            day.weekday() in self.weekdays
            or (day.month, day.day) in self.fixed_holidays
            or day in self.closures
        )


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_HOURS = (time(8), time(16))


@dataclass(frozen=True)
class OpeningHours:
    """When the clinic's chairs are staffed, per weekday (0 = Monday): ``(opens, closes)``
    clinic-local, or None when the clinic has no hours that day. Clinic setting
    ``[opening_hours]`` (e.g. ``monday = "08:00-16:00"``, ``"closed"``); the shipped safe
    default is 08:00-16:00 every day (the closed days stay :class:`ClosedDays`' rule). A visit
    outside them needs a reason (:mod:`clinic_app.domain.chair_time`)."""

    days: tuple[tuple[time, time] | None, ...] = (DEFAULT_HOURS,) * 7

    def for_weekday(self, weekday: int) -> tuple[time, time] | None:
        """The hours of ``weekday`` (0 = Monday), or None."""
        return self.days[weekday]


@dataclass(frozen=True)
class ChairSettings:
    """Chair time (clinic setting, local practice; issue 14): ``preparation_minutes`` a
    booking holds its chair before the infusion starts (check-in, pre-infusion checks, the
    line). 30 minutes by default; not in any label."""

    preparation_minutes: int = 30


@dataclass(frozen=True)
class LevellingSettings:
    """How the clinic levels its day (clinic setting ``[levelling]``, issue 14; a local
    choice, not in any label; used by :mod:`clinic_app.domain.slot_suggestions`):
    ``nurses_on_duty`` start infusions, each at most ``starts_per_half_hour_per_nurse`` in a
    half hour; a visit of ``long_visit_minutes`` or more is long (offered in the morning
    first)."""

    nurses_on_duty: int = 2
    starts_per_half_hour_per_nurse: int = 1
    long_visit_minutes: int = 180

    def __post_init__(self) -> None:
        for name in ("nurses_on_duty", "starts_per_half_hour_per_nurse", "long_visit_minutes"):
            if getattr(self, name) < 1:
                raise ValueError(f"setting levelling.{name} must be at least 1")

    @property
    def starts_cap(self) -> int:
        """The most visits that may start in one half hour."""
        return self.nurses_on_duty * self.starts_per_half_hour_per_nurse


@dataclass(frozen=True)
class ChecklistSettings:
    """Monitoring checklist practice (clinic setting, not label).

    ``grace_minutes``: an item is DUE from this many minutes before its time to this many after;
    later it is OVERDUE.

    ``pause_overdue_minutes``: a paused infusion (a reaction, a line problem) needs the nurse's
    decision, resume or end; the Today screen shows it as due from the pause and OVERDUE after
    this many minutes (default 15). ``pre_check_overdue_minutes``: a patient still in the
    pre-infusion check this many minutes after arriving (default 45) is shown as OVERDUE.
    Neither is in a label or the clinical reference: both are local practice with cautious
    defaults, for the clinic to set (review of the Today screen, 2026-11-22, P1-2 and P2-10).
    """

    grace_minutes: int = 5
    pause_overdue_minutes: int = 15
    pre_check_overdue_minutes: int = 45


@dataclass(frozen=True)
class AccountSettings:
    """Signing in (clinic setting; issue 11): after ``max_failed_sign_ins`` wrong secrets in a
    row the account is locked for ``lockout_minutes``, doubling with each further failure up to
    ``lockout_max_minutes``; a PIN opens the idle lock only for a nurse who signed in with her
    password at this workstation within ``pin_valid_hours`` (a 4-digit PIN alone falls to
    10,000 guesses, so it is never enough at the start of a shift)."""

    max_failed_sign_ins: int = 5
    lockout_minutes: int = 1
    lockout_max_minutes: int = 60
    pin_valid_hours: int = 12


@dataclass(frozen=True)
class ClinicInfo:
    """The clinic itself and the workstation: printed on every sheet, used by the GUI.

    ``emergency_number`` is the number the schedule handout tells patients to call at once
    (911 in the US and Canada, 112 in the EU: a clinic sets its own). ``mrn_system`` is the
    FHIR identifier system of the MRNs (empty: ``urn:clinic-app:mrn:<clinic id>``).
    ``live_update_seconds`` is how often a workstation asks whether another one changed
    something (issue 14: seen within 2 seconds; at least 1).
    """

    name: str = "Infusion clinic"
    phone: str = ""
    emergency_number: str = "911"
    timezone: str = ""
    paper: str = "a4"
    idle_lock_minutes: int = 10
    mrn_system: str = ""
    live_update_seconds: int = 1

    def __post_init__(self) -> None:
        if self.live_update_seconds < 1:
            raise ValueError("setting live_update_seconds must be at least 1")


@dataclass(frozen=True)
class ObservationSettings:
    """Observation after a severe reaction at the visit (grade 3 or more, anaphylaxis, or
    epinephrine given): this many minutes from the onset or the last epinephrine dose, or the
    protocol's own observation if longer. Local policy for biphasic reactions (clinical
    reference, December 2026 additions; RCUK 2021 advises at least 6 hours after two doses of
    adrenaline or a severe reaction): 4 hours by default."""

    after_severe_reaction_minutes: int = 240


@dataclass(frozen=True)
class DisplaySettings:
    """How the clinic's screens and sheets write dates (clinic setting; issue 12): one
    ``date_format`` for all, one of :class:`clinic_app.domain.dates.DateFormat` ("d mmm yyyy",
    the default, "5 Dec 2026"; "yyyy-mm-dd"; "dd/mm/yyyy"). Times are always 24-hour HH:MM."""

    date_format: str = DEFAULT_DATE_FORMAT.value

    def __post_init__(self) -> None:
        choices = [f.value for f in DateFormat]
        if self.date_format not in choices:
            raise ValueError(
                f"setting date_format must be one of {', '.join(choices)}; got {self.date_format!r}"
            )


@dataclass(frozen=True)
class ClinicSettings:
    """All clinic settings in one object, passed to the domain functions that need them."""

    dosing: DosingSettings = field(default_factory=DosingSettings)
    vitals_flags: VitalsFlags = field(default_factory=VitalsFlags)
    closed_days: ClosedDays = field(default_factory=ClosedDays)
    checklists: ChecklistSettings = field(default_factory=ChecklistSettings)
    clinic: ClinicInfo = field(default_factory=ClinicInfo)
    observation: ObservationSettings = field(default_factory=ObservationSettings)
    accounts: AccountSettings = field(default_factory=AccountSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    opening_hours: OpeningHours = field(default_factory=OpeningHours)
    chairs: ChairSettings = field(default_factory=ChairSettings)
    levelling: LevellingSettings = field(default_factory=LevellingSettings)
    premedication: PremedicationSettings = field(default_factory=PremedicationSettings)
    double_check: DoubleCheckSettings = field(default_factory=DoubleCheckSettings)


def _section(cls: type, values: dict[str, Any]) -> Any:
    """Build a settings dataclass, converting numbers to ``Decimal`` where the field says so."""
    defaults = cls()
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if not hasattr(defaults, key):
            raise ValueError(f"unknown setting {cls.__name__}.{key}")
        current = getattr(defaults, key)
        if isinstance(current, bool) != isinstance(value, bool):
            raise ValueError(f"setting {key} expects true or false, got {value!r}")
        kwargs[key] = Decimal(str(value)) if isinstance(current, Decimal) else value
    return cls(**kwargs)


def _closed_days(settings: dict[str, Any], closed: dict[str, Any]) -> ClosedDays:
    weekdays = frozenset(settings.get("schedule", {}).get("closed_weekdays", [5, 6]))
    fixed = frozenset((int(md[:2]), int(md[3:])) for md in closed.get("fixed_holidays", []))
    closures = frozenset(
        d if isinstance(d, date) else date.fromisoformat(d) for d in closed.get("closures", [])
    )
    return ClosedDays(weekdays=weekdays, fixed_holidays=fixed, closures=closures)


def _hours(text: str, weekday: str) -> tuple[time, time] | None:
    if text.strip().lower() == "closed":
        return None
    try:
        opens, closes = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ValueError(
            f'setting opening_hours.{weekday} must be like "08:00-16:00" or "closed"; got {text!r}'
        ) from None
    if closes <= opens:
        raise ValueError(
            f"setting opening_hours.{weekday}: closing must be after opening; got {text!r}"
        )
    return opens, closes


def _opening_hours(values: dict[str, Any]) -> OpeningHours:
    unknown = set(values) - set(WEEKDAYS)
    if unknown:
        raise ValueError(f"unknown setting OpeningHours.{sorted(unknown)[0]}")
    return OpeningHours(
        tuple(_hours(values[day], day) if day in values else DEFAULT_HOURS for day in WEEKDAYS)
    )


def load_settings(override: Path | None = None) -> ClinicSettings:
    """The shipped defaults, with any keys from the clinic's ``override`` file on top."""
    data = tomllib.loads(resource_path("clinic_settings.toml").read_text(encoding="utf-8"))
    closed = tomllib.loads(resource_path("closed_days.toml").read_text(encoding="utf-8"))
    if override is not None:
        extra = tomllib.loads(override.read_text(encoding="utf-8"))
        for section, values in extra.items():
            if section == "closed_days":
                closed.update(values)
            else:
                data.setdefault(section, {}).update(values)
    return ClinicSettings(
        dosing=_section(DosingSettings, data.get("dosing", {})),
        vitals_flags=_section(VitalsFlags, data.get("vitals_flags", {})),
        closed_days=_closed_days(data, closed),
        checklists=_section(ChecklistSettings, data.get("checklists", {})),
        clinic=_section(ClinicInfo, data.get("clinic", {})),
        observation=_section(ObservationSettings, data.get("observation", {})),
        accounts=_section(AccountSettings, data.get("accounts", {})),
        display=_section(DisplaySettings, data.get("display", {})),
        opening_hours=_opening_hours(data.get("opening_hours", {})),
        chairs=_section(ChairSettings, data.get("chairs", {})),
        levelling=_section(LevellingSettings, data.get("levelling", {})),
        premedication=premedication_settings(data.get("premedication", {})),
        double_check=double_check_settings(data.get("double_check", {})),
    )
