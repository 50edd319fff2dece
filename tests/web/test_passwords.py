"""Operator passwords are stored only as salted scrypt hashes."""
import pytest

from bot.web.passwords import DUMMY_HASH, WeakPassword, hash_password, verify_password


def test_the_right_password_matches_and_a_wrong_one_does_not() -> None:
    stored = hash_password("correct horse battery")
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterx", stored)


def test_the_same_password_hashes_differently_each_time_and_is_not_stored_in_clear() -> None:
    first, second = hash_password("same password"), hash_password("same password")
    assert first != second
    assert "same password" not in first
    assert first.startswith("scrypt$")


def test_a_short_password_is_refused() -> None:
    with pytest.raises(WeakPassword):
        hash_password("short")


@pytest.mark.parametrize("stored", ["", "plain-text", "md5$abc", "scrypt$1$2$3$zz$yy", DUMMY_HASH])
def test_a_malformed_or_dummy_hash_never_matches(stored: str) -> None:
    assert not verify_password("anything at all", stored)
