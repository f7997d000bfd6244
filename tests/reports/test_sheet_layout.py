"""The page frame: identity in the header of every page, whole even for a very long name."""

from __future__ import annotations

from report_samples import PRINTED_AT, page_texts

from clinic_app.reports.layout import (
    PaperSize,
    SheetIdentity,
    make_styles,
    para,
    render_pdf,
)

LONG_NAME = ("Maria de los Ángeles Fernández-Villaverde y Muñoz-Castellanos "
             "Brzęczyszczykiewicz-Żółkiewska")


def test_a_very_long_identity_line_prints_whole_on_every_page():
    styles = make_styles()
    identity = SheetIdentity(title="Infusion record: Infliximab, dose 12, Mon 2 Mar 2026",
                             clinic_name="Clinic",
                             patient_line=f"{LONG_NAME}  ·  MRN 1  ·  born 1 Jan 1990",
                             printed_at=str(PRINTED_AT), alert_line="ALLERGIES: Latex")
    story = [para(f"Line {n}", styles.body) for n in range(150)]
    texts = page_texts(render_pdf(story, identity, PaperSize.LETTER))
    assert len(texts) > 1
    for text in texts:
        assert f"{LONG_NAME}\nMRN 1  ·  born 1 Jan 1990" in text  # two lines, not shrunk
        assert "ALLERGIES: Latex" in text
