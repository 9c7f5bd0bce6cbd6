"""The member rows a user may download (the /explore member CSV's columns):
`python -m valuechain.members --as EMAIL [--roles FILE] [filters]`; no --as: local mode, everything."""

import argparse
import sys
from pathlib import Path

from valuechain import access, cli, export, visible


def _rows(con, viewer: access.Viewer, f) -> object:
    if not viewer.sees_members:  # the gate refuses too; this says it in the command's words
        raise access.NotAllowed(f"{viewer.email} may not see member rows (role '{viewer.role}').")
    return visible.member_rows(con, viewer, f, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m valuechain.members", description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path)
    cli.add_viewer(parser)
    cli.add_filters(parser)
    args = cli.parse(parser, argv)
    if isinstance(args, int):
        return args
    rows = cli.read(args, _rows, (access.NotAllowed,))
    if isinstance(rows, int):
        return rows
    try:
        export.safe(rows).to_csv(sys.stdout, index=False, lineterminator="\n")
    except BrokenPipeError:  # the reader stopped early (e.g. `| head`)
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
