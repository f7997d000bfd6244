"""``python -m clinic_app`` and the ``clinic-app`` console command."""

from __future__ import annotations

import sys

from clinic_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
