"""Chairs for the bulk demo: every visit placed in a free chair within the clinic's hours.

The bulk patients are written with Core inserts, not through ``book_appointment``, so they
follow the same rule here (:mod:`clinic_app.domain.chair_time`): a visit holds its chair for
preparation, infusion and the dose's observation, never overlaps another visit of that chair,
and runs within the day's opening hours. A visit goes at its wanted time in the first free
chair, else at the nearest free half hour of the day, else in a new chair (a clinic with
50,000 patients has many chairs); a new chair is written with its own audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo

from sqlalchemy import Connection, insert, select

from clinic_app.domain.chair_time import chair_minutes
from clinic_app.domain.settings import ClinicSettings
from clinic_app.services import catalogue
from clinic_app.storage.audit_chain import PendingAudit, append_entries
from clinic_app.storage.models import Appointment, AuditAction, Chair

STEP = 30  # minutes between the start times tried
KNOWN_VISIT = 270  # minutes held by a visit already in the database (the longest demo visit)


@dataclass
class ChairPlan:
    """Who holds which chair when, per day, in minutes from the clinic's local midnight."""

    settings: ClinicSettings
    chairs: list[str]
    taken: dict[tuple[date, str], list[tuple[int, int]]] = field(default_factory=dict)

    def minutes(self, protocol_id: str, dose_number: int) -> int:
        """How long the dose holds its chair (domain rule)."""
        return chair_minutes(
            catalogue.protocol(protocol_id),
            dose_number,
            preparation_minutes=self.settings.chairs.preparation_minutes,
        )

    def _free(self, day: date, chair: str, start: int, length: int) -> bool:
        return all(start + length <= a or b <= start for a, b in self.taken.get((day, chair), ()))

    def _starts(self, day: date, wanted: time, length: int) -> list[int]:
        hours = self.settings.opening_hours.for_weekday(day.weekday()) or (time(8), time(16))
        opens = hours[0].hour * 60 + hours[0].minute
        last = hours[1].hour * 60 + hours[1].minute - length
        goal = wanted.hour * 60 + wanted.minute
        starts = range(opens, max(last, opens) + 1, STEP)
        return sorted(starts, key=lambda s: (abs(s - goal), s))

    def place(self, day: date, wanted: time, length: int) -> tuple[time, str, bool]:
        """The start and chair for a visit of ``length`` minutes on ``day``, and whether the
        chair is new (to be written)."""
        starts = self._starts(day, wanted, length)
        for start in starts:
            for chair in self.chairs:
                if self._free(day, chair, start, length):
                    return self._hold(day, chair, start, length), chair, False
        chair = f"Chair {len(self.chairs) + 1}"
        self.chairs.append(chair)
        return self._hold(day, chair, starts[0], length), chair, True

    def _hold(self, day: date, chair: str, start: int, length: int) -> time:
        self.taken.setdefault((day, chair), []).append((start, start + length))
        return time(start // 60, start % 60)


def chair_plan(connection: Connection, settings: ClinicSettings, tz: tzinfo) -> ChairPlan:
    """The plan over the database's active chairs and the visits already booked in them."""
    names = list(connection.scalars(select(Chair.name).where(Chair.active).order_by(Chair.id)))
    plan = ChairPlan(settings, names)
    rows = connection.execute(
        select(Appointment.starts_at, Appointment.chair).where(
            Appointment.starts_at.is_not(None),
            Appointment.chair.is_not(None),
            Appointment.voided_at.is_(None),
        )
    )
    for starts_at, chair in rows:
        if starts_at is None or chair is None:  # excluded by the query; for the type checker
            continue
        local = starts_at.astimezone(tz)
        start = local.hour * 60 + local.minute
        plan.taken.setdefault((local.date(), chair), []).append((start, start + KNOWN_VISIT))
    return plan


def write_chair(connection: Connection, name: str, *, nurse_id: int, at: datetime) -> None:
    """A new chair, with its audit entry, in the batch's transaction."""
    chair_id = connection.execute(
        insert(Chair).values(name=name, active=True, notes=None, version=1).returning(Chair.id)
    ).scalar_one()
    changes = {"id": chair_id, "name": name, "active": True, "notes": None}
    append_entries(
        connection,
        [
            PendingAudit(
                "chairs",
                chair_id,
                AuditAction.INSERT,
                {key: {"old": None, "new": value} for key, value in changes.items()},
            )
        ],
        actor_id=nurse_id,
        at=at,
    )


__all__ = ["ChairPlan", "chair_plan", "write_chair"]
