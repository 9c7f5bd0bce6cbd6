"""What the command-line tools share: who is asking (`--as EMAIL [--roles FILE]`) and the filters as the URL's
keys and ids (`--cluster nl --cluster coah --state 19 --tier "Tier 2"`)."""

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from valuechain import access
from valuechain.catalog import DIMENSIONS, Filters, help_text


def parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace | int:
    """The arguments, or the exit code argparse chose (0 after --help, 2 for a bad option)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0


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
