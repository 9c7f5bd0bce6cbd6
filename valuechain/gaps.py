"""Supply gaps: per process and corridor, demand from the assembly plants against supply from members
and DENUE establishments, and the thin spots; plus convertible suppliers in adjacent classes.

Demand: the corridor's operating plants, each weighted by its capacity (vehicles a year; where the
reference data gives none, the median capacity of the operating plants of its vehicle class that have
one, counted as imputed), times the process's share of a vehicle's value. A process's share is each
system's share of the example vehicles (R13, R14, P1) split evenly over the processes that make it,
averaged over the example vehicles: an assumption, stated on screen. Supply: members that run the
process in the corridor (and how many are Tier 2/3 and hold IATF 16949) plus DENUE establishments of
the latest edition in the process's SCIAN class (which may include members).
"""

import duckdb
import pandas as pd

from valuechain.db import query
from valuechain.i18n import ByDataLang

NAME = ByDataLang(es="name_es", en="name_en")
PER = 100_000  # supply is given per this many vehicle-equivalents a year of the process's value
THIN_SHARE = 0.25  # a process is a thin spot in a corridor when its supply per demand is in the lowest quarter


_SHARES = """
    SELECT process_id, sum(share) / (SELECT count(DISTINCT archetype) FROM bom_archetypes) AS share_pct
    FROM (SELECT b.archetype, trim(p.process_id) AS process_id,
                 b.share_pct / len(string_split(b.processes, ';')) AS share
          FROM bom_archetypes b, unnest(string_split(b.processes, ';')) AS p(process_id)
          WHERE b.processes IS NOT NULL AND b.in_net_cost)
    JOIN processes USING (process_id) WHERE NOT starts_with(processes.scian_code, '3361')
    GROUP BY 1
"""


def process_shares(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each process's share (%) of a vehicle's value, from the example vehicles' systems."""
    return query(con, _SHARES + " ORDER BY 1")


def supply_gaps(con: duckdb.DuckDBPyConnection, lang: str = "es", include_optional: bool = False) -> pd.DataFrame:
    """One row per corridor and process: plants, vehicles a year, the process's share, demand, supply and
    supply per 100,000 vehicle-equivalents (lowest = thinnest), with `thin` marking the lowest quarter."""
    frame = query(
        con,
        f"""
        WITH shares AS ({_SHARES}),
        corridor_of AS (
            SELECT cve_ent, municipality, corridor_id FROM place_corridors
            WHERE corridor_id IS NOT NULL AND (NOT optional OR $include_optional)
        ),
        capacity AS (
            SELECT vehicle_class, median(capacity_units) AS median_units FROM plants
            WHERE status = 'operating' AND capacity_units IS NOT NULL GROUP BY 1
        ),
        demand AS (
            SELECT c.corridor_id, count(*) AS plants, count(p.capacity_units) AS plants_with_capacity,
                   sum(coalesce(p.capacity_units, k.median_units)) AS vehicles
            FROM plants p JOIN corridor_of c ON c.cve_ent = p.cve_ent AND c.municipality = coalesce(p.municipality, '')
            LEFT JOIN capacity k USING (vehicle_class)
            WHERE p.status = 'operating' GROUP BY 1
        ),
        member_supply AS (
            SELECT corridor_id, process_id, count(*) AS members, count_if(role = 'supplier') AS tier2_3,
                   count_if(iatf_16949) AS iatf
            FROM (SELECT c.corridor_id, unnest(m.processes) AS process_id, t.role, m.iatf_16949
                  FROM members m JOIN tiers t ON t.tier_id = m.tier
                  JOIN corridor_of c ON c.cve_ent = m.cve_ent AND c.municipality = coalesce(m.municipality, ''))
            GROUP BY 1, 2
        ),
        denue_supply AS (
            SELECT c.corridor_id, p.process_id, count(*) AS denue
            FROM denue_establishments d JOIN processes p ON p.scian_code = d.scian_code
            JOIN corridor_of c ON c.cve_ent = d.cve_ent AND c.municipality = coalesce(d.municipality, '')
            WHERE d.edition = (SELECT max(edition) FROM denue_editions) GROUP BY 1, 2
        )
        SELECT co.corridor_id, co.{NAME[lang]} AS corridor, s.process_id, pr.{NAME[lang]} AS process,
               coalesce(d.plants, 0) AS plants, coalesce(d.plants_with_capacity, 0) AS plants_with_capacity,
               coalesce(d.vehicles, 0) AS vehicles, round(s.share_pct, 2) AS share_pct,
               coalesce(d.vehicles, 0) * s.share_pct / 100 AS demand,
               coalesce(ms.members, 0) AS members, coalesce(ms.tier2_3, 0) AS tier2_3,
               CASE WHEN ms.members > 0 THEN round(100.0 * ms.iatf / ms.members, 1) END AS iatf_pct,
               coalesce(ds.denue, 0) AS denue,
               coalesce(ms.members, 0) + coalesce(ds.denue, 0) AS supply
        FROM corridors co CROSS JOIN shares s JOIN processes pr USING (process_id)
        LEFT JOIN demand d USING (corridor_id)
        LEFT JOIN member_supply ms ON ms.corridor_id = co.corridor_id AND ms.process_id = s.process_id
        LEFT JOIN denue_supply ds ON ds.corridor_id = co.corridor_id AND ds.process_id = s.process_id
        ORDER BY co.corridor_id, s.process_id
        """,
        {"include_optional": include_optional},
    )
    frame["per_100k"] = (frame["supply"] / frame["demand"] * PER).where(frame["demand"] > 0).round(1)
    cutoff = frame["per_100k"].quantile(THIN_SHARE)
    frame["thin"] = frame["per_100k"].le(cutoff) & frame["per_100k"].notna()
    return frame


def claim_ranks(gaps: pd.DataFrame, corridor_id: str, processes: tuple[str, ...]) -> dict[str, int]:
    """Where each named process ranks in a corridor by supply per demand (1 = thinnest of the corridor's processes)."""
    rows = gaps[(gaps["corridor_id"] == corridor_id) & gaps["per_100k"].notna()].sort_values("per_100k")
    order = list(rows["process_id"])
    return {p: order.index(p) + 1 for p in processes if p in order}
