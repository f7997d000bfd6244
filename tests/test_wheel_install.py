"""The package installs like any other: a wheel built from the source tree, installed into a fresh
virtual environment outside the checkout, runs the administrator's commands.

The editable install the README uses finds every module through the source tree, so it hides a
sub-package or a resource file left out of the wheel; this test does not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

# What a source tree holds that is not part of the product.
_NOT_SHIPPED = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "tests",
                                      "__pycache__", ".pytest_cache", ".ruff_cache",
                                      ".mypy_cache", ".hypothesis", "out", "docs")


def _run(argv: list[str], *, cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, (
        f"{' '.join(argv)} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the source tree (the checkout itself is left untouched)."""
    source = tmp_path_factory.mktemp("source") / "clinic_app"
    shutil.copytree(REPO, source, ignore=_NOT_SHIPPED)
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(source),
          "-w", str(out)], cwd=out)
    (built,) = out.glob("clinic_app-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel and its declared dependencies only."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=env_dir)
    return env_dir / "bin"


@pytest.fixture
def outside(tmp_path: Path, installed: Path) -> tuple[Path, dict[str, str]]:
    """A working folder outside the checkout and an environment that cannot see the source."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "CLINIC_APP_DB_URL", "VIRTUAL_ENV"}}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"),
               QT_QPA_PLATFORM="offscreen", PATH=f"{installed}{os.pathsep}{env['PATH']}")
    return tmp_path, env


def test_the_wheel_holds_every_module_and_resource_of_the_source_tree(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "clinic_app").rglob("*.py")}
    resources = {"clinic_app/resources/" + p.relative_to(REPO / "resources").as_posix()
                 for p in (REPO / "resources").rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts}
    assert modules - names == set()
    assert resources - names == set()
    assert "clinic_app/storage/migrations/script.py.mako" in names


def test_the_installed_command_runs_the_administrators_commands_outside_the_checkout(
        outside: tuple[Path, dict[str, str]], installed: Path) -> None:
    cwd, env = outside
    app = str(installed / "clinic-app")
    db = str(cwd / "clinic.sqlite3")
    assert _run([app, "--version"], cwd=cwd, env=env).stdout.startswith("clinic_app ")
    protocols = _run([app, "protocols"], cwd=cwd, env=env).stdout
    assert "infliximab" in protocols and "anifrolumab" in protocols
    assert "Created the database" in _run([app, "--db", db, "db", "upgrade"],
                                          cwd=cwd, env=env).stdout
    assert "up to date" in _run([app, "db", "upgrade", "--db", db], cwd=cwd, env=env).stdout
    seeded = _run([app, "--db", db, "db", "seed-demo", "--today", "2026-03-02"],
                  cwd=cwd, env=env).stdout
    assert "Demo data written" in seeded
    pdf = cwd / "blank.pdf"
    _run([app, "print", "blank-checklist", "--protocol", "infliximab", "-o", str(pdf)],
         cwd=cwd, env=env)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_installed_package_imports_from_site_packages_not_the_checkout(
        outside: tuple[Path, dict[str, str]], installed: Path) -> None:
    cwd, env = outside
    probe = ("import clinic_app, clinic_app.ui.shell.main_window, clinic_app.resource_files as r;"
             "print(clinic_app.__file__); print(r.resource_path('protocols', 'infliximab.toml')"
             ".is_file())")
    out = _run([str(installed / "python"), "-c", probe], cwd=cwd, env=env).stdout.split()
    assert "site-packages" in out[0] and str(REPO) not in out[0]
    assert out[1] == "True"
