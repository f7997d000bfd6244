"""The nurse's use cases: one function per action, one transaction each, signed by the nurse.

Every function takes a :class:`~clinic_app.services.context.ServiceContext` first, validates its
input with the domain rules, opens one unit of work, and returns frozen DTOs (never ORM objects).
Errors are the domain's :class:`~clinic_app.domain.errors.ClinicalError` subclasses (with a
``field`` for form input), :class:`~clinic_app.services.errors.ServiceError` subclasses and the
store's :class:`~clinic_app.storage.ConcurrentEditError`; their ``str()`` is the message to show.
"""
