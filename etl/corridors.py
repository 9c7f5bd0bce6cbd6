"""The corridor of every place the loaded rows name, computed once per build (`place_corridors`)."""

import duckdb

# A municipal corridor lists municipalities by name ("Saltillo" also matches "Saltillo (Derramadero)");
# a state-level corridor takes the whole state. A place lies in at most one corridor.
ASSIGN = """
INSERT INTO place_corridors
WITH places AS (
    SELECT cve_ent, coalesce(municipality, '') AS municipality FROM members
    UNION SELECT cve_ent, coalesce(municipality, '') FROM plants
    UNION SELECT cve_ent, coalesce(municipality, '') FROM denue_establishments
    UNION SELECT cve_ent, coalesce(municipality, '') FROM denue_totals
    UNION SELECT cve_ent, coalesce(municipality, '') FROM members_previous
), by_municipality AS (
    SELECT p.cve_ent, p.municipality, any_value(cm.corridor_id) AS corridor_id
    FROM places p JOIN corridor_municipalities cm ON cm.cve_ent = p.cve_ent
     AND (p.municipality = cm.name OR starts_with(p.municipality, cm.name || ' ('))
    GROUP BY ALL
), by_state AS (
    SELECT cs.cve_ent, any_value(cs.corridor_id) AS corridor_id, bool_and(cs.optional) AS optional
    FROM corridor_states cs JOIN corridors c USING (corridor_id) WHERE c.level = 'state' GROUP BY 1
)
SELECT p.cve_ent, p.municipality, coalesce(m.corridor_id, s.corridor_id),
       coalesce(m.corridor_id IS NULL AND s.optional, false)
FROM places p LEFT JOIN by_municipality m USING (cve_ent, municipality) LEFT JOIN by_state s USING (cve_ent)
"""


def assign(con: duckdb.DuckDBPyConnection) -> None:
    """Fill `place_corridors` from the members, plants and DENUE rows just loaded."""
    con.execute(ASSIGN)
