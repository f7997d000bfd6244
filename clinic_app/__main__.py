"""``python -m clinic_app`` and the ``clinic-app`` console command.

With no command (only ``--db PATH`` or ``--demo``) the nurse's window starts: a starting window
is painted first, importing only Qt, and the clinic is opened behind it (issue 15). Any other
arguments go to the command line (:mod:`clinic_app.cli`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def window_arguments(argv: Sequence[str]) -> list[str] | None:
    """The window's options when ``argv`` asks for the window (nothing but ``--db PATH``,
    ``--db=PATH`` and ``--demo``); None for a command, help or anything the command line must
    read (and explain)."""
    found: list[str] = []
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word == "--demo":
            found.append(word)
        elif word == "--db" and rest and not rest[0].startswith("-"):
            found += [word, rest.pop(0)]
        elif word.startswith("--db=") and len(word) > len("--db="):
            found += ["--db", word.removeprefix("--db=")]
        else:
            return None
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Start the window, or run one command; the exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    window = window_arguments(args)
    if window is not None:
        from clinic_app.ui.shell.starting_window import make_application, show_starting_window

        app = make_application(sys.argv[0] if sys.argv else "")
        starting = show_starting_window(app)
        from clinic_app.app import run_gui

        return run_gui(window, starting=starting)
    from clinic_app.cli import main as run_command

    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
