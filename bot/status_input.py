"""What a message typed during the status lookup says: a reference, a plausible code, or something else.

Every code sent to the backend spends the applicant's attempt budget, so only a plausible one may go:
never digits taken from inside a reference ("ABTC-2025-000233" holds "2025"), a year or a date, a number
in a question unless it is named as the code ("is it 1184?" no; "手机后四位3390，办好了没有？" yes), or a
hesitation ("嗯", "wait", a 4-letter word such as "okay").
What is not a code is classified into the few acts the form answers itself (cancel, which code, no code,
no reference, a wrong reference, a pause); anything else is left to the rest of the assistant.
Pure functions over text, so they are tested without Rasa.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Optional

from bot.backend.reference import find_references, kind_of
from bot.nlu.text import normalize_text


class Act(str, Enum):
    LOOKUP = "lookup"  # a reference and/or a code
    CANCEL = "cancel"  # "算了", "never mind"
    WHICH_CODE = "which_code"  # "which code?", "是护照后四位还是手机后四位？"
    NO_CODE = "no_code"  # "I can't give the code", "我没有护照"
    NO_REFERENCE = "no_reference"  # "I forgot my reference", "编号在哪里看"
    WRONG_REFERENCE = "wrong_reference"  # "不是这个编号", "wrong number" (without the right one)
    PAUSE = "pause"  # "嗯", "wait", "等一下", "ok"
    START = "start"  # "查询", "check status": asks for the lookup itself
    QUESTION = "question"  # any other question
    OTHER = "other"


@dataclass(frozen=True)
class Reading:
    references: tuple[str, ...]  # canonical, in the order typed; the last one is meant ("not X, it's Y")
    code: Optional[str]  # upper case, or None
    act: Act
    malformed_reference: bool = False  # something shaped like a reference that is not one ("ABTC-2025-318")
    value_like: bool = False  # only digits, letters and separators, with a digit ("12345678"): a typed value

    @property
    def reference(self) -> Optional[str]:
        return self.references[-1] if self.references else None


_VALUE = re.compile(r"[a-z0-9\s\-_/#.]*[0-9][a-z0-9\s\-_/#.]*")
_CODE = re.compile(r"(?<![a-z0-9])[a-z0-9]{4}(?![a-z0-9])")
# A prefix followed by digits is a (possibly broken) reference: none of its digits is a code.
_SEP = r"[\s\-_\u2010-\u2015\u2212]*"
_REFERENCE_LIKE = re.compile(rf"(?<![a-z])(?:abtc|inv){_SEP}[0-9]{{1,4}}(?:{_SEP}[0-9]{{1,6}})?")
_DATE = re.compile(
    r"(?<![0-9])(?:19|20)[0-9]{2}(?:\s*年|[-/.][0-9]{1,2}(?![0-9]))"
    r"|\b(?:in|since|year|from|of|until|before|after)\s+(?:19|20)[0-9]{2}\b"
    r"|\b(?:19|20)[0-9]{2}\s+(?:year|application)"
)
_QUESTION = re.compile(
    r"[?？]|吗|呢\s*$|哪|什么|怎么|是不是|还是|多少|为何|为什么"
    r"|^\s*(?:which|what|how|where|why|who|when|is it|is that|do i|does|can i|should i|shall i)\b"
    r"|\b(?:which|what)\b"
)
_CANCEL = re.compile(
    r"算了|算啦|不查了|不用查|别查了|不要查|不想查|先不查|不查询了|取消|退出|结束查询|停止|中止|撤销|不弄了|不搞了"
    r"|\b(?:never\s*mind|cancel|stop|quit|exit|abort|forget (?:it|about it|the lookup)|drop it)\b"
)
_CODE_WORDS = (r"验证码|核验码|校验码|后四位|后4位|最后四位|最后4位|四位|4位|尾号|护照|手机|电话|申请人"
               r"|\b(?:code|digits|passport|phone|last (?:four|4)|applicant)\b")
_NEGATION = (r"忘|不知道|不记得|没有|没|找不到|拿不到|不能|无法|不清楚|不方便|不是申请人"
             r"|\b(?:can'?t|cannot|can not|don'?t|do not|dont|no|not|without|lost|forgot|forget|unable)\b")
_REFERENCE_WORDS = r"编号|申请号|受理号|参考号|单号|\b(?:reference|ref|application (?:number|no))\b"
_WHICH = r"\bwhich\b|哪|还是|\b(?:passport|phone) or\b|\bor (?:the )?(?:passport|phone)\b"
# In a question, only a code said to be one counts ("手机后四位3390，办好了没有？"), not "is it 1184?".
_LABEL = re.compile(r"(?:验证码|核验码|校验码|后四位|后4位|最后四位|最后4位|尾号|\bcode|\bdigits|\bends? (?:in|with)"
                    r"|\blast (?:four|4)(?: digits| characters)?)\s*(?:是|为|:|is|=)?\s*$")
_WHERE = r"在哪|哪里|哪儿|怎么找|从哪|\b(?:where|how do i find|how can i find)\b"
_WRONG_REFERENCE = re.compile(r"不是这个编号|编号(?:不对|错了|输错)|输错了编号|\bwrong (?:number|reference|ref)\b")
_PAUSE = re.compile(
    r"^(?:嗯+|呃+|额+|啊+|哦+|噢+|好+的?|好吧|等一?下|等等|稍等|等会儿?|我找找|我找一下|我看看|让我看看|我查一下"
    r"|h+m+|u+m+|u+h+|o+k+(?:ay)?|wait|hold on|one (?:sec|second|moment)|just a (?:sec|second|moment)"
    r"|let me (?:check|look|find it|see)|sure|yes|yeah)[\s.,!。，！…~～]*$"
)
# "等一下，我去找一下他的护照", "hold on, let me find the passport": a pause, whatever is being fetched.
_PAUSE_TO_FETCH = re.compile(
    r"^(?:等一?下|等等|稍等|等会儿?|wait|hold on|one (?:sec|second|moment)|just a (?:sec|second|moment))[\s.,!。，！…~～]*"
    r"(?:我(?:去|先)?(?:找|拿|翻|查|看)|let me (?:find|get|grab|look|check))[^?？]{0,20}$"
)
_START = re.compile(r"^(?:查询?|查一下|查查|帮我查|查进度|查询进度|进度|状态|check|status|check status|look ?up)[\s.。!！]*$")
# A request addressed to the assistant to look an application up ("帮我查一下申请进度", "can you look up
# where our APEC card application is?"); a question about how to track one ("怎么查进度") is not.
_LOOKUP_REQUEST = re.compile(
    r"(?:帮我|帮忙|麻烦你?|请你?|我要|我想|给我)(?:查|查询|查一下|看一下|看看)[^?？]{0,16}(?:进度|状态|申请|办到|结果|到哪)"
    r"|(?:办到|审到|走到)哪一?步了"
    r"|\b(?:can|could|would) you (?:please )?(?:check|look up|find out|track)\b[^?]{0,40}\b(?:status|progress|application|where)"
    r"|\b(?:please|i want to|i'd like to|i would like to) (?:check|look up|track)\b[^?]{0,30}\b(?:status|progress|application)"
)

# 4-letter words people type at a code prompt that are not codes (a code has digits, except rare passports).
_WORDS = frozenset(
    "wait okay sure yeah help stop code last four that this none nope dont cant what when then with from "
    "have know mean your mine here hold quit exit done good fine cool nice sorry plus also just like thanks "
    "pass mail send give time".split()
)


def _fold(text: str) -> str:
    """NFKC (full-width to ASCII), simplified Han, lower case: the one form every pattern here reads."""
    return normalize_text(unicodedata.normalize("NFKC", text)).lower()


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def plausible_code(text: str, kind: Optional[str] = None, labelled_only: bool = False) -> Optional[str]:
    """The one code in `text`, or None (ambiguous, absent, or not a code for this application kind).

    Invitation codes are the last 4 digits of a phone number, so only digits count for them.
    `labelled_only`: only a code right after words that name it ("后四位3390", "code 1184").
    """
    folded = _fold(text)
    for start, end, _ in find_references(folded):
        folded = folded[:start] + " " * (end - start) + folded[end:]
    rest = _mask(_mask(folded, _REFERENCE_LIKE), _DATE)
    found = [m.group() for m in _CODE.finditer(rest)
             if not labelled_only or _LABEL.search(rest[max(0, m.start() - 20):m.start()])]
    with_digits = [code for code in found if any(char.isdigit() for char in code)]
    if kind == "invitation":
        with_digits = [code for code in with_digits if code.isdigit()]
    if len(with_digits) == 1:
        return with_digits[0].upper()
    letters_only = folded.strip()
    if (not with_digits and not labelled_only and kind != "invitation" and found == [letters_only]
            and letters_only not in _WORDS):
        return letters_only.upper()
    return None


def asks_for_lookup(text: object) -> bool:
    """Whether `text` asks the assistant to look an application up (see _START and _LOOKUP_REQUEST)."""
    if not isinstance(text, str):
        return False
    folded = _fold(text).strip()
    return bool(_START.match(folded) or _LOOKUP_REQUEST.search(folded))


def read(text: object, kind: Optional[str] = None) -> Reading:
    """What `text` says at the status form; `kind` is the application kind of the reference in hand."""
    if not isinstance(text, str):
        return Reading((), None, Act.OTHER)
    folded = _fold(text).strip()
    references = tuple(reference for _, _, reference in find_references(text))
    malformed = not references and bool(_REFERENCE_LIKE.search(folded))
    question = bool(_QUESTION.search(folded))
    code_kind = kind_of(references[-1]) if references else kind
    code = plausible_code(text, code_kind, labelled_only=question)
    if references or code:
        return Reading(references, code, Act.LOOKUP)
    value_like = _VALUE.fullmatch(folded) is not None
    return Reading((), None, _act(folded, question), malformed, value_like)


def _act(folded: str, question: bool) -> Act:
    def has(pattern: str) -> bool:
        return re.search(pattern, folded) is not None

    if _CANCEL.search(folded):
        return Act.CANCEL
    if _WRONG_REFERENCE.search(folded):
        return Act.WRONG_REFERENCE
    if has(_REFERENCE_WORDS) and (has(_NEGATION) or has(_WHERE)):
        return Act.NO_REFERENCE
    if has(_CODE_WORDS) and has(_WHICH):
        return Act.WHICH_CODE
    if has(_CODE_WORDS) and has(_NEGATION):
        return Act.NO_CODE
    if has(_CODE_WORDS) and question:
        return Act.WHICH_CODE
    if _PAUSE.match(folded) or _PAUSE_TO_FETCH.match(folded):
        return Act.PAUSE
    if _START.match(folded):
        return Act.START
    return Act.QUESTION if question else Act.OTHER
