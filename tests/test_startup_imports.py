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


def _run(code: str) -> dict[str, object]:
    env = {
        **os.environ,
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
