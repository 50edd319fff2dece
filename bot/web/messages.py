"""Every user-facing string of the web app, Chinese and English side by side.

The widget loads its part as JSON (/widget/strings.json), the server-rendered pages read it through
``t(key, language)`` or show both languages with ``both(key)``.
"""
from __future__ import annotations

from typing import Dict

Catalogue = Dict[str, Dict[str, str]]

WIDGET: Catalogue = {
    "title": {"zh": "外事助手", "en": "FAO Assistant"},
    "open": {"zh": "在线咨询", "en": "Ask us"},
    "close": {"zh": "收起对话窗口", "en": "Close the chat"},
    "dialog": {"zh": "外事助手对话窗口", "en": "FAO Assistant chat"},
    "log": {"zh": "对话记录", "en": "Conversation"},
    "input": {"zh": "输入您的问题", "en": "Type your question"},
    "placeholder": {"zh": "请输入您的问题", "en": "Your question"},
    "send": {"zh": "发送", "en": "Send"},
    "restart": {"zh": "重新开始", "en": "Start over"},
    "language": {"zh": "回答语言", "en": "Answer language"},
    "typing": {"zh": "外事助手正在输入…", "en": "FAO Assistant is typing…"},
    "you": {"zh": "您", "en": "You"},
    "assistant": {"zh": "外事助手", "en": "FAO Assistant"},
    "helpful": {"zh": "有帮助", "en": "Helpful"},
    "unhelpful": {"zh": "没有帮助", "en": "Not helpful"},
    "thanks": {"zh": "感谢您的反馈", "en": "Thank you for your feedback"},
    "thanks_visible": {"zh": "谢谢，已收到您的反馈。", "en": "Thanks, your feedback was received."},
    "offline": {
        "zh": "暂时连接不上外事助手。紧急事务请拨打12345市民服务热线。",
        "en": "The assistant cannot be reached right now. For urgent matters call the 12345 hotline.",
    },
    "connecting": {"zh": "正在连接外事助手…", "en": "Connecting to the assistant…"},
    "reconnected": {"zh": "已重新连接。", "en": "Reconnected."},
    "queued": {"zh": "连接恢复后会自动发送。", "en": "It will be sent once the connection is back."},
    "retry": {"zh": "重试", "en": "Retry"},
    "no_reply": {
        "zh": "暂时没有收到回复。",
        "en": "No reply yet.",
    },
    "send_again": {"zh": "再发一次", "en": "Send again"},
    "unread": {"zh": "条新消息", "en": "new message(s)"},
    "restart_question": {
        "zh": "要开始新的对话吗？当前的对话记录将被清除。",
        "en": "Start a new conversation? This conversation will be cleared.",
    },
    "restart_yes": {"zh": "清除并重新开始", "en": "Clear and start over"},
    "restart_no": {"zh": "取消", "en": "Cancel"},
    "call": {"zh": "拨打", "en": "Call"},
    "sent_at": {"zh": "发送时间", "en": "Sent at"},
    "switched": {"zh": "已切换为中文回答", "en": "Answers will now be in English"},
    "new_window": {"zh": "（在新窗口打开）", "en": "(opens in a new window)"},
    "suggestions": {"zh": "建议的问题", "en": "Suggested questions"},
}

PAGES: Catalogue = {
    "console": {"zh": "热线坐席工作台", "en": "Hotline operator console"},
    "login": {"zh": "坐席登录", "en": "Operator sign-in"},
    "name": {"zh": "用户名", "en": "Name"},
    "password": {"zh": "密码", "en": "Password"},
    "sign_in": {"zh": "登录", "en": "Sign in"},
    "sign_out": {"zh": "退出", "en": "Sign out"},
    "wrong_login": {"zh": "用户名或密码错误。", "en": "Wrong name or password."},
    "login_throttled": {"zh": "登录失败次数过多，请15分钟后再试。", "en": "Too many failed sign-ins: please try again in 15 minutes."},
    "signed_in_as": {"zh": "当前坐席", "en": "Signed in as"},
    "search": {"zh": "搜索答案", "en": "Search answers"},
    "search_hint": {
        "zh": "输入来电者的问题（中文或英文），显示最可能的3个答案。",
        "en": "Type the caller's question (Chinese or English) to see the 3 likeliest answers.",
    },
    "search_button": {"zh": "搜索", "en": "Search"},
    "results": {"zh": "搜索结果", "en": "Results"},
    "no_results": {"zh": "没有找到答案。", "en": "No answer found."},
    "confidence": {"zh": "匹配度", "en": "Match"},
    "copy_zh": {"zh": "复制中文", "en": "Copy Chinese"},
    "copy_en": {"zh": "复制英文", "en": "Copy English"},
    "copied": {"zh": "已复制", "en": "Copied"},
    "lookup": {"zh": "申请查询", "en": "Application lookup"},
    "lookup_hint": {
        "zh": "已通过电话核实来电者身份后，输入申请编号（如 ABTC-2024-000107）。每次查询都会记入审计日志。",
        "en": "After verifying the caller by voice, enter the reference (e.g. ABTC-2024-000107). "
              "Every lookup is written to the audit log.",
    },
    "look_up": {"zh": "查询", "en": "Look up"},
    "status": {"zh": "状态", "en": "Status"},
    "kind_apec_card": {"zh": "APEC商务旅行卡", "en": "APEC Business Travel Card"},
    "kind_invitation": {"zh": "邀请外国人来华（邀请核实单）", "en": "Invitation (verification letter)"},
    "detail": {"zh": "详情", "en": "Detail"},
    "next_step": {"zh": "下一步", "en": "Next step"},
    "locked_until": {"zh": "锁定至", "en": "Locked until"},
    "updated": {"zh": "更新时间", "en": "Updated"},
    "audited": {"zh": "已记入审计日志", "en": "Written to the audit log"},
    "unknown_reference": {"zh": "没有这个申请编号。", "en": "No application has this reference."},
    "bad_reference": {"zh": "申请编号格式不对。", "en": "That is not a valid reference."},
    "lookup_unavailable": {
        "zh": "查询服务暂时不可用，请稍后再试。",
        "en": "The lookup service is unavailable right now; please try again shortly.",
    },
    "search_unavailable": {
        "zh": "助手的语言理解服务暂时不可用。",
        "en": "The assistant's language understanding is unavailable right now.",
    },
    "shortcuts": {"zh": "快捷键", "en": "Keyboard shortcuts"},
    "key_search": {"zh": "聚焦搜索框", "en": "focus the search box"},
    "key_lookup": {"zh": "聚焦申请编号框", "en": "focus the reference box"},
    "key_copy_zh": {"zh": "复制第1–3个答案的中文", "en": "copy answer 1–3 in Chinese"},
    "key_copy_en": {"zh": "复制第1–3个答案的英文", "en": "copy answer 1–3 in English"},
    "key_escape": {"zh": "清空当前输入框", "en": "clear the current box"},
    "key_next_caller": {"zh": "下一位来电：清空搜索和查询结果", "en": "next caller: clear search and lookup"},
    "next_caller": {"zh": "下一位来电", "en": "Next caller"},
    "cleared": {"zh": "已清空，可接待下一位来电。", "en": "Cleared for the next caller."},
    "beijing_time": {"zh": "北京时间", "en": "Beijing time"},
    "my_audit": {"zh": "我的查询记录", "en": "My audit trail"},
    "my_audit_hint": {
        "zh": "您最近的搜索和申请查询（审计日志中只记录编号的一部分）。",
        "en": "Your latest searches and lookups (the audit log keeps only part of each reference).",
    },
    "audit_at": {"zh": "时间", "en": "Time"},
    "audit_action": {"zh": "操作", "en": "Action"},
    "audit_subject": {"zh": "对象", "en": "Subject"},
    "audit_outcome": {"zh": "结果", "en": "Outcome"},
    "action_search": {"zh": "搜索", "en": "Search"},
    "action_lookup": {"zh": "申请查询", "en": "Lookup"},
    "audit_unavailable": {"zh": "暂时无法读取审计记录。", "en": "The audit trail cannot be read right now."},
    "report": {"zh": "服务报告", "en": "Service report"},
    "most_down": {"zh": "评价为“没有帮助”的回答", "en": "Answers rated not helpful"},
    "fallbacks": {"zh": "未能回答的问题（按出现次数）", "en": "Questions left unanswered (most frequent first)"},
    "answer": {"zh": "回答", "en": "Answer"},
    "down_votes": {"zh": "没有帮助", "en": "Not helpful"},
    "up_votes": {"zh": "有帮助", "en": "Helpful"},
    "question": {"zh": "问题", "en": "Question"},
    "visitor_question": {"zh": "访客的问题", "en": "The visitor's question"},
    "times": {"zh": "次数", "en": "Times"},
    "last_seen": {"zh": "最近一次（北京时间）", "en": "Last seen (Beijing time)"},
    "voted_at": {"zh": "时间（北京时间）", "en": "Time (Beijing time)"},
    "nothing_yet": {"zh": "暂无记录。", "en": "Nothing yet."},
    "language_zh": {"zh": "中文", "en": "Chinese"},
    "language_en": {"zh": "英文", "en": "English"},
    "language": {"zh": "语言", "en": "Language"},
    "day": {"zh": "日期", "en": "Day"},
    "conversations": {"zh": "对话数", "en": "Conversations"},
    "answered": {"zh": "已回答", "en": "Answered"},
    "clarified": {"zh": "追问澄清", "en": "Clarified"},
    "out_of_scope": {"zh": "超出范围", "en": "Out of scope"},
    "handed_off": {"zh": "转人工", "en": "Handed off"},
    "chart_outcomes": {"zh": "每日问题结果", "en": "Outcome of questions per day"},
    "chart_votes": {"zh": "每日评价", "en": "Ratings per day"},
    "legend": {"zh": "图例", "en": "Key"},
    "per_day": {"zh": "按日统计（北京时间）", "en": "Per day (Beijing time)"},
    "date_from": {"zh": "开始日期", "en": "From"},
    "date_to": {"zh": "结束日期", "en": "To"},
    "apply": {"zh": "查看", "en": "Show"},
    "export_csv": {"zh": "导出 CSV", "en": "Export CSV"},
    "export_daily": {"zh": "按日统计", "en": "per day"},
    "export_unanswered": {"zh": "未能回答的问题", "en": "unanswered questions"},
    "export_down": {"zh": "“没有帮助”评价", "en": "not-helpful ratings"},
    "page": {"zh": "页", "en": "Page"},
    "previous": {"zh": "上一页", "en": "Previous"},
    "next": {"zh": "下一页", "en": "Next"},
    "outcome": {"zh": "结果", "en": "Outcome"},
    "unknown_question": {"zh": "（未找到对应的问题）", "en": "(question not found)"},
    "data_table": {"zh": "数据表", "en": "Data table"},
    "tracker_unavailable": {
        "zh": "读取对话记录失败。",
        "en": "The conversation store could not be read.",
    },
}


def t(catalogue: Catalogue, key: str, language: str) -> str:
    """One string in one language (Chinese unless ``language`` is ``en``)."""
    return catalogue[key]["en" if language == "en" else "zh"]


def both(catalogue: Catalogue, key: str) -> str:
    """Both languages for pages read by bilingual staff: ``中文 / English``."""
    entry = catalogue[key]
    return f"{entry['zh']} / {entry['en']}"

DEMO: Catalogue = {
    "site": {"zh": "北京市某区人民政府外事办公室", "en": "District Foreign Affairs Office, Beijing"},
    "tagline": {"zh": "服务企业走出去，服务外籍人士在京生活",
                "en": "Serving companies abroad and foreign residents in Beijing"},
    "skip": {"zh": "跳到正文", "en": "Skip to content"},
    "nav": {"zh": "主导航", "en": "Main"},
    "nav_home": {"zh": "首页", "en": "Home"},
    "nav_services": {"zh": "办事服务", "en": "Services"},
    "nav_notices": {"zh": "通知公告", "en": "Notices"},
    "nav_contact": {"zh": "联系我们", "en": "Contact"},
    "other_language": {"zh": "English", "en": "中文"},
    "services": {"zh": "办事服务", "en": "Services"},
    "service_apec": {"zh": "APEC商务旅行卡申办", "en": "APEC Business Travel Card"},
    "service_invite": {"zh": "邀请外国人来华（邀请核实单）", "en": "Inviting foreign visitors (verification letters)"},
    "service_consular": {"zh": "领事保护与协助（12308）", "en": "Consular protection (12308)"},
    "service_resident": {"zh": "外国人在京住宿登记与证件", "en": "Registration and permits for foreigners in Beijing"},
    "assistant_intro": {
        "zh": "有问题？点击右下角“在线咨询”，外事助手用中文或英文为您解答，并注明每个回答的来源。",
        "en": "Questions? Click “Ask us” at the bottom right: FAO Assistant answers in Chinese or English "
              "and names the source of every answer.",
    },
    "demo_note": {
        "zh": "本页为演示页面，展示如何用一个 <script> 标签把外事助手嵌入网站。",
        "en": "This is a demo page showing how FAO Assistant is embedded in a site with one <script> tag.",
    },
}
