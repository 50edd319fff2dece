"""Every error the API can answer, with its HTTP status and its message in Chinese and English side by side.

Handlers raise ApiError("code", ...); the app's catch-all handler turns it, and anything unexpected,
into JSON `{error, message_zh, message_en, ...}` so a caller never sees a stack trace.
"""
from __future__ import annotations

from typing import Any

CATALOGUE: dict[str, tuple[int, str, str]] = {
    "invalid_json": (400, "请求体必须是 JSON 对象。", "The request body must be a JSON object."),
    "invalid_field": (400, "字段 {field} 缺失或类型不对。", "Field {field} is missing or has the wrong type."),
    "invalid_reference": (
        400,
        "编号格式不正确，应类似 ABTC-2025-000318 或 INV-2025-000051。",
        "The reference number is malformed; it looks like ABTC-2025-000318 or INV-2025-000051.",
    ),
    "invalid_code": (400, "验证码应为 4 位字母或数字。", "The verification code must be 4 letters or digits."),
    "unauthorized": (401, "缺少服务令牌或令牌不正确。", "The service token is missing or wrong."),
    "no_match": (403, "编号与验证码不匹配。", "The reference number and the verification code do not match."),
    "unknown_reference": (404, "没有这个编号的申请。", "There is no application with this reference number."),
    "not_found": (404, "没有这个接口。", "There is no such endpoint."),
    "method_not_allowed": (405, "该接口不支持这个请求方法。", "This endpoint does not accept this method."),
    "payload_too_large": (413, "请求体过大。", "The request body is too large."),
    "too_many_attempts": (
        429,
        "验证失败次数过多，请稍后再试。",
        "Too many failed verification attempts; please try again later.",
    ),
    "rate_limited": (429, "请求过于频繁，请稍后再试。", "Too many requests; please try again shortly."),
    "bad_request": (400, "请求无效。", "The request is invalid."),
    "internal_error": (500, "服务内部错误。", "Internal error in the service."),
    "database_unavailable": (503, "数据库暂时不可用。", "The database is unavailable right now."),
}


class ApiError(Exception):
    """An error answer: a catalogue code, values for its message placeholders, and extra JSON fields."""

    def __init__(self, code: str, *, field: str = "", headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.status, zh, en = CATALOGUE[code]
        self.message_zh = zh.format(field=field)
        self.message_en = en.format(field=field)
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message_zh": self.message_zh, "message_en": self.message_en, **self.extra}
