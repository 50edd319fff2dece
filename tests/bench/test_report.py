"""The benchmark's arithmetic: ratios, targets and the generated Markdown block."""
from __future__ import annotations

import asyncio
import math

from bot.bench import report
from bot.bench.load import LoadResult
from bot.bench.timers import Timers
from bot.evaluation import full_intent


def model(p50: float, tps: float, accuracy_zh: float) -> dict:
    phase = {"p50_ms": p50, "p95_ms": p50 * 2, "p99_ms": p50 * 3, "turns_per_second": tps,
             "lookups_completed_pct": 100.0}
    return {
        "load": {key: dict(phase) for key, _ in report.PHASES},
        "nlu_parse_ms_median": 1.0, "ready_seconds": 10.0, "train_seconds": 100.0, "model_mb": 5.0,
        "peak_rss_mb": {service: 100.0 for service in report.SERVICES},
        "long_conversation": {"first_10_ms": p50, "last_10_ms": p50 * 1.2, "ratio": 1.2},
        "heldout": {"zh": {"accuracy_pct": accuracy_zh, "macro_f1": 0.9}, "en": {"accuracy_pct": 96.0, "macro_f1": 0.9}},
    }


def results() -> dict:
    machine = {"date_utc": "d", "git_commit": "abc1234", "git_dirty": False, "nproc": 2, "cpu_model": "cpu",
               "ram_gib": 24.0, "load_average_at_start": [1.0, 1.0, 1.0], "python": "3.10", "rasa": "3.6.21"}
    return {"smoke": False, "machine": machine, "settings": {}, "models": {"ours": model(30.0, 60.0, 97.0),
                                                                          "baseline": model(60.0, 15.0, 40.0)}}


def test_ratio_is_ours_over_baseline_and_undefined_without_a_baseline():
    assert report.ratio(30.0, 60.0) == 0.5
    assert report.ratio(1.0, 0.0) is None and report.ratio(None, 1.0) is None and report.ratio(math.nan, 1.0) is None


def test_every_figure_present_gives_no_missing_and_a_gap_is_named():
    complete = results()
    assert report.missing_figures(complete) == []
    del complete["models"]["baseline"]["peak_rss_mb"]["web"]
    assert report.missing_figures(complete) == ["baseline: peak RSS web, MB"]


def test_targets_say_met_or_by_how_much_missed():
    data = results()
    data["models"]["ours"]["ready_seconds"] = 26.5
    by_name = {t["target"]: t for t in report.targets(data)}
    assert by_name["FAQ turn p50 at 1 conversation"]["met"]
    assert by_name["FAQ throughput at 16 conversations, ours / baseline"]["value"] == 4.0
    assert not by_name["start to ready"]["met"] and by_name["start to ready"]["missed_by"] == 6.5
    assert by_name["held-out accuracy zh above baseline (points)"]["value"] == 57.0


def test_markdown_block_is_replaced_and_hand_written_text_kept(tmp_path):
    doc = tmp_path / "benchmarks.md"
    start, end = report.markers("results")
    doc.write_text(f"# B\nintro\n{start}\nold\n{end}\nnotes\n", encoding="utf-8")
    report.write_markdown(results(), doc)
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# B\nintro\n") and text.endswith("notes\n") and "old" not in text
    assert "| FAQ turn, 1 conversation: p50 ms | 30.0 | 60.0 | 0.50 |" in text


def test_load_result_percentiles_and_throughput():
    result = LoadResult(1, latencies_ms=[float(v) for v in range(1, 101)], wall_seconds=4.0)
    assert result.percentile(50) == 50.5 and result.turns_per_second == 25.0
    assert math.isnan(LoadResult(1).percentile(50))


def test_full_intent_reads_stock_response_selector_default_key_only_for_retrieval_intents():
    selector = {"default": {"response": {"intent_response_key": "faq/apec_fee"}}}
    assert full_intent({"intent": {"name": "faq"}, "response_selector": selector}) == "faq/apec_fee"
    assert full_intent({"intent": {"name": "greet"}, "response_selector": selector}) == "greet"
    ours = {"faq": {"response": {"intent_response_key": "faq/visa_types"}}}
    assert full_intent({"intent": {"name": "faq"}, "response_selector": ours}) == "faq/visa_types"


def test_timers_add_up_sync_and_async_calls_per_turn():
    class Worker:
        def work(self, n: int) -> int:
            return n

        async def wait(self) -> str:
            return "done"

    timers = Timers()
    timers.wrap(Worker, "work", label="work")
    timers.wrap(Worker, "wait", name=lambda this, args: f"wait {type(this).__name__}")
    try:
        worker = Worker()
        assert worker.work(3) == 3 and asyncio.run(worker.wait()) == "done"
        timers.turn()
        worker.work(1)
        timers.turn()
    finally:
        timers.unwrap()
    stages = {stage for stage, _, _ in timers.summary()}
    assert stages == {"work", "wait Worker"} and len(timers.turns) == 2
    assert "wait" not in timers.turns[1] and not hasattr(Worker.work, "__wrapped__")
