"""Request checks of the chat channels."""
import pytest

from bot.channels.validation import (
    MAX_MESSAGE_CHARS,
    BadRequest,
    clean_text,
    validate_chat_body,
    validate_socket_message,
)


@pytest.mark.parametrize(
    "body, code",
    [
        ([], "invalid_body"),
        ("text", "invalid_body"),
        ({"message": "hi"}, "missing_sender"),
        ({"sender": 5, "message": "hi"}, "missing_sender"),
        ({"sender": "  ", "message": "hi"}, "missing_sender"),
        ({"sender": "a b", "message": "hi"}, "invalid_sender"),
        ({"sender": "x" * 129, "message": "hi"}, "invalid_sender"),
        ({"sender": "u1", "message": {"a": 1}}, "invalid_message"),
        ({"sender": "u1"}, "invalid_message"),
        ({"sender": "u1", "message": " \u200b\t"}, "empty_message"),
        ({"sender": "u1", "message": "x" * (MAX_MESSAGE_CHARS + 1)}, "message_too_long"),
        ({"sender": "u1", "message": "hi", "metadata": [1]}, "invalid_metadata"),
    ],
)
def test_malformed_bodies_are_rejected_with_a_reason(body, code):
    with pytest.raises(BadRequest) as error:
        validate_chat_body(body)
    assert error.value.code == code
    assert error.value.message_en and error.value.message_zh
    assert 400 <= error.value.status < 500


def test_valid_body_is_returned_cleaned():
    sender, text, metadata = validate_chat_body(
        {"sender": "web-3f2a", "message": "你好\u200b\u202e APEC", "metadata": {"language": "en"}}
    )
    assert (sender, text, metadata) == ("web-3f2a", "你好 APEC", {"language": "en"})


def test_clean_text_keeps_emoji_and_rtl_letters():
    assert clean_text("مرحبا 👍") == "مرحبا 👍"
    assert clean_text("a\x00b\x07c") == "abc"


@pytest.mark.parametrize(
    "data, sender, code",
    [
        ([], "s1", "invalid_body"),
        ({"message": "hi"}, None, "missing_sender"),
        ({"message": "hi"}, {"a": 1}, "missing_sender"),
        ({"message": b"\xff\xfe"}, "s1", "invalid_message"),
        ({"message": 5}, "s1", "invalid_message"),
        ({"message": "hi", "metadata": "{not json"}, "s1", "invalid_metadata"),
        ({"message": "hi", "metadata": "[1]"}, "s1", "invalid_metadata"),
        ({"message": "\u200b\u200b"}, "s1", "empty_message"),
    ],
)
def test_malformed_socket_messages_are_rejected(data, sender, code):
    with pytest.raises(BadRequest) as error:
        validate_socket_message(data, sender)
    assert error.value.code == code


def test_socket_metadata_may_arrive_as_a_json_string():
    assert validate_socket_message({"message": "hi\x00", "metadata": '{"language": "en"}'}, "s1") == (
        "s1", "hi", {"language": "en"})
