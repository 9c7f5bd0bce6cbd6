"""The meeting schedule: a greedy first answer, moves that shorten days, OR-Tools CP-SAT, and the bounds.

Rules: a participant meets at most once per slot and only inside its windows; at most `tables` meetings per
slot; at most one meeting per pair; no forbidden pair; at most `max_meetings` per participant. Objective, in
order: the most `must` meetings, then the most meetings, then the fewest idle slots in each participant's day.
The upper bound is the lesser of two: a maximum flow (each buyer and supplier holds at most min(its slots,
`max_meetings`) meetings, each requested pair with a common slot at most one), and the sum over slots of
the tables or of the buyers or suppliers free in the slot, whichever is fewest. No schedule can hold more.
"""

import time
from collections.abc import Callable
from pathlib import Path

from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

from valuechain import i18n
from valuechain.event.folder import Event, tables_of


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


Progress = Callable[[dict[tuple[str, str], int]], None]  # told each better schedule while solving
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


def schedule(event: Event, time_limit: float = 30.0, progress: Progress | None = None) -> dict[tuple[str, str], int]:
    """The meetings (pair -> slot): the most `must` meetings, then the most meetings, then the fewest idle gaps,
    within the time limit. The greedy first answer starts the solver; unless it already reaches the bounds on
    `must` meetings and on all meetings, the first stage maximises both together (one `must` outweighs all other
    meetings); the last keeps them and minimises idle slots. A stage that finds nothing better keeps the best
    so far. At scale (more than VARIABLES choices) an answer that reaches both bounds is only compacted: there the
    moves find as many idle slots as CP-SAT in a fraction of its time and memory. `progress` hears of each
    better schedule as it is found."""
    tell = progress or (lambda meetings: None)
    began = time.perf_counter()
    best = greedy(event)
    tell(best)
    best = compact(event, best, began + time_limit / 4)
    tell(best)
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
                tell(best)
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
                tell(best)
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


def run(event: Event, folder: Path, time_limit: float, lang: str = "en", progress: Progress | None = None) -> dict:
    """Schedule the event, write `folder/schedule.csv`, and say what was achieved (the command's JSON; the
    reasons in `lang`)."""
    t0 = time.perf_counter()
    meetings = schedule(event, time_limit, progress)
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
