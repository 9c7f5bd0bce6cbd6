"""The one gate: every read that reaches a page, a download, the deck or a command-line tool, as a viewer may see it.

Each function takes the viewer, runs the plain query (valuechain.queries, changes, suppliers, gaps,
specialisation) and applies the viewer's rules (valuechain.access): member-level reads are refused to
`public` and scoped to a cluster's own members for cluster roles; every published table of member counts
gets primary and secondary suppression (valuechain.disclosure). `views/` and `ui/` import this module,
never the raw query modules (an import-linter contract in pyproject.toml).
"""

import re
from pathlib import Path

import duckdb
import pandas as pd

from valuechain import (
    access,
    audit,
    changes,
    db,
    disclosure,
    event,
    gaps,
    hr,
    queries,
    specialisation,
    suppliers,
    tables,
)
from valuechain.access import Viewer
from valuechain.catalog import Filters
from valuechain.disclosure import TOTAL, Shape
from valuechain.event import sample, suggest
from valuechain.hr import HrError
from valuechain.specialisation import LEVELS, MEASURES, MIN_ESTABLISHMENTS
from valuechain.suppliers import CONTACT, INVITATION, Near, SupplierError
from valuechain.tables import TableError

__all__ = [
    "CONTACT",
    "INVITATION",
    "LEVELS",
    "MEASURES",
    "MIN_ESTABLISHMENTS",
    "HrError",
    "Near",
    "SupplierError",
    "TableError",
]

connect = db.connect
db_path = db.db_path
claim_ranks = gaps.claim_ranks
hr_choices, hr_csv = hr.choices, hr.csv_frame  # pure helpers the /talent page needs beside its reads
HR_LEVELS, HR_MEASURES, HR_FIGURES, HR_MEDIANS = hr.LEVELS, hr.MEASURES, hr.FIGURES, hr.MEDIANS
PAGE = Shape(margins_shown=False)  # a page's table: its margins are known from elsewhere (the headline)


def protect(
    viewer: Viewer,
    frame: pd.DataFrame,
    rows: list[str],
    col: str | None,
    value: str,
    shape: Shape = PAGE,
    derived: tuple[str, ...] = (),
) -> pd.DataFrame:
    """A table of member counts (long form: `rows` keys, an optional `col` key, the `value` count) as the viewer
    may see it: for suppressed counts, cells below the threshold and the cells hidden to protect them become
    missing, and so does every `derived` cell of their rows. Margins are taken as known to the reader."""
    if viewer.sees_counts or frame.empty:
        return frame
    keys = (
        frame[rows].astype(object).fillna("").astype(str).agg("\x1f".join, axis=1)
        if rows
        else pd.Series("", index=frame.index)
    )
    cols = frame[col].astype(str) if col else pd.Series(TOTAL, index=frame.index)
    counts = pd.to_numeric(frame[value], errors="coerce").fillna(0)
    cells = pd.DataFrame({"row": keys.to_numpy(), "col": cols.to_numpy(), "value": counts.to_numpy()})
    cells = cells.groupby(["row", "col"], as_index=False, sort=False)["value"].sum()
    interior = len(cells)
    margins = []
    if col and shape.cols_add and not (cells["col"] == TOTAL).any():  # row margins not given in the frame
        margins.append(cells.groupby("row", as_index=False)["value"].sum().assign(col=TOTAL))
    if shape.rows_add:
        margins.append(cells.groupby("col", as_index=False)["value"].sum().assign(row=TOTAL))
        if col and shape.cols_add:
            margins.append(pd.DataFrame({"row": [TOTAL], "col": [TOTAL], "value": [cells["value"].sum()]}))
    table = pd.concat([cells, *margins], ignore_index=True)
    table["primary"] = disclosure.threshold_unsafe(table["value"])
    table["need"] = disclosure.count_need(table["value"])
    status = disclosure.protect(table, shape)
    hidden = set(
        zip(
            table["row"][:interior][status[:interior] != "published"],
            table["col"][:interior][status[:interior] != "published"],
            strict=True,
        )
    )
    mask = pd.Series([(k, c) in hidden for k, c in zip(keys, cols, strict=True)], index=frame.index)
    out = frame.copy()
    out[value] = pd.to_numeric(out[value], errors="coerce").astype(float).mask(mask)
    if derived:
        row_hidden = mask.groupby(keys).transform("any")
        for column in derived:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype(float).mask(row_hidden)
    return out


def headline(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters) -> dict:
    """The Overview's figures; for suppressed counts, states and clusters count only those with MIN_FIRMS
    members or more (`at_least`), so the figure says nothing about the hidden small cells."""
    head = queries.headline(con, f)
    if viewer.sees_counts:
        return head | {"at_least": None}
    states = queries.members_by(con, "cve_ent", f)
    clusters = queries.members_by(con, "cluster_id", f)
    return head | {
        "members": access.suppress_count(viewer, head["members"]),
        "states": int((states["members"] >= disclosure.MIN_FIRMS).sum()),
        "clusters_with_members": int((clusters["members"] >= disclosure.MIN_FIRMS).sum()),
        "at_least": disclosure.MIN_FIRMS,
    }


def member_count(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters) -> int | str:
    return access.suppress_count(viewer, queries.member_count(con, f))


def members_by(con: duckdb.DuckDBPyConnection, viewer: Viewer, by: str, f: Filters) -> pd.DataFrame:
    return protect(viewer, queries.members_by(con, by, f), [by], None, "members")


def members_by_state(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, tier: str | None) -> pd.DataFrame:
    return protect(viewer, queries.members_by_state(con, f, tier), ["cve_ent"], None, "members")


def members_by_place(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters) -> pd.DataFrame:
    """Members per municipality (map points): not for viewers who may not see members; a cluster role
    without sharing sees its own cluster's only."""
    access.require_members(viewer, "member map points")
    return queries.members_by_place(con, access.scoped(viewer, f))


def tier_counts(con: duckdb.DuckDBPyConnection, viewer: Viewer, group: str, f: Filters, lang: str) -> pd.DataFrame:
    return protect(viewer, queries.tier_counts(con, group, f, lang), ["grp"], "tier", "members")


def hierarchy(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, lang: str) -> pd.DataFrame:
    """The sunburst's leaves; a parent shows the sum of its published leaves only."""
    frame = queries.hierarchy(con, f, lang)
    return protect(viewer, frame, ["corridor", "state", "tier", "process"], None, "members")


def supply_depth(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, lang: str) -> pd.DataFrame:
    """Buyers and suppliers per corridor (other tiers exist, so the two do not add up to a corridor's members)."""
    frame = queries.supply_depth(con, f, lang)
    if viewer.sees_counts or frame.empty:
        return frame
    long = frame.melt(id_vars=["corridor_id"], value_vars=["buyers", "suppliers"], var_name="role", value_name="n")
    long = protect(viewer, long, ["corridor_id"], "role", "n", Shape(cols_add=False, margins_shown=False))
    wide = long.pivot(index="corridor_id", columns="role", values="n").reindex(frame["corridor_id"])
    out = frame.assign(buyers=wide["buyers"].to_numpy(), suppliers=wide["suppliers"].to_numpy())
    return out.assign(per_buyer=out["per_buyer"].where(out["buyers"].notna() & out["suppliers"].notna()))


def process_coverage(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, lang: str) -> pd.DataFrame:
    """Tier 2 and 3 members per corridor and process (a firm counts once per process it runs)."""
    frame = queries.process_coverage(con, f, lang)
    return protect(
        viewer, frame, ["corridor_id"], "process_id", "suppliers", Shape(cols_add=False, margins_shown=False)
    )


def cluster_profiles(con: duckdb.DuckDBPyConnection, viewer: Viewer, lang: str) -> pd.DataFrame:
    """Cluster profiles; the loaded member counts and the tier mix protected as one cluster x tier table."""
    frame = queries.cluster_profiles(con, lang)
    if viewer.sees_counts or frame.empty:
        return frame
    parts = [
        (cluster, tier.strip(), int(n))
        for cluster, mix in zip(frame["cluster_id"], frame["tier_mix"], strict=True)
        if isinstance(mix, str)
        for tier, n in re.findall(r"([^,]+?): (\d+)", mix)
    ]
    found = pd.DataFrame(parts, columns=["cluster_id", "tier", "members"])
    tiers = list(dict.fromkeys(found["tier"]))  # every tier, zero where a cluster has none (zero is not published)
    loaded_ids = frame.loc[frame["tier_mix"].notna(), "cluster_id"]
    grid = pd.MultiIndex.from_product([loaded_ids, tiers], names=["cluster_id", "tier"])
    cells = found.set_index(["cluster_id", "tier"]).reindex(grid, fill_value=0).reset_index()
    loaded = frame[["cluster_id", "members_loaded"]].assign(tier=TOTAL, members=frame["members_loaded"])
    table = pd.concat([cells, loaded[["cluster_id", "tier", "members"]]], ignore_index=True)
    shown = protect(viewer, table, ["cluster_id"], "tier", "members")
    hidden = shown["members"].isna()
    out = frame.copy()
    out["members_loaded"] = (
        shown.loc[shown["tier"] == TOTAL].set_index("cluster_id")["members"].reindex(frame["cluster_id"]).to_numpy()
    )
    mix = shown[shown["tier"] != TOTAL].assign(
        text=lambda d: d["tier"] + ": " + d["members"].map(lambda n: f"{n:.0f}").where(~hidden, access.SUPPRESSED)
    )
    joined = mix.groupby("cluster_id", sort=False)["text"].agg(", ".join)
    out["tier_mix"] = frame["cluster_id"].map(joined).where(frame["tier_mix"].notna(), frame["tier_mix"])
    return out


def suppliers_for_processes(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, processes: tuple[str, ...], lang: str
) -> pd.DataFrame:
    """Per corridor and cluster: members running the processes, by role (buyers, suppliers) and with IATF."""
    frame = queries.suppliers_for_processes(con, processes, lang)
    if viewer.sees_counts or frame.empty:
        return frame
    keys = ["corridor", "cluster"]
    long = frame.melt(id_vars=keys, value_vars=["members", "tier1", "tier2_3", "iatf"], var_name="what", value_name="n")
    long["what"] = long["what"].replace({"members": TOTAL})
    shown = protect(viewer, long, keys, "what", "n", Shape(cols_add=False, margins_shown=False))
    wide = shown.pivot_table(index=keys, columns="what", values="n", aggfunc="first", dropna=False)
    wide = wide.reindex(pd.MultiIndex.from_frame(frame[keys]))
    return frame.assign(
        members=wide[TOTAL].to_numpy(),
        tier1=wide["tier1"].to_numpy(),
        tier2_3=wide["tier2_3"].to_numpy(),
        iatf=wide["iatf"].to_numpy(),
    )


def member_rows(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, limit: int | None) -> pd.DataFrame:
    """Member rows: refused to public; a cluster role gets its own members in full and the others' shared
    columns only (none without a [sharing] list)."""
    access.require_members(viewer)
    return access.share(viewer, queries.member_rows(con, access.scoped(viewer, f), limit))


def hr_periods(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The months the HR survey holds (no figure: open to everyone)."""
    return hr.periods(con)


def hr_is_sample(con: duckdb.DuckDBPyConnection) -> bool:
    return hr.is_sample(con)


def _hr_everything(viewer: Viewer) -> bool:
    """Network staff and admins see every HR figure; the public and cluster roles see them protected."""
    return viewer.sees_members and viewer.cluster is None


def _hr_own(viewer: Viewer, by: str, frame: pd.DataFrame) -> pd.Series | None:
    """A cluster's own group, which its staff see in full."""
    return frame["group_id"].eq(viewer.cluster) if viewer.cluster and by == "cluster" else None


def hr_table(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, by: str, period: str, f: Filters, lang: str
) -> pd.DataFrame:
    """HR figures by group for a month, quarter or year, and the selection's total, each with its status:
    published, or hidden by the threshold or p% rule (primary) or to protect another group (secondary)."""
    frame = hr.figures(con, by, hr.months_of(period), f, lang)
    return hr.protected(frame, _hr_everything(viewer), _hr_own(viewer, by, frame))


def hr_series(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, by: str, months: list[str], f: Filters, lang: str
) -> pd.DataFrame:
    """Monthly HR figures by group (each month's table protected on its own), for lines and the heat map."""
    frame = hr.figures(con, by, months, f, lang, monthly=True)
    return hr.protected(frame, _hr_everything(viewer), _hr_own(viewer, by, frame))


def sample_event(con: duckdb.DuckDBPyConnection, viewer: Viewer, folder: Path) -> None:
    """Write the generated sample event into `folder` (staff and admins; a cluster's roles: from its own members)."""
    access.require_members(viewer, "the supplier event")
    sample.write(con, folder, viewer.cluster)


def sample_outcomes(viewer: Viewer, folder: Path) -> None:
    """Invented outcomes for the sample event's schedule in `folder`."""
    access.require_members(viewer, "the supplier event")
    sample.write_outcomes(folder)


def suggested_requests(con: duckdb.DuckDBPyConnection, viewer: Viewer, folder: Path, per_buyer: int) -> list:
    """Suggested requests for the buyers of `folder` who requested nobody (placed by members the viewer sees)."""
    access.require_members(viewer, "the supplier event")
    return suggest.suggest(con, folder, per_buyer, viewer.cluster)


def event_report(con: duckdb.DuckDBPyConnection, viewer: Viewer, folder: Path) -> dict:
    """What the event in `folder` achieved, leads placed in corridors by the suppliers' states."""
    access.require_members(viewer, "the supplier event")
    return event.report(folder, event.corridor_of(con))


def hr_firms(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, by: str, period: str, f: Filters, lang: str
) -> pd.DataFrame:
    """Each firm against its group's median (network staff and admins only)."""
    access.require_network(viewer, "firm-level HR figures")
    return hr.firms(con, by, hr.months_of(period), f, lang)


def cross_table(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, rows: str, cols: str, measure: str, f: Filters
) -> pd.DataFrame:
    """A cross-tabulation with its margins (`valuechain.tables`), each cell with its status. For suppressed
    counts: the threshold rule on firms, for employment also the p% dominance rule, then secondary
    suppression over cells and margins alike (all are published)."""
    if measure not in tables.MEASURES:
        raise TableError(f"Unknown measure '{measure}': use {' or '.join(tables.MEASURES)}.")
    frame = tables.cells(con, rows, cols, access.scoped(viewer, f))
    value = frame["firms" if measure == "firms" else "employment"]
    table = pd.DataFrame({"row": frame["row_id"], "col": frame["col_id"], "value": value})
    table["primary"] = (
        disclosure.threshold_unsafe(frame["firms"])
        if measure == "firms"
        else disclosure.threshold_unsafe(frame["firms"])
        | disclosure.dominance_unsafe(frame["employment"], frame["largest"], frame["second"])
    )
    table["need"] = disclosure.count_need(value) if measure == "firms" else disclosure.sum_need(value)
    if viewer.sees_counts:
        status = pd.Series(disclosure.PUBLISHED, index=table.index)
    else:
        shape = Shape(rows_add=rows != "process", cols_add=cols != "process")
        status = disclosure.protect(table, shape)
    row_names, col_names = tables.names(con, rows), tables.names(con, cols)
    return pd.DataFrame(
        {
            "row_id": frame["row_id"],
            "row_name": frame["row_id"].map(row_names).fillna(frame["row_id"]),
            "col_id": frame["col_id"],
            "col_name": frame["col_id"].map(col_names).fillna(frame["col_id"]),
            "value": value.where(status == disclosure.PUBLISHED),
            "status": status,
        }
    )


def what_changed(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    lang: str,
    editions: tuple[str, str] | None,
    loads: tuple[int, int | None] | None,
) -> list[str]:
    return changes.summary(con, lang, editions, loads, count=lambda n: access.suppress_count(viewer, n))


def member_loads(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[tuple[int, str]]:
    """The earlier member loads (number, when): dates only, which name no file and count no firm."""
    return changes.member_loads(con)


def supplier_list(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, near: Near | None, lang: str, limit: int
) -> pd.DataFrame:
    """The ranked list. Who sees members gets them first and the prospects that are not members; anyone else
    gets every DENUE establishment that meets the need, members or not, with nothing telling them apart."""
    return suppliers.ranked(con, f, near, limit, lang, members=viewer.sees_members)


def convertible_list(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, near: Near | None, lang: str, limit: int
) -> pd.DataFrame:
    """DENUE establishments in adjacent classes (published by INEGI; no member data)."""
    return suppliers.convertible(con, f, near, limit, lang)


def supply_gaps(con: duckdb.DuckDBPyConnection, viewer: Viewer, lang: str, include_optional: bool) -> pd.DataFrame:
    """Supply per demand by corridor and process; member counts protected (a firm counts once per process)."""
    frame = gaps.supply_gaps(con, lang, include_optional)
    if viewer.sees_counts:
        return frame
    shape = Shape(cols_add=False, margins_shown=False)
    frame = protect(viewer, frame, ["corridor_id"], "process_id", "members", shape, ("iatf_pct", "supply", "per_100k"))
    frame = protect(viewer, frame, ["corridor_id"], "process_id", "tier2_3", shape)
    return frame.assign(thin=frame["thin"] & frame["per_100k"].notna())


def load_history(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> pd.DataFrame:
    """The load history names the network's files: network staff and admins only."""
    access.require_network(viewer, "the load history")
    return queries.load_history(con)


def audit_trail(viewer: Viewer) -> pd.DataFrame:
    """The audit trail, newest first: administrators only; a cluster's admin sees its own cluster's users."""
    if not viewer.loads:
        raise access.NotAllowed(f"the audit trail is not shown to the '{viewer.role}' role")
    trail = audit.lines()
    return trail if viewer.cluster is None else trail[trail["cluster"] == viewer.cluster].reset_index(drop=True)


# Reference data and DENUE: published by their sources, the same for every viewer (they take the viewer so that
# every read has one shape and the rule can change in one place).


def members_are_sample(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> bool:
    return queries.members_are_sample(con)


def denue_is_sample(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> bool:
    return queries.denue_is_sample(con)


def dimension_values(con: duckdb.DuckDBPyConnection, viewer: Viewer, key: str) -> pd.DataFrame:
    return queries.dimension_values(con, key)


def corridors_with_extensions(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[str]:
    return queries.corridors_with_extensions(con)


def plants_by_state(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters) -> pd.DataFrame:
    return queries.plants_by_state(con, f)


def plants(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters) -> pd.DataFrame:
    return queries.plants(con, f)


def plant_rows(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters) -> pd.DataFrame:
    return queries.plant_rows(con, f)


def state_geojson(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> dict:
    return queries.state_geojson(con)


def corridor_shapes(con: duckdb.DuckDBPyConnection, viewer: Viewer, include_optional: bool, lang: str) -> pd.DataFrame:
    return queries.corridor_shapes(con, include_optional, lang)


def network_facts(con: duckdb.DuckDBPyConnection, viewer: Viewer, lang: str) -> pd.DataFrame:
    return queries.network_facts(con, lang)


def archetypes(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> pd.DataFrame:
    return queries.archetypes(con)


def archetype_vehicles(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> pd.DataFrame:
    return queries.archetype_vehicles(con)


def denue_rows(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, limit: int | None) -> pd.DataFrame:
    return queries.denue_rows(con, f, limit)


def denue_count(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters) -> int:
    return queries.denue_count(con, f)


def sources(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> pd.DataFrame:
    return queries.sources(con)


def source_titles(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> dict[str, tuple[str, str | None]]:
    return queries.source_titles(con)


def table_sources(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> pd.DataFrame:
    return queries.table_sources(con)


def plant_choices(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> dict[str, str]:
    return queries.plant_choices(con)


def plant_coordinates(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> dict[str, tuple[float, float]]:
    return queries.plant_coordinates(con)


def denue_editions(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[str]:
    return specialisation.editions(con)


def location_quotients(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    by: str,
    codes: tuple[str, ...],
    measure: str,
    edition: str | None,
    base_edition: str | None,
    lang: str,
) -> pd.DataFrame:
    return specialisation.location_quotients(con, by, codes, measure, edition, base_edition, lang)


def municipal_geojson(con: duckdb.DuckDBPyConnection, viewer: Viewer, cvegeos: tuple[str, ...]) -> dict:
    return specialisation.municipal_geojson(con, cvegeos)
