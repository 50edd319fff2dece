"""Reading the 4-character verification code out of what the user typed."""
import pytest

from actions.status import extract_code


@pytest.mark.parametrize(
    "text, code",
    [
        ("4821", "4821"),
        ("４８２１", "4821"),
        ("最后四位是4821", "4821"),
        ("the code is 1184", "1184"),
        ("last four digits 6630", "6630"),
        ("passport ends in 4471", "4471"),
        ("code 8123", "8123"),
        ("e12a", "E12A"),
        ("abcd", "ABCD"),
    ],
)
def test_code_is_found(text, code):
    assert extract_code(text) == code


@pytest.mark.parametrize("text", ["", "   ", "1234 5678", "the code", "12345", "482", "my code is abcd", None])
def test_no_single_code_gives_none(text):
    assert extract_code(text) is None
