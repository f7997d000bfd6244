"""The day list's chair timeline (issue 14): chairs as rows, visits as bars, the late ones red
and marked "Late:" so that a black-and-white copy still says so."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from report_samples import CLINIC, PRINTED_AT, VISIT_DAY, WARSAW, day_entries, page_texts

from clinic_app.domain.chair_time import chair_visit
from clinic_app.domain.chair_timeline import Stage, TimelineBooking, TimelineRow, timeline_rows
from clinic_app.reports.chair_timeline_blocks import CHAIRS_PER_DRAWING
from clinic_app.reports.day_list import day_list_pdf

CHAIRS = [f"Chair {n}" for n in range(1, 9)]


def local(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=WARSAW)


def sample_timeline(chairs: list[str] = CHAIRS) -> tuple[TimelineRow, ...]:
    bookings = [
        TimelineBooking("Chair 1", chair_visit(local(8), 210, 1), "ŻÓŁĆ, Łukasz", Stage.IN_CHAIR),
        TimelineBooking("Chair 2", chair_visit(local(8, 30), 150, 2), "NOWAK, Anna", Stage.WAITING),
        TimelineBooking("Chair 3", chair_visit(local(12), 120, 3), "BRONTË, Zoë", Stage.WAITING),
        TimelineBooking("Chair 4", chair_visit(local(7), 90, 4), "MÜLLER, Jörg", Stage.DISCHARGED),
    ]
    return timeline_rows(chairs, bookings, now=PRINTED_AT, grace=timedelta(minutes=5))


def printed(timeline: tuple[TimelineRow, ...]) -> bytes:
    return day_list_pdf(
        day_entries(),
        day=VISIT_DAY,
        clinic=CLINIC,
        tz=WARSAW,
        printed_at=PRINTED_AT,
        timeline=timeline,
    )


def test_the_day_list_prints_the_chair_timeline_after_the_list_with_each_visit_named():
    texts = page_texts(printed(sample_timeline()))
    text = " ".join(" ".join(texts).split())
    assert "Chair timeline" in text
    after = text[text.index("Chair timeline") :]
    for name in ("ŻÓŁĆ, Łukasz", "BRONTË, Zoë", "MÜLLER, Jörg"):
        assert name in after
    assert "Late: NOWAK" in after  # 08:30 not arrived at 09:05
    assert "Late: ŻÓŁĆ" not in after and "Late: BRONT" not in after
    for hour in ("07:00", "12:00", "17:00"):
        assert hour in after
    assert all(chair in after for chair in CHAIRS)


def test_a_day_list_without_a_timeline_or_without_visits_prints_none():
    assert "Chair timeline" not in " ".join(page_texts(printed(())))
    empty = timeline_rows(CHAIRS, [], now=PRINTED_AT, grace=timedelta(minutes=5))
    assert "Chair timeline" not in " ".join(page_texts(printed(empty)))


def test_many_chairs_are_drawn_in_parts_that_each_fit_a_page():
    chairs = [f"Chair {n}" for n in range(1, 2 * CHAIRS_PER_DRAWING + 3)]
    text = " ".join(page_texts(printed(sample_timeline(chairs))))
    assert f"Chair {2 * CHAIRS_PER_DRAWING + 2}" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
def test_the_timeline_page_renders(tmp_path: Path):
    pdf = tmp_path / "day.pdf"
    pdf.write_bytes(printed(sample_timeline()))
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and all(p.stat().st_size > 0 for p in pages)
