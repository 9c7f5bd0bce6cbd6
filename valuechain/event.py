"""The supplier event: from requests to a one-to-one meeting schedule (OR-Tools CP-SAT).

`python -m valuechain.event schedule DIR [--time-limit S] [--keep FILE]` reads DIR's `event.toml`, `buyers.csv`,
`suppliers.csv` and `requests.csv`, writes `DIR/schedule.csv` and prints one JSON line of what it achieved.

Rules: a participant meets at most once per slot and only inside its windows; at most `tables` meetings per
slot; at most one meeting per pair; no forbidden pair; at most `max_meetings` per participant. Objective, in
order: the most `must` meetings, then the most meetings, then the fewest idle gaps in each participant's day.
The upper bound is the lesser of two: a maximum flow (each buyer and supplier holds at most min(its slots,
`max_meetings`) meetings, each requested pair with a common slot at most one), and the sum over slots of
the tables or of the buyers or suppliers free in the slot, whichever is fewest. No schedule can hold more.
"""

import argparse
import json
import sys
import time
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

PRIORITIES = ("must", "meet", "no")
SIDES = ("buyer", "supplier", "suggested")
SCHEDULE = ["day", "start", "end", "table", "buyer_id", "supplier_id", "priority"]


class EventError(ValueError):
    """An event folder that cannot be scheduled; the message is one sentence naming the file and line."""


@dataclass(frozen=True)
class Slot:
    day: str  # YYYY-MM-DD
    start: str  # HH:MM
    end: str


@dataclass
class Event:
    """What the folder says: the slots, each participant's slots, and the requested pairs with their priority."""

    name: str
    tables: int
    max_meetings: int | None
    slots: list[Slot]
    available: dict[str, set[int]]  # participant id -> the slots (indices) inside its windows
    pairs: dict[tuple[str, str], str]  # (buyer, supplier) -> must | meet (forbidden pairs left out)
    kept: dict[tuple[str, str], int] = field(default_factory=dict)  # pairs fixed by --keep, with their slot


def _minutes(hhmm: str, where: str) -> int:
    try:
        t = datetime.strptime(hhmm.strip(), "%H:%M")
    except ValueError:
        raise EventError(f"{where}: '{hhmm}' is not a time HH:MM.") from None
    return t.hour * 60 + t.minute


def slots_of(config: dict, where: str) -> list[Slot]:
    """Slots start at each day's start and every slot_minutes after it, end by its end, and miss every break."""
    length = int(config.get("slot_minutes", 0))
    if length <= 0:
        raise EventError(f"{where}: slot_minutes must be a positive number of minutes.")
    out = []
    for day in config.get("days", []):
        start, end = _minutes(day["start"], where), _minutes(day["end"], where)
        breaks = [tuple(_minutes(x, where) for x in b.split("-")) for b in day.get("breaks", [])]
        t = start
        while t + length <= end:
            if not any(t < b_end and b_start < t + length for b_start, b_end in breaks):
                out.append(
                    Slot(
                        str(day["date"]),
                        f"{t // 60:02d}:{t % 60:02d}",
                        f"{(t + length) // 60:02d}:{(t + length) % 60:02d}",
                    )
                )
            t += length
    if not out:
        raise EventError(f"{where}: the days and breaks leave no slot.")
    return out


def _windows(text: str, slots: list[Slot], where: str) -> set[int]:
    """The slots inside `2027-03-10 09:00-13:00; 2027-03-11 09:00-18:00` (empty text: every slot)."""
    if not isinstance(text, str) or not text.strip():
        return set(range(len(slots)))
    days = {s.day for s in slots}
    inside = set()
    for window in text.split(";"):
        try:
            day, span = window.split()
            start, end = (_minutes(x, where) for x in span.split("-"))
        except ValueError:
            raise EventError(f"{where}: '{window.strip()}' is not a window 'YYYY-MM-DD HH:MM-HH:MM'.") from None
        if day not in days:
            raise EventError(f"{where}: the window '{window.strip()}' is outside the event's days.")
        inside |= {
            i
            for i, s in enumerate(slots)
            if s.day == day and start <= _minutes(s.start, where) and _minutes(s.end, where) <= end
        }
    return inside


def _table(path: Path, needed: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise EventError(f"{path}: file not found.")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise EventError(f"{path}:1: column '{missing[0]}' is required.")
    return frame


def read(folder: Path, processes: set[str] | None = None) -> Event:
    """The event folder, checked: every bad input raises EventError with one sentence naming its file and line."""
    toml = folder / "event.toml"
    if not toml.is_file():
        raise EventError(f"{toml}: file not found.")
    config = tomllib.loads(toml.read_text(encoding="utf-8"))
    slots = slots_of(config, str(toml))
    available: dict[str, set[int]] = {}
    for kind, id_col in (("buyers", "buyer_id"), ("suppliers", "supplier_id")):
        path = folder / f"{kind}.csv"
        frame = _table(path, [id_col, "company", "processes"])
        for k, row in enumerate(frame.itertuples(index=False), start=2):
            where = f"{path}:{k}"
            pid = getattr(row, id_col).strip()
            if not pid or pid in available:
                raise EventError(f"{where}: {'a duplicate' if pid else 'an empty'} {id_col} '{pid}'.")
            for p in filter(None, (x.strip() for x in row.processes.split(";"))):
                if processes is not None and p not in processes:
                    raise EventError(f"{where}: unknown process '{p}'.")
            available[pid] = _windows(getattr(row, "available", ""), slots, where)
    path = folder / "requests.csv"
    frame = _table(path, ["buyer_id", "supplier_id", "priority", "requested_by"])
    asked: dict[tuple[str, str, str], int] = {}
    wanted: dict[tuple[str, str], list[str]] = {}
    for k, row in enumerate(frame.itertuples(index=False), start=2):
        where = f"{path}:{k}"
        buyer, supplier = row.buyer_id.strip(), row.supplier_id.strip()
        priority, side = row.priority.strip().lower(), row.requested_by.strip().lower()
        for pid, role in ((buyer, "buyer"), (supplier, "supplier")):
            if pid not in available:
                raise EventError(f"{where}: unknown {role} '{pid}'.")
        if priority not in PRIORITIES:
            raise EventError(f"{where}: priority '{row.priority}' is not must, meet or no.")
        if side not in SIDES:
            raise EventError(f"{where}: requested_by '{row.requested_by}' is not buyer, supplier or suggested.")
        if (buyer, supplier, side) in asked:
            raise EventError(f"{where}: the {side} asked for this pair already on line {asked[buyer, supplier, side]}.")
        asked[buyer, supplier, side] = k
        wanted.setdefault((buyer, supplier), []).append(priority)
    pairs = {
        pair: "must" if "must" in ps else "meet" for pair, ps in wanted.items() if "no" not in ps
    }  # a `no` from either side forbids; otherwise the stronger priority
    limit = config.get("max_meetings")
    return Event(str(config.get("name", folder.name)), int(config["tables"]), limit, slots, available, pairs)


def capacity(event: Event, pid: str) -> int:
    """The most meetings a participant could hold: its slots, capped by max_meetings."""
    n = len(event.available[pid])
    return min(n, event.max_meetings) if event.max_meetings else n


def upper_bound(event: Event) -> int:
    """A true bound on the meetings any schedule could hold: the maximum flow from buyers (capacity) through
    the requested pairs with a common slot (1 each) to suppliers (capacity); and the sum over slots of the
    tables, or of the buyers or suppliers free then, whichever is fewest."""
    flow = max_flow.SimpleMaxFlow()
    ids = {pid: i + 2 for i, pid in enumerate(event.available)}  # 0: source, 1: sink
    for b, s in event.pairs:
        if event.available[b] & event.available[s]:
            flow.add_arc_with_capacity(ids[b], ids[s], 1)
    buyers = {b for b, _ in event.pairs}
    suppliers = {s for _, s in event.pairs}
    for b in buyers:
        flow.add_arc_with_capacity(0, ids[b], capacity(event, b))
    for s in suppliers:
        flow.add_arc_with_capacity(ids[s], 1, capacity(event, s))
    total = flow.solve(0, 1) == flow.OPTIMAL and flow.optimal_flow()
    per_slot = sum(  # a slot holds at most its tables, and at most as many meetings as either side has people free
        min(
            event.tables,
            len({b for b in buyers if t in event.available[b]}),
            len({s for s in suppliers if t in event.available[s]}),
        )
        for t in range(len(event.slots))
    )
    return min(int(total or 0), per_slot)


def schedule(event: Event, time_limit: float = 30.0) -> dict[tuple[str, str], int]:
    """The meetings (pair -> slot): the most `must` meetings, then the most meetings (keeping that many `must`),
    then the fewest idle gaps, within the time limit (a stage that finds nothing in time keeps the one before)."""
    deadline = time.perf_counter() + time_limit  # model building counts too
    model = cp_model.CpModel()
    x = {}
    for b, s in event.pairs:
        for t in sorted(event.available[b] & event.available[s]):
            x[b, s, t] = model.new_bool_var(f"x_{b}_{s}_{t}")
    by_pair, by_person_slot, by_slot, by_person = {}, {}, {}, {}
    for (b, s, t), var in x.items():
        by_pair.setdefault((b, s), []).append(var)
        for pid in (b, s):
            by_person_slot.setdefault((pid, t), []).append(var)
            by_person.setdefault(pid, []).append(var)
        by_slot.setdefault(t, []).append(var)
    for group in (*by_pair.values(), *by_person_slot.values()):
        model.add_at_most_one(group)
    for group in by_slot.values():
        model.add(sum(group) <= event.tables)
    if event.max_meetings:
        for group in by_person.values():
            model.add(sum(group) <= event.max_meetings)
    for (b, s), t in event.kept.items():
        if (b, s, t) in x:
            model.add(x[b, s, t] == 1)
    must = sum(v for (b, s, _), v in x.items() if event.pairs[b, s] == "must")
    every = sum(x.values())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    best: dict[tuple[str, str], int] = {}
    for objective, share in ((must, 0.4), (every, 0.85)):  # each stage may use up to this share of what is left
        model.maximize(objective)
        solver.parameters.max_time_in_seconds = max(share * (deadline - time.perf_counter()), 0.5)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return best  # no schedule found in time: the best of the earlier stage
        best = {(b, s): t for (b, s, t), var in x.items() if solver.value(var)}
        model.add(objective >= round(solver.objective_value))
        model.clear_hints()
        for var in x.values():  # the found solution starts the next stage
            model.add_hint(var, solver.value(var))
    gaps = _gap_penalty(model, event, x)
    solver.parameters.max_time_in_seconds = deadline - time.perf_counter()
    if gaps is not None and solver.parameters.max_time_in_seconds > 0.5:
        model.minimize(gaps)
        if solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = {(b, s): t for (b, s, t), var in x.items() if solver.value(var)}
    return best


def _gap_penalty(model: cp_model.CpModel, event: Event, x: dict):
    """The idle slots between a participant's first and last meeting of a day, summed (a linear count: each slot
    in which the participant is free while busy both before and after it that day)."""
    days: dict[str, list[int]] = {}
    for t, slot in enumerate(event.slots):
        days.setdefault(slot.day, []).append(t)
    busy: dict[tuple[str, int], list] = {}
    for (b, s, t), var in x.items():
        for pid in (b, s):
            busy.setdefault((pid, t), []).append(var)
    terms = []
    people = {pid for pid, _ in busy}
    for pid in people:
        for ts in days.values():
            flags = [sum(busy.get((pid, t), [])) for t in ts]
            if sum(1 for t in ts if (pid, t) in busy) < 2:
                continue
            for k in range(1, len(ts) - 1):
                if (pid, ts[k]) not in busy and not any((pid, t) in busy for t in ts[:k]):
                    continue
                idle = model.new_bool_var("")
                before = model.new_bool_var("")
                after = model.new_bool_var("")
                model.add_max_equality(before, [f for f in flags[:k] if not isinstance(f, int)] or [0])
                model.add_max_equality(after, [f for f in flags[k + 1 :] if not isinstance(f, int)] or [0])
                # idle >= before + after - 1 - busy_now
                model.add(idle >= before + after - 1 - flags[k])
                terms.append(idle)
    return sum(terms) if terms else None


def reasons(event: Event, meetings: dict[tuple[str, str], int]) -> list[dict]:
    """Each requested pair left out, with the reason in words."""
    count: dict[str, int] = {}
    used: dict[int, int] = {}
    busy: set[tuple[str, int]] = set()
    for (b, s), t in meetings.items():
        count[b], count[s] = count.get(b, 0) + 1, count.get(s, 0) + 1
        used[t] = used.get(t, 0) + 1
        busy |= {(b, t), (s, t)}
    out = []
    for b, s in sorted(event.pairs):
        if (b, s) in meetings:
            continue
        common = event.available[b] & event.available[s]
        if not common:
            why = "the buyer and the supplier have no time in common"
        elif count.get(b, 0) >= capacity(event, b):
            why = (
                "the buyer's windows are full"
                if capacity(event, b) == len(event.available[b])
                else ("the buyer has its most meetings")
            )
        elif count.get(s, 0) >= capacity(event, s):
            why = (
                "the supplier's windows are full"
                if capacity(event, s) == len(event.available[s])
                else ("the supplier has its most meetings")
            )
        elif all(used.get(t, 0) >= event.tables for t in common if (b, t) not in busy and (s, t) not in busy):
            why = "every table is taken when both are free"
        else:
            why = "the slots both are free in went to other meetings"
        out.append({"buyer_id": b, "supplier_id": s, "reason": why})
    return out


def tables_of(event: Event, meetings: dict[tuple[str, str], int]) -> pd.DataFrame:
    """The schedule's rows, a table number per meeting within its slot."""
    rows, seat = [], {}
    for (b, s), t in sorted(meetings.items(), key=lambda kv: (kv[1], kv[0])):
        seat[t] = seat.get(t, 0) + 1
        slot = event.slots[t]
        rows.append((slot.day, slot.start, slot.end, seat[t], b, s, event.pairs[b, s]))
    return pd.DataFrame(rows, columns=SCHEDULE)


def keep(event: Event, path: Path) -> None:
    """Fix the meetings of an earlier schedule in their slots (those still allowed)."""
    earlier = _table(path, SCHEDULE)
    where = {(s.day, s.start): i for i, s in enumerate(event.slots)}
    for row in earlier.itertuples(index=False):
        t = where.get((row.day, row.start))
        pair = (row.buyer_id, row.supplier_id)
        if t is not None and pair in event.pairs:
            event.kept[pair] = t


RESULTS = ("no_interest", "informative", "cooperation_possible", "quote_requested")
LEADS = ("cooperation_possible", "quote_requested")  # a meeting that may lead to business


def report(folder: Path, corridor_of: dict[str, str]) -> dict:
    """What the event achieved, from `schedule.csv` and `outcomes.csv`: meetings held, the no-show rate (of the
    meetings with an outcome), and leads by the supplier's processes and corridor (`corridor_of`: state code ->
    corridor)."""
    planned = _table(folder / "schedule.csv", SCHEDULE)
    met = set(zip(planned["buyer_id"], planned["supplier_id"], strict=True))
    suppliers = _table(folder / "suppliers.csv", ["supplier_id", "processes"])
    about = {
        r.supplier_id.strip(): (
            [p.strip() for p in r.processes.split(";") if p.strip()],
            corridor_of.get(str(getattr(r, "cve_ent", "")).strip().zfill(2), "none"),
        )
        for r in suppliers.itertuples(index=False)
    }
    path = folder / "outcomes.csv"
    outcomes = _table(path, ["buyer_id", "supplier_id", "happened", "result"])
    held, reported, by_process, by_corridor = 0, 0, {}, {}
    for k, row in enumerate(outcomes.itertuples(index=False), start=2):
        pair = (row.buyer_id.strip(), row.supplier_id.strip())
        happened, result = row.happened.strip().lower(), row.result.strip().lower()
        if pair not in met:
            raise EventError(f"{path}:{k}: no meeting of {pair[0]} and {pair[1]} in the schedule.")
        if happened not in ("yes", "no"):
            raise EventError(f"{path}:{k}: happened '{row.happened}' is not yes or no.")
        if result and result not in RESULTS:
            raise EventError(f"{path}:{k}: result '{row.result}' is not one of {', '.join(RESULTS)}.")
        reported += 1
        if happened == "yes":
            held += 1
            if result in LEADS:
                processes, corridor = about.get(pair[1], ([], "none"))
                for p in processes:
                    by_process[p] = by_process.get(p, 0) + 1
                by_corridor[corridor] = by_corridor.get(corridor, 0) + 1
    return {
        "scheduled": len(met),
        "reported": reported,
        "held": held,
        "no_show_rate": round(1 - held / reported, 4) if reported else None,
        "leads": sum(by_corridor.values()),
        "leads_by_process": dict(sorted(by_process.items())),
        "leads_by_corridor": dict(sorted(by_corridor.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m valuechain.event", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("schedule", help="write DIR/schedule.csv and print what it achieved")
    s.add_argument("folder", type=Path)
    s.add_argument("--time-limit", type=float, default=30.0, help="seconds for the solver (default 30)")
    s.add_argument("--keep", type=Path, help="an earlier schedule whose meetings stay in place")
    r = sub.add_parser("report", help="meetings held, no-shows and leads, from DIR/outcomes.csv")
    r.add_argument("folder", type=Path)
    r.add_argument("--db", type=Path, help="the database whose corridors place the suppliers")
    args = parser.parse_args(argv)
    if args.command == "report":
        return _report(args)
    try:
        event = read(args.folder)
        if args.keep:
            keep(event, args.keep)
    except (EventError, tomllib.TOMLDecodeError, KeyError) as exc:
        print(exc if isinstance(exc, EventError) else f"{args.folder / 'event.toml'}: {exc}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    meetings = schedule(event, args.time_limit)
    solve_s = round(time.perf_counter() - t0, 2)
    tables_of(event, meetings).to_csv(args.folder / "schedule.csv", index=False, lineterminator="\n")
    bound = upper_bound(event)
    musts = [p for p, priority in event.pairs.items() if priority == "must"]
    report = {
        "requests": len(event.pairs),
        "scheduled": len(meetings),
        "must_requests": len(musts),
        "must_scheduled": sum(1 for p in musts if p in meetings),
        "upper_bound": bound,
        "optimal": len(meetings) == bound,
        "solve_s": solve_s,
        "unscheduled": reasons(event, meetings),
    }
    print(json.dumps(report, ensure_ascii=False))
    return 0


def _report(args) -> int:
    from valuechain import db

    try:
        with db.connect(args.db) as con:
            corridor_of = dict(
                con.execute("SELECT cve_ent, corridor_id FROM corridor_states WHERE NOT optional").fetchall()
            )
    except (duckdb.Error, OSError):  # no database: suppliers are then counted without a corridor
        corridor_of = {}
    try:
        print(json.dumps(report(args.folder, corridor_of), ensure_ascii=False))
    except EventError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
