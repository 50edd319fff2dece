"""Content checks of the knowledge base (issue 12): every entry of every knowledge/*.yml.

An answer a district office publishes must be sourced from official pages only, answer first and
briefly, say the same numbers, dates and phone numbers in zh and en, never show a placeholder, say until
when a time-limited policy runs, and put 12308 first in an emergency abroad. Each test collects every
offending entry so an editor sees all problems of a file at once. The rules are docs/CONTENT_GUIDE.md.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Set, Tuple
from urllib.parse import urlparse

import pytest
import yaml

from bot.knowledge import KNOWLEDGE_FOLDER, LANGUAGES, load_knowledge_from, topic_files
from bot.knowledge.render import format_date, render_answer
from bot.settings import REPO_ROOT

DOMAINS_FILE = KNOWLEDGE_FOLDER / "official_domains.yml"
NLU_FOLDER = REPO_ROOT / "data" / "nlu"
MIN_ENTRIES = 200
MIN_EXAMPLES_PER_LANGUAGE = 10
MAX_CHARS = {"zh": 200, "en": 450}
MAX_SENTENCES = 3
PLACEHOLDER_MARKERS = ("【待", "待外办填写", "TO BE FILLED", "TODO", "XXX")
SOURCE_LINE = re.compile(r"(^|\n)\s*(来源[：:]|Source:)|资料核对|checked 20\d\d", re.IGNORECASE)
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
REQUIRED_KEYS = ("id", "aspect", "question", "answer", "sources", "checked", "verified")
# Other cities whose own rules must not open a Beijing answer (a national rule cited from their page is
# fine further on, in the answer's sources).
OTHER_CITIES = {
    "zh": ("上海", "广州", "深圳", "中山", "佛山", "南京", "杭州", "常州", "宁夏", "西安", "苏州", "天津",
           "重庆", "成都", "厦门", "宿迁", "江苏", "浙江", "广东"),
    "en": ("Shanghai", "Guangzhou", "Shenzhen", "Zhongshan", "Foshan", "Nanjing", "Hangzhou", "Changzhou",
           "Ningxia", "Xi'an", "Suzhou", "Tianjin", "Chongqing", "Chengdu", "Xiamen", "Suqian", "Jiangsu",
           "Zhejiang", "Guangdong"),
}
# Words that make a sentence naming another city a statement of that city's own rules or office.
RULE_WORDS = {
    "zh": ("外办", "外事", "规定", "要求", "标准", "门槛", "材料", "细则", "收费", "办法", "称"),
    "en": ("FAO", "Foreign Affairs", "rule", "require", "criteria", "threshold", "document", "fee", "says", "said"),
}
ZH_NUMERALS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
EMERGENCY_NUMBERS = {"abroad": ("12308",), "beijing": ("110", "119", "120")}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MONTH_NUMBER = {name: number for number, name in enumerate(MONTHS, start=1)}
EN_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|No|Art|St|Mr|Ms|Dr|vs|approx)\.", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------- helpers

def raw_entries(folder: Path = KNOWLEDGE_FOLDER) -> List[Tuple[str, Mapping[str, Any]]]:
    """(file name, entry as written) for every entry of every topic file: the schema is checked on these."""
    found = []
    for path in topic_files(folder):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if isinstance(raw, Mapping) and "entries" in raw:
            found.extend((path.name, entry) for entry in raw.get("entries") or [])
    return found


def domain_lists(path: Path = DOMAINS_FILE) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """The (allow, deny) lists of official_domains.yml, lower case."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(d.lower() for d in raw["allow"]), tuple(d.lower() for d in raw["deny"])


def host_matches(host: str, domain: str) -> bool:
    """True if `host` is `domain` or one of its sub-domains (label-wise: "evilgov.cn" is not "gov.cn")."""
    return host == domain or host.endswith("." + domain)


def source_problem(url: str, allow: Iterable[str], deny: Iterable[str]) -> str:
    """Why `url` may not be cited, or "" if it may."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    if parsed.scheme != "https" or not host:
        return "not a full https URL"
    if any(host_matches(host, domain) for domain in deny):
        return f"{host} is on the deny list (mirror, agency, media or second-hand copy)"
    if not any(host_matches(host, domain) for domain in allow):
        return f"{host} is not on the allow list of official domains"
    return ""


def sentences(text: str, language: str) -> List[str]:
    """The sentences of an answer: zh ends them with 。！？, en with . ! ? before a space."""
    text = text.strip()
    if language == "zh":
        parts = re.split(r"(?<=[。！？!?])", text)
    else:
        protected = EN_ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", "\u2024"), text)
        parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])", protected)
    return [part.strip() for part in parts if part.strip()]


def other_city_lead(sentence: str, language: str) -> List[str]:
    """Other cities a first sentence is about: named at its very start, or named with their rules or office."""
    cities = [city for city in OTHER_CITIES[language] if city in sentence]
    if not cities:
        return []
    opening = sentence[:12] if language == "zh" else sentence[:30]
    if any(city in opening for city in cities) or any(word in sentence for word in RULE_WORDS[language]):
        return cities
    return []


def zh_number(numeral: str) -> int:
    """第九条 → 9, 第二十一条 → 21 (the numerals of article numbers, up to 99)."""
    if "十" not in numeral:
        return ZH_NUMERALS[numeral]
    tens, _, units = numeral.partition("十")
    return (ZH_NUMERALS[tens] if tens else 1) * 10 + (ZH_NUMERALS[units] if units else 0)


def facts_of(text: str, language: str) -> Set[str]:
    """The dates and numbers of a text in a language-neutral form ("D2026-12-31", "M2021-03", "720")."""
    text = unicodedata.normalize("NFKC", text)
    found: Set[str] = set()

    def take(pattern: str, make) -> None:
        nonlocal text
        for match in re.finditer(pattern, text):
            found.add(make(match))
        text = re.sub(pattern, " ", text)

    take(r"(\d{4})-(\d{2})-(\d{2})", lambda m: f"D{m[1]}-{m[2]}-{m[3]}")
    if language == "zh":
        text = re.sub(r"第([一二三四五六七八九十]{1,3})条", lambda m: f"第{zh_number(m[1])}条", text)
        take(r"(\d{4})年(\d{1,2})月(\d{1,2})日", lambda m: f"D{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}")
        take(r"(\d{4})年(\d{1,2})月", lambda m: f"M{m[1]}-{int(m[2]):02d}")
    else:
        months = "|".join(MONTHS)
        take(rf"(\d{{1,2}}) ({months}) (\d{{4}})", lambda m: f"D{m[3]}-{MONTH_NUMBER[m[2]]:02d}-{int(m[1]):02d}")
        take(rf"({months}) (\d{{1,2}}),? (\d{{4}})", lambda m: f"D{m[3]}-{MONTH_NUMBER[m[1]]:02d}-{int(m[2]):02d}")
        take(rf"({months}) (\d{{4}})", lambda m: f"M{m[2]}-{MONTH_NUMBER[m[1]]:02d}")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    # A bare 1 is left out: "1份" / "one copy", "每1日" / "a day" say the same thing.
    found.update(n for n in re.findall(r"\d+(?:\.\d+)?", text) if n != "1")
    return found


def nlu_examples(folder: Path = NLU_FOLDER) -> Dict[str, List[str]]:
    """Training examples per intent name, from every data/nlu/*.yml."""
    examples: Dict[str, List[str]] = {}
    for path in sorted(folder.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in raw.get("nlu") or []:
            if "intent" in block:
                lines = [line[2:].strip() for line in str(block.get("examples", "")).splitlines()
                         if line.strip().startswith("- ")]
                examples.setdefault(block["intent"], []).extend(lines)
    return examples


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def report(problems: List[str]) -> str:
    return f"{len(problems)} problem(s):\n  " + "\n  ".join(problems)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_from(KNOWLEDGE_FOLDER)


# ------------------------------------------------------------------------------------ the allow-list

def test_the_allow_list_matches_whole_labels_and_the_deny_list_wins():
    allow, deny = ("gov.cn", "apec.org"), ("sitefinity.cloud", "bad.gov.cn")
    assert source_problem("https://cs.mfa.gov.cn/a.html", allow, deny) == ""
    assert source_problem("https://www.apec.org/press", allow, deny) == ""
    assert "allow list" in source_problem("https://evilgov.cn/a.html", allow, deny)
    assert "allow list" in source_problem("https://gov.cn.example.com/a", allow, deny)
    assert "deny list" in source_problem("https://x.bad.gov.cn/a", allow, deny)
    assert "https" in source_problem("http://www.gov.cn/a", allow, deny)
    assert "https" in source_problem("www.gov.cn/zhengce/a.htm", allow, deny)


def test_known_mirrors_and_copies_are_refused():
    allow, deny = domain_lists()
    for url in ("https://jianaisc.com/2024-12/17/content_31803688.htm", "https://laltracampana.com/x",
                "https://www.cwdbkk.com/html_2/chongwuchuguo/x", "https://kaizencpa.com/Faq/info/id/1318.html",
                "https://apec.sitefinity.cloud/groups/bmg", "https://global.wmu.edu.cn/a",
                "https://www.hk01.com/a", "https://udn.com/news/a", "https://www.china-embassy.org/eng/"):
        assert source_problem(url, allow, deny), url
    for url in ("https://cs.mfa.gov.cn/zggmzhw/lsbh/", "https://www.nia.gov.cn/n741440/index.html",
                "https://us.china-embassy.gov.cn/lsfw/", "https://english.beijing.gov.cn/latest/news/",
                "https://www.apec.org/press/news-releases/2021/0304_abtc", "https://flk.npc.gov.cn/"):
        assert source_problem(url, allow, deny) == "", url


def test_no_domain_is_both_allowed_and_denied():
    allow, deny = domain_lists()
    assert not set(allow) & set(deny)


# ------------------------------------------------------------------------------------------ schema

def test_every_knowledge_file_loads(kb):
    assert kb.entries, "no entries in knowledge/"


def test_entries_follow_the_schema(kb):
    known_topics = set(kb.topics)
    ids = {entry.id for entry in kb.entries}
    today = datetime.date.today()
    problems = []
    for file, raw in raw_entries():
        where = f"{file}: {raw.get('id', '?')}"
        missing = [key for key in REQUIRED_KEYS if key not in raw]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        if not SNAKE_CASE.match(str(raw["id"])) or not SNAKE_CASE.match(str(raw["aspect"])):
            problems.append(f"{where}: id and aspect must be snake_case")
        for key in ("verified", "confirm"):
            if key in raw and not isinstance(raw[key], bool):
                problems.append(f"{where}: {key} must be true or false")
        if not isinstance(raw["checked"], datetime.date) or raw["checked"] > today:
            problems.append(f"{where}: checked must be a date not in the future")
        if not raw["sources"]:
            problems.append(f"{where}: needs at least one source")
        for source in raw["sources"] or []:
            # An undated page (an index page) is allowed; make content-report lists it for review.
            published = source.get("published")
            if published is not None and not isinstance(published, datetime.date):
                problems.append(f"{where}: source {source.get('url')}: published must be a date")
            elif published and isinstance(raw["checked"], datetime.date) and published > raw["checked"]:
                problems.append(f"{where}: source {source.get('url')} published after the entry was checked")
        if "ends" in raw and not isinstance(raw["ends"], datetime.date):
            problems.append(f"{where}: ends must be a date")
        for related in raw.get("related") or []:
            if related not in ids or related == raw["id"]:
                problems.append(f"{where}: related id {related} does not exist (or is the entry itself)")
        cues = raw.get("cues") or {}
        if any(not isinstance(cues.get(lang, []), list) for lang in LANGUAGES):
            problems.append(f"{where}: cues must be lists of words per language")
    for path in topic_files(KNOWLEDGE_FOLDER):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "entries" in raw and (raw.get("topic") != path.stem or path.stem not in known_topics):
            problems.append(f"{path.name}: topic must be the file name and one of knowledge/topics.yml")
    assert not problems, report(problems)


def test_specific_aspects_carry_their_own_cues(kb):
    """A generic aspect is defined in aspects.yml; any other aspect needs cues for the NLU to find it."""
    problems = [f"{e.file}: {e.id}: aspect {e.aspect} is not in aspects.yml and has no cues"
                for e in kb.entries if e.aspect not in kb.aspects and not any(e.cues.get(l) for l in LANGUAGES)]
    assert not problems, report(problems)


# ----------------------------------------------------------------------------------------- sources

def test_every_source_is_an_official_page(kb):
    allow, deny = domain_lists()
    problems = []
    for entry in kb.entries:
        for source in entry.sources:
            why = source_problem(source.url, allow, deny)
            if why:
                problems.append(f"{entry.file}: {entry.id}: {source.url}: {why}")
    assert not problems, report(problems)


# ------------------------------------------------------------------------------------ length, form

def test_answers_are_short_and_answer_first(kb):
    problems = []
    for entry in kb.entries:
        for language in LANGUAGES:
            text = entry.answer[language]
            where = f"{entry.file}: {entry.id} [{language}]"
            if len(text) > MAX_CHARS[language]:
                problems.append(f"{where}: {len(text)} characters (at most {MAX_CHARS[language]})")
            parts = sentences(text, language)
            if len(parts) > MAX_SENTENCES:
                problems.append(f"{where}: {len(parts)} sentences (at most {MAX_SENTENCES})")
            if SOURCE_LINE.search(text):
                problems.append(f"{where}: source or check-date line inside the text (the assistant adds it)")
            cities = other_city_lead(parts[0] if parts else "", language)
            if cities:
                problems.append(f"{where}: first sentence is about {', '.join(cities)}, not the answer")
    assert not problems, report(problems)


def test_zh_and_en_carry_the_same_numbers_dates_and_phone_numbers(kb):
    problems = []
    for entry in kb.entries:
        zh, en = facts_of(entry.answer["zh"], "zh"), facts_of(entry.answer["en"], "en")
        if zh != en:
            problems.append(f"{entry.file}: {entry.id}: only zh {sorted(zh - en)}, only en {sorted(en - zh)}")
    assert not problems, report(problems)


def test_no_placeholder_anywhere_in_the_knowledge_files_or_rendered_answers(kb):
    problems = []
    for path in sorted(KNOWLEDGE_FOLDER.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        problems.extend(f"{path.name}: contains {marker}" for marker in PLACEHOLDER_MARKERS if marker in text)
    for entry in kb.entries:
        for language in LANGUAGES:
            rendered = render_answer(entry, language)
            problems.extend(f"{entry.id} [{language}] renders {marker}"
                            for marker in PLACEHOLDER_MARKERS if marker in rendered)
    assert not problems, report(problems)


# ----------------------------------------------------------------------------- time, emergencies

def test_a_time_limited_policy_says_until_when_in_both_languages(kb):
    problems = [f"{e.file}: {e.id} [{language}]: does not say {format_date(e.ends, language)}"
                for e in kb.entries if e.ends for language in LANGUAGES
                if format_date(e.ends, language) not in e.answer[language]]
    assert not problems, report(problems)


def test_an_emergency_answer_gives_the_emergency_number_in_its_first_sentence(kb):
    problems = []
    for entry in kb.entries:
        if not entry.emergency:
            continue
        for language in LANGUAGES:
            parts = sentences(entry.answer[language], language)
            first = parts[0] if parts else ""
            if not any(number in first for number in EMERGENCY_NUMBERS[entry.emergency]):
                wanted = " / ".join(EMERGENCY_NUMBERS[entry.emergency])
                problems.append(f"{entry.file}: {entry.id} [{language}]: first sentence lacks {wanted}")
    assert not problems, report(problems)


# ------------------------------------------------------------------------------- coverage, training

def test_every_entry_has_training_examples_in_both_languages(kb):
    examples = nlu_examples()
    problems = []
    for entry in kb.entries:
        lines = examples.get(f"faq/{entry.id}", [])
        zh = sum(1 for line in lines if is_chinese(line))
        en = len(lines) - zh
        if min(zh, en) < MIN_EXAMPLES_PER_LANGUAGE:
            problems.append(f"{entry.id}: {zh} zh and {en} en examples under faq/{entry.id} "
                            f"(at least {MIN_EXAMPLES_PER_LANGUAGE} each)")
    assert not problems, report(problems)


def test_the_knowledge_base_covers_the_long_tail(kb):
    assert len(kb.entries) >= MIN_ENTRIES, f"{len(kb.entries)} entries, at least {MIN_ENTRIES} wanted"


# -------------------------------------------------------------------------- the checks themselves

@pytest.mark.parametrize("zh, en", [
    ("实施至2026年12月31日，共48个国家。", "Until 31 December 2026, for 48 countries."),
    ("2021年3月推出，每张720元。", "Launched in March 2021; CNY 720 per card."),
    ("拨打+86-10-12308或+86-10-65612308。", "Call +86-10-12308 or +86-10-65612308."),
    ("每逾期1日处500元。", "CNY 500 a day."),
    ("合计2520元。", "CNY 2,520 in total."),
])
def test_parity_reads_zh_and_en_dates_and_numbers_alike(zh, en):
    assert facts_of(zh, "zh") == facts_of(en, "en")


def test_parity_sees_a_different_number():
    assert facts_of("有效期5年。", "zh") != facts_of("Valid for 3 years.", "en")


def test_parity_reads_chinese_article_numbers():
    assert facts_of("根据《国籍法》第九条。", "zh") == facts_of("Under Article 9 of the Nationality Law.", "en")
    assert facts_of("第二十一条", "zh") == {"21"}


def test_a_city_named_with_its_rules_is_caught_but_a_list_of_ports_is_not():
    assert other_city_lead("南京要求上年进出口额不低于50万元。", "zh") == ["南京"]
    assert other_city_lead("Nanjing FAO asks for a trade volume of CNY 500,000.", "en") == ["Nanjing"]
    assert other_city_lead("口岸由60个增加到65个，新增的是广东的广州琶洲客运港。", "zh") == []


def test_sentences_are_counted_in_both_languages():
    assert len(sentences("第一句。第二句！第三句？", "zh")) == 3
    english = "Apply at https://consular.mfa.gov.cn/APEC/ online. See Art. 4, e.g. the fee. Done."
    assert len(sentences(english, "en")) == 3
