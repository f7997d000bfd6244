"""Data files shipped with clinic_app: protocols, checklist templates, fonts, icons, styles.

Installed as the package ``clinic_app.resources``; read them through
:func:`clinic_app.resource_files.resource_path`, never by building paths by hand.
"""
