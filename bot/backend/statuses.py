"""What each application status means and what the applicant does next, in Chinese and English side by side.

The database stores only the code; these texts are what the assistant tells the user. The specific
reason for one application (which document is missing) is its own `detail_zh`/`detail_en`.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    code: str
    meaning_zh: str
    meaning_en: str
    next_step_zh: str
    next_step_en: str


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
            "请按说明补齐所缺材料并交到外事办窗口，审核随后继续。",
            "Bring the missing document described below to the office window; the review then continues.",
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
            "请在办公时间到外事办窗口领取。",
            "Collect it at the office window during office hours.",
        ),
        Status(
            "not_approved",
            "未获批准", "Not approved",
            "可按说明修改材料后重新申请；如有疑问请联系外事办。",
            "You may apply again with corrected documents; contact the office if you have questions.",
        ),
    )
}
