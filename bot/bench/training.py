"""Train one config on the project's domain and data, and time it.

The full benchmark trains each model with an empty Rasa cache of its own (RASA_CACHE_DIRECTORY), so the
time is a cold training as on a clean clone, never a cache hit from an earlier `make train`. The smoke run
(`make test`) uses the repository's cache instead: its training time means nothing, and the cache makes
it fast after the first run. The smoke run also trains the baseline on a few examples per label
(`smoke_data`): on all the data its 1-epoch model was 900 MB and took 3 of the smoke test's 9 minutes to
train and 2 more to load twice, while the smoke only proves that the script still runs end to end.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ruamel.yaml import YAML

from bot.settings import REPO_ROOT

RASA = Path(sys.executable).parent / "rasa"


@dataclass
class TrainedModel:
    """Where a model was written and what training it cost."""

    path: Path
    seconds: float

    @property
    def size_mb(self) -> float:
        return self.path.stat().st_size / 1_000_000


def with_epochs(config: Path, epochs: int, out: Path) -> Path:
    """A copy of `config` with every `epochs` setting replaced (the smoke run trains for 1-2 epochs)."""
    yaml = YAML()
    data: Any = yaml.load(config.read_text(encoding="utf-8"))
    for section in ("pipeline", "policies"):
        for component in data.get(section) or []:
            if "epochs" in component:
                component["epochs"] = epochs
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return out


def smoke_data(out_dir: Path, per_label: int = 2) -> Path:
    """A copy of data/ with at most `per_label` NLU examples per label (regexes, rules, stories whole)."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    target = out_dir / "smoke_data"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(REPO_ROOT / "data", target, ignore=shutil.ignore_patterns("nlu"))
    full = load_data(str(REPO_ROOT / "data" / "nlu"))
    kept, counts = [], {}
    for message in full.training_examples:
        label = message.get_full_intent()
        if counts.get(label, 0) < per_label:
            counts[label] = counts.get(label, 0) + 1
            kept.append(message)
    subset = TrainingData(kept, regex_features=full.regex_features, lookup_tables=full.lookup_tables)
    (target / "nlu").mkdir()
    (target / "nlu" / "smoke.yml").write_text(subset.nlu_as_yaml(), encoding="utf-8")
    return target


def train(
    config: Path, out_dir: Path, name: str, epochs: Optional[int] = None, cold: bool = True,
    data: Optional[Path] = None,
) -> TrainedModel:
    """Train `config` into `out_dir/<name>.tar.gz` (`cold`: with an empty cache) on `data` (default data/);
    raises with the log's tail."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # Always train from a copy: `rasa train` writes a generated assistant_id back into a config that has
    # the template's placeholder, and the repository's baseline config must stay the stock file.
    copy = out_dir / f"{name}_config.yml"
    if epochs is not None:
        config = with_epochs(config, epochs, copy)
    else:
        shutil.copyfile(config, copy)
        config = copy
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO_ROOT),
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
    )
    if cold:
        cache = out_dir / f"{name}_cache"
        shutil.rmtree(cache, ignore_errors=True)
        env["RASA_CACHE_DIRECTORY"] = str(cache)
    command = [
        str(RASA), "train", "--config", str(config),
        "--domain", str(REPO_ROOT / "domain.yml"), "--data", str(data or REPO_ROOT / "data"),
        "--out", str(out_dir), "--fixed-model-name", name, "--quiet",
    ]
    log_path = out_dir / f"{name}_train.log"
    started = time.monotonic()
    with log_path.open("wb") as log:
        result = subprocess.run(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    if cold:
        shutil.rmtree(out_dir / f"{name}_cache", ignore_errors=True)
    model = out_dir / f"{name}.tar.gz"
    if result.returncode != 0 or not model.exists():
        tail = log_path.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"training {config.name} failed (code {result.returncode}):\n{tail}")
    return TrainedModel(model, seconds)
