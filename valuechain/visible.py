"""Every read of member data as a viewer may see it: the pages, exports and deck read members only here.

Each function runs the plain query (valuechain.queries, changes, suppliers, gaps) and applies the
viewer's rules from valuechain.access: member-level reads are refused to `public`, counts of fewer
than 3 firms (and what is derived from them) are suppressed. Reference data and DENUE, which INEGI
publishes, are read directly.
"""

import re

import duckdb
import pandas as pd

from valuechain import access, changes, gaps, queries, suppliers
from valuechain.access import Viewer
from valuechain.catalog import Filters


def headline(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters) -> dict:
    head = queries.headline(con, f)
    return head | {"members": access.suppress_count(viewer, head["members"])}


def member_count(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters) -> int | str:
    return access.suppress_count(viewer, queries.member_count(con, f))


def members_by(con: duckdb.DuckDBPyConnection, viewer: Viewer, by: str, f: Filters) -> pd.DataFrame:
    return access.suppress(viewer, queries.members_by(con, by, f), ["members"])


def members_by_state(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, tier: str | None) -> pd.DataFrame:
    return access.suppress(viewer, queries.members_by_state(con, f, tier), ["members"])


def members_by_place(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters) -> pd.DataFrame:
    """Members per municipality (map points): not for viewers who may not see members."""
    access.require_members(viewer, "member map points")
    return queries.members_by_place(con, f)


def tier_counts(con: duckdb.DuckDBPyConnection, viewer: Viewer, group: str, f: Filters, lang: str) -> pd.DataFrame:
    return access.suppress(viewer, queries.tier_counts(con, group, f, lang), ["members"])


def hierarchy(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, lang: str) -> pd.DataFrame:
    return access.suppress(viewer, queries.hierarchy(con, f, lang), ["members"])


def supply_depth(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, lang: str) -> pd.DataFrame:
    return access.suppress(viewer, queries.supply_depth(con, f, lang), ["buyers", "suppliers"], ["per_buyer"])


def process_coverage(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, lang: str) -> pd.DataFrame:
    return access.suppress(viewer, queries.process_coverage(con, f, lang), ["suppliers"])


def cluster_profiles(con: duckdb.DuckDBPyConnection, viewer: Viewer, lang: str) -> pd.DataFrame:
    """Cluster profiles; the loaded member count and the tier mix's counts suppressed below 3."""
    frame = queries.cluster_profiles(con, lang)
    if viewer.sees_members:
        return frame
    frame = access.suppress(viewer, frame, ["members_loaded"])
    frame["tier_mix"] = frame["tier_mix"].map(
        lambda mix: re.sub(r": [0-2](?!\d)", f": {access.SUPPRESSED}", mix) if isinstance(mix, str) else mix
    )
    return frame


def suppliers_for_processes(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, processes: tuple[str, ...], lang: str
) -> pd.DataFrame:
    frame = queries.suppliers_for_processes(con, processes, lang)
    return access.suppress(viewer, frame, ["members", "tier1", "tier2_3", "iatf"])


def member_rows(con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, limit: int | None) -> pd.DataFrame:
    access.require_members(viewer)
    return queries.member_rows(con, f, limit)


def what_changed(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    lang: str,
    editions: tuple[str, str] | None,
    loads: tuple[int, int | None] | None,
) -> list[str]:
    return changes.summary(con, lang, editions, loads, count=lambda n: access.suppress_count(viewer, n))


def supplier_list(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, f: Filters, near: suppliers.Near | None, lang: str, limit: int
) -> pd.DataFrame:
    """The ranked list; a viewer who may not see members gets the DENUE prospects only."""
    return suppliers.ranked(con, f, near, limit, lang, members=viewer.sees_members)


def supply_gaps(con: duckdb.DuckDBPyConnection, viewer: Viewer, lang: str, include_optional: bool) -> pd.DataFrame:
    frame = gaps.supply_gaps(con, lang, include_optional)
    frame = access.suppress(viewer, frame, ["members", "tier2_3"], ["iatf_pct", "supply", "per_100k"])
    return frame.assign(thin=frame["thin"] & frame["per_100k"].notna())


def load_history(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> pd.DataFrame:
    """The load history names the network's files: staff and admins only."""
    access.require_members(viewer, "the load history")
    return queries.load_history(con)
