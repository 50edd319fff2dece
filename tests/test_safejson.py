"""Bodies every service refuses before they cost anything: too deep, NaN/Infinity, not JSON; and the
Rasa token handed to Rasa outside the command line."""
import pytest

from bot import safejson
from bot.rasa_run import rasa_arguments


@pytest.mark.parametrize("raw, code", [
    (b"[" * 1000 + b"]" * 1000, "too_deep"),
    (b"[" * 40 + b"]" * 40, "too_deep"),
    (b'{"a": NaN}', "not_json_safe"),
    (b'[Infinity]', "not_json_safe"),
    (b'{"a": -Infinity}', "not_json_safe"),
    (b"{not json", "invalid_json"),
    (b"\xff\xfe", "invalid_json"),
    (b"", "invalid_json"),
])
def test_hostile_bodies_are_refused_with_a_reason(raw: bytes, code: str) -> None:
    with pytest.raises(safejson.UnsafeJSON) as refused:
        safejson.loads(raw)
    assert refused.value.code == code


def test_plain_json_within_the_depth_passes() -> None:
    assert safejson.loads(b'{"a": [1, 2.5, "x", null, true, {"b": {}}]}') == {"a": [1, 2.5, "x", None, True, {"b": {}}]}
    assert safejson.loads(b"[" * 32 + b"]" * 32) is not None


def test_values_decoded_elsewhere_are_checked_too() -> None:
    assert safejson.problem({"a": float("nan")}).code == "not_json_safe"
    assert safejson.problem({1: "x"}).code == "not_json_safe"
    assert safejson.problem({"a": {1, 2}}).code == "not_json_safe"
    assert safejson.problem({"a": {"b": {"c": 1}}}, max_depth=2).code == "too_deep"
    assert safejson.problem({"language": "en", "page": ["/visa", 3]}) is None


def test_the_rasa_token_is_added_inside_the_process_and_required_for_the_api() -> None:
    assert rasa_arguments(["run", "--enable-api", "--port", "5005"], "t0k") == \
        ["run", "--enable-api", "--port", "5005", "--auth-token", "t0k"]
    assert rasa_arguments(["run", "--port", "5005"], "") == ["run", "--port", "5005"]
    with pytest.raises(ValueError):
        rasa_arguments(["run", "--enable-api"], "")
    with pytest.raises(ValueError):
        rasa_arguments(["run", "--enable-api", "--auth-token", "visible"], "t0k")
