"""Alembic environment, configured programmatically by :mod:`clinic_app.storage.migrate`.

The caller passes an open connection in ``config.attributes["connection"]``; there is no
alembic.ini. ``render_as_batch`` lets ALTER TABLE work on SQLite (copy-and-move).
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

from clinic_app.storage.models import Base
from clinic_app.storage.types import UTCDateTime


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext
                 ) -> str | Literal[False]:
    """Render our UTCDateTime as ``UTCDateTime()`` with its import, not by module path."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("from clinic_app.storage.types import UTCDateTime")
        return "UTCDateTime()"
    return False


def run_migrations() -> None:
    """Run the requested migration command on the connection the caller opened."""
    if context.is_offline_mode():
        raise RuntimeError("clinic_app migrations run online only (on a live connection)")
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
