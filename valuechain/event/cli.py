"""`python -m valuechain.event sample|suggest|schedule|agendas|report DIR ...`: the supplier event's commands on
an event folder; a bad input exits 2 with one sentence naming its file and line."""

import argparse
import json
import sys
from pathlib import Path

import duckdb

from valuechain import db
from valuechain.event import agendas, sample, suggest
from valuechain.event.folder import EventError, keep, read
from valuechain.event.results import corridor_of, report
from valuechain.event.solve import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m valuechain.event",
        description="The supplier event: requests, a meeting schedule, agendas and results.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("sample", help="write the generated sample event into DIR (from the database's members)")
    g.add_argument("folder", type=Path)
    g.add_argument("--outcomes", action="store_true", help="invented outcomes for DIR/schedule.csv instead")
    g.add_argument("--db", type=Path, help="the database (default: data/valuechain.duckdb)")
    u = sub.add_parser("suggest", help="append suggested requests for the buyers who requested nobody")
    u.add_argument("folder", type=Path)
    u.add_argument("--per-buyer", type=int, default=5, help="suggestions per buyer (default 5)")
    u.add_argument("--db", type=Path, help="the database that places plants, members and DENUE establishments")
    s = sub.add_parser("schedule", help="write DIR/schedule.csv and print what it achieved")
    s.add_argument("folder", type=Path)
    s.add_argument("--time-limit", type=float, default=30.0, help="seconds for the solver (default 30)")
    s.add_argument("--keep", type=Path, help="an earlier schedule whose meetings stay in place")
    a = sub.add_parser("agendas", help="a PDF and an ICS file per participant, and the organiser's grid")
    a.add_argument("folder", type=Path)
    a.add_argument("--out", type=Path, required=True, help="the folder to write them into")
    a.add_argument("--lang", default="es", help="es or en (default es)")
    r = sub.add_parser("report", help="meetings held, no-shows and leads, from DIR/outcomes.csv")
    r.add_argument("folder", type=Path)
    r.add_argument("--db", type=Path, help="the database whose corridors place the suppliers")
    args = parser.parse_args(argv)
    command = {"sample": _sample, "suggest": _suggest, "schedule": _schedule, "agendas": _agendas, "report": _report}
    try:
        return command[args.command](args)
    except EventError as exc:
        print(exc, file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"database: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2


def _schedule(args) -> int:
    event = read(args.folder)
    if args.keep:
        keep(event, args.keep)
    print(json.dumps(run(event, args.folder, args.time_limit), ensure_ascii=False))
    return 0


def _sample(args) -> int:
    if args.outcomes:
        sample.write_outcomes(args.folder)
    else:
        with db.connect(args.db) as con:
            sample.write(con, args.folder)
    return 0


def _suggest(args) -> int:
    read(args.folder)  # the folder is checked before anything is added to it
    with db.connect(args.db) as con:
        added = suggest.suggest(con, args.folder, args.per_buyer)
    print(json.dumps({"buyers": len({b for b, _, _ in added}), "suggested": len(added)}))
    return 0


def _agendas(args) -> int:
    n = agendas.write(args.folder, args.out, args.lang)
    print(json.dumps({"participants": n, "out": str(args.out)}))
    return 0


def _report(args) -> int:
    try:
        with db.connect(args.db) as con:
            corridors = corridor_of(con)
    except (duckdb.Error, OSError):  # no database: suppliers are then counted without a corridor
        corridors = {}
    print(json.dumps(report(args.folder, corridors), ensure_ascii=False))
    return 0
