"""What each application status means and what the applicant does next, in Chinese and English side by side.

The database stores only the code; these texts are what the assistant tells the user. The specific
reason for one application (which document is missing) is its own `detail_zh`/`detail_en`. Where the
next step is at the office window, the window's address and hours come from config/office.yml once the
office has filled them in; until then only the verified 12345 hotline is named (no placeholder ever).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from bot.content import OFFICE_FILE, office_details

WINDOW = {"zh": "区政府外办窗口", "en": "the district Foreign Affairs Office window"}
WINDOW_DETAILS = {"zh": "（{}）", "en": " ({})"}
WINDOW_SEPARATOR = {"zh": "，", "en": ", "}
WINDOW_UNKNOWN = {
    "zh": "（地址和办公时间可拨打12345市民服务热线查询）",
    "en": " (the 12345 citizen service hotline gives its address and hours)",
}


@dataclass(frozen=True)
class Status:
    code: str
    meaning_zh: str
    meaning_en: str
    next_step_zh: str  # may name {window}: the office window, with its address and hours when known
    next_step_en: str

    def next_step(self, language: str, office_file: Path = OFFICE_FILE) -> str:
        template = self.next_step_en if language == "en" else self.next_step_zh
        return template.format(window=office_window(language, office_file)) if "{window}" in template else template


def office_window(language: str, office_file: Path = OFFICE_FILE) -> str:
    """"the office window (address, hours)" with what the office has filled in, else the 12345 referral."""
    language = "en" if language == "en" else "zh"
    details = office_details(language, office_file)
    known: list[Optional[str]] = [details[field] for field in ("address", "hours") if field in details]
    details = (WINDOW_DETAILS[language].format(WINDOW_SEPARATOR[language].join(known)) if known
               else WINDOW_UNKNOWN[language])
    return WINDOW[language] + details


STATUSES: dict[str, Status] = {
    status.code: status
    for status in (
        Status(
            "submitted",
            "已受理", "Received",
            "目前无需操作，申请将进入审核。",
            "Nothing to do now; the application will go into review.",
        ),
        Status(
            "under_review",
            "审核中", "Under review",
            "目前无需操作；如需补充材料，外事办会联系您。",
            "Nothing to do now; the office will contact you if anything more is needed.",
        ),
        Status(
            "returned",
            "退回补充材料", "Returned for more documents",
            "请按说明补齐所缺材料，交到{window}，审核随后继续。",
            "Bring the missing document described below to {window}; the review then continues.",
        ),
        Status(
            "approved",
            "已批准", "Approved",
            "目前无需操作；可以领取时外事办会通知您。",
            "Nothing to do now; the office will notify you when it is ready to collect.",
        ),
        Status(
            "pre_clearance",
            "已批准，等待各经济体预审", "Approved; waiting for pre-clearance by the APEC economies",
            "目前无需操作；预审完成后即制卡，外事办会通知您领取。",
            "Nothing to do now; the card is produced after pre-clearance and the office will notify you.",
        ),
        Status(
            "issued",
            "已出具", "Issued",
            "请到{window}领取。",
            "Collect it at {window}.",
        ),
        Status(
            "not_approved",
            "未获批准", "Not approved",
            "可按说明修改材料后重新申请；如有疑问请联系外事办。",
            "You may apply again with corrected documents; contact the office if you have questions.",
        ),
    )
}
