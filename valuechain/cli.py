"""What the command-line tools share: who is asking (`--as EMAIL [--roles FILE]`) and the filters as the URL's
keys and ids (`--cluster nl --cluster coah --state 19 --tier "Tier 2"`)."""

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from valuechain import access, export
from valuechain.catalog import DIMENSIONS, Filters, help_text


def parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace | int:
    """The arguments, or the exit code argparse chose (0 after --help, 2 for a bad option)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0


def command_parser(prog: str, doc: str, with_filters: bool = True) -> argparse.ArgumentParser:
    """A reading command's parser: its name, the first line of its docstring, `--db`, `--as`/`--roles`, and
    (unless `with_filters` is false) the filters."""
    out = argparse.ArgumentParser(prog=prog, description=doc.split("\n")[0])
    out.add_argument("--db", type=Path, help="the database (default: $VALUECHAIN_DB or data/valuechain.duckdb)")
    add_viewer(out)
    if with_filters:
        add_filters(out)
    return out


def print_csv(frame: pd.DataFrame) -> int:
    """The command's table on standard output, cells a spreadsheet would run neutralised; 0, also when the
    reader stops early (e.g. `| head`)."""
    try:
        export.safe(frame).to_csv(sys.stdout, index=False, lineterminator="\n")
    except BrokenPipeError:
        sys.stderr.close()
    return 0


def add_viewer(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_email", metavar="EMAIL", help="read as this signed-in user (default: local)")
    parser.add_argument("--roles", type=Path, help="roles file (default: $VALUECHAIN_ROLES or .streamlit/roles.toml)")


def add_filters(parser: argparse.ArgumentParser, skip: tuple[str, ...] = ()) -> None:
    for d in DIMENSIONS:
        if d.key in skip:
            continue
        flag = f"--{d.key}"
        if d.kind == "multi":
            parser.add_argument(flag, dest=d.field, action="append", default=[], help=help_text(d, "en") + " (repeat)")
        elif d.kind == "one":
            parser.add_argument(flag, dest=d.field, help=help_text(d, "en"))
        else:
            parser.add_argument(flag, dest=d.field, action="store_true", help=help_text(d, "en"))


def viewer(args: argparse.Namespace) -> access.Viewer:
    """Local mode without --as; else the address's viewer from the roles file."""
    if not args.as_email:
        return access.LOCAL
    return access.viewer_for(args.as_email, access.read_roles(args.roles or access.roles_path()))


def read(args: argparse.Namespace, what: Callable, errors: tuple[type[Exception], ...] = ()):
    """`what(con, viewer, filters)` for the command's --db, --as and filters; or exit code 2 after printing a
    refusal (an unreadable roles file, or one of `errors`) in one sentence."""
    from valuechain import db

    try:
        with db.connect(args.db) as con:
            return what(con, viewer(args), filters(args))
    except (access.RolesError, *errors) as exc:
        print(exc, file=sys.stderr)
        return 2


def filters(args: argparse.Namespace, base: Filters = Filters()) -> Filters:
    values = {}
    for d in DIMENSIONS:
        if hasattr(args, d.field):
            value = getattr(args, d.field)
            values[d.field] = tuple(value) if d.kind == "multi" else value
    if values.get("states"):
        values["states"] = tuple(s.zfill(2) for s in values["states"])
    return replace(base, **values)
