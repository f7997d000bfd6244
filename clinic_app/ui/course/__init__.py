"""Courses: start one from a protocol, the planned schedule with windows, suggested days and
warnings; book, reschedule, change the interval, print the handout. Views call services only."""
