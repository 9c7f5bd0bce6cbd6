"""Command line: `python -m etl build | import-members | import-denue | check`."""

import argparse
import sys
from pathlib import Path

import duckdb

from etl import denue, hr, loadlog, members, reading, reference
from etl.build import BusyError, Plan, build
from etl.paths import DEFAULT_DB, INPUTS, LOAD_LOG, REFERENCE, SCHEMA
from valuechain.problems import InputError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, default=DEFAULT_DB, help="database file (default: %(default)s)")
    common.add_argument("--inputs", type=Path, default=INPUTS, help="kept input files (default: %(default)s)")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", parents=[common], help="build the database from reference data and inputs")
    b.add_argument("--sample-members", type=int, metavar="N", help="generate N sample members (no member file)")
    m = sub.add_parser("import-members", parents=[common], help="validate, keep and load a member list")
    m.add_argument("file", type=Path)
    m.add_argument("--cluster", help="cluster id for every row (when the file has no cluster_id column)")
    d = sub.add_parser("import-denue", parents=[common], help="validate, keep and load a DENUE bulk file")
    d.add_argument("file", type=Path)
    d.add_argument("--edition", help="the DENUE edition, YYYY-MM (default: read from the file name)")
    h = sub.add_parser("import-hr", parents=[common], help="validate, keep and load a monthly HR survey file")
    h.add_argument("file", type=Path)
    c = sub.add_parser("check", help="validate a member list, DENUE or HR survey file; write nothing")
    c.add_argument("file", type=Path)
    c.add_argument("--hr", action="store_true", help="the file is an HR survey (told by its header for a CSV)")
    c.add_argument("--db", type=Path, default=DEFAULT_DB, help="the members an HR survey is checked against")
    c.add_argument("--cluster", help="cluster id for every row")
    return parser


def _is_denue(path: Path) -> bool:
    if path.suffix.lower() == ".zip":
        return True
    if path.suffix.lower() != ".csv" or not path.is_file():
        return False
    with open(path, "rb") as f:
        first = f.readline(4096).lower()
    return b"codigo_act" in first and b"clee" in first


def is_hr(path: Path) -> bool:
    """An HR survey file: a CSV whose header names separations and a period (an XLSX: say `--hr`)."""
    if path.suffix.lower() != ".csv" or not path.is_file():
        return False
    with open(path, "rb") as f:
        first = f.readline(4096).lower()
    return b"separations" in first and b"period" in first


def check_hr(path: Path, db: Path = DEFAULT_DB, own: str | None = None) -> int:
    """Validate an HR survey file against the members of the database `db`; write nothing."""
    with duckdb.connect() as con:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        con.execute("ATTACH $db AS live (READ_ONLY)", {"db": str(db)})
        con.execute("CREATE OR REPLACE TEMP VIEW members AS SELECT * FROM live.members")
        return hr.validate(con, path, own)


def check(path: Path, cluster: str | None, own: str | None = None) -> int:
    """Validate in memory against the reference data; return the number of rows that would load (`own`: the
    cluster a cluster administrator may load)."""
    with duckdb.connect() as con:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        members.create_table(con)
        reference.load_reference(con, REFERENCE)
        if _is_denue(path):
            with denue.data_csv(path) as csv_path:
                return denue.validate(con, csv_path, str(path))
        return members.validate(con, path, cluster, own)


def how_read(path: Path) -> str:
    """Which encoding and separator a file was read with (an XLSX workbook says so)."""
    found = reading.SCANS.get(str(path))
    how = found.describe() if found else "XLSX workbook"
    if members.IGNORED.get(str(path)):
        how += f"; ignored columns that are not member columns: {', '.join(members.IGNORED[str(path)])}"
    if str(path) in denue.KEPT:
        rows, kept = denue.KEPT[str(path)]
        how += f"; kept {kept:,} of {rows:,} rows, the rest are not automotive or supplier SCIAN classes"
    return how


def log_path(db: Path) -> Path:
    """The load history file: data/load_log.jsonl for the default database, else beside the database."""
    return LOAD_LOG if db == DEFAULT_DB else db.with_suffix(".load_log.jsonl")


def import_members(
    file: Path, db: Path = DEFAULT_DB, inputs: Path = INPUTS, cluster: str | None = None, own: str | None = None
) -> dict:
    """Validate, keep and load a member list, then rebuild; return the table counts (InputError if refused).

    `own`: a cluster administrator's cluster; a row of another cluster is refused."""
    plan = Plan(db=db, inputs=inputs, log=log_path(db), new_members=[(file, cluster)], own_cluster=own)
    try:
        return build(plan, "import-members", file)
    except InputError as exc:
        loadlog.append(plan.log, loadlog.entry("import-members", "rejected", file, None, f"{exc.total} problems"))
        raise


def import_hr(file: Path, db: Path = DEFAULT_DB, inputs: Path = INPUTS, own: str | None = None) -> dict:
    """Validate, keep and load an HR survey file, then rebuild; return the table counts (InputError if refused).

    `own`: a cluster administrator's cluster; a row naming a member of another cluster is refused."""
    plan = Plan(db=db, inputs=inputs, log=log_path(db), new_hr=[file], own_cluster=own)
    try:
        return build(plan, "import-hr", file)
    except InputError as exc:
        loadlog.append(plan.log, loadlog.entry("import-hr", "rejected", file, None, f"{exc.total} problems"))
        raise


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    log = LOAD_LOG if args.command == "check" else log_path(args.db)
    try:
        if args.command == "check":
            survey = args.hr or is_hr(args.file)
            rows = check_hr(args.file, args.db) if survey else check(args.file, args.cluster)
            print(f"{args.file}: ok, {rows} rows would load ({how_read(args.file)})")
            return 0
        plan = Plan(db=args.db, inputs=args.inputs, log=log)
        file = None
        if args.command == "build":
            plan.sample_members = args.sample_members
            kept = list((args.inputs / "members").glob("*.*")) if (args.inputs / "members").is_dir() else []
            if args.sample_members and kept:
                print(f"note: --sample-members is ignored: member files are kept in {args.inputs / 'members'}")
        elif args.command == "import-members":
            file = args.file
            plan.new_members.append((file, args.cluster))
        elif args.command == "import-hr":
            file = args.file
            plan.new_hr.append(file)
        else:
            file = args.file
            plan.new_denue.append((file, args.edition))
        counts = build(plan, args.command, file)
    except InputError as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        if args.command != "check":
            file = getattr(args, "file", None)
            loadlog.append(log, loadlog.entry(args.command, "rejected", file, None, f"{exc.total} problems"))
        return 2
    except BusyError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    except (duckdb.Error, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for warning in plan.skipped:
        print(f"warning: {warning}", file=sys.stderr)
    for note in plan.notes:
        print(f"note: {note}")
    if file is not None:
        print(f"read {file} ({how_read(file)})")
    width = max(len(t) for t in counts)
    for table, n in counts.items():
        print(f"{table:<{width}}  {n:>9,} rows")
    print(f"database: {args.db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
