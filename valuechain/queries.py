"""One function per question the pages ask; each returns a small, aggregated DataFrame.

Names come out in the interface language: `lang` picks `name_es` or `name_en` from an allow-list.
"""

import duckdb
import pandas as pd

from valuechain import member_columns
from valuechain.catalog import BY_KEY, CORRIDOR_OF, Filters, corridor_join, member_where, place_where
from valuechain.db import query, scalar
from valuechain.i18n import ByDataLang, t

NAME = ByDataLang(es="name_es", en="name_en")  # the only columns a language may select

TABLES = ("clusters", "members", "plants", "states", "corridors", "denue_establishments", "load_log")


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows in each of the main tables."""
    sql = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in TABLES)
    return dict(query(con, sql).itertuples(index=False))


def members_are_sample(con: duckdb.DuckDBPyConnection) -> bool:
    """True when any loaded member row is generated sample data."""
    return bool(scalar(con, "SELECT count(*) > 0 FROM members WHERE source = 'sample'"))


def denue_is_sample(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the DENUE editions loaded are generated sample data."""
    return bool(scalar(con, "SELECT count(*) > 0 FROM denue_editions WHERE source = 'sample'"))


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


def _with_optional(f: Filters, params: dict) -> dict:
    return {**params, "include_optional": f.include_optional}


def members_by_state(con: duckdb.DuckDBPyConnection, f: Filters = Filters(), tier: str | None = None) -> pd.DataFrame:
    """Members per state for all 32 states (zero where none), optionally of one tier."""
    where, params = member_where(f)
    return query(
        con,
        "SELECT s.cve_ent, s.name_short AS state, coalesce(n.members, 0) AS members FROM states s LEFT JOIN "
        f"(SELECT m.cve_ent, count(*) AS members FROM members m WHERE {where} "
        "AND ($tier IS NULL OR m.tier = $tier) GROUP BY 1) n USING (cve_ent) ORDER BY s.cve_ent",
        {**params, "tier": tier},
    )


def plants_by_state(con: duckdb.DuckDBPyConnection, f: Filters = Filters()) -> pd.DataFrame:
    """Assembly plants per state (all 32 states), counting operating, closing and paused ones apart."""
    where, params = place_where(f)
    return query(
        con,
        "SELECT s.cve_ent, s.name_short AS state, count(p.plant_id) AS plants, "
        "count_if(p.status = 'operating') AS operating FROM states s "
        f"LEFT JOIN plants p ON p.cve_ent = s.cve_ent AND {where} GROUP BY ALL ORDER BY s.cve_ent",
        params,
    )


def members_by_place(con: duckdb.DuckDBPyConnection, f: Filters = Filters()) -> pd.DataFrame:
    """Members aggregated per municipality with a point each (their mean position, else the seat)."""
    where, params = member_where(f)
    return query(
        con,
        "SELECT m.cve_ent, coalesce(m.municipality, '?') AS municipality, count(*) AS members, "
        "coalesce(avg(m.lat), any_value(mu.lat)) AS lat, coalesce(avg(m.lon), any_value(mu.lon)) AS lon "
        "FROM members m LEFT JOIN municipalities mu ON mu.cve_ent = m.cve_ent AND mu.name = m.municipality "
        f"WHERE {where} GROUP BY 1, 2 HAVING coalesce(avg(m.lat), any_value(mu.lat)) IS NOT NULL ORDER BY members DESC",
        params,
    )


def headline(con: duckdb.DuckDBPyConnection, f: Filters = Filters()) -> dict:
    """The overview's headline figures for the filtered view."""
    where, params = member_where(f)
    pwhere, pparams = place_where(f)
    row = query(
        con,
        f"SELECT count(*) AS members, count(DISTINCT m.cve_ent) AS states, count(DISTINCT m.cluster_id) AS clusters "
        f"FROM members m WHERE {where}",
        params,
    ).iloc[0]
    plants_operating = scalar(con, f"SELECT count(*) FROM plants p WHERE p.status = 'operating' AND {pwhere}", pparams)
    return {
        "members": int(row["members"]),
        "states": int(row["states"]),
        "clusters": network_clusters(con, f),
        "clusters_with_members": int(row["clusters"]),
        "plants_operating": int(plants_operating),
    }


def network_clusters(con: duckdb.DuckDBPyConnection, f: Filters = Filters()) -> int:
    """REDCAM member clusters in the filtered area (chosen clusters, states, corridor), members loaded or not."""
    return int(
        scalar(
            con,
            "SELECT count(*) FROM clusters c WHERE c.kind = 'member' "
            "AND (len($clusters) = 0 OR c.cluster_id IN (SELECT unnest($clusters))) "
            "AND (len($states) = 0 OR EXISTS (SELECT 1 FROM cluster_states cs WHERE cs.cluster_id = c.cluster_id "
            "AND cs.cve_ent IN (SELECT unnest($states)))) "
            "AND ($corridor IS NULL OR EXISTS (SELECT 1 FROM cluster_states cs JOIN corridor_states k "
            "USING (cve_ent) WHERE cs.cluster_id = c.cluster_id AND k.corridor_id = $corridor "
            "AND (NOT k.optional OR $include_optional)))",
            {
                "clusters": list(f.clusters),
                "states": list(f.states),
                "corridor": f.corridor,
                "include_optional": f.include_optional,
            },
        )
    )


def tier_counts(con: duckdb.DuckDBPyConnection, group: str, f: Filters = Filters(), lang: str = "es") -> pd.DataFrame:
    """Members by tier and by 'cluster', 'state' or 'corridor' (allow-listed), named in `lang`."""
    where, params = member_where(f)
    column = {
        "cluster": "c.short_name",
        "state": "s.name_short",
        "corridor": f"(SELECT co.{NAME[lang]} FROM corridors co WHERE co.corridor_id = {CORRIDOR_OF})",
    }[group]
    sql = (
        f"SELECT {column} AS grp, m.tier, count(*) AS members FROM members m "
        f"JOIN clusters c USING (cluster_id) JOIN states s USING (cve_ent) {corridor_join('m')} "
        f"WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2"
    )
    return query(con, sql, _with_optional(f, params))


def hierarchy(con: duckdb.DuckDBPyConnection, f: Filters = Filters(), lang: str = "es") -> pd.DataFrame:
    """Members by corridor, state, tier and main (first listed) process; corridor NULL outside every corridor."""
    where, params = member_where(f)
    return query(
        con,
        f"SELECT co.{NAME[lang]} AS corridor, s.name_short AS state, x.tier, x.process, count(*) AS members FROM "
        f"(SELECT m.cve_ent, m.tier, m.processes[1] AS process, {CORRIDOR_OF} AS corridor_id "
        f"FROM members m {corridor_join('m')} WHERE {where}) x "
        "JOIN states s USING (cve_ent) LEFT JOIN corridors co USING (corridor_id) GROUP BY ALL ORDER BY ALL",
        _with_optional(f, params),
    )


def _corridor_in_area(f: Filters) -> tuple[str, dict]:
    """SQL: corridor `co` is in the filtered area (the chosen one, or one touching the chosen states or clusters)."""
    return (
        "($area_corridor IS NULL OR co.corridor_id = $area_corridor) "
        "AND (len($area_states) = 0 OR EXISTS (SELECT 1 FROM corridor_states a WHERE a.corridor_id = co.corridor_id "
        "AND a.cve_ent IN (SELECT unnest($area_states)))) "
        "AND (len($area_clusters) = 0 OR EXISTS (SELECT 1 FROM corridor_states a JOIN cluster_states k "
        "USING (cve_ent) WHERE a.corridor_id = co.corridor_id AND k.cluster_id IN (SELECT unnest($area_clusters))))",
        {"area_corridor": f.corridor, "area_states": list(f.states), "area_clusters": list(f.clusters)},
    )


def supply_depth(con: duckdb.DuckDBPyConnection, f: Filters = Filters(), lang: str = "es") -> pd.DataFrame:
    """Per corridor in the filtered area: OEM + Tier 1 buyers, Tier 2 + Tier 3 suppliers, and suppliers per buyer."""
    where, params = member_where(f)
    area, area_params = _corridor_in_area(f)
    return query(
        con,
        f"SELECT co.corridor_id, co.{NAME[lang]} AS corridor, count_if(t.role = 'buyer') AS buyers, "
        "count_if(t.role = 'supplier') AS suppliers, "
        "round(suppliers / nullif(buyers, 0), 2) AS per_buyer FROM corridors co LEFT JOIN "
        f"(SELECT m.tier, {CORRIDOR_OF} AS corridor_id FROM members m {corridor_join('m')} WHERE {where}) x "
        f"USING (corridor_id) LEFT JOIN tiers t ON t.tier_id = x.tier WHERE {area} "
        "GROUP BY ALL ORDER BY co.corridor_id",
        _with_optional(f, params) | area_params,
    )


def process_coverage(con: duckdb.DuckDBPyConnection, f: Filters = Filters(), lang: str = "es") -> pd.DataFrame:
    """Per corridor in the filtered area and key process: Tier 2 and Tier 3 members that run it (zero where none)."""
    where, params = member_where(f)
    area, area_params = _corridor_in_area(f)
    return query(
        con,
        f"SELECT co.corridor_id, co.{NAME[lang]} AS corridor, p.process_id, p.{NAME[lang]} AS process, "
        "count(x.corridor_id) AS suppliers FROM corridors co CROSS JOIN processes p LEFT JOIN "
        f"(SELECT unnest(m.processes) AS process_id, {CORRIDOR_OF} AS corridor_id FROM members m "
        f"{corridor_join('m')} WHERE {where} AND m.tier IN (SELECT tier_id FROM tiers WHERE role = 'supplier')) x "
        "ON x.corridor_id = co.corridor_id AND x.process_id = p.process_id "
        f"WHERE p.tier1_core AND {area} GROUP BY ALL ORDER BY co.corridor_id, p.process_id",
        _with_optional(f, params) | area_params,
    )


def network_facts(con: duckdb.DuckDBPyConnection, lang: str = "es") -> pd.DataFrame:
    """The facts the network and its clusters have published, in `lang`, with why a figure has no year."""
    fact, note = ByDataLang(es=("f.fact_es", "f.year_note_es"), en=("f.fact_en", "f.year_note_en"))[lang]
    return query(
        con,
        f"SELECT f.fact_id, f.subject AS cluster_id, c.short_name AS subject, {fact} AS fact, f.year, "
        f"coalesce({note}, '') AS year_note, f.source FROM network_facts f JOIN clusters c ON c.cluster_id = f.subject "
        "ORDER BY f.year NULLS LAST, f.fact_id",
    )


def cluster_profiles(con: duckdb.DuckDBPyConnection, lang: str = "es") -> pd.DataFrame:
    """One row per member cluster: reference facts next to what is loaded (members, tiers, processes, plants).

    Tiers and processes are named in `lang`; plants that are not operating say their status.
    """
    name, lang = NAME[lang], ByDataLang(es="es", en="en")[lang]
    return query(
        con,
        f"""
        WITH loaded AS (
            SELECT cluster_id, sum(n)::BIGINT AS members_loaded,
                   string_agg(t.{name} || ': ' || n, ', ' ORDER BY t.position) AS tier_mix
            FROM (SELECT cluster_id, tier, count(*) AS n FROM members GROUP BY 1, 2) x
            JOIN tiers t ON t.tier_id = x.tier GROUP BY 1
        ), procs AS (
            SELECT cluster_id, string_agg(p.{name}, ', ' ORDER BY n DESC, p.{name}) AS main_processes
            FROM (SELECT cluster_id, process_id, n, row_number() OVER (PARTITION BY cluster_id ORDER BY n DESC,
                  process_id) AS k FROM (SELECT cluster_id, unnest(processes) AS process_id, count(*) AS n
                  FROM members GROUP BY 1, 2)) x JOIN processes p USING (process_id) WHERE k <= 5 GROUP BY 1
        ), plant_count AS (
            SELECT cs.cluster_id, count(DISTINCT p.plant_id) AS plants,
                   string_agg(DISTINCT p.company || CASE WHEN p.status = 'operating' THEN ''
                              ELSE ' (' || p.status || coalesce(' ' || p.status_date, '') || ')' END, ', ')
                       AS plant_companies
            FROM cluster_states cs JOIN plants p USING (cve_ent) GROUP BY 1
        ), labels AS (
            SELECT cluster_id, string_agg(level || coalesce(' ' || year, ''), ', ' ORDER BY year) AS esca
            FROM cluster_labels GROUP BY 1
        ), st AS (
            SELECT cluster_id, string_agg(s.name_short, ', ' ORDER BY s.name_short) AS states
            FROM cluster_states JOIN states s USING (cve_ent) GROUP BY 1
        )
        SELECT c.cluster_id, c.name, c.acronym, c.short_name, st.states, c.hq_city_{lang} AS hq_city, c.founded,
               c.founded_note, c.members_reported, c.members_reported_{lang} AS members_reported_text, c.members_year,
               coalesce(l.members_loaded, 0) AS members_loaded,
               l.tier_mix, pr.main_processes, coalesce(pc.plants, 0) AS plants, pc.plant_companies,
               lb.esca, c.source
        FROM clusters c LEFT JOIN loaded l USING (cluster_id) LEFT JOIN procs pr USING (cluster_id)
        LEFT JOIN plant_count pc USING (cluster_id) LEFT JOIN labels lb USING (cluster_id)
        LEFT JOIN st USING (cluster_id)
        WHERE c.kind = 'member' ORDER BY c.cluster_id
        """,
    )


def corridor_shapes(con: duckdb.DuckDBPyConnection, include_optional: bool = False, lang: str = "es") -> pd.DataFrame:
    """Corridor outlines as GeoJSON text, with their names in `lang`."""
    return query(
        con,
        f"SELECT c.corridor_id, c.{NAME[lang]} AS name, c.color, g.geojson FROM corridors c JOIN corridor_shapes g "
        "USING (corridor_id) WHERE g.with_optional = $opt ORDER BY c.corridor_id",
        {"opt": include_optional},
    )


def state_geojson(con: duckdb.DuckDBPyConnection) -> dict:
    """The 32 state shapes as a FeatureCollection keyed by cve_ent."""
    import json

    rows = query(con, "SELECT cve_ent, geojson FROM state_shapes ORDER BY cve_ent")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": r.cve_ent,
                "properties": {"cve_ent": r.cve_ent},
                "geometry": json.loads(r.geojson),
            }
            for r in rows.itertuples()
        ],
    }


def dimension_values(con: duckdb.DuckDBPyConnection, key: str) -> pd.DataFrame:
    """A catalog dimension's values: id, name_es, name_en, short_es, short_en, in menu order."""
    d = BY_KEY[key]
    if d.choices:
        named = [(c, t(f"{key}_{c}", "es"), t(f"{key}_{c}", "en")) for c in d.choices]
        return pd.DataFrame(
            [(c, es, en, es, en) for c, es, en in named], columns=["id", "name_es", "name_en", "short_es", "short_en"]
        )
    return query(
        con,
        f"SELECT * FROM ({BY_KEY[key].values_sql}) AS v(id, name_es, name_en, short_es, short_en)",
    )


def corridors_with_extensions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Corridors that have optional extensions (for which the 'include extensions' switch means something)."""
    return list(query(con, "SELECT DISTINCT corridor_id FROM corridor_states WHERE optional ORDER BY 1")["corridor_id"])


def archetypes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every archetype's systems with cost shares, sourcing mix and the processes that supply them."""
    return query(con, "SELECT * FROM bom_archetypes ORDER BY archetype, share_pct DESC")


def archetype_vehicles(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The example vehicles in the reference file's (menu) order: the good each is, its default net cost."""
    return query(con, "SELECT * FROM bom_archetype_vehicles ORDER BY rowid")


def suppliers_for_processes(
    con: duckdb.DuckDBPyConnection, processes: tuple[str, ...], lang: str = "es"
) -> pd.DataFrame:
    """Per corridor and cluster: members that run any of the processes, by tier, and how many hold IATF 16949."""
    return query(
        con,
        f"SELECT coalesce(co.{NAME[lang]}, '—') AS corridor, c.short_name AS cluster, "
        "count(*) AS members, count_if(t.role = 'buyer') AS tier1, "
        "count_if(t.role = 'supplier') AS tier2_3, count_if(m.iatf_16949) AS iatf "
        f"FROM (SELECT m.*, {CORRIDOR_OF} AS corridor_id FROM members m {corridor_join('m')} "
        "WHERE list_has_any(m.processes, $processes)) m JOIN clusters c USING (cluster_id) "
        "JOIN tiers t ON t.tier_id = m.tier LEFT JOIN corridors co USING (corridor_id) "
        "GROUP BY ALL ORDER BY members DESC",
        {"processes": list(processes), "include_optional": False},
    )


MEMBER_SELECT = ", ".join("s.name_short AS state" if c == "state" else f"m.{c}" for c in member_columns.EXPORTED)


def member_rows(con: duckdb.DuckDBPyConnection, f: Filters = Filters(), limit: int | None = None) -> pd.DataFrame:
    """The filtered members themselves, for tables and exports (all rows unless `limit`)."""
    where, params = member_where(f)
    return query(
        con,
        f"SELECT {MEMBER_SELECT} FROM members m JOIN states s USING (cve_ent) WHERE {where} ORDER BY m.member_id "
        "LIMIT coalesce($limit, 9223372036854775807)",
        {**params, "limit": limit},
    )


def plant_rows(con: duckdb.DuckDBPyConnection, f: Filters = Filters()) -> pd.DataFrame:
    """The filtered plants, with the columns the dictionary describes."""
    where, params = place_where(f)
    return query(
        con,
        "SELECT p.plant_id, p.company, p.brands, p.plant_name, p.municipality, p.cve_ent, s.name_short AS state, "
        "p.segment, p.vehicle_class, p.start_year, p.status, p.status_date, p.products, p.capacity_units, p.lat, "
        f"p.lon, p.coord_quality, p.source FROM plants p JOIN states s USING (cve_ent) WHERE {where} "
        "ORDER BY p.plant_id",
        params,
    )


def denue_rows(con: duckdb.DuckDBPyConnection, f: Filters = Filters(), limit: int | None = None) -> pd.DataFrame:
    """The filtered DENUE establishments (state, corridor and cluster filters apply; SCIAN too)."""
    where, params = place_where(f, "denue_establishments", "d")
    return query(
        con,
        "SELECT d.denue_id, d.clee, d.name, d.legal_name, d.scian_code, d.scian_name, d.per_ocu, d.employees_min, "
        "d.employees_max, d.cve_ent, d.cve_mun, d.municipality, d.lat, d.lon, d.fecha_alta, d.phone, d.email, "
        "d.website, d.source, d.edition "
        f"FROM denue_establishments d WHERE {where} ORDER BY d.denue_id LIMIT coalesce($limit, 9223372036854775807)",
        {**params, "limit": limit},
    )


def denue_count(con: duckdb.DuckDBPyConnection, f: Filters = Filters()) -> int:
    """How many DENUE establishments the filters keep (same conditions as denue_rows)."""
    where, params = place_where(f, "denue_establishments", "d")
    return int(scalar(con, f"SELECT count(*) FROM denue_establishments d WHERE {where}", params))


def source_titles(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str | None]]:
    """Every source id with its citation (title) and address, for writing sources out in words."""
    return {r.source_id: (r.citation, r.url) for r in sources(con).itertuples()}


def sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every source id with its citation and address."""
    return query(con, "SELECT source_id, citation, url FROM sources ORDER BY source_id")


def load_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every build and import, newest first."""
    return query(con, "SELECT * FROM load_log ORDER BY logged_at DESC")


def table_sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """For each reference table, the source ids its rows cite."""
    tables = (
        "states",
        "municipalities",
        "clusters",
        "cluster_labels",
        "network_facts",
        "plants",
        "corridors",
        "scian",
        "processes",
        "denue_strata",
        "rvc_thresholds",
        "lvc_requirements",
        "steel_aluminum_requirements",
        "section_232",
        "corridor_municipalities",
        "tiers",
        "municipalities_inegi",
        "bom_archetype_vehicles",
        "state_shapes",
    )
    union = " UNION ALL ".join(f"SELECT '{t}' AS tbl, source FROM {t}" for t in tables)
    return query(
        con,
        f"SELECT tbl AS table_name, string_agg(DISTINCT trim(s), ', ' ORDER BY trim(s)) AS sources "
        f"FROM (SELECT tbl, unnest(string_split(source, ';')) AS s FROM ({union})) GROUP BY 1 ORDER BY 1",
    )


def plant_choices(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Assembly plants that have coordinates, id -> 'Company · Plant (Municipality)', in menu order."""
    rows = con.execute(
        "SELECT plant_id, company || ' · ' || plant_name || ' (' || municipality || ')' FROM plants "
        "WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY company, plant_name"
    ).fetchall()
    return dict(rows)


def plant_coordinates(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[float, float]]:
    """Each plant's (lat, lon)."""
    return {p: (lat, lon) for p, lat, lon in con.execute("SELECT plant_id, lat, lon FROM plants").fetchall()}
