"""The clinical core: pure Python, no Qt, no database, no I/O beyond reading resources.

Modules: ``protocols`` (drug rules loaded from TOML), ``dosing``, ``scheduling``,
``infusion_timeline``, ``checklists``, ``reactions``, ``units``. Every function takes the time it
needs as a parameter; none reads the clock.
"""
