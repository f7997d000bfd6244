"""Package discovery (the rest of the metadata is in pyproject.toml).

Every ``clinic_app`` sub-package is found, never listed by hand, and the top-level ``resources/``
folder ships as the package ``clinic_app.resources`` (its data folders included), so an installed
wheel finds the protocols, checklists and fonts through :mod:`clinic_app.resource_files`.
pyproject.toml alone cannot map a folder outside the package into it while also discovering.
"""

from setuptools import find_namespace_packages, find_packages, setup

setup(
    packages=[
        *find_packages(include=["clinic_app", "clinic_app.*"]),
        *(f"clinic_app.{name}"
          for name in find_namespace_packages(include=["resources", "resources.*"])),
    ],
    package_dir={"clinic_app.resources": "resources"},
)
