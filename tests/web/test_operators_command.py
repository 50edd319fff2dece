"""`python -m bot.web.operators`: accounts are made by a command, never built in."""
import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.web import operators
from bot.web.db import WebDatabase
from bot.web.passwords import verify_password

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def run(argv: list, password: str = "") -> int:
    return operators.main(argv, stdin=io.StringIO(password + "\n"))


def test_add_stores_a_hash_that_verifies(database_url: str) -> None:
    assert run(["add", "wang.fang"], "a good password") == 0
    stored = WebDatabase(database_url).password_hash("wang.fang")
    assert stored and "a good password" not in stored
    assert verify_password("a good password", stored)


def test_adding_the_same_name_twice_is_refused(database_url: str) -> None:
    assert run(["add", "wang.fang"], "a good password") == 0
    assert run(["add", "wang.fang"], "another password") == 1


def test_a_short_password_or_a_bad_name_is_refused(database_url: str) -> None:
    assert run(["add", "wang.fang"], "short") == 2
    with pytest.raises(SystemExit):
        run(["add", "bad name!"], "a good password")
    assert WebDatabase(database_url).operator_names() == []


def test_passwd_replaces_the_password_and_remove_deletes_the_account(database_url: str) -> None:
    run(["add", "wang.fang"], "first password")
    assert run(["passwd", "wang.fang"], "second password") == 0
    assert verify_password("second password", WebDatabase(database_url).password_hash("wang.fang"))
    assert run(["remove", "wang.fang"]) == 0
    assert run(["remove", "wang.fang"]) == 1


def test_the_module_runs_as_a_command_reading_the_password_from_stdin(database_url: str, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "DATABASE_URL": database_url}
    added = subprocess.run([sys.executable, "-m", "bot.web.operators", "add", "zhao"], input="piped password\n",
                           capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert added.returncode == 0, added.stderr
    listed = subprocess.run([sys.executable, "-m", "bot.web.operators", "list"], capture_output=True, text=True,
                            env=env, cwd=REPO, timeout=60)
    assert listed.stdout.split() == ["zhao"]
