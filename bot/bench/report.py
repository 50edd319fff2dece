"""The comparison table, the targets of issue 7, docs/benchmarks.md and the raw JSON.

Every figure in the table is read from the results dictionary that scripts/bench.py filled in the same
run; the ratio is ours / baseline of those two numbers, nothing else.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

MODELS = ("ours", "baseline")
PHASES = (("faq_c1", "FAQ turn, 1 conversation"), ("faq_c16", "FAQ turn, 16 conversations"),
          ("status_c1", "status-lookup turn, 1 conversation"), ("status_c16", "status-lookup turn, 16 conversations"))
SERVICES = ("rasa server", "action server", "backend", "web")
LANGUAGES = ("zh", "en")



def markers(block: str) -> Tuple[str, str]:
    return f"<!-- bench:{block}:start -->", f"<!-- bench:{block}:end -->"
CLEAR_MARGIN = 0.05  # "above the baseline in Chinese by a clear margin": at least 5 percentage points


def rows() -> List[Tuple[str, Tuple[str, ...], str]]:
    """(label, path into a model's results, format) for every line of the table."""
    table: List[Tuple[str, Tuple[str, ...], str]] = []
    for key, label in PHASES:
        for q in ("p50", "p95", "p99"):
            table.append((f"{label}: {q} ms", ("load", key, f"{q}_ms"), "{:.1f}"))
        table.append((f"{label}: turns/s", ("load", key, "turns_per_second"), "{:.1f}"))
    table.append(("status lookups answered with the status, %", ("load", "status_c16", "lookups_completed_pct"), "{:.0f}"))
    table.append(("one long conversation: turns 1-10, median ms", ("long_conversation", "first_10_ms"), "{:.1f}"))
    table.append(("one long conversation: last 10 turns, median ms", ("long_conversation", "last_10_ms"), "{:.1f}"))
    table.append(("one long conversation: last 10 / first 10", ("long_conversation", "ratio"), "{:.2f}"))
    table.append(("NLU parse in-process, median ms", ("nlu_parse_ms_median",), "{:.2f}"))
    table.append(("start to ready, s", ("ready_seconds",), "{:.1f}"))
    table.append(("training, s", ("train_seconds",), "{:.0f}"))
    table.append(("model size, MB", ("model_mb",), "{:.1f}"))
    for service in SERVICES:
        table.append((f"peak RSS {service}, MB", ("peak_rss_mb", service), "{:.0f}"))
    for language in LANGUAGES:
        table.append((f"held-out accuracy {language}, %", ("heldout", language, "accuracy_pct"), "{:.1f}"))
        table.append((f"held-out macro F1 {language}", ("heldout", language, "macro_f1"), "{:.3f}"))
    return table


def figure(results: Dict[str, Any], model: str, path: Sequence[str]) -> Optional[float]:
    value: Any = results["models"].get(model, {})
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def ratio(ours: Optional[float], baseline: Optional[float]) -> Optional[float]:
    if ours is None or baseline is None or baseline == 0 or math.isnan(ours) or math.isnan(baseline):
        return None
    return ours / baseline


def missing_figures(results: Dict[str, Any]) -> List[str]:
    """Table lines without a number for either model (the smoke test wants none)."""
    return [
        f"{model}: {label}"
        for label, path, _ in rows()
        for model in MODELS
        if figure(results, model, path) is None or math.isnan(figure(results, model, path) or 0.0)
    ]


def _fmt(value: Optional[float], pattern: str) -> str:
    return "n/a" if value is None or math.isnan(value) else pattern.format(value)


def table(results: Dict[str, Any]) -> str:
    """The Markdown table: figure, ours, baseline, ours/baseline."""
    lines = ["| figure | ours | baseline | ours / baseline |", "|---|---:|---:|---:|"]
    for label, path, pattern in rows():
        ours, base = figure(results, "ours", path), figure(results, "baseline", path)
        lines.append(f"| {label} | {_fmt(ours, pattern)} | {_fmt(base, pattern)} | {_fmt(ratio(ours, base), '{:.2f}')} |")
    return "\n".join(lines)


def targets(results: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Each target of issue 7 with the measured value, met or not, and by how much it is missed."""
    f = lambda model, *path: figure(results, model, path)  # noqa: E731
    checks: List[Dict[str, Any]] = []

    def check(name: str, value: Optional[float], goal: float, higher_is_better: bool, unit: str) -> None:
        met = value is not None and (value >= goal if higher_is_better else value <= goal)
        miss = None if value is None or met else abs(value - goal)
        checks.append({"target": name, "value": value, "goal": goal, "unit": unit, "met": met, "missed_by": miss})

    check("FAQ turn p50 at 1 conversation", f("ours", "load", "faq_c1", "p50_ms"), 40.0, False, "ms")
    for key, label in (("faq_c16", "FAQ"), ("status_c16", "status-lookup")):
        check(f"{label} throughput at 16 conversations, ours / baseline",
              ratio(f("ours", "load", key, "turns_per_second"), f("baseline", "load", key, "turns_per_second")),
              3.0, True, "x")
    check("start to ready", f("ours", "ready_seconds"), 20.0, False, "s")
    # Issue 13: turn 400 of one conversation within 1.5x the time of turn 10.
    check("long conversation: last 10 turns / turns 1-10", f("ours", "long_conversation", "ratio"), 1.5, False, "ratio")
    check("training", f("ours", "train_seconds"), 300.0, False, "s")
    for language in LANGUAGES:
        check(f"held-out accuracy {language}", f("ours", "heldout", language, "accuracy_pct"), 95.0, True, "%")
    zh_ours, zh_base = f("ours", "heldout", "zh", "accuracy_pct"), f("baseline", "heldout", "zh", "accuracy_pct")
    check("held-out accuracy zh above baseline (points)",
          None if zh_ours is None or zh_base is None else zh_ours - zh_base, CLEAR_MARGIN * 100, True, "points")
    return checks


def targets_text(results: Dict[str, Any]) -> str:
    lines = ["| target | goal | measured | met? |", "|---|---:|---:|---|"]
    for t in targets(results):
        comparator = ">=" if t["unit"] in ("x", "%", "points") else "<="
        value = _fmt(t["value"], "{:.2f}")
        verdict = "yes" if t["met"] else f"**no**, missed by {_fmt(t['missed_by'], '{:.2f}')} {t['unit']}"
        lines.append(f"| {t['target']} | {comparator} {t['goal']:g} {t['unit']} | {value} {t['unit']} | {verdict} |")
    return "\n".join(lines)


def machine_text(results: Dict[str, Any]) -> str:
    m = results["machine"]
    dirty = " (with uncommitted changes)" if m.get("git_dirty") else ""
    return (
        f"Measured {m['date_utc']} at commit `{m['git_commit']}`{dirty} on {m['nproc']} cores "
        f"({m['cpu_model']}), {m['ram_gib']} GiB RAM, load average {m['load_average_at_start']} at the start "
        f"(the machine is shared); Python {m['python']}, Rasa {m['rasa']}. "
        f"Mode: {'SMOKE (tiny epochs, few requests: the numbers mean nothing)' if results.get('smoke') else 'full'}."
    )


def results_block(results: Dict[str, Any], block: str = "results") -> str:
    """The generated part of docs/benchmarks.md."""
    start, end = markers(block)
    settings = results.get("settings", {})
    reused = results.get("training_reused_from")
    reuse_text = (
        f"Training time and model size are from the run of {reused['date_utc']} (commit `{reused['git_commit']}`): "
        f"its models were served and measured again here (`--reuse-models`)."
        if reused else ""
    )
    title = "## Latest run (generated by `make bench`; do not edit by hand)"
    return "\n\n".join(part for part in [
        start,
        title,
        machine_text(results) + (" " + reuse_text if reuse_text else ""),
        "Workload: " + ", ".join(f"{k} = {v}" for k, v in settings.items()) + ".",
        table(results),
        "### Targets (issue 7)",
        targets_text(results),
        end,
    ] if part)


def write_markdown(results: Dict[str, Any], path: Path, block: str = "results") -> None:
    """Replace the generated block of `path` (appended if missing), keeping the hand-written text around it."""
    start, end = markers(block)
    generated = results_block(results, block)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + generated + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + generated + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_json(results: Dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with_ratios = dict(results, ratios={
        label: ratio(figure(results, "ours", p), figure(results, "baseline", p)) for label, p, _ in rows()
    }, targets=targets(results))
    path.write_text(json.dumps(_without_nan(with_ratios), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _without_nan(value: Any) -> Any:
    """NaN (no samples) becomes null, so the file is strict JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _without_nan(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_nan(v) for v in value]
    return value
