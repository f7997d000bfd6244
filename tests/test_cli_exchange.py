"""``clinic-app import patients`` with real files, signed by a nurse on file."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from test_cli import run

from clinic_app.cli import main

BAD_ROW = "P-3;x;Novak;;31/02/1980;F;"


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database holding one nurse account, Anna Keller's."""
    db = tmp_path / "clinic.sqlite3"
    assert main(["--db", str(db), "db", "upgrade"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n\n"))
    assert (
        main(
            [
                "--db",
                str(db),
                "nurse",
                "add",
                "--username",
                "akeller",
                "--name",
                "Anna Keller",
                "--password-stdin",
            ]
        )
        == 0
    )
    return db


def patient_list(folder: Path, *extra: str) -> Path:
    path = folder / "patients.csv"
    text = (
        "MRN;Nom de famille;Surname;First name;Date of birth;Sex;Allergies\n"
        "P-1;x;Łukasiewicz;Zoë;1980-05-17;F;Pénicilline\n"
        "P-2;x;Dvořák;Antonín;13/09/1941;M;NKA\n" + "".join(r + "\n" for r in extra)
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    return path


def _import(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path, *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    return run(
        capsys, "--db", str(db), "import", "patients", *argv, "--as", "akeller", "--password-stdin"
    )


def _patients(db: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute("SELECT mrn, family_name FROM patients ORDER BY mrn").fetchall()


def test_a_good_file_is_imported(
    clinic: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, _ = _import(capsys, monkeypatch, clinic, str(patient_list(tmp_path)))
    assert code == 0 and "Imported 2 patient(s)" in out
    assert _patients(clinic) == [("P-1", "Łukasiewicz"), ("P-2", "Dvořák")]


def test_a_dry_run_saves_nothing(
    clinic: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, _ = _import(capsys, monkeypatch, clinic, str(patient_list(tmp_path)), "--dry-run")
    assert code == 0 and "2 row(s) checked" in out and _patients(clinic) == []


def test_a_bad_row_writes_the_report_and_saves_nothing(
    clinic: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = patient_list(tmp_path, BAD_ROW)
    code, out, _ = _import(capsys, monkeypatch, clinic, str(source))
    report = Path(f"{source}.problems.txt").read_text(encoding="utf-8")
    assert code == 1 and "nothing was imported" in out
    assert "line 4: Given names is required." in report
    assert "line 4: Date of birth '1980-02-31' is not a real calendar date." in report
    assert _patients(clinic) == []


def test_an_ambiguous_date_needs_the_order(
    clinic: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = patient_list(tmp_path, "P-3;x;Novak;Eva;03/04/1980;F;")
    report = tmp_path / "why.txt"
    code, _, _ = _import(capsys, monkeypatch, clinic, str(source), "--report", str(report))
    assert code == 1 and "line 4: Date of birth '03/04/1980' could be" in report.read_text()
    code, _, _ = _import(capsys, monkeypatch, clinic, str(source), "--date-order", "dmy")
    assert code == 0 and len(_patients(clinic)) == 3


def test_export_fhir_writes_a_bundle_the_library_parses(
    clinic: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fhir.resources.R4B.bundle import Bundle

    assert _import(capsys, monkeypatch, clinic, str(patient_list(tmp_path)))[0] == 0
    out = tmp_path / "p1.json"
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    code, printed, _ = run(
        capsys,
        "--db",
        str(clinic),
        "export",
        "fhir",
        "--patient",
        "p-1",
        "-o",
        str(out),
        "--as",
        "akeller",
        "--password-stdin",
    )
    assert code == 0 and f"Wrote {out}" in printed
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    (entry,) = bundle.entry
    assert entry.resource.name[0].family == "Łukasiewicz"


def test_export_fhir_needs_one_selection(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "--db",
        str(clinic),
        "export",
        "fhir",
        "--day",
        "2026-13-01",
        "-o",
        str(tmp_path / "x.json"),
    )
    assert code == 2 and "not a day" in err
    code, _, err = run(capsys, "--db", str(clinic), "export", "fhir", "-o", "x.json")
    assert code == 2 and "one of the arguments" in err
