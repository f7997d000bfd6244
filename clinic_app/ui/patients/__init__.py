"""Patients: search (type-ahead over a lazy paged model), register/edit, and the chart with its
alert badges, lists, voiding and the treatment tabs. Views call ``clinic_app.services`` only."""
