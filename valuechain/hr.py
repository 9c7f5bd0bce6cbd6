"""HR statistics from the members' monthly survey: turnover, quits, hires and training, pooled over firms as
statistical agencies compute them (the BLS JOLTS definitions), by group, with disclosure control.

`python -m valuechain.hr --by cluster --period 2026-Q3 [--as EMAIL] [filters]` prints what that user may see.

For a group and a month: average employment = sum over its firms of (start + end) / 2, and a rate is the month's
sum of separations (quits, hires) over it, x 100; training hours per employee = sum of hours over it. For a
quarter or a year, average employment is the mean of the monthly averages over the months with data, and a rate
is the period's sum over that mean (a cumulative rate for the period, not a mean of monthly rates). Quits and
training hours are pooled over the firms that report them. Beside each pooled rate: the median of the firms'
own rates.
"""

import re
import sys

import duckdb
import numpy as np
import pandas as pd

from valuechain import cli, disclosure
from valuechain.catalog import CORRIDOR_OF, Filters, corridor_join, member_where
from valuechain.db import query
from valuechain.disclosure import PRIMARY, PUBLISHED, TOTAL, Shape
from valuechain.i18n import ByDataLang, t

LEVELS = ("cluster", "corridor", "state", "tier", "size")
MEASURES = ("turnover_pct", "quits_pct", "hires_pct")  # what the lines, the heat map and the ranking show
NONE = "_none"  # the group of firms without a value (no corridor, no size band)
HEADER = [
    "group_id",
    "group_name",
    "period",
    "firms",
    "employees_avg",
    "separations",
    "quits",
    "hires",
    "turnover_pct",
    "quits_pct",
    "hires_pct",
    "training_hours_per_employee",
    "status",
]
FIGURES = HEADER[3:-1]  # emptied for a group that is not published
MEDIANS = ["turnover_median_pct", "quits_median_pct", "hires_median_pct"]
# Each level: the member's group id, and (id, name) in a language from the reference data.
GROUPS = {
    "cluster": ("m.cluster_id", "SELECT cluster_id, short_name, short_name FROM clusters"),
    "corridor": (f"coalesce({CORRIDOR_OF}, '{NONE}')", "SELECT corridor_id, name_es, name_en FROM corridors"),
    "state": ("m.cve_ent", "SELECT cve_ent, name_short, name_short FROM states"),
    "tier": ("m.tier", "SELECT tier_id, name_es, name_en FROM tiers"),
    "size": (f"coalesce(m.employee_band, '{NONE}')", "SELECT per_ocu, per_ocu, per_ocu FROM denue_strata"),
}


class HrError(ValueError):
    """A question the statistics cannot answer (an unknown level or period)."""


def months_of(period: str) -> list[str]:
    """The months of a period: YYYY-MM, a quarter YYYY-Qn or a year YYYY."""
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        return [period]
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        first = (int(m[2]) - 1) * 3 + 1
        return [f"{m[1]}-{k:02d}" for k in range(first, first + 3)]
    if re.fullmatch(r"\d{4}", period):
        return [f"{period}-{k:02d}" for k in range(1, 13)]
    raise HrError(f"Unknown period '{period}': give a month YYYY-MM, a quarter YYYY-Qn or a year YYYY.")


def periods(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The months the survey holds, oldest first."""
    return list(query(con, "SELECT DISTINCT period FROM hr_survey ORDER BY 1")["period"])


def is_sample(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the survey is the generated sample."""
    return bool(query(con, "SELECT count(*) AS n FROM hr_survey WHERE source = 'sample'")["n"].iloc[0])


def choices(months: list[str]) -> list[str]:
    """The periods a user may pick, newest first: years, quarters and months that hold data."""
    years = sorted({m[:4] for m in months}, reverse=True)
    quarters = sorted({f"{m[:4]}-Q{(int(m[5:]) - 1) // 3 + 1}" for m in months}, reverse=True)
    return [*quarters, *years, *sorted(months, reverse=True)]


def _rows(by: str, f: Filters) -> tuple[str, dict]:
    """SQL for the survey rows of the filtered members in the asked months, with each firm's group and average
    employment in the month; and its parameters."""
    if by not in GROUPS:
        raise HrError(f"Unknown level '{by}': use one of {', '.join(LEVELS)}.")
    where, params = member_where(f)
    sql = (
        f"SELECT h.*, {GROUPS[by][0]} AS group_id, (h.employees_start + h.employees_end) / 2.0 AS emp "
        f"FROM hr_survey h JOIN members m ON m.member_id = h.member_id {corridor_join('m')} "
        f"WHERE {where} AND h.period IN (SELECT unnest($months))"
    )
    return sql, {**params, "include_optional": f.include_optional}


def _pooled(keys: str) -> str:
    """SQL: the pooled figures per `keys` (group_id, or group_id and period) from `rows`, with the firms' medians
    and the two largest firms' employment (for the dominance rule)."""
    return f"""
    firm AS (
        SELECT {keys}, member_id, avg(emp) AS emp, sum(separations) AS separations, sum(quits) AS quits,
               sum(hires) AS hires, avg(emp) FILTER (WHERE quits IS NOT NULL) AS emp_q
        FROM rows GROUP BY ALL
    ),
    monthly AS (
        SELECT {keys}, period, sum(emp) AS emp, sum(emp) FILTER (WHERE quits IS NOT NULL) AS emp_q,
               sum(emp) FILTER (WHERE training_hours IS NOT NULL) AS emp_t
        FROM rows GROUP BY ALL
    ),
    sums AS (
        SELECT {keys}, count(DISTINCT member_id) AS firms, sum(separations) AS separations, sum(quits) AS quits,
               sum(hires) AS hires, sum(training_hours) AS training_hours
        FROM rows GROUP BY ALL
    ),
    averages AS (
        SELECT {keys}, avg(emp) AS employees_avg, avg(emp_q) AS emp_q, avg(emp_t) AS emp_t
        FROM monthly GROUP BY ALL
    ),
    medians AS (
        SELECT {keys},
               median(separations / nullif(emp, 0) * 100) AS turnover_median_pct,
               median(quits / nullif(emp_q, 0) * 100) AS quits_median_pct,
               median(hires / nullif(emp, 0) * 100) AS hires_median_pct,
               max(emp) AS largest, coalesce(list_sort(list(emp), 'DESC')[2], 0) AS second, sum(emp) AS firm_emp
        FROM firm GROUP BY ALL
    )
    SELECT {keys}, s.firms, a.employees_avg, s.separations, s.quits, s.hires,
           s.separations / nullif(a.employees_avg, 0) * 100 AS turnover_pct,
           s.quits / nullif(a.emp_q, 0) * 100 AS quits_pct,
           s.hires / nullif(a.employees_avg, 0) * 100 AS hires_pct,
           s.training_hours / nullif(a.emp_t, 0) AS training_hours_per_employee,
           md.turnover_median_pct, md.quits_median_pct, md.hires_median_pct, md.largest, md.second, md.firm_emp
    FROM sums s JOIN averages a USING ({keys}) JOIN medians md USING ({keys})
    """


def _names(con: duckdb.DuckDBPyConnection, by: str, lang: str) -> dict[str, str]:
    es_en = {r[0]: (r[1], r[2]) for r in con.execute(GROUPS[by][1]).fetchall()}
    names = {k: ByDataLang(es=v[0], en=v[1])[lang] for k, v in es_en.items()}
    return names | {NONE: t("hr_no_group", lang), TOTAL: t("hr_total", lang)}


def figures(
    con: duckdb.DuckDBPyConnection, by: str, months: list[str], f: Filters = Filters(), lang: str = "en", monthly=False
) -> pd.DataFrame:
    """Every group's figures over `months` (one row per group, or per group and month when `monthly`), and the
    whole selection's as group `_total`; with the firms' medians and what the disclosure rules need."""
    rows, params = _rows(by, f)
    keys = "group_id, period" if monthly else "group_id"
    total = rows.replace(f"{GROUPS[by][0]} AS group_id", f"'{TOTAL}' AS group_id")
    frames = [
        query(con, f"WITH rows AS ({sql}), {_pooled(keys)}", {**params, "months": months}) for sql in (rows, total)
    ]
    out = pd.concat([frame for frame in frames if not frame.empty] or frames[:1], ignore_index=True)
    names = _names(con, by, lang)
    out.insert(1, "group_name", out["group_id"].map(lambda g: names.get(g, g)))
    if not monthly:
        out.insert(2, "period", "")
    order = out.assign(_last=out["group_id"].eq(TOTAL)).sort_values(["period", "_last", "group_name"])
    return order.drop(columns="_last").reset_index(drop=True)


def firms(con: duckdb.DuckDBPyConnection, by: str, months: list[str], f: Filters = Filters(), lang: str = "en"):
    """Each firm's own rates over `months` beside its group's median (for network staff)."""
    rows, params = _rows(by, f)
    frame = query(
        con,
        f"""
        WITH rows AS ({rows}),
        firm AS (
            SELECT group_id, member_id, sum(separations) / nullif(avg(emp), 0) * 100 AS turnover_pct,
                   sum(quits) / nullif(avg(emp) FILTER (WHERE quits IS NOT NULL), 0) * 100 AS quits_pct,
                   sum(hires) / nullif(avg(emp), 0) * 100 AS hires_pct, avg(emp) AS employees_avg
            FROM rows GROUP BY ALL
        )
        SELECT f.group_id, m.name, f.member_id, f.employees_avg, f.turnover_pct,
               median(f.turnover_pct) OVER (PARTITION BY f.group_id) AS group_median_pct,
               f.turnover_pct - median(f.turnover_pct) OVER (PARTITION BY f.group_id) AS vs_median_pts,
               f.quits_pct, f.hires_pct
        FROM firm f JOIN members m USING (member_id) ORDER BY f.group_id, f.turnover_pct DESC
        """,
        {**params, "months": months},
    )
    names = _names(con, by, lang)
    frame.insert(1, "group_name", frame["group_id"].map(lambda g: names.get(g, g)))
    return frame


def statuses(frame: pd.DataFrame, shown: pd.Series | None = None) -> pd.Series:
    """Each group's status in one period's table (groups and the total): primary when fewer than 3 firms report
    or the p% rule flags the employment sum; then secondary, until no hidden group's firm count or employment
    can be narrowed from the published groups and the total. `shown`: groups the viewer may see in full."""
    frame = frame.reset_index(drop=True)
    exempt = shown.reset_index(drop=True) if shown is not None else pd.Series(False, index=frame.index)
    primary = (
        disclosure.threshold_unsafe(frame["firms"])
        | disclosure.dominance_unsafe(frame["firm_emp"], frame["largest"], frame["second"])
    ) & ~exempt
    shape = Shape(margins_shown=False)  # the total is the selection's own figure: hidden only when itself unsafe
    worst = pd.Series(PUBLISHED, index=frame.index, dtype=object)
    for value, need in ((frame["firms"], disclosure.count_need), (frame["employees_avg"], disclosure.sum_need)):
        cells = pd.DataFrame(
            {"row": frame["group_id"], "col": "all", "value": value, "primary": primary, "need": need(value)}
        )
        worst = disclosure.protect(cells, shape, hidden=worst != PUBLISHED)  # employment starts where counts left
    worst[primary] = PRIMARY
    return worst


def protected(frame: pd.DataFrame, everything: bool, shown: pd.Series | None = None) -> pd.DataFrame:
    """The groups with their status (per period when the frame is monthly); figures emptied unless published."""
    out = frame.copy()
    if everything:
        out["status"] = PUBLISHED
        return out
    out["status"] = PUBLISHED
    for _, part in out.groupby("period", sort=False):
        mask = shown.loc[part.index] if shown is not None else None
        out.loc[part.index, "status"] = statuses(part, mask).to_numpy()
    hidden = out["status"] != PUBLISHED
    out.loc[hidden, FIGURES + MEDIANS] = np.nan
    return out


def csv_frame(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    """The command line's columns: rates to 2 decimals, figures empty unless published."""
    out = frame.assign(period=period)[HEADER].copy()
    for c in ("turnover_pct", "quits_pct", "hires_pct", "training_hours_per_employee", "employees_avg"):
        out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    for c in ("firms", "separations", "quits", "hires"):
        out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v:.0f}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = cli.command_parser("python -m valuechain.hr", __doc__)
    parser.add_argument("--by", required=True, help=f"one of {', '.join(LEVELS)}")
    parser.add_argument("--period", required=True, help="YYYY-MM, YYYY-Qn or YYYY")
    args = cli.parse(parser, argv)
    if isinstance(args, int):
        return args
    from valuechain import visible

    frame = cli.read(
        args,
        lambda con, viewer, f: visible.hr_table(con, viewer, args.by, args.period, f, "en"),
        (HrError, visible.HrError),  # run as __main__: two classes
    )
    if isinstance(frame, int):
        return frame
    return cli.print_csv(csv_frame(frame, args.period))


if __name__ == "__main__":
    sys.exit(main())
