"""The nurse's workstation (PySide6): one folder per feature, views apart from their slots.

Widgets call services only (through :class:`~clinic_app.ui.app_state.AppState`); no SQL and no
clinical rule lives here. Every control has an accessible name that matches its visible label.
"""
