"""Local development: the embedded default (SQLite, in-process tasks, mail to console)."""

from stagekans.settings.base import *  # noqa: F403

DEBUG = True
