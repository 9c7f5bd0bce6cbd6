"""What an event achieved, from its schedule and `outcomes.csv`: meetings held, no-shows and leads."""

from pathlib import Path

import duckdb
import pandas as pd

from valuechain.event.folder import SCHEDULE, EventError, table

RESULTS = ("no_interest", "informative", "cooperation_possible", "quote_requested")
OUTCOMES = ["buyer_id", "supplier_id", "happened", "result"]
LEADS = ("cooperation_possible", "quote_requested")  # a meeting that may lead to business


def corridor_of(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each state's corridor (the states inside a corridor proper, not an optional extension)."""
    return dict(con.execute("SELECT cve_ent, corridor_id FROM corridor_states WHERE NOT optional").fetchall())


def report(folder: Path, corridors: dict[str, str]) -> dict:
    """What the event achieved, from `schedule.csv` and `outcomes.csv`: meetings held, the no-show rate (of the
    meetings with an outcome), and leads by the supplier's processes and corridor (`corridors`: state code ->
    corridor)."""
    planned = table(folder / "schedule.csv", SCHEDULE)
    met = set(zip(planned["buyer_id"], planned["supplier_id"], strict=True))
    suppliers = table(folder / "suppliers.csv", ["supplier_id", "processes"])
    about = {
        r.supplier_id.strip(): (
            [p.strip() for p in r.processes.split(";") if p.strip()],
            corridors.get(str(getattr(r, "cve_ent", "")).strip().zfill(2), "none"),
        )
        for r in suppliers.itertuples(index=False)
    }
    path = folder / "outcomes.csv"
    outcomes = table(path, ["buyer_id", "supplier_id", "happened", "result"])
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


def sheet(folder: Path) -> pd.DataFrame:
    """The schedule's meetings with the outcome recorded so far (empty where none): what the organiser fills in."""
    plan = table(folder / "schedule.csv", SCHEDULE)[["day", "start", "table", "buyer_id", "supplier_id"]]
    path = folder / "outcomes.csv"
    known = table(path, OUTCOMES)[OUTCOMES] if path.is_file() else pd.DataFrame(columns=OUTCOMES)
    known = known.assign(happened=known["happened"].str.strip().str.lower(), result=known["result"].str.strip())
    merged = plan.merge(known.drop_duplicates(["buyer_id", "supplier_id"]), on=["buyer_id", "supplier_id"], how="left")
    return merged.fillna("")


def save(folder: Path, filled: pd.DataFrame) -> int:
    """Write the rows whose `happened` is yes or no as `outcomes.csv` (a result only for a meeting held); return
    how many."""
    done = filled[filled["happened"].isin(["yes", "no"])].copy()
    done["result"] = done["result"].where(done["happened"].eq("yes") & done["result"].isin(RESULTS), "")
    done[OUTCOMES].to_csv(folder / "outcomes.csv", index=False, lineterminator="\n")
    return len(done)
