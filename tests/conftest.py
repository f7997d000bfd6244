"""Suite-wide set-up: Qt runs offscreen (no display is needed, and none is touched)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
