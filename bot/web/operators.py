"""Operator accounts, managed from the command line (there are no built-in accounts):

    python -m bot.web.operators add NAME        # asks for the password twice, or reads one line from stdin
    python -m bot.web.operators passwd NAME     # new password; signs the operator out everywhere
    python -m bot.web.operators remove NAME
    python -m bot.web.operators list

Uses the same DATABASE_URL as the web app (default: var/backend.db).
"""
from __future__ import annotations

import argparse
import getpass
import re
import sys
from typing import List, Optional, TextIO

from bot.web.db import OperatorExists, WebDatabase
from bot.web.passwords import hash_password
from bot.web.settings import WebSettings

NAME_PATTERN = re.compile(r"^[\w.@-]{2,64}$")


def read_password(stdin: TextIO) -> str:
    """Prompt twice on a terminal; otherwise take the first line of stdin (for scripts and tests)."""
    if stdin.isatty():
        first = getpass.getpass("Password / 密码: ")
        if getpass.getpass("Again / 再输一次: ") != first:
            raise ValueError("the passwords differ / 两次输入的密码不一致")
        return first
    return stdin.readline().rstrip("\r\n")


def main(argv: Optional[List[str]] = None, stdin: TextIO = sys.stdin) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.web.operators", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("add", "passwd", "remove", "list"))
    parser.add_argument("name", nargs="?")
    args = parser.parse_args(argv)
    if args.command != "list" and not (args.name and NAME_PATTERN.match(args.name)):
        parser.error("NAME: 2–64 letters, digits, '.', '_', '@' or '-'")

    database = WebDatabase(WebSettings.from_env().database_url)
    database.create_schema()
    try:
        if args.command == "list":
            print("\n".join(database.operator_names()))
            return 0
        if args.command == "remove":
            return _report(database.remove_operator(args.name), f"removed {args.name}", args.name)
        try:
            password_hash = hash_password(read_password(stdin), args.name)
        except ValueError as error:  # WeakPassword, or the two entries differ
            print(f"error: {error}", file=sys.stderr)
            return 2
        if args.command == "passwd":
            return _report(database.set_password(args.name, password_hash), f"password of {args.name} changed",
                           args.name)
        try:
            database.add_operator(args.name, password_hash)
        except OperatorExists:
            print(f"error: operator {args.name} exists; use `passwd` to change the password", file=sys.stderr)
            return 1
        print(f"added operator {args.name}")
        return 0
    finally:
        database.dispose()


def _report(done: bool, message: str, name: str) -> int:
    if not done:
        print(f"error: no operator named {name}", file=sys.stderr)
        return 1
    print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
