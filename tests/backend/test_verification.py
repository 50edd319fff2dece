"""Codes are kept as salted hashes only and checked correctly."""
import pytest

from bot.backend.verification import hash_code, normalize_code, verify_code


def test_hash_is_salted_and_does_not_contain_the_code() -> None:
    salt_a, hash_a = hash_code("1569")
    salt_b, hash_b = hash_code("1569")
    assert salt_a != salt_b and hash_a != hash_b
    assert hash_a.startswith("scrypt$") and "1569" not in hash_a.split("$", 4)[:4]


def test_right_code_matches_and_wrong_code_does_not() -> None:
    salt, digest = hash_code("1569")
    assert verify_code("1569", salt, digest)
    assert not verify_code("1568", salt, digest)
    assert not verify_code("9651", salt, digest)


def test_code_is_compared_in_its_normal_form() -> None:
    salt, digest = hash_code("E12X")
    assert verify_code("e12x", salt, digest)
    assert verify_code(" Ｅ１２Ｘ ", salt, digest)


@pytest.mark.parametrize("typed, expected", [
    ("1569", "1569"), (" 15 69 ", "1569"), ("１５６９", "1569"), ("ab12", "AB12"),
    ("156", None), ("15690", None), ("15-9", None), ("", None), (1569, None), (None, None),
])
def test_code_must_be_four_letters_or_digits(typed: object, expected: object) -> None:
    assert normalize_code(typed) == expected


def test_malformed_code_never_matches() -> None:
    salt, digest = hash_code("1569")
    assert not verify_code("15690", salt, digest)
