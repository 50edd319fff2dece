"""The running service over HTTP, on SQLite and on PostgreSQL: every answer the API can give."""
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.backend import db
from tests.backend.conftest import Server, add_application

LOOKUP = "/api/v1/applications/lookup"
OPERATOR = "/api/v1/operator/lookup"
Codes = dict[str, str]


def assert_error(status: int, body: Any, expected_status: int, error: str) -> None:
    assert (status, body["error"]) == (expected_status, error), body
    assert body["message_zh"] and body["message_en"]


def test_health_answers_without_a_token(backend: Server) -> None:
    status, body, _ = backend.call("GET", "/api/v1/health", token=None)
    assert (status, body) == (200, {"status": "ok", "database": "ok"})


def test_each_demo_record_is_found_with_its_code(backend: Server, demo_codes: Codes) -> None:
    for reference, code in demo_codes.items():
        status, body, _ = backend.lookup(reference, code)
        assert status == 200, body
        assert body["reference"] == reference
        assert body["kind"] == ("apec_card" if reference.startswith("ABTC") else "invitation")
        for language in ("zh", "en"):
            for name in ("status_meaning", "next_step", "detail"):
                assert body[f"{name}_{language}"], (reference, name, language)
        assert body["history"][-1]["status"] == body["status"]
        assert body["updated_at"] == body["history"][-1]["at"]


def test_returned_record_says_which_document_is_missing(backend: Server, demo_codes: Codes) -> None:
    status, body, _ = backend.lookup("ABTC-2025-000233", demo_codes["ABTC-2025-000233"])
    assert (status, body["status"]) == (200, "returned")
    assert "no-criminal-record certificate" in body["detail_en"] and "无犯罪记录证明" in body["detail_zh"]


@pytest.mark.parametrize("typed", ["abtc 2025 000318", "ＡＢＴＣ－２０２５－０００３１８", "ABTC2025000318"])
def test_reference_is_normalized_by_the_service_too(backend: Server, typed: str) -> None:
    status, body, _ = backend.lookup(typed, "１５６９")
    assert (status, body["reference"]) == (200, "ABTC-2025-000318")


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"", b'"text"', b"\xff\xfe"])
def test_body_that_is_not_a_json_object_is_400(backend: Server, raw: bytes) -> None:
    assert_error(*backend.call("POST", LOOKUP, raw=raw)[:2], 400, "invalid_json")


@pytest.mark.parametrize("body, error", [
    ({"verification_code": "1569"}, "invalid_field"),
    ({"reference": 318, "verification_code": "1569"}, "invalid_field"),
    ({"reference": "ABTC-2025-000318", "verification_code": "1569", "conversation_id": 7}, "invalid_field"),
    ({"reference": "ABTC-2025-318", "verification_code": "1569"}, "invalid_reference"),
    ({"reference": "ABTC-2025-000318"}, "invalid_code"),
    ({"reference": "ABTC-2025-000318", "verification_code": 1569}, "invalid_code"),
    ({"reference": "ABTC-2025-000318", "verification_code": "156"}, "invalid_code"),
    ({"reference": "ABTC-2025-000318", "verification_code": "15690"}, "invalid_code"),
])
def test_malformed_fields_are_400(backend: Server, body: dict[str, Any], error: str) -> None:
    status, answer, _ = backend.call("POST", LOOKUP, body)
    assert_error(status, answer, 400, error)


def test_malformed_request_does_not_count_as_a_failed_attempt(backend: Server) -> None:
    reference = add_application(backend.database_url, "4321")
    for _ in range(6):
        backend.lookup(reference, "12")
    assert backend.lookup(reference, "4321")[0] == 200


@pytest.mark.parametrize("token, header", [
    (None, None), ("wrong-token", None), (None, {"Authorization": "Basic dXNlcjpwYXNz"}), ("", None),
])
def test_missing_or_wrong_token_is_401(backend: Server, token: Any, header: Any) -> None:
    status, body, headers = backend.lookup("ABTC-2025-000318", "1569", token=token, headers=header)
    assert_error(status, body, 401, "unauthorized")
    assert "reference" not in body and headers.get("www-authenticate") == "Bearer"


def test_unknown_reference_and_wrong_code_are_one_403(backend: Server) -> None:
    reference = add_application(backend.database_url, "4321")
    wrong = backend.lookup(reference, "1234", conversation_id="conv-a")[:2]
    unknown = backend.lookup("ABTC-2025-999999", "1234", conversation_id="conv-b")[:2]
    assert wrong == unknown
    assert_error(*wrong, 403, "no_match")
    assert "detail_en" not in wrong[1] and "attempts_left" not in wrong[1]


def test_third_miss_pauses_the_caller_even_for_the_right_code(backend: Server) -> None:
    reference = add_application(backend.database_url, "4321")
    assert [backend.lookup(reference, "1234")[0] for _ in range(3)] == [403] * 3
    status, body, headers = backend.lookup(reference, "4321")
    assert_error(status, body, 429, "too_many_attempts")
    assert 1 <= body["retry_after"] <= 600 and headers["retry-after"] == str(body["retry_after"])


def test_concurrent_wrong_codes_cannot_outrun_the_budget_of_a_reference(backend: Server) -> None:
    reference = add_application(backend.database_url, "4321")
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda n: backend.lookup(reference, "1234", conversation_id=f"conv-{n}")[0],
                                 range(20)))
    # the volley cap is relaxed for this module (tests/backend/conftest.py): 6 a day, plus at most one
    # overshoot per concurrent worker that passed the check before the others were counted
    assert statuses.count(403) < 6 + 10 and statuses.count(403) + statuses.count(429) == 20
    assert backend.lookup(reference, "4321", conversation_id="conv-late")[0] == 429


def test_unknown_path_and_method_are_json_errors(backend: Server) -> None:
    assert_error(*backend.call("GET", "/api/v1/nothing")[:2], 404, "not_found")
    assert_error(*backend.call("GET", LOOKUP)[:2], 405, "method_not_allowed")


def test_oversized_body_is_refused_as_json(backend: Server) -> None:
    status, body, _ = backend.call("POST", LOOKUP, raw=b"{" + b" " * 64_000 + b"}")
    assert_error(status, body, 413, "payload_too_large")


def test_operator_lookup_needs_no_code_and_shows_the_pause(backend: Server) -> None:
    reference = add_application(backend.database_url, "4321")
    status, body, _ = backend.call("POST", OPERATOR, {"reference": reference, "operator": "张三"})
    assert (status, body["locked_until"]) == (200, None)
    for n in range(6):
        backend.lookup(reference, "1234", conversation_id=f"conv-{n}")
    status, body, _ = backend.call("POST", OPERATOR, {"reference": reference.lower(), "operator": "张三"})
    assert (status, body["reference"]) == (200, reference)
    assert body["locked_until"] and body["status_meaning_zh"] == "审核中"
    assert_error(*backend.call("POST", OPERATOR, {"reference": reference})[:2], 400, "invalid_field")
    assert_error(*backend.call("POST", OPERATOR, {"reference": "ABTC-2025-999998", "operator": "张三"})[:2],
                 404, "unknown_reference")
    assert_error(*backend.call("POST", OPERATOR, {"reference": reference, "operator": "x"}, token="bad")[:2],
                 401, "unauthorized")


def test_audit_log_records_who_looked_up_what_but_never_the_code(backend: Server) -> None:
    reference = add_application(backend.database_url, "Q7ZX")
    backend.lookup(reference, "Q7ZX", conversation_id="conv-audit")
    backend.lookup(reference, "K3WJ", conversation_id="conv-audit")
    backend.call("POST", OPERATOR, {"reference": reference, "operator": "李四"})
    engine = db.connect(backend.database_url)
    with engine.connect() as conn:
        rows = conn.execute(db.audit_log.select().where(db.audit_log.c.reference == reference)
                            .order_by(db.audit_log.c.id)).mappings().all()
    engine.dispose()
    assert [(r["actor"], r["conversation_id"], r["outcome"]) for r in rows] == [
        ("action-server", "conv-audit", "ok"), ("action-server", "conv-audit", "wrong_code"),
        ("operator:李四", None, "ok"),
    ]
    assert "Q7ZX" not in repr(rows) and "K3WJ" not in repr(rows)


def test_neither_answers_nor_log_contain_the_verification_code(backend: Server) -> None:
    reference = add_application(backend.database_url, "X9QZ")
    answers = [backend.lookup(reference, code, conversation_id="conv-log") for code in ("X9QZ", "x9qz", "J4VK", "J4VK")]
    answers.append(backend.lookup("ABTC-2025-999997", "W2PB"))
    answers.append(backend.lookup(reference, "Y8TR", token="wrong"))
    assert [status for status, _, _ in answers] == [200, 200, 403, 403, 403, 401]
    log = backend.log()
    assert reference in log
    for code in ("X9QZ", "J4VK", "W2PB", "Y8TR"):
        assert code not in log.upper()
        assert all(code not in repr(body).upper() for _, body, _ in answers)
