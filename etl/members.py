"""Member lists: validate a staged file in DuckDB, then insert it into `members`.

Every check runs as one set-based query over the staged rows, so a million rows
cost a few column scans, not a Python loop.
"""

from pathlib import Path

import duckdb

from etl.reading import first, line_of, stage_file
from valuechain.member_columns import BY_NAME, COLUMNS, NAMES, create_table_sql, required
from valuechain.problems import InputError, Problem, refuse

TRUE_WORDS = ("true", "yes", "y", "si", "sí", "1", "x")
FALSE_WORDS = ("false", "no", "n", "0")
# Mexico's extent from the shipped state boundaries, with a small margin (see data/geo).
LAT_RANGE = (14.4, 32.8)
LON_RANGE = (-118.5, -86.6)
STAGE = "stg_members"  # SQL text below splices only this name, declared columns and fixed rules
IGNORED: dict[str, list[str]] = {}  # the columns of each validated file that are not member columns


def create_table(con: duckdb.DuckDBPyConnection) -> None:
    """The members table, from the declared member columns (valuechain/member_columns.py)."""
    con.execute(create_table_sql())


def _lookup_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Small temp tables the checks join to: tier spellings, cluster names and process names (all from `tiers`,
    `clusters` and `processes`, compared in lower case without spaces)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE tier_names AS SELECT DISTINCT n AS spelling, tier_id AS tier FROM tiers, "
        "unnest([lower(replace(tier_id, ' ', '')), lower(replace(name_es, ' ', '')), lower(replace(name_en, ' ', ''))] "
        "|| string_split(spellings, ';')) AS t(n)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cluster_names AS SELECT DISTINCT lower(n) AS spelling, cluster_id FROM clusters, "
        "unnest([cluster_id, short_name, name, split_part(name, ',', 1), coalesce(acronym, cluster_id)]) AS t(n) "
        "WHERE kind = 'member'"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE process_names AS "
        "SELECT DISTINCT lower(n) AS spelling, process_id FROM processes, "
        "unnest([process_id, name_es, name_en, replace(process_id, '_', ' ')]) AS t(n)"
    )


def _norm(col: str) -> str:
    return f"nullif(trim({col}), '')"


def _quoted(col: str) -> str:
    """SQL for the trimmed value wrapped in single quotes, for messages."""
    return f"'''' || trim({col}) || ''''"


def _kind_rule(c: str, kind: str, values: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """The per-row rules of one column of a kind (the tier, cluster and process kinds are checked apart)."""
    if kind == "state_code":
        return [
            (
                f"{_norm(c)} IS NOT NULL AND NOT coalesce(regexp_full_match(trim({c}), '[0-9]{{1,2}}') "
                f"AND TRY_CAST(trim({c}) AS INTEGER) BETWEEN 1 AND 32, false)",
                c,
                f"{_quoted(c)} || ' is not a state code 01–32'",
            )
        ]
    if kind in ("latitude", "longitude"):
        lo, hi = LAT_RANGE if kind == "latitude" else LON_RANGE
        cast = f"TRY_CAST(trim({c}) AS DOUBLE)"
        return [
            (f"{_norm(c)} IS NOT NULL AND {cast} IS NULL", c, f"{_quoted(c)} || ' is not a number'"),
            (f"NOT {cast} BETWEEN {lo} AND {hi}", c, f"trim({c}) || ' is outside Mexico ({lo} to {hi})'"),
        ]
    if kind == "yes_no":
        words = ", ".join(f"'{w}'" for w in TRUE_WORDS + FALSE_WORDS)
        return [
            (
                f"{_norm(c)} IS NOT NULL AND lower(trim({c})) NOT IN ({words})",
                c,
                f"{_quoted(c)} || ' is not yes/no or true/false'",
            )
        ]
    if kind == "scian":
        return [
            (
                f"{_norm(c)} IS NOT NULL AND NOT regexp_full_match(trim({c}), '[0-9]{{6}}')",
                c,
                f"{_quoted(c)} || ' is not a 6-digit SCIAN class'",
            )
        ]
    if kind == "municipality_code":
        return [
            (
                f"{_norm(c)} IS NOT NULL AND NOT regexp_full_match(trim({c}), '[0-9]{{1,3}}')",
                c,
                f"{_quoted(c)} || ' is not a municipality code 001–999'",
            )
        ]
    if kind == "choice":
        listed = ", ".join(f"'{v}'" for v in values)
        return [
            (
                f"{_norm(c)} IS NOT NULL AND lower(trim({c})) NOT IN ({listed})",
                c,
                f"{_quoted(c)} || ' is not one of {', '.join(values)}'",
            )
        ]
    return []


def _row_rules(columns: set[str], cluster_fixed: bool, own: bool = False) -> list[tuple[str, str, str]]:
    """(condition on a staged row, column, reason as SQL) for every per-row rule; `own`: a `cluster_id` given must
    be the cluster in the temp table `own_cluster` (a cluster administrator's upload)."""
    rules = [(f"{_norm(c)} IS NULL", c, "'value is required'") for c in required(cluster_given=True)]
    rules.append(
        (
            f"{_norm('tier')} IS NOT NULL AND lower(replace(trim(tier), ' ', '')) NOT IN "
            "(SELECT spelling FROM tier_names)",
            "tier",
            f"'unknown tier ' || {_quoted('tier')} || ' (expected ' || (SELECT string_agg(tier_id, ', ' "
            "ORDER BY position) FROM tiers) || ')'",
        )
    )
    if not cluster_fixed:
        rules.append((f"{_norm('cluster_id')} IS NULL", "cluster_id", "'value is required'"))
        rules.append(
            (
                f"{_norm('cluster_id')} IS NOT NULL AND lower(trim(cluster_id)) NOT IN "
                "(SELECT spelling FROM cluster_names)",
                "cluster_id",
                f"'unknown cluster ' || {_quoted('cluster_id')} || ' (an id, short name or name; known: ' || "
                "(SELECT string_agg(cluster_id || ' = ' || short_name, ', ' ORDER BY cluster_id) FROM clusters "
                "WHERE kind = 'member') || ')'",
            )
        )
    if own and "cluster_id" in columns:  # checked even under a fixed cluster, which would overwrite it
        known = "" if cluster_fixed else " AND lower(trim(cluster_id)) IN (SELECT spelling FROM cluster_names)"
        rules.append(
            (
                f"{_norm('cluster_id')} IS NOT NULL AND lower(trim(cluster_id)) NOT IN (SELECT spelling FROM "
                f"cluster_names WHERE cluster_id = (SELECT cluster_id FROM own_cluster)){known}",
                "cluster_id",
                f"'a member of cluster ' || {_quoted('cluster_id')} || ': you load members of cluster ' || "
                "(SELECT cluster_id FROM own_cluster) || ' only'",
            )
        )
    for c in COLUMNS:
        rules += _kind_rule(c.name, c.kind, c.values)
    together = f"({_norm('lat')} IS NULL) <> ({_norm('lon')} IS NULL)"
    rules.append((together, "lon", "'latitude and longitude must be given together'"))
    return rules


def _duplicate_ids(line: str) -> str:
    return (
        f"SELECT line, 'member_id', 'duplicate id ''' || id || ''' (first on line ' || first || ')' FROM "
        f"(SELECT {line} AS line, trim(member_id) AS id, min({line}) OVER (PARTITION BY trim(member_id)) AS first "
        f"FROM {STAGE} WHERE trim(member_id) IN (SELECT trim(member_id) FROM {STAGE} GROUP BY 1 HAVING count(*) > 1)) "
        "WHERE line > first"
    )


def _unknown_processes(line: str) -> str:
    return (
        f"SELECT line, 'processes', 'unknown process ''' || p || ''' (see the processes table)' FROM "
        f"(SELECT {line} AS line, trim(unnest(regexp_split_to_array(processes, '[;|]'))) AS p FROM {STAGE} "
        f"WHERE {_norm('processes')} IS NOT NULL) WHERE p <> '' AND lower(p) NOT IN "
        "(SELECT spelling FROM process_names)"
    )


def _problem_queries(columns: set[str], rules: list[tuple[str, str, str]], line: str) -> list[str]:
    """Every rule as a SELECT of (line, column, reason) for the rows that break it; `line`: SQL for a row's line."""
    queries = [f"SELECT {line}, '{col}', {reason} FROM {STAGE} WHERE {cond}" for cond, col, reason in rules]
    if "member_id" in columns:
        queries.append(_duplicate_ids(line))
    if "processes" in columns:
        queries.append(_unknown_processes(line))
    return queries


def _any_problem(con: duckdb.DuckDBPyConnection, columns: set[str], rules: list[tuple[str, str, str]]) -> bool:
    """One pass over the rows, plus the two set rules: is anything wrong at all?"""
    broken = " + ".join(f"count_if(coalesce({cond}, false))" for cond, _, _ in rules)
    if first(con.execute(f"SELECT {broken} FROM {STAGE}")):
        return True
    if "member_id" in columns:
        ids = (
            f"SELECT 1 FROM {STAGE} WHERE {_norm('member_id')} IS NOT NULL GROUP BY trim(member_id) HAVING count(*) > 1"
        )
        if first(con.execute(f"SELECT count(*) FROM ({ids})")):
            return True
    if "processes" not in columns:
        return False
    unknown = (
        f"SELECT count(*) FROM (SELECT trim(unnest(regexp_split_to_array(processes, '[;|]'))) AS p "
        f"FROM (SELECT DISTINCT processes FROM {STAGE})) WHERE p <> '' AND lower(p) NOT IN "
        "(SELECT spelling FROM process_names)"
    )
    return first(con.execute(unknown)) > 0


def validate(con: duckdb.DuckDBPyConnection, path: Path, cluster: str | None = None, own: str | None = None) -> int:
    """Stage and check a member file; raise InputError with every problem; return the row count.

    `own`: the cluster id of a cluster administrator, whose file may hold members of that cluster only."""
    name = str(path)
    columns = set(stage_file(con, path, STAGE))
    missing = [c for c in required(cluster_given=bool(cluster)) if c not in columns]
    if missing:
        raise InputError([Problem(name, 1, c, "required column is missing") for c in missing])
    fixed = resolve_cluster(con, cluster) if cluster else None
    if cluster and fixed is None:
        raise refuse(name, f"unknown cluster '{cluster}' given with --cluster", line=0)
    if own and fixed and fixed != own:
        raise refuse(name, f"cluster '{cluster}' is not yours: you load members of cluster {own} only", line=0)
    con.execute("CREATE OR REPLACE TEMP TABLE own_cluster AS SELECT CAST($own AS VARCHAR) AS cluster_id", {"own": own})
    IGNORED[name] = sorted(c for c in columns if c not in BY_NAME)
    for col in NAMES:
        if col not in columns:
            con.execute(f"ALTER TABLE {STAGE} ADD COLUMN {col} VARCHAR")
    _lookup_tables(con)
    rules = _row_rules(columns, cluster is not None, own is not None)
    if not _any_problem(con, columns, rules):
        return first(con.execute(f"SELECT count(*) FROM {STAGE}"))
    union = " UNION ALL ".join(_problem_queries(columns, rules, line_of(con, STAGE)))
    found = con.execute(f"SELECT DISTINCT * FROM ({union}) ORDER BY 1, 2 LIMIT 51").fetchall()
    if found:
        total = first(con.execute(f"SELECT count(*) FROM (SELECT DISTINCT * FROM ({union}))"))
        raise InputError([Problem(name, int(ln), col, reason) for ln, col, reason in found], total)
    return first(con.execute(f"SELECT count(*) FROM {STAGE}"))


def clusters_in(con: duckdb.DuckDBPyConnection, path: Path, cluster: str | None) -> set[str]:
    """The clusters a kept member file holds rows of (its fixed cluster, else its `cluster_id` column)."""
    if cluster:
        return {resolve_cluster(con, cluster) or cluster}
    stage_file(con, path, STAGE)
    _lookup_tables(con)
    rows = con.execute(
        f"SELECT DISTINCT coalesce(cn.cluster_id, trim(s.cluster_id)) FROM {STAGE} s "
        "LEFT JOIN cluster_names cn ON cn.spelling = lower(trim(s.cluster_id))"
    ).fetchall()
    return {r[0] for r in rows if r[0]}


def check_unique_ids(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse ids that two loaded files share (each file is already unique on its own)."""
    clash = con.execute(
        "SELECT member_id, string_agg(DISTINCT source, ', ') FROM members GROUP BY 1 HAVING count(*) > 1 LIMIT 51"
    ).fetchall()
    if clash:
        raise InputError(
            [Problem(files, 0, "member_id", f"id '{mid}' appears in more than one file") for mid, files in clash]
        )


def resolve_cluster(con: duckdb.DuckDBPyConnection, text: str) -> str | None:
    """The member cluster an id, short name or name refers to (any case), or None."""
    _lookup_tables(con)
    return first(con.execute("SELECT cluster_id FROM cluster_names WHERE spelling = lower(trim($t))", {"t": text}))


def _stored(c: str, kind: str) -> str:
    """SQL for the value stored from the staged text of column `c` of a kind (staged row `s`)."""
    true_words = ", ".join(f"'{w}'" for w in TRUE_WORDS)
    return {
        "id": f"coalesce({_norm('s.' + c)}, $stem || '-' || (s.rowid + 2))",
        "cluster": "coalesce($cluster, cn.cluster_id)",
        "tier": "t.tier",
        "state_code": f"lpad(trim(s.{c}), 2, '0')",
        "municipality_code": f"lpad({_norm('s.' + c)}, 3, '0')",
        "choice": f"lower({_norm('s.' + c)})",
        "yes_no": f"CASE WHEN {_norm('s.' + c)} IS NULL THEN NULL ELSE lower(trim(s.{c})) IN ({true_words}) END",
        "processes": "coalesce(pl.ids, [])",
        "latitude": f"TRY_CAST(trim(s.{c}) AS DOUBLE)",
        "longitude": f"TRY_CAST(trim(s.{c}) AS DOUBLE)",
    }.get(kind, _norm("s." + c))


def insert(con: duckdb.DuckDBPyConnection, path: Path, cluster: str | None = None) -> int:
    """Insert the validated staged rows into `members`, by column name, with the file name as their source."""
    before = first(con.execute("SELECT count(*) FROM members"))
    values = ", ".join(f"{_stored(c.name, c.kind)} AS {c.name}" for c in COLUMNS)
    con.execute(
        f"""
        INSERT INTO members BY NAME
        SELECT {values}, $source AS source
        FROM {STAGE} s JOIN tier_names t ON t.spelling = lower(replace(trim(s.tier), ' ', ''))
        LEFT JOIN cluster_names cn ON cn.spelling = lower(trim(s.cluster_id))
        LEFT JOIN (
            SELECT raw, list_filter(list_transform(regexp_split_to_array(raw, '[;|]'),
                   lambda p: pm.lookup[lower(trim(p))]), lambda p: p IS NOT NULL) AS ids
            FROM (SELECT DISTINCT processes AS raw FROM {STAGE})
            CROSS JOIN (SELECT map_from_entries(list((spelling, process_id))) AS lookup FROM process_names) pm
        ) pl ON pl.raw = s.processes
        """,
        {"stem": path.stem, "cluster": resolve_cluster(con, cluster) if cluster else None, "source": path.name},
    )
    return first(con.execute("SELECT count(*) FROM members")) - before
