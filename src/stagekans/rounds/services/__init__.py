"""Writes for matching rounds, one module per step:

* setup: create a round, add places, open it, priority classes, close preferences;
* participation: a student's profile and ranking, a company's review, accepting or declining;
* running: trial and real runs (Celery), the stale-run detector, manual changes, publishing;
* closing: closing a round, the follow-up round, a revocation during a round.
"""
