"""The anonymity check matches whole name words, the full name, e-mail and phone in any
format — and never refuses an innocent word that merely contains a name part."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stagekans.core.anonymity import (
    NAME_PARTICLES,
    Identity,
    IdentityKind,
    find_identity,
    phone_digits,
    refusal,
)

MIA = Identity(names=("Mia van die Berg",), emails=("mia.berg@example.nl",), phones=("0612345678",))


@pytest.mark.parametrize(
    "text",
    [
        # Regression (issue 9, defect 3): "die" in the name refused "godsdienst".
        "Afgewezen vanwege haar godsdienst.",
        "Die opmerking viel tijdens het gesprek.",  # a particle is an ordinary word
        "De begeleider van de afdeling zei het.",
        "Bergen vol werk, zei de werkgever.",  # "Berg" inside a longer word
        "Miami-stijl kleding was niet gewenst.",
        "Telefoonnummer 0612345 stond niet op het cv.",  # shorter digit run
        "",
    ],
)
def test_innocent_texts_pass(text):
    assert find_identity(text, [MIA]) is None


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        ("Mia werd afgewezen.", IdentityKind.NAME, "Mia"),
        ("Studente Berg werd afgewezen.", IdentityKind.NAME, "Berg"),
        ("MIA VAN DIE BERG schreef ons.", IdentityKind.NAME, "MIA VAN DIE BERG"),
        ("De studente (M i a) werd afgewezen.", IdentityKind.NAME, "M i a"),
        ("Zij heet M.i.a. volgens de school.", IdentityKind.NAME, "M.i.a"),
        ("Bel 06-12345678 voor details.", IdentityKind.PHONE, "06-12345678"),
        ("Bel 06 12 34 56 78.", IdentityKind.PHONE, "06 12 34 56 78"),
        ("Bel +31 6 1234 5678.", IdentityKind.PHONE, "+31 6 1234 5678"),
        ("Bel 0031-6-12345678.", IdentityKind.PHONE, "0031-6-12345678"),
        ("Mail MIA.BERG@example.nl", IdentityKind.EMAIL, "MIA.BERG@example.nl"),
        ("Mail mia.berg @ example.nl", IdentityKind.EMAIL, "mia.berg @ example.nl"),
    ],
)
def test_identifying_texts_are_caught_with_the_fragment(text, kind, fragment):
    hit = find_identity(text, [MIA])
    assert hit is not None
    assert (hit.kind, hit.fragment) == (kind, fragment)


def test_accents_do_not_hide_a_name():
    hit = find_identity("Zij heet Zoë.", [Identity(names=("Zoe Jansen",))])
    assert hit is not None and hit.fragment == "Zoë"


def test_phone_stored_with_country_code_matches_the_local_form():
    assert phone_digits("+31 6 12345678") == "0612345678"
    assert find_identity("bel 0612345678", [Identity(phones=("+31612345678",))]) is not None


def test_refusal_names_the_word_in_dutch():
    hit = find_identity("Mia werd afgewezen.", [MIA])
    assert hit is not None
    message = refusal(hit, "Samenvatting")
    assert message.startswith("Samenvatting: “Mia” lijkt de naam van de melder")


NAME_PART = st.text(alphabet=string.ascii_lowercase, min_size=4, max_size=10)
FILLER = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=6)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(given_name=NAME_PART, family=NAME_PART, prefix=FILLER, suffix=FILLER)
def test_a_name_part_inside_a_longer_word_never_triggers(given_name, family, prefix, suffix):
    word = prefix + given_name + suffix
    text = f"Het ging over {word} in de les."
    assume(given_name not in text.split() and family not in text.lower().split())
    assume(word not in {given_name, family})
    identity = Identity(names=(f"{given_name.title()} {family.title()}",))
    assert find_identity(text, [identity]) is None


@settings(max_examples=200)
@given(
    given_name=NAME_PART,
    family=NAME_PART,
    sep=st.sampled_from([" ", ".", " . ", "-", "  "]),
    upper=st.booleans(),
)
def test_a_name_part_as_a_word_or_spelled_out_always_triggers(given_name, family, sep, upper):
    assume(given_name not in NAME_PARTICLES)  # "over", "voor", "onder" never trigger by design
    identity = Identity(names=(f"{given_name} {family}",))
    spelled = sep.join(given_name.upper() if upper else given_name)
    for text in (
        f"Zij ({given_name.upper() if upper else given_name}) meldde het.",
        f"Zij ({spelled}) meldde het.",
    ):
        hit = find_identity(text, [identity])
        assert hit is not None and hit.kind == IdentityKind.NAME


DIGIT = st.sampled_from("0123456789")


@settings(max_examples=200)
@given(
    rest=st.lists(DIGIT, min_size=8, max_size=8),
    seps=st.lists(st.sampled_from(["", " ", "-", ".", " - "]), min_size=9, max_size=9),
)
def test_a_phone_number_with_any_separators_triggers(rest, seps):
    phone = "06" + "".join(rest)
    digits = list(phone)
    written = "".join(d + (seps[i] if i < len(digits) - 1 else "") for i, d in enumerate(digits))
    hit = find_identity(f"Bel {written} na vijven.", [Identity(phones=(phone,))])
    assert hit is not None and hit.kind == IdentityKind.PHONE
