"""One function per question the pages ask; each returns a small, aggregated DataFrame."""

import duckdb
import pandas as pd

from valuechain.db import query, scalar
from valuechain.filters import Filters, member_where, place_where

TABLES = ("clusters", "members", "plants", "states", "corridors", "denue_establishments", "load_log")


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows in each of the main tables."""
    sql = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in TABLES)
    return dict(query(con, sql).itertuples(index=False))


def members_are_sample(con: duckdb.DuckDBPyConnection) -> bool:
    """True when any loaded member row is generated sample data."""
    return bool(scalar(con, "SELECT count(*) > 0 FROM members WHERE source = 'sample'"))


def member_count(con: duckdb.DuckDBPyConnection, f: Filters = Filters()) -> int:
    """Members matching the filters."""
    where, params = member_where(f)
    return int(scalar(con, f"SELECT count(*) FROM members m WHERE {where}", params))


def members_by(con: duckdb.DuckDBPyConnection, by: str, f: Filters = Filters()) -> pd.DataFrame:
    """Member counts grouped by 'cve_ent', 'tier', 'cluster_id' or 'municipality' (allow-listed)."""
    column = {"cve_ent": "m.cve_ent", "tier": "m.tier", "cluster_id": "m.cluster_id", "municipality": "m.municipality"}[
        by
    ]
    where, params = member_where(f)
    return query(
        con,
        f"SELECT {column} AS {by}, count(*) AS members FROM members m WHERE {where} GROUP BY 1 ORDER BY 2 DESC",
        params,
    )


def plants(con: duckdb.DuckDBPyConnection, f: Filters = Filters()) -> pd.DataFrame:
    """Assembly plants in the filtered area, with their state's short name."""
    where, params = place_where(f)
    return query(
        con,
        f"SELECT p.*, s.name_short AS state FROM plants p JOIN states s USING (cve_ent) WHERE {where} "
        "ORDER BY p.company, p.plant_name",
        params,
    )


def clusters(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every cluster, network and partner with the states it covers."""
    return query(
        con,
        "SELECT c.*, string_agg(s.name_short, ', ' ORDER BY s.name_short) AS states "
        "FROM clusters c LEFT JOIN cluster_states cs USING (cluster_id) LEFT JOIN states s USING (cve_ent) "
        "GROUP BY ALL ORDER BY c.kind DESC, c.cluster_id",
    )


def corridors(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The corridors with their member states (optional ones marked)."""
    return query(
        con,
        "SELECT c.corridor_id, c.name_es, c.name_en, c.level, c.geometry_method, c.source, "
        "string_agg(s.name_short || CASE WHEN cs.optional THEN ' (opt.)' ELSE '' END, ', ' ORDER BY s.name_short) "
        "AS states FROM corridors c JOIN corridor_states cs USING (corridor_id) JOIN states s USING (cve_ent) "
        "GROUP BY ALL ORDER BY c.corridor_id",
    )


def states(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The 32 states."""
    return query(con, "SELECT cve_ent, name_inegi, name_short, iso_3166_2 FROM states ORDER BY cve_ent")
