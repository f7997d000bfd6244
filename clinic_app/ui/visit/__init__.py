"""The infusion visit: today's weight and the live dose plan, then the visit screen itself
(identity, dose, lots, pre-check, start/pause/resume/rate/end, vitals grid, observation and
discharge). Views call ``clinic_app.services.visits`` only; every value is saved when entered.
"""
