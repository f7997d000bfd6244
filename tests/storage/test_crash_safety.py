"""A writer killed mid-transaction or right after commit leaves a consistent database."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from clinic_app.storage import make_engine, make_session_factory, verify_audit

REPO_ROOT = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent("""
    import os, sys
    from datetime import date
    from clinic_app.storage import UnitOfWork, make_engine, make_session_factory
    from clinic_app.storage.models import Patient, Sex

    url, nurse_id, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    factory = make_session_factory(make_engine(url))

    def batch(work, first):
        for i in range(first, first + 50):
            work.patients.add(Patient(mrn=f"K{i:05d}", family_name=f"Kill{i}", given_names="T",
                                      date_of_birth=date(1970, 1, 1), sex=Sex.UNKNOWN))

    if mode == "loop":
        for n in range(10_000):
            with UnitOfWork(factory, nurse_id=nurse_id) as work:
                batch(work, n * 50)
                work.commit()
            print(n + 1, flush=True)
    with UnitOfWork(factory, nurse_id=nurse_id) as work:
        batch(work, 0)
        work.flush()
        if mode == "before-commit":
            os._exit(9)
        work.commit()
        os._exit(0)
""")


def _writer(db_url: str, nurse_id: int, mode: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen([sys.executable, "-c", WRITER, db_url, str(nurse_id), mode],
                            stdout=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT)


def _state(db_path: Path, db_url: str) -> tuple[int, bool]:
    with closing(sqlite3.connect(db_path)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        patients = raw.execute("SELECT count(*) FROM patients").fetchone()[0]
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        chain_ok = verify_audit(session).ok
    engine.dispose()
    return patients, chain_ok


def test_a_writer_killed_before_commit_leaves_no_trace(db_path, db_url, nurse_id):
    writer = _writer(db_url, nurse_id, "before-commit")
    assert writer.wait(timeout=60) == 9
    assert _state(db_path, db_url) == (0, True)


def test_a_writer_killed_right_after_commit_loses_nothing(db_path, db_url, nurse_id):
    writer = _writer(db_url, nurse_id, "after-commit")
    assert writer.wait(timeout=60) == 0
    assert Path(f"{db_path}-wal").exists()  # the commit lives in the WAL, not yet checkpointed
    assert _state(db_path, db_url) == (50, True)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_writer_killed_at_a_random_moment_keeps_every_reported_commit(
    db_path, db_url, nurse_id
):
    writer = _writer(db_url, nurse_id, "loop")
    assert writer.stdout is not None
    committed = 0
    while committed < 20:
        committed = int(writer.stdout.readline())
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=60)
    patients, chain_ok = _state(db_path, db_url)
    assert chain_ok
    assert patients % 50 == 0  # whole transactions only
    assert patients >= committed * 50
