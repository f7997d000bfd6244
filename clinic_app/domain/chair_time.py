"""How long a booking holds its chair, whether two bookings collide, and the clinic's hours.

Rules (issue 14, "Chairs and the clinic day"):

- A booking occupies its chair from its start for the protocol's expected visit:
  ``preparation`` (clinic setting ``chairs.preparation_minutes``: check-in, pre-infusion
  checks, the line) + the infusion + the observation the protocol sets for that dose number
  (:meth:`~clinic_app.domain.protocol_model.Monitoring.observation_minutes`).
- The infusion runs over the protocol's ``administration.duration_min`` (the rate is set so the
  bag runs over that minimum: :func:`~clinic_app.domain.infusion_rate.standard_rate`); a
  graduated infusion (after an earlier reaction) runs through the titration table for the
  protocol's first (standard) bag size (:func:`~clinic_app.domain.infusion_rate.
  graduated_infusion`). The weight, and so the exact bag, is not known at booking. A visit
  opened with the shortened infusion (infliximab EU SmPC: 1 hour; chosen per visit,
  :mod:`clinic_app.domain.shortened_infusion`) holds the chair for the shortened duration; the
  observation after it stays as the protocol says.
- Two bookings of one chair collide when their half-open intervals ``[start, end)`` meet:
  one ending at 10:00 and the next starting at 10:00 do not collide.
- A visit lies within the clinic's hours when it starts at or after the day's opening and ends
  at or before its closing (clinic setting ``[opening_hours]``); outside them the nurse gives a
  reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from clinic_app.domain.infusion_rate import graduated_infusion
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.settings import OpeningHours


@dataclass(frozen=True)
class ChairVisit:
    """One booking's hold on a chair: ``[starts_at, ends_at)``, aware datetimes."""

    starts_at: datetime
    ends_at: datetime
    booking_id: int | None = None

    def overlaps(self, other: ChairVisit) -> bool:
        """True when the two half-open intervals share a moment."""
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


def infusion_minutes(protocol: Protocol, *, graduated: bool, shortened: bool = False) -> int:
    """The planned infusion's minutes: the labelled duration, the shortened one when chosen
    (and the protocol has one), or the graduated table run for the protocol's standard (first)
    bag size."""
    if graduated and protocol.administration.titration:
        bag = protocol.preparation.bag_sizes_ml[0]
        return graduated_infusion(protocol, bag).duration_min
    short = protocol.administration.shortened
    if shortened and short is not None:
        return short.duration_min
    return protocol.administration.duration_min


def chair_minutes(
    protocol: Protocol,
    dose_number: int,
    *,
    preparation_minutes: int,
    graduated: bool = False,
    shortened: bool = False,
) -> int:
    """Minutes a booking of dose ``dose_number`` holds its chair (module rules)."""
    return (
        preparation_minutes
        + infusion_minutes(protocol, graduated=graduated, shortened=shortened)
        + protocol.monitoring.observation_minutes(dose_number)
    )


def chair_visit(starts_at: datetime, minutes: int, booking_id: int | None = None) -> ChairVisit:
    """The chair held from ``starts_at`` for ``minutes``."""
    return ChairVisit(starts_at, starts_at + timedelta(minutes=minutes), booking_id)


def first_clash(visit: ChairVisit, others: Iterable[ChairVisit]) -> ChairVisit | None:
    """The earliest of ``others`` (another booking: a different ``booking_id``) that overlaps
    ``visit``, or None when the chair is free for the whole visit."""
    clashes = [
        o
        for o in others
        if o.overlaps(visit) and (o.booking_id is None or o.booking_id != visit.booking_id)
    ]
    return min(clashes, key=lambda o: o.starts_at, default=None)


def outside_hours(visit: ChairVisit, hours: OpeningHours, tz: tzinfo) -> str | None:
    """Why ``visit`` is outside the clinic's hours (clinic-local ``tz``), or None within them."""
    start = visit.starts_at.astimezone(tz)
    end = visit.ends_at.astimezone(tz)
    span = hours.for_weekday(start.weekday())
    day = f"{start:%A}s"
    if span is None:
        return f"The clinic has no opening hours on {day}."
    opens, closes = span
    if end.date() != start.date() or start.time() < opens or end.time() > closes:
        return (
            f"The visit runs {start:%H:%M}-{end:%H:%M}, outside the clinic's hours on "
            f"{day} ({opens:%H:%M}-{closes:%H:%M})."
        )
    return None
