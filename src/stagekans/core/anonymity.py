"""Does a text that others will read name a person? One check for every anonymised text.

The meldpunt's summary for SBB and everything SBB sends to a company or a school must not
contain the reporter's name, e-mail address or phone number. Plain substring matching refuses
innocent words ("godsdienst" for a reporter called "… die …") and misses the same number
written differently ("06-12345678" for "0612345678"); this module matches

* name parts as whole words, skipping short parts and Dutch name particles (van, de, die, …),
  and the full name as consecutive words;
* letters typed with gaps ("M i a", "J.a.n.s.e.n") as if they were one word;
* e-mail addresses regardless of case and spaces;
* phone numbers by their digits, whatever separators stand between them, with +31 / 0031
  read as the leading 0.

It returns the fragment of the text that triggered, so the user can be told which word to
remove (`refusal`). Property-tested in core/tests/test_anonymity.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

# A name part shorter than this is not matched on its own (the full name still is).
MIN_NAME_PART = 3
# A phone number with fewer digits than this is too short to recognise reliably.
MIN_PHONE_DIGITS = 6

# Dutch (and a few common foreign) name particles: never identifying on their own, and most
# are ordinary words too ("die", "de", "ten").
NAME_PARTICLES = frozenset(
    {
        "van", "von", "der", "den", "de", "die", "het", "ter", "ten", "te", "op", "in", "aan",
        "uit", "bij", "onder", "over", "voor", "la", "le", "les", "du", "da", "di", "del",
        "della", "dos", "das", "el", "al", "bin", "ben", "ibn", "abu", "vd", "v", "t", "s",
        "d", "l", "o", "mc", "mac", "st", "y", "e", "und", "zu", "tot",
    }
)  # fmt: skip

_WORD = re.compile(r"[^\W\d_]+")
# What may stand between letters typed with gaps: spaces, dots, dashes, underscores.
_LETTER_GAP = re.compile(r"^[\s.\-_·*]{1,3}$")
# A run of digits with separators a person might type between them.
_PHONE_RUN = re.compile(r"\+?\d(?:[\s\-./()]{0,3}\d)+")


class IdentityKind(StrEnum):
    NAME = "name"
    EMAIL = "email"
    PHONE = "phone"


@dataclass(frozen=True)
class Identity:
    """What identifies one person: a full name, e-mail addresses and phone numbers."""

    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()


@dataclass(frozen=True)
class IdentityHit:
    kind: IdentityKind
    fragment: str  # as it stands in the text checked


def fold(value: str) -> str:
    """Case- and accent-insensitive form: 'Émile' and 'emile' compare equal."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class _Word:
    text: str  # folded
    start: int
    end: int


def _words(text: str) -> list[_Word]:
    """The words of a text, with letters typed with gaps ("M i a") joined into one word."""
    raw = [_Word(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]
    words: list[_Word] = []
    i = 0
    while i < len(raw):
        j = i
        while (
            j + 1 < len(raw)
            and len(raw[j].text) == 1
            and len(raw[j + 1].text) == 1
            and _LETTER_GAP.match(text[raw[j].end : raw[j + 1].start])
        ):
            j += 1
        if j > i:
            words.append(_Word("".join(w.text for w in raw[i : j + 1]), raw[i].start, raw[j].end))
        else:
            words.append(raw[i])
        i = j + 1
    return words


def name_parts(name: str) -> list[str]:
    """The parts of a name that identify on their own: folded, long enough, no particles."""
    return [
        part
        for part in (fold(m.group()) for m in _WORD.finditer(name))
        if len(part) >= MIN_NAME_PART and part not in NAME_PARTICLES
    ]


def phone_digits(phone: str) -> str:
    """Digits of a Dutch phone number with the country code read as the leading 0."""
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+") and digits.startswith("31"):
        return "0" + digits[2:]
    if digits.startswith("0031"):
        return "0" + digits[4:]
    return digits


def _find_name(text: str, words: list[_Word], name: str) -> IdentityHit | None:
    full = [fold(m.group()) for m in _WORD.finditer(name)]
    if not full:
        return None
    texts = [w.text for w in words]
    # The full name as consecutive words, or typed as one run of gapped letters.
    joined = "".join(full)
    for i in range(len(words)):
        if texts[i : i + len(full)] == full and len(joined) >= MIN_NAME_PART:
            return IdentityHit(
                IdentityKind.NAME, text[words[i].start : words[i + len(full) - 1].end]
            )
        if len(full) > 1 and texts[i] == joined:
            return IdentityHit(IdentityKind.NAME, text[words[i].start : words[i].end])
    parts = set(name_parts(name))
    for word in words:
        if word.text in parts:
            return IdentityHit(IdentityKind.NAME, text[word.start : word.end])
    return None


def _find_email(text: str, email: str) -> IdentityHit | None:
    wanted = fold(re.sub(r"\s", "", email))
    if "@" not in wanted:
        return None
    # Compare without whitespace, but report the fragment as typed.
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    squeezed = fold("".join(text[i] for i in positions))
    if len(squeezed) != len(positions):  # folding changed the length (rare ligatures)
        index = squeezed.find(wanted)
        return IdentityHit(IdentityKind.EMAIL, email) if index >= 0 else None
    index = squeezed.find(wanted)
    if index < 0:
        return None
    return IdentityHit(
        IdentityKind.EMAIL, text[positions[index] : positions[index + len(wanted) - 1] + 1]
    )


def _find_phone(text: str, phone: str) -> IdentityHit | None:
    wanted = phone_digits(phone)
    if len(wanted) < MIN_PHONE_DIGITS:
        return None
    for match in _PHONE_RUN.finditer(text):
        if wanted in phone_digits(match.group()):
            return IdentityHit(IdentityKind.PHONE, match.group().strip())
    return None


def find_identity(text: str, identities: Iterable[Identity]) -> IdentityHit | None:
    """The first fragment of `text` that names one of `identities`, or None."""
    if not text:
        return None
    words = _words(text)
    for identity in identities:
        for email in identity.emails:
            if email and (hit := _find_email(text, email)):
                return hit
        for phone in identity.phones:
            if phone and (hit := _find_phone(text, phone)):
                return hit
        for name in identity.names:
            if name and (hit := _find_name(text, words, name)):
                return hit
    return None


def refusal(hit: IdentityHit, label: str) -> str:
    """The Dutch message for a refused text, naming the fragment that triggered it."""
    kind = {
        IdentityKind.NAME: _("de naam"),
        IdentityKind.EMAIL: _("het e-mailadres"),
        IdentityKind.PHONE: _("het telefoonnummer"),
    }[hit.kind]
    return _(
        "%(label)s: “%(fragment)s” lijkt %(kind)s van de melder. Het leerbedrijf en de "
        "school lezen deze tekst; haal het eruit. Naam en contactgegevens zijn alleen voor "
        "SBB, en alleen met toestemming van de melder."
    ) % {"label": label, "fragment": hit.fragment, "kind": kind}
