"""The outside yardstick: questions copied from public pages, scored end to end over REST.

The questions live in tests/external/{dev,test}.yml (see the README there). Each question is sent in a
fresh conversation and its reply is classified by the reply conventions (bot.reply_kinds, shared with
the conversation suite); key facts are matched with the conversation suite's evaluation_conversations.
mentions (case, width, script, dashes and spaces folded, numbers never part of longer ones), with short
Latin words matched whole because the facts of yes/no questions are such words ("no", "US"):

* in scope: RIGHT (sourced answer stating every key fact, or a status lookup where the question asks
  for one), CLARIFY, DECLINE (out-of-scope reply), WRONG (sourced answer missing a key fact, or a lookup
  prompt for a question that is not a lookup), SILENT (no reply or an error);
* out of scope: DECLINED, CLARIFY, ANSWERED (sourced answer or lookup prompt: the harm), SILENT.

The gates of issue 11: RIGHT >= 90% of in-scope questions in each language, ANSWERED <= 5% of the
out-of-scope questions, WRONG <= 3% of all in-scope questions.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import yaml

from bot import reply_kinds
from bot.evaluation_conversations import mentions
from bot.settings import REPO_ROOT

EXTERNAL_FOLDER = REPO_ROOT / "tests" / "external"
HALVES = ("dev", "test")
LANGUAGES = ("zh", "en")
OUT_OF_SCOPE = "out_of_scope"
TOPICS = (
    "apec", "invitation", "visa", "visa_free", "transit", "consular", "registration",
    "residence", "passport", "emergency", "official", "language",
)

RIGHT, WRONG, CLARIFY, DECLINE, SILENT = "right", "wrong", "clarify", "decline", "silent"
DECLINED, ANSWERED = "declined", "answered"
IN_SCOPE_OUTCOMES = (RIGHT, CLARIFY, DECLINE, WRONG, SILENT)
OUT_OF_SCOPE_OUTCOMES = (DECLINED, CLARIFY, ANSWERED, SILENT)

Send = Callable[[str, str], List[Dict[str, Any]]]


@dataclass(frozen=True)
class Question:
    """One external question with the facts a right answer must state."""

    q: str
    lang: str
    topic: str
    source: str
    facts: Tuple[Tuple[str, ...], ...] = ()
    lookup_ok: bool = False
    channel: Optional[str] = None

    @property
    def in_scope(self) -> bool:
        return self.topic != OUT_OF_SCOPE


@dataclass
class Outcome:
    """How one question fared: the outcome label, the reply kind and the facts it missed."""

    question: Question
    outcome: str
    kind: str
    missing: List[List[str]] = field(default_factory=list)
    reply: str = ""


def load_half(half: str, folder: Path = EXTERNAL_FOLDER) -> List[Question]:
    """The questions of one half ("dev" or "test")."""
    if half not in HALVES:
        raise ValueError(f"unknown half {half!r}: use one of {', '.join(HALVES)}")
    data = yaml.safe_load((folder / f"{half}.yml").read_text(encoding="utf-8"))
    return [_question(row) for row in data["questions"]]


def _question(row: Mapping[str, Any]) -> Question:
    return Question(
        q=str(row["q"]),
        lang=str(row["lang"]),
        topic=str(row["topic"]),
        source=str(row["source"]),
        facts=tuple(tuple(str(term) for term in fact) for fact in row.get("facts") or ()),
        lookup_ok=bool(row.get("lookup_ok", False)),
        channel=str(row["channel"]) if row.get("channel") else None,
    )


def missing_facts(text: str, facts: Sequence[Sequence[str]]) -> List[List[str]]:
    """The facts (each a list of accepted spellings) that `text` does not state in any spelling."""
    return [list(fact) for fact in facts if not any(mentions(text, spelling) for spelling in fact)]


def answer_body(text: str) -> str:
    """A sourced reply without its source line: the facts must be in what the answer says."""
    source = reply_kinds.source_line(text)
    return "\n".join(line for line in text.splitlines() if line.strip() != source)


_IN_SCOPE_LABEL = {reply_kinds.CLARIFY: CLARIFY, reply_kinds.OUT_OF_SCOPE: DECLINE}
_OUT_OF_SCOPE_LABEL = {
    reply_kinds.OUT_OF_SCOPE: DECLINED,
    reply_kinds.CLARIFY: CLARIFY,
    reply_kinds.ANSWER: ANSWERED,
    reply_kinds.LOOKUP: ANSWERED,
}


def judge(question: Question, messages: Sequence[Mapping[str, Any]]) -> Outcome:
    """The outcome of one question given the REST messages of its reply."""
    text = reply_kinds.reply_text(messages).strip()
    if not text:
        return Outcome(question, SILENT, "silent")
    kind = reply_kinds.classify(list(messages))
    if not question.in_scope:
        return Outcome(question, _OUT_OF_SCOPE_LABEL[kind], kind, reply=text)
    if kind == reply_kinds.ANSWER:
        missing = missing_facts(answer_body(text), question.facts)
        return Outcome(question, WRONG if missing else RIGHT, kind, missing, text)
    if kind == reply_kinds.LOOKUP:
        return Outcome(question, RIGHT if question.lookup_ok else WRONG, kind, reply=text)
    return Outcome(question, _IN_SCOPE_LABEL[kind], kind, reply=text)


def run(questions: Iterable[Question], send: Send, sender_prefix: str = "external") -> List[Outcome]:
    """Asks every question in a new conversation; a failed request counts as SILENT."""
    outcomes = []
    for index, question in enumerate(questions):
        try:
            messages = send(f"{sender_prefix}-{index}", question.q)
        except Exception as error:  # noqa: BLE001 - one failed request must not stop the evaluation
            outcomes.append(Outcome(question, SILENT, "error", reply=f"request failed: {type(error).__name__}"))
            continue
        outcomes.append(judge(question, messages))
    return outcomes


def _table(outcomes: Sequence[Outcome], labels: Sequence[str]) -> Dict[str, Any]:
    counts = Counter(o.outcome for o in outcomes)
    total = len(outcomes)
    return {
        "total": total,
        "counts": {label: counts[label] for label in labels},
        "share": {label: (counts[label] / total if total else 0.0) for label in labels},
    }


def summarize(outcomes: Sequence[Outcome]) -> Dict[str, Any]:
    """Counts and shares per language and per topic (in scope), and per language (out of scope)."""
    in_scope = [o for o in outcomes if o.question.in_scope]
    out_scope = [o for o in outcomes if not o.question.in_scope]
    by_language: Dict[str, List[Outcome]] = defaultdict(list)
    by_topic: Dict[str, List[Outcome]] = defaultdict(list)
    oos_by_language: Dict[str, List[Outcome]] = defaultdict(list)
    for o in in_scope:
        by_language[o.question.lang].append(o)
        by_topic[o.question.topic].append(o)
    for o in out_scope:
        oos_by_language[o.question.lang].append(o)
    return {
        "in_scope": _table(in_scope, IN_SCOPE_OUTCOMES),
        "in_scope_by_language": {k: _table(v, IN_SCOPE_OUTCOMES) for k, v in sorted(by_language.items())},
        "in_scope_by_topic": {t: _table(by_topic[t], IN_SCOPE_OUTCOMES) for t in TOPICS if by_topic.get(t)},
        "out_of_scope": _table(out_scope, OUT_OF_SCOPE_OUTCOMES),
        "out_of_scope_by_language": {
            k: _table(v, OUT_OF_SCOPE_OUTCOMES) for k, v in sorted(oos_by_language.items())
        },
    }


@dataclass(frozen=True)
class Gates:
    """The thresholds a half must meet (issue 11)."""

    min_right: float = 0.90
    max_oos_answered: float = 0.05
    max_wrong: float = 0.03


def gate_failures(summary: Mapping[str, Any], gates: Gates) -> List[str]:
    """One line per gate the summary misses; empty when every gate holds."""
    failures = []
    for language, table in summary["in_scope_by_language"].items():
        share = table["share"][RIGHT]
        if share < gates.min_right:
            failures.append(f"[{language}] right {share:.1%} < {gates.min_right:.0%}")
    answered = summary["out_of_scope"]["share"][ANSWERED]
    if summary["out_of_scope"]["total"] and answered > gates.max_oos_answered:
        failures.append(f"out-of-scope answered (sourced or lookup) {answered:.1%} > {gates.max_oos_answered:.0%}")
    wrong = summary["in_scope"]["share"][WRONG]
    if wrong > gates.max_wrong:
        failures.append(f"wrong answers {wrong:.1%} of in-scope > {gates.max_wrong:.0%}")
    return failures


def format_summary(summary: Mapping[str, Any]) -> str:
    """The summary as fixed-width tables: counts with shares in brackets."""

    def row(name: str, table: Mapping[str, Any], labels: Sequence[str]) -> str:
        cells = "".join(f"{table['counts'][l]:>4} ({table['share'][l]:>6.1%})" for l in labels)
        return f"  {name:<14}{table['total']:>5}{cells}"

    def header(labels: Sequence[str]) -> str:
        return f"  {'':<14}{'n':>5}" + "".join(f"{label:>14}" for label in labels)

    lines = ["In scope, per language:", header(IN_SCOPE_OUTCOMES)]
    lines += [row(k, v, IN_SCOPE_OUTCOMES) for k, v in summary["in_scope_by_language"].items()]
    lines.append(row("all", summary["in_scope"], IN_SCOPE_OUTCOMES))
    lines += ["In scope, per topic:", header(IN_SCOPE_OUTCOMES)]
    lines += [row(k, v, IN_SCOPE_OUTCOMES) for k, v in summary["in_scope_by_topic"].items()]
    lines += ["Out of scope, per language:", header(OUT_OF_SCOPE_OUTCOMES)]
    lines += [row(k, v, OUT_OF_SCOPE_OUTCOMES) for k, v in summary["out_of_scope_by_language"].items()]
    lines.append(row("all", summary["out_of_scope"], OUT_OF_SCOPE_OUTCOMES))
    return "\n".join(lines)


def misses(outcomes: Sequence[Outcome]) -> List[Outcome]:
    """The questions that did not get the outcome they should (for studying the dev half only)."""
    return [o for o in outcomes if o.outcome not in (RIGHT, DECLINED)]
