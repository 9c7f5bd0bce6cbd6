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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
import pandas as pd
from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

from valuechain import i18n

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
PRIORITIES = ("must", "meet", "no")
FORMULA = "=+-@"
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
    buyers: list[str] = field(default_factory=list)  # every buyer and supplier of the files, requested or not
    suppliers: list[str] = field(default_factory=list)
    timezone: str = "America/Mexico_City"  # where the slots' times are (event.toml's `timezone`)
    source: str = ""  # `sample` for a generated event (shown with a banner wherever it is shown)


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
        if missing := [k for k in ("date", "start", "end") if k not in day]:
            raise EventError(f"{where}: a day without its '{missing[0]}'.")
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
    """A CSV file, or the XLSX file of the same name (its first sheet), all text; line 1 is the header."""
    if not path.is_file() and path.with_suffix(".xlsx").is_file():
        path = path.with_suffix(".xlsx")
    if not path.is_file():
        raise EventError(f"{path}: file not found.")
    try:
        if path.suffix == ".xlsx":
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise EventError(f"{path}: not a readable table ({str(exc).splitlines()[0]}).") from None
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise EventError(f"{path}:1: column '{missing[0]}' is required.")
    return frame


def reference_processes() -> set[str]:
    """The process ids of the shipped reference data (`data/reference/processes.csv`)."""
    return set(pd.read_csv(REFERENCE / "processes.csv", dtype=str)["process_id"])


def read(folder: Path, processes: set[str] | None = None) -> Event:
    """The event folder, checked: every bad input raises EventError with one sentence naming its file and line
    (`processes`: the known process ids; by default the reference data's)."""
    processes = reference_processes() if processes is None else processes
    toml = folder / "event.toml"
    if not toml.is_file():
        raise EventError(f"{toml}: file not found.")
    config = tomllib.loads(toml.read_text(encoding="utf-8"))
    slots = slots_of(config, str(toml))
    available: dict[str, set[int]] = {}
    ids: dict[str, list[str]] = {"buyers": [], "suppliers": []}
    for kind, id_col in (("buyers", "buyer_id"), ("suppliers", "supplier_id")):
        path = folder / f"{kind}.csv"
        frame = _table(path, [id_col, "company", "processes"])
        for k, row in enumerate(frame.itertuples(index=False), start=2):
            where = f"{path}:{k}"
            pid = getattr(row, id_col).strip()
            if not pid or pid in available:
                raise EventError(f"{where}: {'a duplicate' if pid else 'an empty'} {id_col} '{pid}'.")
            if pid[0] in FORMULA:  # ids travel into CSV and XLSX files, where such a cell would be a formula
                raise EventError(f"{where}: {id_col} '{pid}' starts with {pid[0]} (ids may not start with = + - @).")
            for p in filter(None, (x.strip() for x in row.processes.split(";"))):
                if p not in processes:
                    raise EventError(f"{where}: unknown process '{p}'.")
            available[pid] = _windows(getattr(row, "available", ""), slots, where)
            ids[kind].append(pid)
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
    if not isinstance(config.get("tables"), int) or config["tables"] < 1:
        raise EventError(f"{toml}: tables must be a whole number of meetings that can run at once.")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise EventError(f"{toml}: max_meetings must be a whole number of meetings per participant.")
    zone = str(config.get("timezone", "America/Mexico_City"))
    try:
        ZoneInfo(zone)
    except (ValueError, ZoneInfoNotFoundError):
        raise EventError(f"{toml}: timezone '{zone}' is not a time zone such as America/Monterrey.") from None
    return Event(
        str(config.get("name", folder.name)),
        int(config["tables"]),
        limit,
        slots,
        available,
        pairs,
        buyers=ids["buyers"],
        suppliers=ids["suppliers"],
        timezone=zone,
        source=str(config.get("source", "")),
    )


def capacity(event: Event, pid: str) -> int:
    """The most meetings a participant could hold: its slots, capped by max_meetings."""
    n = len(event.available[pid])
    return min(n, event.max_meetings) if event.max_meetings else n


def upper_bound(event: Event, priority: str | None = None) -> int:
    """A true bound on the meetings any schedule could hold: the maximum flow from buyers (capacity) through
    the requested pairs with a common slot (1 each) to suppliers (capacity); and the sum over slots of the
    tables, or of the buyers or suppliers free then, whichever is fewest (`priority`: of those pairs only)."""
    pairs = [p for p, level in event.pairs.items() if priority in (None, level)]
    flow = max_flow.SimpleMaxFlow()
    ids = {pid: i + 2 for i, pid in enumerate(event.available)}  # 0: source, 1: sink
    for b, s in pairs:
        if event.available[b] & event.available[s]:
            flow.add_arc_with_capacity(ids[b], ids[s], 1)
    buyers = {b for b, _ in pairs}
    suppliers = {s for _, s in pairs}
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


VARIABLES = 400_000  # above this many (pair, slot) choices, each pair keeps a few candidate slots (see `schedule`)


def _day_of(event: Event) -> list[int]:
    """Each slot's day, as an index."""
    days = {d: i for i, d in enumerate(dict.fromkeys(s.day for s in event.slots))}
    return [days[s.day] for s in event.slots]


def greedy(event: Event) -> dict[tuple[str, str], int]:
    """A fast first answer: kept meetings, then `must` pairs, then the rest, the most constrained first, each in a
    free slot next to the participants' other meetings when there is one (compact days), else the earliest."""
    day = _day_of(event)
    meetings = dict(event.kept)
    busy = {(pid, t) for (b, s), t in meetings.items() for pid in (b, s)}
    count: dict[str, int] = {}
    used: dict[int, int] = {}
    for (b, s), t in meetings.items():
        count[b], count[s], used[t] = count.get(b, 0) + 1, count.get(s, 0) + 1, used.get(t, 0) + 1
    common = {pair: event.available[pair[0]] & event.available[pair[1]] for pair in event.pairs}
    order = sorted(
        (p for p in event.pairs if p not in meetings),
        key=lambda p: (event.pairs[p] != "must", len(common[p]), p),
    )

    def next_to(pid: str, t: int) -> int:
        return sum((pid, u) in busy for u in (t - 1, t + 1) if 0 <= u < len(day) and day[u] == day[t])

    for b, s in order:
        if count.get(b, 0) >= capacity(event, b) or count.get(s, 0) >= capacity(event, s):
            continue
        free = [t for t in common[b, s] if (b, t) not in busy and (s, t) not in busy and used.get(t, 0) < event.tables]
        if free:
            t = min(free, key=lambda t: (-next_to(b, t) - next_to(s, t), t))
            meetings[b, s] = t
            busy |= {(b, t), (s, t)}
            count[b], count[s], used[t] = count.get(b, 0) + 1, count.get(s, 0) + 1, used.get(t, 0) + 1
    return meetings


def compact(
    event: Event, meetings: dict[tuple[str, str], int], until: float = float("inf"), sweeps: int = 5
) -> dict[tuple[str, str], int]:
    """Fewer idle slots by moving single meetings (not kept ones) to a free slot of both participants with a
    free table, whenever the move shortens their days, until no move helps or the clock passes `until`; the
    same meetings, only their slots change."""
    day = _day_of(event)
    out = dict(meetings)
    held: dict[str, set[int]] = {}
    used: dict[int, int] = {}
    for (b, s), t in out.items():
        held.setdefault(b, set()).add(t)
        held.setdefault(s, set()).add(t)
        used[t] = used.get(t, 0) + 1

    def idle(ts: set[int], d: int) -> int:
        on = [t for t in ts if day[t] == d]
        return max(on) - min(on) + 1 - len(on) if on else 0

    for _ in range(sweeps):
        moved = False
        for (b, s), t in sorted(out.items()):
            if (b, s) in event.kept or time.perf_counter() > until:
                continue
            free = (event.available[b] & event.available[s]) - held[b] - held[s]
            best, gain = None, 0
            for u in free:
                if used.get(u, 0) >= event.tables:
                    continue
                change = 0
                for pid in (b, s):
                    after = held[pid] - {t} | {u}
                    change += sum(idle(after, d) - idle(held[pid], d) for d in {day[t], day[u]})
                if change < gain:
                    best, gain = u, change
            if best is not None:
                for pid in (b, s):
                    held[pid] = held[pid] - {t} | {best}
                used[t] -= 1
                used[best] = used.get(best, 0) + 1
                out[b, s] = best
                moved = True
        if not moved:
            break
    return out


def _candidates(event: Event, first: dict[tuple[str, str], int]) -> dict[tuple[str, str], list[int]]:
    """The slots the solver may give each pair: every common slot, or at scale (more than VARIABLES choices) a
    few spread over the pair's common slots plus the first answer's slot, so the model stays small."""
    common = {pair: sorted(event.available[pair[0]] & event.available[pair[1]]) for pair in event.pairs}
    total = sum(len(ts) for ts in common.values())
    if total <= VARIABLES:
        return common
    per_pair = max(4, VARIABLES // max(len(common), 1))
    out = {}
    for pair, ts in common.items():
        step = max(len(ts) / per_pair, 1)
        keep = {ts[int(k * step)] for k in range(min(per_pair, len(ts)))}
        if pair in first:
            keep.add(first[pair])
        out[pair] = sorted(keep)
    return out


def schedule(event: Event, time_limit: float = 30.0) -> dict[tuple[str, str], int]:
    """The meetings (pair -> slot): the most `must` meetings, then the most meetings, then the fewest idle gaps,
    within the time limit. The greedy first answer starts the solver; unless it already reaches the bounds on
    `must` meetings and on all meetings, the first stage maximises both together (one `must` outweighs all other
    meetings); the last keeps them and minimises idle slots. A stage that finds nothing better keeps the best
    so far. At scale (more than VARIABLES choices) an answer that reaches both bounds is only compacted: there the
    moves find as many idle slots as CP-SAT in a fraction of its time and memory."""
    began = time.perf_counter()
    best = compact(event, greedy(event), began + time_limit / 4)
    polish = time.perf_counter() - began  # kept back for the last compaction
    deadline = began + time_limit - polish  # model building counts too
    proven = _rank(event, best) == (upper_bound(event, "must"), upper_bound(event))
    choices = sum(len(event.available[b] & event.available[s]) for b, s in event.pairs)
    if proven and choices > VARIABLES:
        return compact(event, best, deadline + polish, sweeps=50)  # at scale the moves beat CP-SAT on idle slots
    model = cp_model.CpModel()
    x = {}
    for (b, s), ts in _candidates(event, best).items():
        for t in ts:
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
    for key, var in x.items():
        model.add_hint(var, best.get(key[:2]) == key[2])
    must = sum(v for (b, s, _), v in x.items() if event.pairs[b, s] == "must")
    every = sum(x.values())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    if not proven:  # the first answer does not reach the bounds: CP-SAT looks for more
        left = deadline - time.perf_counter()
        if left < 0.5:
            return best
        model.maximize((len(x) + 1) * must + every)  # one more `must` outweighs every other meeting
        solver.parameters.max_time_in_seconds = 0.85 * left
        if solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = {(b, s): t for (b, s, t), var in x.items() if solver.value(var)}
            if (_rank(event, found), -idle_slots(event, found)) > (_rank(event, best), -idle_slots(event, best)):
                best = found
    musts, meetings = _rank(event, best)
    model.add(must >= musts)
    model.add(every >= meetings)
    model.clear_hints()
    for key, var in x.items():  # the best schedule so far starts the last stage
        model.add_hint(var, best.get(key[:2]) == key[2])
    left = deadline - time.perf_counter()
    if left > 0.5:
        model.minimize(_idle_slots(model, event, x, best))
        solver.parameters.max_time_in_seconds = deadline - time.perf_counter()
        if solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = {(b, s): t for (b, s, t), var in x.items() if solver.value(var)}
            if idle_slots(event, found) < idle_slots(event, best):
                best = found
    return compact(event, best, deadline + polish)


def _rank(event: Event, meetings: dict[tuple[str, str], int]) -> tuple[int, int]:
    """What the objective orders schedules by, before idle slots: `must` meetings, then meetings."""
    return sum(event.pairs[p] == "must" for p in meetings), len(meetings)


def _idle_slots(model: cp_model.CpModel, event: Event, x: dict, start: dict[tuple[str, str], int]):
    """The idle slots between each participant's first and last meeting of each day, summed: with `first` and
    `last` the day's first and last busy slot and `n` its meetings, a day's idle slots are last - first + 1 - n;
    the sum of n is fixed by the stages before, so last - first + 1 is minimised over the days a participant is
    busy (on an idle day `last` = `first` and the day counts nothing)."""
    day = _day_of(event)
    position = [t - day.index(day[t]) for t in range(len(day))]  # the slot's place within its day
    busy: dict[tuple[str, int], list] = {}
    for (b, s, t), var in x.items():
        for pid in (b, s):
            busy.setdefault((pid, t), []).append(var)
    held = {(pid, t) for (b, s), t in start.items() for pid in (b, s)}  # the starting schedule, hinted in full
    spans = []
    by_person_day: dict[tuple[str, int], list[tuple[int, list, tuple[str, int]]]] = {}
    for (pid, t), vars_ in busy.items():
        by_person_day.setdefault((pid, day[t]), []).append((position[t], vars_, (pid, t)))
    for slots in by_person_day.values():
        if len(slots) < 2:
            continue
        top = max(p for p, _, _ in slots)
        first, last = model.new_int_var(0, top, ""), model.new_int_var(0, top, "")
        model.add(last >= first)
        active = model.new_bool_var("")
        used = [p for p, _, key in slots if key in held]
        model.add_hint(first, min(used, default=0))
        model.add_hint(last, max(used, default=0))
        model.add_hint(active, bool(used))
        for p, vars_, key in slots:
            is_busy = model.new_bool_var("")
            model.add_hint(is_busy, key in held)
            model.add(sum(vars_) == is_busy)
            model.add(first <= p).only_enforce_if(is_busy)
            model.add(last >= p).only_enforce_if(is_busy)
            model.add_implication(is_busy, active)
        spans.append(last - first + active)
    return sum(spans)


def idle_slots(event: Event, meetings: dict[tuple[str, str], int]) -> int:
    """The idle slots between each participant's first and last meeting of each day, summed."""
    day = _day_of(event)
    held: dict[tuple[str, int], list[int]] = {}
    for (b, s), t in meetings.items():
        for pid in (b, s):
            held.setdefault((pid, day[t]), []).append(t)
    return sum(max(ts) - min(ts) + 1 - len(ts) for ts in held.values())


def reasons(event: Event, meetings: dict[tuple[str, str], int], lang: str = "en") -> list[dict]:
    """Each requested pair left out, with the reason in words (in `lang`)."""
    count: dict[str, int] = {}
    used: dict[int, int] = {}
    busy: set[tuple[str, int]] = set()
    for (b, s), slot in meetings.items():
        count[b], count[s] = count.get(b, 0) + 1, count.get(s, 0) + 1
        used[slot] = used.get(slot, 0) + 1
        busy |= {(b, slot), (s, slot)}
    out = []
    for b, s in sorted(event.pairs):
        if (b, s) in meetings:
            continue
        common = event.available[b] & event.available[s]
        if not common:
            why = i18n.N_("event_reason_no_common_time")
        elif count.get(b, 0) >= capacity(event, b):
            full = capacity(event, b) == len(event.available[b])
            why = i18n.N_("event_reason_buyer_full") if full else i18n.N_("event_reason_buyer_most")
        elif count.get(s, 0) >= capacity(event, s):
            full = capacity(event, s) == len(event.available[s])
            why = i18n.N_("event_reason_supplier_full") if full else i18n.N_("event_reason_supplier_most")
        elif all(used.get(u, 0) >= event.tables for u in common if (b, u) not in busy and (s, u) not in busy):
            why = i18n.N_("event_reason_tables")
        else:
            why = i18n.N_("event_reason_slots_taken")
        out.append({"buyer_id": b, "supplier_id": s, "reason": i18n.t(why, lang)})
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
        if t is not None and pair in event.pairs and t in event.available[pair[0]] & event.available[pair[1]]:
            event.kept[pair] = t


RESULTS = ("no_interest", "informative", "cooperation_possible", "quote_requested")
LEADS = ("cooperation_possible", "quote_requested")  # a meeting that may lead to business


def corridor_of(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each state's corridor (the states inside a corridor proper, not an optional extension)."""
    return dict(con.execute("SELECT cve_ent, corridor_id FROM corridor_states WHERE NOT optional").fetchall())


def report(folder: Path, corridors: dict[str, str]) -> dict:
    """What the event achieved, from `schedule.csv` and `outcomes.csv`: meetings held, the no-show rate (of the
    meetings with an outcome), and leads by the supplier's processes and corridor (`corridors`: state code ->
    corridor)."""
    planned = _table(folder / "schedule.csv", SCHEDULE)
    met = set(zip(planned["buyer_id"], planned["supplier_id"], strict=True))
    suppliers = _table(folder / "suppliers.csv", ["supplier_id", "processes"])
    about = {
        r.supplier_id.strip(): (
            [p.strip() for p in r.processes.split(";") if p.strip()],
            corridors.get(str(getattr(r, "cve_ent", "")).strip().zfill(2), "none"),
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
    except (EventError, tomllib.TOMLDecodeError) as exc:
        print(exc if isinstance(exc, EventError) else f"{args.folder / 'event.toml'}: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"database: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2


def run(event: Event, folder: Path, time_limit: float, lang: str = "en") -> dict:
    """Schedule the event, write `folder/schedule.csv`, and say what was achieved (the command's JSON; the
    reasons in `lang`)."""
    t0 = time.perf_counter()
    meetings = schedule(event, time_limit)
    solve_s = round(time.perf_counter() - t0, 2)
    tables_of(event, meetings).to_csv(folder / "schedule.csv", index=False, lineterminator="\n")
    bound = upper_bound(event)
    musts = [p for p, priority in event.pairs.items() if priority == "must"]
    return {
        "requests": len(event.pairs),
        "scheduled": len(meetings),
        "must_requests": len(musts),
        "must_scheduled": sum(1 for p in musts if p in meetings),
        "must_upper_bound": upper_bound(event, "must"),
        "upper_bound": bound,
        "optimal": len(meetings) == bound,
        "solve_s": solve_s,
        "idle_slots": idle_slots(event, meetings),
        "unscheduled": reasons(event, meetings, lang),
    }


def _schedule(args) -> int:
    event = read(args.folder)
    if args.keep:
        keep(event, args.keep)
    print(json.dumps(run(event, args.folder, args.time_limit), ensure_ascii=False))
    return 0


def _database(path: Path | None):
    from valuechain import db

    return db.connect(path)


def _sample(args) -> int:
    from valuechain import event_sample

    if args.outcomes:
        event_sample.write_outcomes(args.folder)
    else:
        with _database(args.db) as con:
            event_sample.write(con, args.folder)
    return 0


def _suggest(args) -> int:
    from valuechain import event_suggest

    read(args.folder)  # the folder is checked before anything is added to it
    with _database(args.db) as con:
        added = event_suggest.suggest(con, args.folder, args.per_buyer)
    print(json.dumps({"buyers": len({b for b, _, _ in added}), "suggested": len(added)}))
    return 0


def _agendas(args) -> int:
    from valuechain import event_agendas

    n = event_agendas.write(args.folder, args.out, args.lang)
    print(json.dumps({"participants": n, "out": str(args.out)}))
    return 0


def _report(args) -> int:
    try:
        with _database(args.db) as con:
            corridors = corridor_of(con)
    except (duckdb.Error, OSError):  # no database: suppliers are then counted without a corridor
        corridors = {}
    print(json.dumps(report(args.folder, corridors), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
