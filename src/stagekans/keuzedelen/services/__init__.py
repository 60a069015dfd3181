"""Writes of the keuzedelen domain, one module per step: catalogue (keuzedelen and offerings),
agreements (cooperation agreements, versions, signing), timetable (home timetables and planned
activities with the shared-day warning), enrolment (request, checks, both decisions) and
attendance (attendance per lesson, the absence alert, the result). Import from the module."""
