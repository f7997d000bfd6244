"""The clinic's files are readable by the account that runs the program, and by no other.

Rule (POSIX: Linux and macOS): the SQLite database, its ``-wal``, ``-shm`` and ``-journal``
files, the backups and safety copies, and the error log hold MRNs, names, dates of birth and
PIN hashes. They are created with mode 0600 (read and write by the owner only), in folders the
program creates with mode 0700. Files and folders left readable by others (an older version made
them 0644 in 0755 folders) lose their group and other permissions when the program or a command
opens the clinic (:func:`clinic_app.bootstrap.protect_clinic_files`).

How: the program creates each file itself with mode 0600 before anything is written to it (the
database file empty, before SQLite opens it; a backup before SQLite's backup API fills it).
SQLite gives the ``-wal``, ``-shm`` and ``-journal`` files it creates the permissions of their
database file (its unix VFS copies them), so the side files follow the database with no change
to the process umask. A umask was not used: it is one setting for the whole process, shared by
every thread (the GUI makes backups on a worker thread), and it would also change the mode of
the PDF sheets the nurse saves where she chooses.

Only the clinic's own paths are changed: the database file and its side files, the backup folder
and the ``clinic-*`` files in it, the program's data folder and its error log. The folder a user
chose for ``--db`` (or ``CLINIC_APP_DB_URL``) keeps its mode. A file owned by another account is
left as it is (only its owner may change it).

Windows: POSIX modes do not apply there (``os.chmod`` only sets the read-only flag) and
:func:`protect` does nothing. The files are protected by the NTFS access-control list of the
folder they are in: the user's profile (``%LOCALAPPDATA%\\clinic_app``) is open to that user,
SYSTEM and the administrators only; a database put elsewhere with ``--db`` has that folder's
access list.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700
SIDE_FILE_SUFFIXES = ("-wal", "-shm", "-journal")
BACKUP_FILES = "clinic-*"
_GROUP_AND_OTHERS = 0o077


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` with mode 0700 when it is missing (missing parents get the default
    mode: they are not the clinic's); an existing folder is left as it is."""
    folder.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 when it is missing; an existing file is left as it
    is (its content and mode: see :func:`protect`)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE))


def copy_private(source: Path, destination: Path) -> None:
    """Copy the bytes of ``source`` into a new ``destination`` of mode 0600 (a file of that name
    is replaced)."""
    destination.unlink(missing_ok=True)
    create_private_file(destination)
    shutil.copyfile(source, destination)


def protect(path: Path) -> None:
    """Take the group and other permissions off ``path`` (0644 becomes 0600, 0755 becomes 0700)
    when it exists, on POSIX only; the owner's own permissions are kept."""
    if os.name != "posix":
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & _GROUP_AND_OTHERS:
            path.chmod(mode & ~_GROUP_AND_OTHERS)
    except (FileNotFoundError, PermissionError):  # gone, or another account's file
        return


def protect_database_files(database: Path) -> None:
    """Make the SQLite file ``database`` and its -wal, -shm and -journal files private."""
    protect(database)
    for suffix in SIDE_FILE_SUFFIXES:
        protect(Path(f"{database}{suffix}"))


def protect_backups(backup_dir: Path) -> None:
    """Make the backup folder and the backups and safety copies in it (``clinic-*``) private;
    other files a user keeps there are not touched."""
    protect(backup_dir)
    for path in backup_dir.glob(BACKUP_FILES) if backup_dir.is_dir() else ():
        protect(path)
