"""The argument parser every ``clinic-app`` command is built on: usage errors in one line."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, TypeAlias


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (no usage dump).

    Sub-command parsers are made of the same class (argparse uses the parent's class).
    """

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


#: The sub-command list a command group adds its parsers to.
Commands: TypeAlias = "argparse._SubParsersAction[OneLineParser]"
