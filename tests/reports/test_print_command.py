"""``clinic-app print blank-checklist``: works without a database, fails in one line."""

from __future__ import annotations

from report_samples import page_sizes, page_texts

from clinic_app.cli import main


def test_the_blank_checklist_is_written_to_the_file_given(tmp_path, capsys):
    out = tmp_path / "infliximab.pdf"
    assert main(["print", "blank-checklist", "--protocol", "infliximab", "-o", str(out)]) == 0
    texts = page_texts(out.read_bytes())
    assert "Infusion checklist (downtime): Infliximab" in texts[0]
    assert f"Wrote {out}" in capsys.readouterr().out


def test_the_paper_can_be_chosen(tmp_path):
    out = tmp_path / "letter.pdf"
    assert main(["print", "blank-checklist", "--protocol", "vedolizumab", "-o", str(out),
                 "--paper", "letter", "--tz", "America/New_York"]) == 0
    assert set(page_sizes(out.read_bytes())) == {(612, 792)}


def test_an_unknown_protocol_is_a_one_line_error(tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["print", "blank-checklist", "--protocol", "aspirin", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "unknown protocol 'aspirin'; shipped: anifrolumab, infliximab" in err
    assert not out.exists()


def test_an_unwritable_path_is_a_one_line_error(tmp_path, capsys):
    out = tmp_path / "missing-folder" / "x.pdf"
    assert main(["print", "blank-checklist", "--protocol", "infliximab", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"cannot write {out}: No such file or directory" in err


def test_an_unknown_time_zone_is_a_one_line_error(tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["print", "blank-checklist", "--protocol", "infliximab", "-o", str(out),
                 "--tz", "Mars/Olympus"]) == 1
    assert "unknown time zone 'Mars/Olympus'" in capsys.readouterr().err
