"""Cross-tabulations of members (firms or estimated employment) by two dimensions, with their margins, as a
viewer may see them: `python -m valuechain.tables --rows state --cols tier --as EMAIL`.

Long form, one line per cell and margin (row_id and/or col_id `_total`); `status` says whether a cell is
published or hidden by the threshold or dominance rule (primary) or to protect another cell (secondary);
`value` is empty unless published. `process` counts a firm once per process it lists; margins over
processes count each firm once. Employment is each member's staff band midpoint (DENUE strata).
"""

import sys

import duckdb
import pandas as pd

from valuechain import cli
from valuechain.catalog import CORRIDOR_OF, Filters, corridor_join, member_where
from valuechain.db import query
from valuechain.disclosure import TOTAL

HEADER = ["row_id", "row_name", "col_id", "col_name", "value", "status"]
MEASURES = ("firms", "employment")
# Each dimension: the member's key (a list for process), and its names (id -> name) in the reference data.
DIMS = {
    "state": ("m.cve_ent", "SELECT cve_ent, name_short FROM states"),
    "cluster": ("m.cluster_id", "SELECT cluster_id, short_name FROM clusters"),
    "corridor": (f"coalesce({CORRIDOR_OF}, 'none')", "SELECT corridor_id, name_en FROM corridors"),
    "tier": ("m.tier", "SELECT tier_id, name_en FROM tiers"),
    "process": ("m.processes", "SELECT process_id, name_en FROM processes"),
    "size": ("coalesce(m.employee_band, 'unknown')", "SELECT per_ocu, per_ocu FROM denue_strata"),
}


class TableError(ValueError):
    """A table that cannot be made (an unknown dimension or measure, the same dimension twice)."""


def cells(con: duckdb.DuckDBPyConnection, rows: str, cols: str, f: Filters = Filters()) -> pd.DataFrame:
    """Every cell and margin: row_id, col_id, firms, employment, and the two largest firms' employment."""
    if rows not in DIMS or cols not in DIMS:
        raise TableError(f"Unknown dimension '{rows if rows not in DIMS else cols}': use one of {', '.join(DIMS)}.")
    if rows == cols:
        raise TableError("Give two different dimensions for --rows and --cols.")
    where, params = member_where(f)
    firms = (
        f"SELECT m.member_id, {DIMS[rows][0]} AS r, {DIMS[cols][0]} AS c, s.employees_mid AS emp FROM members m "
        f"{corridor_join('m')} LEFT JOIN denue_strata s ON s.per_ocu = m.employee_band WHERE {where}"
    )
    parts = []
    for r_on, c_on in ((True, True), (True, False), (False, True), (False, False)):
        r = ("unnest(r)" if rows == "process" else "r") if r_on else f"'{TOTAL}'"
        c = ("unnest(c)" if cols == "process" else "c") if c_on else f"'{TOTAL}'"
        parts.append(f"SELECT DISTINCT member_id, emp, {r} AS row_id, {c} AS col_id FROM firms")
    found = query(
        con,
        f"WITH firms AS ({firms}) SELECT row_id, col_id, count(*) AS firms, coalesce(sum(emp), 0) AS employment, "
        "coalesce(max(emp), 0) AS largest, coalesce(list_sort(list(emp), 'DESC')[2], 0) AS second "
        f"FROM ({' UNION ALL '.join(parts)}) GROUP BY row_id, col_id",
        {**params, "include_optional": f.include_optional},
    )
    # every known row x column, zero where no firm is (absence is a figure too)
    row_ids = sorted((set(found["row_id"]) | set(_ids(con, rows))) - {TOTAL}) + [TOTAL]
    col_ids = sorted((set(found["col_id"]) | set(_ids(con, cols))) - {TOTAL}) + [TOTAL]
    grid = pd.MultiIndex.from_product([row_ids, col_ids], names=["row_id", "col_id"])
    return found.set_index(["row_id", "col_id"]).reindex(grid, fill_value=0).reset_index()


def _ids(con: duckdb.DuckDBPyConnection, dim: str) -> list[str]:
    return [r[0] for r in con.execute(DIMS[dim][1]).fetchall()]


def names(con: duckdb.DuckDBPyConnection, dim: str) -> dict[str, str]:
    """A dimension's ids and names (the margin named 'Total')."""
    return dict(con.execute(DIMS[dim][1]).fetchall()) | {TOTAL: "Total", "none": "Outside every corridor"}


def main(argv: list[str] | None = None) -> int:
    parser = cli.command_parser("python -m valuechain.tables", __doc__)
    parser.add_argument("--rows", required=True, help=f"one of {', '.join(DIMS)}")
    parser.add_argument("--cols", required=True, help=f"one of {', '.join(DIMS)}")
    parser.add_argument("--measure", default="firms", help="firms (default) or employment")
    args = cli.parse(parser, argv)
    if isinstance(args, int):
        return args
    from valuechain import visible

    frame = cli.read(
        args,
        lambda con, viewer, f: visible.cross_table(con, viewer, args.rows, args.cols, args.measure, f),
        (TableError, visible.TableError),  # run as __main__: two classes
    )
    if isinstance(frame, int):
        return frame
    frame["value"] = frame["value"].map(lambda v: "" if pd.isna(v) else f"{v:g}")
    return cli.print_csv(frame[HEADER])


if __name__ == "__main__":
    sys.exit(main())
