"""`make bench` cannot rot: its smoke run trains both models, serves both and writes every figure.

No timing is asserted (the machine is shared and the smoke baseline trains for one epoch); the test
checks that the script runs end to end and that the table and the JSON hold a number for every figure
of both models, plus the ratio and the targets.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from bot.bench import report
from bot.bench.scenarios import DEMO_RECORDS, status_lookups
from bot.settings import REPO_ROOT


def test_bench_smoke_run_writes_every_figure_for_both_models(tmp_path):
    out = tmp_path / "out"
    baseline_config = (REPO_ROOT / "bench" / "baseline_config.yml").read_bytes()
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    finished = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "bench.py"), "--smoke",
         "--work-dir", str(tmp_path / "work"), "--out-dir", str(out)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    assert (REPO_ROOT / "bench" / "baseline_config.yml").read_bytes() == baseline_config, "rasa train rewrote it"

    results = json.loads((out / "benchmarks.json").read_text(encoding="utf-8"))
    assert results["smoke"] is True
    assert report.missing_figures(results) == []
    assert set(results["models"]) == {"ours", "baseline"}
    for model in results["models"].values():
        assert set(model["peak_rss_mb"]) >= {"rasa server", "action server", "backend"}
        assert all(model["load"][phase]["errors"] == 0 for phase in ("faq_c1", "faq_c16", "status_c1", "status_c16"))
        assert set(model["heldout"]) == {"zh", "en"}
    status = results["models"]["ours"]["load"]["status_c16"]
    assert status["lookups_completed"] == status["lookups"] > 0 and status["lookups_completed_pct"] == 100
    for label, path, _ in report.rows():  # a ratio is missing only where the 1-epoch baseline scored 0
        assert results["ratios"][label] is not None or report.figure(results, "baseline", path) == 0, label
    assert {t["target"] for t in results["targets"]} >= {"start to ready", "training"}

    markdown = (out / "benchmarks.md").read_text(encoding="utf-8")
    for label, _, _ in report.rows():
        assert f"| {label} |" in markdown
    assert "| figure | ours | baseline | ours / baseline |" in finished.stdout
    assert " cores (" in markdown and results["machine"]["git_commit"] in markdown


def test_status_workload_covers_every_demo_record_in_both_languages_and_knows_an_answer():
    """The status figures must time real lookups, not re-asks: every record, zh and en, answer recognized."""
    lookups = status_lookups(14)
    assert {lookup.reference for lookup in lookups} == {reference for reference, _ in DEMO_RECORDS}
    assert any("的进度" in lookup.opening for lookup in lookups) and any("status" in lookup.opening for lookup in lookups)
    assert not lookups[0].completed("请输入申请人护照号码的最后4位")
    assert lookups[0].completed(f"APEC商务旅行卡申请 {lookups[0].reference}：审核中。\n下一步：等待")
