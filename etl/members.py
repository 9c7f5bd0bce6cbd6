"""Member lists: validate a staged file in DuckDB, then insert it into `members`.

Every check runs as one set-based query over the staged rows, so a million rows
cost a few column scans, not a Python loop.
"""

from pathlib import Path

import duckdb

from etl.problems import InputError, Problem, refuse
from etl.reading import stage_file

REQUIRED = ("name", "tier", "cve_ent")
OPTIONAL = (
    "member_id",
    "cluster_id",
    "municipality",
    "cve_mun",
    "scian_code",
    "employee_band",
    "iatf_16949",
    "processes",
    "lat",
    "lon",
)
TIERS = {
    "oem": "OEM",
    "tier1": "Tier 1",
    "t1": "Tier 1",
    "tier2": "Tier 2",
    "t2": "Tier 2",
    "tier3": "Tier 3",
    "t3": "Tier 3",
    "university": "University",
    "universidad": "University",
    "government": "Government",
    "gobierno": "Government",
    "services": "Services",
    "servicios": "Services",
}
TRUE_WORDS = ("true", "yes", "y", "si", "sí", "1", "x")
FALSE_WORDS = ("false", "no", "n", "0")
# Mexico's extent from the shipped state boundaries, with a small margin (see data/geo).
LAT_RANGE = (14.4, 32.8)
LON_RANGE = (-118.5, -86.6)
STAGE = "stg_members"


def _lookup_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Small temp tables the checks join to: tier spellings and process names."""
    con.execute("CREATE OR REPLACE TEMP TABLE tier_names (spelling VARCHAR, tier VARCHAR)")
    con.executemany("INSERT INTO tier_names VALUES (?, ?)", list(TIERS.items()))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE process_names AS "
        "SELECT DISTINCT lower(n) AS spelling, process_id FROM processes, "
        "unnest([process_id, name_es, name_en, replace(process_id, '_', ' ')]) AS t(n)"
    )


def _norm(col: str) -> str:
    return f"nullif(trim({col}), '')"


def _checks(columns: set[str], cluster_fixed: bool) -> list[str]:
    """One SELECT per rule, each yielding (line, col, reason) for the rows that break it."""
    line = "rowid + 2"
    checks = []
    for col in REQUIRED + (() if cluster_fixed else ("cluster_id",)):
        checks.append(f"SELECT {line}, '{col}', 'value is required' FROM {STAGE} WHERE {_norm(col)} IS NULL")
    checks.append(
        f"SELECT {line}, 'tier', 'unknown tier ''' || trim(tier) || ''' (expected OEM, Tier 1, Tier 2, Tier 3, "
        f"University, Government or Services)' FROM {STAGE} "
        f"WHERE {_norm('tier')} IS NOT NULL AND lower(replace(trim(tier), ' ', '')) NOT IN "
        "(SELECT spelling FROM tier_names)"
    )
    if not cluster_fixed:
        checks.append(
            f"SELECT {line}, 'cluster_id', 'unknown cluster ''' || trim(cluster_id) || ''' (known: ' || "
            "(SELECT string_agg(cluster_id, ', ' ORDER BY cluster_id) FROM clusters WHERE kind = 'member') || ')' "
            f"FROM {STAGE} WHERE {_norm('cluster_id')} IS NOT NULL AND lower(trim(cluster_id)) NOT IN "
            "(SELECT cluster_id FROM clusters WHERE kind = 'member')"
        )
    checks.append(
        f"SELECT {line}, 'cve_ent', '''' || trim(cve_ent) || ''' is not a state code 01–32' FROM {STAGE} "
        f"WHERE {_norm('cve_ent')} IS NOT NULL AND NOT coalesce(regexp_full_match(trim(cve_ent), '[0-9]{{1,2}}') "
        "AND trim(cve_ent)::INTEGER BETWEEN 1 AND 32, false)"
    )
    if "member_id" in columns:
        checks.append(
            f"SELECT line, 'member_id', 'duplicate id ''' || id || ''' (first on line ' || first || ')' FROM "
            f"(SELECT {line} AS line, trim(member_id) AS id, min({line}) OVER (PARTITION BY trim(member_id)) AS first "
            f"FROM {STAGE} WHERE {_norm('member_id')} IS NOT NULL) WHERE line > first"
        )
    for col, (lo, hi) in (("lat", LAT_RANGE), ("lon", LON_RANGE)):
        if col not in columns:
            continue
        checks.append(
            f"SELECT {line}, '{col}', '''' || trim({col}) || ''' is not a number' FROM {STAGE} "
            f"WHERE {_norm(col)} IS NOT NULL AND TRY_CAST(trim({col}) AS DOUBLE) IS NULL"
        )
        checks.append(
            f"SELECT {line}, '{col}', trim({col}) || ' is outside Mexico ({lo} to {hi})' FROM {STAGE} "
            f"WHERE NOT TRY_CAST(trim({col}) AS DOUBLE) BETWEEN {lo} AND {hi}"
        )
    if {"lat", "lon"} <= columns:
        checks.append(
            f"SELECT {line}, 'lon', 'latitude and longitude must be given together' FROM {STAGE} "
            f"WHERE ({_norm('lat')} IS NULL) <> ({_norm('lon')} IS NULL)"
        )
    if "iatf_16949" in columns:
        words = ", ".join(f"'{w}'" for w in TRUE_WORDS + FALSE_WORDS)
        checks.append(
            f"SELECT {line}, 'iatf_16949', '''' || trim(iatf_16949) || ''' is not yes/no or true/false' "
            f"FROM {STAGE} WHERE {_norm('iatf_16949')} IS NOT NULL AND lower(trim(iatf_16949)) NOT IN ({words})"
        )
    if "scian_code" in columns:
        checks.append(
            f"SELECT {line}, 'scian_code', '''' || trim(scian_code) || ''' is not a 6-digit SCIAN class' "
            f"FROM {STAGE} WHERE {_norm('scian_code')} IS NOT NULL "
            "AND NOT regexp_full_match(trim(scian_code), '[0-9]{6}')"
        )
    if "cve_mun" in columns:
        checks.append(
            f"SELECT {line}, 'cve_mun', '''' || trim(cve_mun) || ''' is not a municipality code 001–999' "
            f"FROM {STAGE} WHERE {_norm('cve_mun')} IS NOT NULL "
            "AND NOT regexp_full_match(trim(cve_mun), '[0-9]{1,3}')"
        )
    if "processes" in columns:
        checks.append(
            f"SELECT line, 'processes', 'unknown process ''' || p || ''' (see the processes table)' FROM "
            f"(SELECT {line} AS line, trim(unnest(regexp_split_to_array(processes, '[;|]'))) AS p FROM {STAGE} "
            f"WHERE {_norm('processes')} IS NOT NULL) WHERE p <> '' AND lower(p) NOT IN "
            "(SELECT spelling FROM process_names)"
        )
    return checks


def validate(con: duckdb.DuckDBPyConnection, path: Path, cluster: str | None = None) -> int:
    """Stage and check a member file; raise InputError with every problem; return the row count."""
    name = str(path)
    columns = set(stage_file(con, path, STAGE))
    missing = [c for c in REQUIRED + (() if cluster else ("cluster_id",)) if c not in columns]
    if missing:
        raise InputError([Problem(name, 1, c, "required column is missing") for c in missing])
    if cluster and cluster not in member_clusters(con):
        raise refuse(name, f"unknown cluster '{cluster}' given with --cluster", line=0)
    for col in OPTIONAL:
        if col not in columns:
            con.execute(f"ALTER TABLE {STAGE} ADD COLUMN {col} VARCHAR")
    _lookup_tables(con)
    union = " UNION ALL ".join(_checks(columns, cluster is not None))
    found = con.execute(f"SELECT * FROM ({union}) ORDER BY 1, 2 LIMIT 51").fetchall()
    if found:
        total = con.execute(f"SELECT count(*) FROM ({union})").fetchone()[0]
        raise InputError([Problem(name, int(ln), col, reason) for ln, col, reason in found], total)
    return con.execute(f"SELECT count(*) FROM {STAGE}").fetchone()[0]


def member_clusters(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Ids of the REDCAM member clusters."""
    return [r[0] for r in con.execute("SELECT cluster_id FROM clusters WHERE kind = 'member'").fetchall()]


def insert(con: duckdb.DuckDBPyConnection, path: Path, cluster: str | None = None) -> int:
    """Insert the validated staged rows into `members`, with the file name as their source."""
    true_words = ", ".join(f"'{w}'" for w in TRUE_WORDS)
    before = con.execute("SELECT count(*) FROM members").fetchone()[0]
    con.execute(
        f"""
        INSERT INTO members
        SELECT coalesce({_norm("s.member_id")}, $stem || '-' || (s.rowid + 2)),
               trim(s.name),
               coalesce($cluster, lower(trim(s.cluster_id))),
               t.tier,
               lpad(trim(s.cve_ent), 2, '0'),
               lpad({_norm("s.cve_mun")}, 3, '0'),
               {_norm("s.municipality")},
               {_norm("s.scian_code")},
               {_norm("s.employee_band")},
               CASE WHEN {_norm("s.iatf_16949")} IS NULL THEN NULL
                    ELSE lower(trim(s.iatf_16949)) IN ({true_words}) END,
               coalesce(list_filter(list_transform(regexp_split_to_array(s.processes, '[;|]'),
                        lambda p: pm.lookup[lower(trim(p))]), lambda p: p IS NOT NULL), []),
               TRY_CAST(trim(s.lat) AS DOUBLE),
               TRY_CAST(trim(s.lon) AS DOUBLE),
               $source
        FROM {STAGE} s JOIN tier_names t ON t.spelling = lower(replace(trim(s.tier), ' ', ''))
        CROSS JOIN (SELECT map_from_entries(list((spelling, process_id))) AS lookup FROM process_names) pm
        """,
        {"stem": path.stem, "cluster": cluster, "source": path.name},
    )
    return con.execute("SELECT count(*) FROM members").fetchone()[0] - before
