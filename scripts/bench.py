"""`make bench`: train our model and the stock-Rasa baseline, run the full stack of each, compare.

    python scripts/bench.py            # full run: writes docs/benchmarks.md, docs/benchmarks.json, bench/results/
    python scripts/bench.py --smoke    # 1-epoch baseline on 2 examples per label, a handful of requests (make test)

Both models are trained, measured in-process (NLU) and served over REST in this one process run, one
after the other, so the ratio ours / baseline compares figures taken on the same machine within minutes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, Optional

from bot.bench import load, long_conversation, machine, report, scenarios, training
from bot.bench.nlu import heldout_examples, measure_model
from bot.bench.stack import running_stack
from bot.settings import REPO_ROOT

OUR_CONFIG = REPO_ROOT / "config.yml"
BASELINE_CONFIG = REPO_ROOT / "bench" / "baseline_config.yml"


@dataclass(frozen=True)
class Workload:
    """How much is asked of each model; the smoke run only proves the script still works."""

    faq_turns_c1: int
    faq_turns_per_conversation_c16: int
    status_lookups_c1: int
    status_lookups_per_conversation_c16: int
    heldout_per_language: Optional[int]
    baseline_epochs: Optional[int]
    long_conversation_turns: int


FULL = Workload(200, 25, 40, 8, None, None, long_conversation.TURNS)
SMOKE = Workload(4, 1, 2, 1, 8, 1, 12)


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def serve_and_measure(model: Path, state_dir: Path, work: Workload, stock_runtime: bool = False) -> Dict[str, Any]:
    """Start the full stack on `model`, run the four REST phases, read peak memory, stop."""
    questions = scenarios.faq_questions()
    with running_stack(model, state_dir, stock_runtime) as running:
        say(f"  ready in {running.ready_seconds:.1f} s; warming up")
        url = running.rest_url
        load.faq_load(url, questions, 1, 2)
        load.status_load(url, scenarios.status_lookups(1), 1, 1)
        phases = {
            "faq_c1": lambda: load.faq_load(url, questions, 1, work.faq_turns_c1),
            "faq_c16": lambda: load.faq_load(url, questions, 16, work.faq_turns_per_conversation_c16),
            "status_c1": lambda: load.status_load(url, scenarios.status_lookups(work.status_lookups_c1), 1,
                                                  work.status_lookups_c1),
            "status_c16": lambda: load.status_load(
                url, scenarios.status_lookups(16 * work.status_lookups_per_conversation_c16, offset=3), 16,
                work.status_lookups_per_conversation_c16),
        }
        figures: Dict[str, Any] = {}
        for name, run in phases.items():
            figures[name] = run().summary()
            say(f"  {name}: p50 {figures[name]['p50_ms']:.1f} ms, {figures[name]['turns_per_second']:.1f} turns/s, "
                f"{figures[name]['errors']} errors")
        longest = long_conversation.measure_sync(url, questions, work.long_conversation_turns).summary()
        say(f"  one conversation of {longest['turns']} turns: first 10 {longest['first_10_ms']:.1f} ms, "
            f"last 10 {longest['last_10_ms']:.1f} ms ({longest['ratio']:.2f}x)")
        peak = running.record_memory()
        return {"ready_seconds": running.ready_seconds, "load": figures, "peak_rss_mb": peak,
                "long_conversation": longest}


def measure(
    name: str, model: training.TrainedModel, work_dir: Path, work: Workload
) -> Dict[str, Any]:
    say(f"{name}: NLU in-process (Agent.load, held-out parse)")
    nlu = measure_model(model.path, heldout_examples(work.heldout_per_language))
    say(f"{name}: parse median {nlu.parse_ms_median:.2f} ms, accuracy "
        + ", ".join(f"{lang} {acc:.1%}" for lang, acc in nlu.accuracy.items()))
    say(f"{name}: starting the full stack")
    # The baseline is stock Rasa: its server runs without our patches of Rasa internals (bot/rasa_patches.py).
    served = serve_and_measure(model.path, work_dir / f"{name}_state", work, stock_runtime=name == "baseline")
    return {
        "model_path": str(model.path),
        "train_seconds": model.seconds,
        "model_mb": model.size_mb,
        "nlu_load_seconds": nlu.load_seconds,
        "nlu_parse_ms_median": nlu.parse_ms_median,
        "nlu_parses": len(nlu.parse_ms),
        "heldout": {
            lang: {"accuracy_pct": 100 * nlu.accuracy[lang], "macro_f1": nlu.macro_f1[lang],
                   "examples": nlu.examples[lang]}
            for lang in nlu.accuracy
        },
        **served,
    }


def reused_models(earlier: Path) -> Dict[str, training.TrainedModel]:
    """The models of an earlier run, with the training time measured then."""
    previous = json.loads(earlier.read_text(encoding="utf-8"))
    return {
        name: training.TrainedModel(Path(figures["model_path"]), figures["train_seconds"])
        for name, figures in previous["models"].items()
    }


def run(
    work: Workload, work_dir: Path, smoke: bool, reuse: Optional[Path] = None
) -> Dict[str, Any]:
    results: Dict[str, Any] = {"smoke": smoke, "machine": machine.describe(), "settings": asdict(work), "models": {}}
    say(f"work dir {work_dir}")
    if reuse is not None:
        previous = json.loads(reuse.read_text(encoding="utf-8"))["machine"]
        results["training_reused_from"] = {"file": str(reuse), "date_utc": previous["date_utc"],
                                           "git_commit": previous["git_commit"]}
        say(f"reusing the models and training figures of {reuse}")
        models = reused_models(reuse)
        for name in ("ours", "baseline"):
            results["models"][name] = measure(name, models[name], work_dir, work)
        return results
    say("training ours (config.yml)")
    ours = training.train(OUR_CONFIG, work_dir / "models", "ours", cold=not smoke)
    say(f"ours trained in {ours.seconds:.0f} s ({ours.size_mb:.1f} MB)")
    say("training the baseline (bench/baseline_config.yml)")
    baseline = training.train(BASELINE_CONFIG, work_dir / "models", "baseline", epochs=work.baseline_epochs,
                              cold=not smoke, data=training.smoke_data(work_dir) if smoke else None)
    say(f"baseline trained in {baseline.seconds:.0f} s ({baseline.size_mb:.1f} MB)")
    for name, model in (("ours", ours), ("baseline", baseline)):
        results["models"][name] = measure(name, model, work_dir, work)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="1-epoch baseline on 2 examples per label and a handful of requests")
    parser.add_argument("--out-dir", type=Path, help="where benchmarks.md/.json go (default docs/, smoke: work dir)")
    parser.add_argument("--work-dir", type=Path, help="models and service state (default var/bench, smoke: temp)")
    parser.add_argument("--reuse-models", type=Path, metavar="RESULTS_JSON",
                        help="skip training: serve and measure the models of an earlier run (said so in the results)")
    args = parser.parse_args()
    work = SMOKE if args.smoke else FULL
    work_dir = args.work_dir or (Path(tempfile.mkdtemp(prefix="fao-bench-")) if args.smoke else REPO_ROOT / "var" / "bench")
    out_dir = args.out_dir or (work_dir if args.smoke else REPO_ROOT / "docs")
    results = run(work, work_dir, args.smoke, args.reuse_models)
    print("\n" + report.table(results) + "\n\n" + report.targets_text(results) + "\n", flush=True)
    block = "results"
    report.write_markdown(results, out_dir / "benchmarks.md", block)
    report.write_json(results, out_dir / "benchmarks.json")
    if not args.smoke and args.out_dir is None:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%MZ")
        report.write_json(results, REPO_ROOT / "bench" / "results" / f"{stamp}.json")
    say(f"written {out_dir / 'benchmarks.md'} ({block}) and the JSON beside it")
    missing = report.missing_figures(results)
    if missing:
        print("missing figures: " + "; ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
