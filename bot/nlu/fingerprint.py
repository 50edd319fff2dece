"""Cache keys for our Rasa components.

Rasa reuses a component's cached training output when its config and inputs are unchanged; a
change to our own code or to a file our components read (the jieba dictionary, the knowledge
base's cue lexicons) is not part of that key, so a retrain could silently keep the old component.
Adding a digest of what each component reads to its fingerprint fixes that.

Each component's digest covers only its own module, the project modules it imports (followed
transitively) and the data files it names, so editing a cue in knowledge/ re-runs the dialogue-act
rules in a second instead of retraining the classifier for minutes.
"""
from __future__ import annotations

import ast
import hashlib
from pathlib import Path
from typing import Iterable, List, Set

# Not bot.settings.REPO_ROOT: importing bot.settings would put it into every component's digest.
REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGE = "bot"


def _module_file(name: str) -> Path | None:
    path = REPO_ROOT.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_project_modules(path: Path) -> Set[str]:
    names: Set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.split(".")[0] == PROJECT_PACKAGE}


def module_files(module_name: str) -> List[Path]:
    """The files of `module_name` and of every project module it imports, transitively."""
    seen: Set[Path] = set()
    pending = [module_name]
    while pending:
        path = _module_file(pending.pop())
        if path is None or path in seen:
            continue
        seen.add(path)
        pending.extend(_imported_project_modules(path))
    return sorted(seen)


def source_digest(module_name: str, data_files: Iterable[Path] = ()) -> str:
    """SHA-256 over the names and contents of a component's code and the data files it reads."""
    digest = hashlib.sha256()
    for path in [*module_files(module_name), *sorted(data_files)]:
        # The path inside the repository, so a clone elsewhere gets the same key; a configured data
        # folder outside it is named in full.
        name = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
        digest.update(str(name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
