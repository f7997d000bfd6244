"""clinic_app: a desktop assistant for infusion nurses.

The package is layered (see README): ``domain`` holds the pure clinical rules, ``storage`` keeps
records, ``services`` are the nurse's use cases, ``reports`` prints sheets and ``ui`` is the
PySide6 workstation. Imports point downward only.
"""

__version__ = "0.1.0"
#: The program's name for its data folder and settings (``clinic_app.config``).
APP_NAME = "clinic_app"
