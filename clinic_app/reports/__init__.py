"""Printed sheets (reportlab): built from domain objects and plain report records, bytes out.

Nurses work from these at the chair and in downtime, so every sheet is readable at arm's length,
fits the page (A4 or US Letter), repeats the patient identity and "page X of Y" on every page and
prints accented Latin and Cyrillic names with an embedded TrueType font.
"""
