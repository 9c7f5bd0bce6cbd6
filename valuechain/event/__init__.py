"""The supplier event: an event folder (`folder`), its meeting schedule and bounds (`solve`), suggested
requests (`suggest`), agendas (`agendas`), results (`results`), the generated sample (`sample`) and the
commands (`cli`, run as `python -m valuechain.event`)."""

from valuechain.event.folder import SCHEDULE, Event, EventError, Slot, keep, read, slots_of, tables_of
from valuechain.event.results import corridor_of, report
from valuechain.event.solve import capacity, greedy, idle_slots, reasons, run, schedule, upper_bound

__all__ = [
    "SCHEDULE",
    "Event",
    "EventError",
    "Slot",
    "capacity",
    "corridor_of",
    "greedy",
    "idle_slots",
    "keep",
    "read",
    "reasons",
    "report",
    "run",
    "schedule",
    "slots_of",
    "tables_of",
    "upper_bound",
]
