"""The keyed pseudonym that links a background statement to a student (pure, no Django).

HMAC-SHA256 of the student's id under a secret key that lives in the environment, not in the
database: whoever holds a copy of the database only cannot tell whose statement a row is.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable


def pseudonym(key: bytes, student_id: int) -> str:
    return hmac.digest(key, b"student:%d" % student_id, hashlib.sha256).hex()


def pseudonyms(key: bytes, student_ids: Iterable[int]) -> dict[str, int]:
    """pseudonym → student id for many students at once (used by aggregate jobs)."""
    return {hmac.digest(key, b"student:%d" % sid, hashlib.sha256).hex(): sid for sid in student_ids}
