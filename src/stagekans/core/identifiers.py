"""Validators for Dutch identifiers, each with a Dutch message that names the field.

BRIN and postcode are checked with python-stdnum. A KvK number has had no check digit since
2013 (the 11-proof was dropped), so the only honest check is the format: exactly 8 digits.
A crebo code is a 5-digit number assigned by SBB.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import brin as stdnum_brin
from stdnum.nl import postcode as stdnum_postcode

_KVK_RE = re.compile(r"^\d{8}$")
_CREBO_RE = re.compile(r"^\d{5}$")


def normalise_kvk(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def validate_kvk(value: str) -> None:
    compact = normalise_kvk(value)
    if not _KVK_RE.match(compact) or compact == "00000000":
        raise ValidationError(
            _("Het KvK-nummer moet uit precies 8 cijfers bestaan (u gaf: %(value)s)."),
            code="invalid_kvk",
            params={"value": value},
        )


def normalise_brin(value: str) -> str:
    return stdnum_brin.compact(value or "")


def validate_brin(value: str) -> None:
    try:
        stdnum_brin.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _(
                "De BRIN-code is ongeldig: gebruik 2 cijfers en 2 letters, zoals 25LJ "
                "(u gaf: %(value)s)."
            ),
            code="invalid_brin",
            params={"value": value},
        ) from exc


def validate_crebo(value: str) -> None:
    if not _CREBO_RE.match(str(value or "")):
        raise ValidationError(
            _("De crebocode moet uit precies 5 cijfers bestaan (u gaf: %(value)s)."),
            code="invalid_crebo",
            params={"value": value},
        )


def normalise_postcode(value: str) -> str:
    """'3511ab' → '3511 AB' (the way PostNL writes it)."""
    compact = stdnum_postcode.compact(value or "")
    return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else compact


def validate_postcode(value: str) -> None:
    try:
        stdnum_postcode.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _(
                "De postcode is ongeldig: gebruik 4 cijfers en 2 letters, zoals 3511 AB "
                "(u gaf: %(value)s)."
            ),
            code="invalid_postcode",
            params={"value": value},
        ) from exc
