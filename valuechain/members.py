"""The member rows a user may download (the /explore member CSV's columns):
`python -m valuechain.members --as EMAIL [--roles FILE] [filters]`; no --as: local mode, everything."""

import argparse
import sys
from pathlib import Path

from valuechain import access, cli, db, export, visible


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m valuechain.members", description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path)
    cli.add_viewer(parser)
    cli.add_filters(parser)
    args = cli.parse(parser, argv)
    if isinstance(args, int):
        return args
    try:
        viewer = cli.viewer(args)
        with db.connect(args.db) as con:
            rows = visible.member_rows(con, viewer, cli.filters(args), None)
    except access.RolesError as exc:
        print(exc, file=sys.stderr)
        return 2
    except access.NotAllowed:
        print(f"{args.as_email} may not see member rows (role '{viewer.role}').", file=sys.stderr)
        return 2
    try:
        export.safe(rows).to_csv(sys.stdout, index=False, lineterminator="\n")
    except BrokenPipeError:  # the reader stopped early (e.g. `| head`)
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
