"""An event folder read and checked: `event.toml`'s slots, the buyers' and suppliers' windows, the requested
pairs with their priority (a `no` from either side forbids a pair; otherwise the stronger priority wins), an
earlier schedule to keep, and the schedule's rows. Every bad input is one sentence naming its file and line."""

import io
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from valuechain import csv_text

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
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


def table(path: Path, needed: list[str]) -> pd.DataFrame:
    """A CSV file (UTF-8 or a spreadsheet's Windows encoding, commas or semicolons), or the XLSX file of the same
    name (its first sheet), all text; line 1 is the header."""
    if not path.is_file() and path.with_suffix(".xlsx").is_file():
        path = path.with_suffix(".xlsx")
    if not path.is_file():
        raise EventError(f"{path}: file not found.")
    try:
        if path.suffix == ".xlsx":
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            text = csv_text.decode(path.read_bytes())
            sep = csv_text.delimiter(text.partition("\n")[0])
            frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
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
    try:
        config = tomllib.loads(toml.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise EventError(f"{toml}: not a TOML file ({exc}).") from None
    slots = slots_of(config, str(toml))
    available: dict[str, set[int]] = {}
    ids: dict[str, list[str]] = {"buyers": [], "suppliers": []}
    for kind, id_col in (("buyers", "buyer_id"), ("suppliers", "supplier_id")):
        path = folder / f"{kind}.csv"
        frame = table(path, [id_col, "company", "processes"])
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
    frame = table(path, ["buyer_id", "supplier_id", "priority", "requested_by"])
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
    earlier = table(path, SCHEDULE)
    where = {(s.day, s.start): i for i, s in enumerate(event.slots)}
    for row in earlier.itertuples(index=False):
        t = where.get((row.day, row.start))
        pair = (row.buyer_id, row.supplier_id)
        if t is not None and pair in event.pairs and t in event.available[pair[0]] & event.available[pair[1]]:
            event.kept[pair] = t
