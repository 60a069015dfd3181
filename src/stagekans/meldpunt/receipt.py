"""Receipt codes for anonymous reporters.

A code is the report's public 6-digit number followed by 16 secret random digits, shown once as
`123456-1234-5678-9012-3456`. Only an Argon2 hash of the secret part is stored; the public
number makes look-up O(1) without weakening the secret (see docs/adr/0300-meldpunt-privacy.md).
"""

from __future__ import annotations

import functools
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

REFERENCE_DIGITS = 6
SECRET_DIGITS = 16

_hasher = PasswordHasher()
_NON_DIGITS = re.compile(r"[\s\-.]")


@dataclass(frozen=True)
class ReceiptCode:
    reference: str
    secret: str

    def formatted(self) -> str:
        s = self.secret
        return f"{self.reference}-{s[0:4]}-{s[4:8]}-{s[8:12]}-{s[12:16]}"


def new_reference() -> str:
    """A random public report number (first digit never 0, so it reads as a number)."""
    return str(secrets.randbelow(9 * 10 ** (REFERENCE_DIGITS - 1)) + 10 ** (REFERENCE_DIGITS - 1))


def new_secret() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(SECRET_DIGITS))


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def dummy_hash() -> str:
    """A fixed Argon2 hash, made by the same hasher (same parameters) as every real one."""
    return _dummy_hash()


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("0" * SECRET_DIGITS)


def _verify(secret_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(secret_hash, secret)
    except (VerifyMismatchError, VerificationError):
        return False


def verify_secret(secret_hash: str, secret: str) -> bool:
    """Whether `secret` matches `secret_hash`; every call costs exactly one Argon2 verification.

    An empty hash (report filed with an account, or erased by retention) or an unreadable one is
    checked against a dummy hash and never matches, so the response time does not tell a report
    without a code apart from one with a code (see docs/adr/0300-meldpunt-privacy.md).
    """
    if secret_hash:
        try:
            return _verify(secret_hash, secret)
        except InvalidHashError:
            pass
    _verify(_dummy_hash(), secret)
    return False


def parse(code: str) -> ReceiptCode | None:
    """Split a typed code into its parts; None if it is not 22 digits (spaces, dashes allowed)."""
    digits = _NON_DIGITS.sub("", code or "")
    if len(digits) != REFERENCE_DIGITS + SECRET_DIGITS or not digits.isdigit():
        return None
    return ReceiptCode(digits[:REFERENCE_DIGITS], digits[REFERENCE_DIGITS:])
