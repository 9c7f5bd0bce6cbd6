"""The member rows a user may download (the /explore member CSV's columns):
`python -m valuechain.members --as EMAIL [--roles FILE] [filters]`; no --as: local mode, everything."""

import sys

from valuechain import access, cli, visible


def _rows(con, viewer: access.Viewer, f) -> object:
    if not viewer.sees_members:  # the gate refuses too; this says it in the command's words
        raise access.NotAllowed(f"{viewer.email} may not see member rows (role '{viewer.role}').")
    return visible.member_rows(con, viewer, f, None)


def main(argv: list[str] | None = None) -> int:
    args = cli.parse(cli.command_parser("python -m valuechain.members", __doc__), argv)
    if isinstance(args, int):
        return args
    rows = cli.read(args, _rows, (access.NotAllowed,))
    if isinstance(rows, int):
        return rows
    return cli.print_csv(rows)


if __name__ == "__main__":
    sys.exit(main())
