"""The monthly HR survey: validate a member-month file in DuckDB, then load it into `hr_survey`.

One row per member and month. A member is named by `member_id`, `clee` or its name as in the member file.
Every check is one set-based query over the staged rows; a later file's member-months replace an earlier
file's. With sample members and no survey file, a sample survey is generated (`source = 'sample'`).
"""

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from etl.reading import LINE, first, line_of, stage_file
from valuechain.problems import InputError, Problem

STAGE = "stg_hr"  # SQL text below splices only this name, the fixed column names and fixed rules
REFERENCES = ("member_id", "clee", "name")  # how a row may name its member (the first one given is used)
COUNTS = ("employees_start", "employees_end", "hires", "separations")  # required whole numbers >= 0
OPTIONAL = ("quits", "training_hours")
SAMPLE_MONTHS = 24
SAMPLE_LAST = (2026, 10)  # the sample survey's last month (fixed, so the sample is the same on every machine)
SAMPLE_SEED = 2027


def _norm(col: str) -> str:
    return f"nullif(trim({col}), '')"


def _quoted(col: str) -> str:
    return f"'''' || trim({col}) || ''''"


def _resolve(con: duckdb.DuckDBPyConnection, columns: set[str]) -> None:
    """Temp table hr_rows: the staged rows with their line, the reference they give, how many members it matches
    and the member (and its cluster); members are keyed once, so no staged row is grouped."""
    line = line_of(con, STAGE)
    given = [c for c in REFERENCES if c in columns]
    keys = {  # (the staged value, the member's value) compared for each kind of reference
        "member_id": (f"lower({_norm('s.member_id')})", "lower(trim(member_id))"),
        "clee": (_norm("s.clee"), "trim(clee)"),
        "name": (f"lower({_norm('s.name')})", "lower(trim(name))"),
    }
    joins = "".join(
        f" LEFT JOIN (SELECT {keys[c][1]} AS k, count(*) AS n, any_value(member_id) AS id, "
        f"any_value(cluster_id) AS cluster FROM members GROUP BY 1) k_{c} ON k_{c}.k = {keys[c][0]}"
        for c in given
    )

    def used(field: str) -> str:  # the first reference a row gives decides
        return "CASE " + " ".join(f"WHEN {_norm('s.' + c)} IS NOT NULL THEN k_{c}.{field}" for c in given) + " END"

    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE hr_rows AS
        SELECT s.*, {"s." + line if line == LINE else "s.rowid + 2"} AS _ln,
               coalesce({", ".join(_norm("s." + c) for c in given)}, '') AS _reference,
               coalesce({used("n")}, 0) AS _matches, {used("id")} AS _member, {used("cluster")} AS _cluster
        FROM {STAGE} s{joins}
        """
    )


def _rules(columns: set[str]) -> list[tuple[str, str, str]]:
    """(condition on a row `s` of hr_rows, column, reason as SQL) for every per-row rule."""
    reference = next(c for c in REFERENCES if c in columns)
    rules = [
        (
            "s._reference = ''",
            reference,
            "'no member named (give member_id, clee or the name as in the member file)'",
        ),
        ("s._reference <> '' AND s._matches = 0", reference, "'unknown member ''' || s._reference || ''''"),
        (
            "s._matches > 1",
            reference,
            "'the name ''' || s._reference || ''' matches ' || s._matches || ' members; give member_id'",
        ),
        (f"{_norm('s.period')} IS NULL", "period", "'value is required'"),
        (
            f"{_norm('s.period')} IS NOT NULL AND NOT regexp_full_match(trim(s.period), '[0-9]{{4}}-(0[1-9]|1[0-2])')",
            "period",
            f"{_quoted('s.period')} || ' is not a month YYYY-MM'",
        ),
        (
            "own.cluster_id IS NOT NULL AND s._matches = 1 AND s._cluster <> own.cluster_id",
            reference,
            "'a member of cluster ''' || s._cluster || ''': you load members of cluster ' || own.cluster_id || ' only'",
        ),
    ]
    for c in COUNTS + OPTIONAL:
        value = f"s.{c}"
        if c in COUNTS:
            rules.append((f"{_norm(value)} IS NULL", c, "'value is required'"))
        if c == "training_hours":
            cast, bad, what = (
                f"TRY_CAST(trim({value}) AS DOUBLE)",
                f"TRY_CAST(trim({value}) AS DOUBLE) IS NULL",
                "a number",
            )
        else:
            cast, bad, what = (
                f"TRY_CAST(trim({value}) AS BIGINT)",
                f"NOT regexp_full_match(trim({value}), '-?[0-9]+')",
                "a whole number",
            )
        rules.append((f"{_norm(value)} IS NOT NULL AND {bad}", c, f"{_quoted(value)} || ' is not {what}'"))
        rules.append((f"{cast} < 0", c, f"{_quoted(value)} || ' is negative'"))
    rules.append(
        (
            "TRY_CAST(trim(s.quits) AS BIGINT) > TRY_CAST(trim(s.separations) AS BIGINT)",
            "quits",
            "'quits ' || trim(s.quits) || ' exceed separations ' || trim(s.separations)",
        )
    )
    return rules


# A member-month given on two lines of one file, each line naming the other.
TWICE = (
    "SELECT _ln, 'period', 'member ''' || _member || ''' and month ' || period || ' are given twice (lines ' "
    "|| lines || ')' FROM (SELECT _ln, _member, trim(period) AS period, string_agg(_ln::VARCHAR, ', ' "
    "ORDER BY _ln) OVER (PARTITION BY _member, trim(period)) AS lines, count(*) OVER "
    "(PARTITION BY _member, trim(period)) AS n FROM hr_rows WHERE _matches = 1) WHERE n > 1"
)
ANY_TWICE = (
    "SELECT count(*) FROM (SELECT 1 FROM hr_rows WHERE _matches = 1 GROUP BY _member, trim(period) HAVING count(*) > 1)"
)


def validate(con: duckdb.DuckDBPyConnection, path: Path, own: str | None = None) -> int:
    """Stage and check an HR survey file against the loaded members; raise InputError with every problem; return
    the row count. `own`: a cluster administrator's cluster, whose file may name its own members only."""
    name = str(path)
    columns = set(stage_file(con, path, STAGE))
    missing = [Problem(name, 1, c, "required column is missing") for c in ("period", *COUNTS) if c not in columns]
    if not any(c in columns for c in REFERENCES):
        missing.insert(0, Problem(name, 1, "member_id", "required column is missing (or clee, or name)"))
    if missing:
        raise InputError(missing)
    for col in OPTIONAL:
        if col not in columns:
            con.execute(f"ALTER TABLE {STAGE} ADD COLUMN {col} VARCHAR")
    _resolve(con, columns)
    con.execute("CREATE OR REPLACE TEMP TABLE own_cluster AS SELECT CAST($own AS VARCHAR) AS cluster_id", {"own": own})
    rules = _rules(columns)
    broken = " + ".join(f"count_if(coalesce({cond}, false))" for cond, _, _ in rules)  # one pass over the rows
    if not first(con.execute(f"SELECT {broken} FROM hr_rows s, own_cluster own")) and not first(con.execute(ANY_TWICE)):
        return first(con.execute("SELECT count(*) FROM hr_rows"))
    checks = [
        f"SELECT s._ln, '{c}', {reason} FROM hr_rows s, own_cluster own WHERE {cond}" for cond, c, reason in rules
    ]
    union = " UNION ALL ".join([*checks, TWICE])
    found = con.execute(f"SELECT DISTINCT * FROM ({union}) ORDER BY 1, 2 LIMIT 51").fetchall()
    total = first(con.execute(f"SELECT count(*) FROM (SELECT DISTINCT * FROM ({union}))"))
    raise InputError([Problem(name, int(ln), col, reason) for ln, col, reason in found], total)


def insert(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[int, int]:
    """Load the validated rows (a member-month loaded from an earlier file is replaced); return (rows, member-months
    replaced)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE hr_new AS SELECT _member AS member_id, trim(period) AS period FROM hr_rows"
    )
    replaced = first(con.execute("SELECT count(*) FROM hr_survey h SEMI JOIN hr_new n USING (member_id, period)"))
    if replaced:
        con.execute("DELETE FROM hr_survey h USING hr_new n WHERE h.member_id = n.member_id AND h.period = n.period")
    con.execute(
        """
        INSERT INTO hr_survey
        SELECT _member, trim(period), TRY_CAST(trim(employees_start) AS BIGINT),
               TRY_CAST(trim(employees_end) AS BIGINT), TRY_CAST(trim(hires) AS BIGINT),
               TRY_CAST(trim(separations) AS BIGINT), TRY_CAST(trim(quits) AS BIGINT),
               TRY_CAST(trim(training_hours) AS DOUBLE), $source
        FROM hr_rows
        """,
        {"source": path.name},
    )
    return first(con.execute("SELECT count(*) FROM hr_rows")), replaced


def months(last: tuple[int, int] = SAMPLE_LAST, n: int = SAMPLE_MONTHS) -> list[str]:
    """The n months up to `last`, as YYYY-MM, oldest first."""
    year, month = last
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def generate_sample(con: duckdb.DuckDBPyConnection, seed: int = SAMPLE_SEED) -> pa.Table:
    """A made-up survey of every sample member for SAMPLE_MONTHS months (demonstration only, not an estimate):
    staff from the member's DENUE band midpoint, each firm with its own monthly hiring and separation rates."""
    rows = con.execute(
        "SELECT m.member_id, coalesce(d.employees_mid, 30) FROM members m "
        "LEFT JOIN denue_strata d ON d.per_ocu = m.employee_band WHERE m.source = 'sample' ORDER BY m.member_id"
    ).fetchall()
    rng = np.random.default_rng(seed)
    ids = np.array([r[0] for r in rows], dtype=object)
    staff = np.maximum(np.array([r[1] for r in rows], dtype=float), 1.0)
    n, periods = len(ids), months()
    separation_rate = rng.uniform(0.01, 0.06, size=n)  # invented spread of monthly rates, flagged sample
    hire_rate = separation_rate * rng.uniform(0.8, 1.25, size=n)
    quit_share = rng.uniform(0.4, 0.9, size=n)
    training = rng.uniform(0.5, 3.0, size=n)  # hours per employee per month
    out = {k: [] for k in ("member_id", "period", "start", "end", "hires", "separations", "quits", "training")}
    start = np.round(staff).astype(np.int64)
    for period in periods:
        separations = rng.poisson(separation_rate * start)
        separations = np.minimum(separations, start)
        hires = rng.poisson(hire_rate * np.maximum(start, 1))
        quits = rng.binomial(separations, quit_share)
        end = np.maximum(start + hires - separations, 0)
        for key, value in (
            ("member_id", ids),
            ("period", np.full(n, period, dtype=object)),
            ("start", start),
            ("end", end),
            ("hires", hires),
            ("separations", separations),
            ("quits", quits),
            ("training", np.round(training * (start + end) / 2, 1)),
        ):
            out[key].append(value)
        start = end
    return pa.table(
        {
            "member_id": pa.array(np.concatenate(out["member_id"]).astype(str)),
            "period": pa.array(np.concatenate(out["period"]).astype(str)),
            "employees_start": pa.array(np.concatenate(out["start"])),
            "employees_end": pa.array(np.concatenate(out["end"])),
            "hires": pa.array(np.concatenate(out["hires"])),
            "separations": pa.array(np.concatenate(out["separations"])),
            "quits": pa.array(np.concatenate(out["quits"])),
            "training_hours": pa.array(np.concatenate(out["training"])),
            "source": pa.array(np.full(sum(len(x) for x in out["member_id"]), "sample")),
        }
    )


def insert_sample(con: duckdb.DuckDBPyConnection) -> int:
    """Generate and load the sample survey; return its row count."""
    table = generate_sample(con)
    con.register("_sample_hr", table)
    con.execute("INSERT INTO hr_survey BY NAME SELECT * FROM _sample_hr")
    con.unregister("_sample_hr")
    return table.num_rows
