"""Errors raised for unusable input.

Input errors carry the label of the offending student or placement so that a school administrator
can find and fix the row, instead of reading an index into an array they never saw.
"""

from __future__ import annotations


class InputError(ValueError):
    """The instance cannot be matched as given; the message names the offending row."""

    def __init__(
        self,
        message: str,
        *,
        student: str | None = None,
        placement: str | None = None,
        occurrences: int = 1,
    ) -> None:
        if occurrences > 1:
            message = f"{message} (and {occurrences - 1} more of the same kind)"
        super().__init__(message)
        self.student = student
        self.placement = placement
        self.occurrences = occurrences
