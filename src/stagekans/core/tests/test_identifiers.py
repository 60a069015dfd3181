import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from stagekans.core.identifiers import (
    normalise_postcode,
    validate_brin,
    validate_crebo,
    validate_kvk,
    validate_postcode,
)


@pytest.mark.parametrize("value", ["12345678", "69599084", "1234 5678"])
def test_valid_kvk(value):
    validate_kvk(value)


@pytest.mark.parametrize("value", ["1234567", "123456789", "1234567a", "", "00000000"])
def test_invalid_kvk_names_the_field(value):
    with pytest.raises(ValidationError) as info:
        validate_kvk(value)
    assert "KvK-nummer" in info.value.messages[0]


@pytest.mark.parametrize("value", ["25LJ", "05KO", "07NU00"])
def test_valid_brin(value):
    validate_brin(value)


@pytest.mark.parametrize("value", ["ABCD", "12KB1", "1", "25LJ0"])
def test_invalid_brin(value):
    with pytest.raises(ValidationError) as info:
        validate_brin(value)
    assert "BRIN-code" in info.value.messages[0]


@pytest.mark.parametrize("value", ["1234", "123456", "abcde", ""])
def test_invalid_crebo(value):
    with pytest.raises(ValidationError) as info:
        validate_crebo(value)
    assert "crebocode" in info.value.messages[0]


@pytest.mark.parametrize("value", ["3511 AB", "3511ab", "1011AC"])
def test_valid_postcode(value):
    validate_postcode(value)


@pytest.mark.parametrize("value", ["0511 AB", "3511 SA", "35111", "AB 3511", "3511 A"])
def test_invalid_postcode(value):
    with pytest.raises(ValidationError) as info:
        validate_postcode(value)
    assert "postcode" in info.value.messages[0]


@given(
    st.integers(min_value=1000, max_value=9999),
    st.sampled_from("ABCEGHJKLMNPRTVWXZ"),
    st.sampled_from("ABCEGHJKLMNPRTVWXZ"),
)
def test_postcode_normalisation_round_trip(digits, a, b):
    raw = f"{digits}{a}{b}".lower()
    normal = normalise_postcode(raw)
    assert normal == f"{digits} {a}{b}"
    validate_postcode(normal)


@given(st.text(max_size=12))
def test_kvk_validator_accepts_only_eight_digits(text):
    compact = "".join(c for c in text if c not in " .-")
    ok = len(compact) == 8 and compact.isascii() and compact.isdigit() and compact != "00000000"
    if ok:
        validate_kvk(text)
    else:
        with pytest.raises(ValidationError):
            validate_kvk(text)
