"""Alembic migrations shipped inside the package (run by :mod:`clinic_app.storage.migrate`)."""
