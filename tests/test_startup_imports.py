"""Issue 15: the window starts without the heavy libraries that only printing and migrating use.

Each check runs in a fresh interpreter, so what another test imported does not count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("reportlab", "alembic")
# The use cases behind the screens load on first use, after the sign-in window is painted
# (the Today list's services when it is first read, the demo seeding only for a demo).
AFTER_PAINT = (
    "clinic_app.services.clinic_day",
    "clinic_app.services.visits",
    "clinic_app.services.courses",
    "clinic_app.services.sheets",
    "clinic_app.services.demo",
    "clinic_app.domain.checklists",
)


def _run(code: str, *, home: Path | None = None) -> dict[str, object]:
    env = {
        **os.environ,
        **({"HOME": str(home), "XDG_DATA_HOME": str(home / "data")} if home else {}),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert isinstance(result, dict)
    return result


def test_importing_the_app_imports_neither_reportlab_nor_alembic() -> None:
    result = _run(
        "import json, sys, time\n"
        "start = time.perf_counter()\n"
        "import clinic_app.app\n"
        "seconds = time.perf_counter() - start\n"
        f"print(json.dumps({{'loaded': [m for m in {HEAVY!r} if m in sys.modules],"
        " 'seconds': seconds}))\n"
    )
    print(f"import clinic_app.app took {result['seconds']:.3f} s")  # shown with pytest -s
    assert result["loaded"] == []


def test_the_screens_use_cases_load_after_the_first_paint(tmp_path: Path) -> None:
    from clinic_app.storage import ensure_database

    database = tmp_path / "clinic.sqlite3"
    ensure_database(f"sqlite:///{database}", backup_dir=tmp_path / "backups")
    result = _run(
        "import json, sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from clinic_app.app import build_main_window\n"
        "app = QApplication([])\n"
        f"settings = QSettings({str(tmp_path / 'ui.ini')!r}, QSettings.Format.IniFormat)\n"
        f"state, window = build_main_window(['--db', {str(database)!r}], settings=settings)\n"
        "window.show()\n"
        "app.processEvents()\n"
        f"print(json.dumps({{'loaded': [m for m in {AFTER_PAINT!r} if m in sys.modules]}}))\n",
        home=tmp_path,
    )
    assert result["loaded"] == []


@pytest.mark.parametrize("module", ["clinic_app.storage", "clinic_app.services.sheets"])
def test_store_and_sheet_services_load_the_heavy_libraries_on_use_only(module: str) -> None:
    result = _run(
        "import json, sys, importlib\n"
        f"importlib.import_module({module!r})\n"
        f"print(json.dumps({{'loaded': [m for m in {HEAVY!r} if m in sys.modules]}}))\n"
    )
    assert result["loaded"] == []


def test_the_lazy_names_still_resolve() -> None:
    from clinic_app import storage
    from clinic_app.reports import sheets
    from clinic_app.storage import migrate, restore

    assert storage.ensure_database is migrate.ensure_database
    assert storage.restore_database is restore.restore_database
    assert callable(sheets.bedside_checklist_pdf)
    assert sheets.PaperSize("a4").value == "a4"
    with pytest.raises(AttributeError):
        _ = storage.no_such_name


def test_the_sign_in_window_on_a_current_database_needs_neither(tmp_path: Path) -> None:
    from clinic_app.storage import ensure_database

    database = tmp_path / "clinic.sqlite3"
    ensure_database(f"sqlite:///{database}", backup_dir=tmp_path / "backups")
    result = _run(
        "import json, sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from clinic_app.app import build_main_window\n"
        "app = QApplication([])\n"
        f"settings = QSettings({str(tmp_path / 'ui.ini')!r}, QSettings.Format.IniFormat)\n"
        f"state, window = build_main_window(['--db', {str(database)!r}], settings=settings)\n"
        "window.show()\n"
        "window.start_session()\n"
        "app.processEvents()\n"
        f"print(json.dumps({{'loaded': [m for m in {HEAVY!r} if m in sys.modules]}}))\n",
        home=tmp_path,
    )
    assert result["loaded"] == []


def test_the_revisions_read_from_the_scripts_match_alembic() -> None:
    from alembic.script import ScriptDirectory

    from clinic_app.storage.migrate import alembic_config, head_revision, known_revisions

    scripts = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == scripts.get_current_head()
    assert known_revisions() == {script.revision for script in scripts.walk_revisions()}


def test_the_starting_window_is_painted_before_the_database_layer_is_imported() -> None:
    """``clinic-app`` with no command paints "Opening the clinic…" importing only Qt; the
    database layer, the screens and the services come after (issue 15, first paint)."""
    result = _run(
        "import json, sys\n"
        "from clinic_app.__main__ import window_arguments\n"
        "from clinic_app.ui.shell.starting_window import make_application, show_starting_window\n"
        "app = make_application('clinic-app')\n"
        "window = show_starting_window(app)\n"
        "print(json.dumps({'visible': window.isVisible(),"
        " 'loaded': [m for m in ('sqlalchemy', 'clinic_app.storage', 'clinic_app.services',"
        " 'clinic_app.app', *" + repr(HEAVY) + ") if m in sys.modules]}))\n"
    )
    assert result == {"visible": True, "loaded": []}


@pytest.mark.parametrize(
    ("argv", "window"),
    [
        ([], []),
        (["--demo"], ["--demo"]),
        (["--db", "x.sqlite3"], ["--db", "x.sqlite3"]),
        (["--db=x.sqlite3", "--demo"], ["--db", "x.sqlite3", "--demo"]),
        (["db", "upgrade"], None),
        (["--db", "x.sqlite3", "db", "backup"], None),
        (["--help"], None),
        (["--version"], None),
        (["--db"], None),
        (["--db", "--demo"], None),
        (["--db="], None),
    ],
)
def test_only_the_windows_own_options_start_the_window(
        argv: list[str], window: list[str] | None) -> None:
    from clinic_app.__main__ import window_arguments

    assert window_arguments(argv) == window
