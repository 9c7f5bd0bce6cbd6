"""Statistical disclosure control for published tables (ESSnet handbook on SDC, ch. 4), parameters in one place.

Primary suppression: the threshold rule (a cell of fewer than MIN_FIRMS firms, zero included) and, for sums,
the p% dominance rule (unsafe when X - x1 - x2 < p/100 * x1). Secondary suppression: more cells are hidden
until the attacker's linear program (published cells and margins as equalities, every value >= 0) cannot
bound any primary cell below its protection level: MIN_FIRMS for a count, X * (1 + p/100) for a sum.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

MIN_FIRMS = 3  # threshold rule (n = 3)
P_PERCENT = 10.0  # p% dominance rule for sums (p = 10)
TOTAL = "_total"  # the id of a margin's row or column
PUBLISHED, PRIMARY, SECONDARY = "published", "primary", "secondary"
_EPS = 1e-6


@dataclass(frozen=True)
class Shape:
    """How a table's cells add up: whether rows (columns) add up to the column (row) margins. A dimension where
    one firm may count in several cells (processes) does not add up: each cell is then at most its margin."""

    rows_add: bool = True
    cols_add: bool = True
    margins_shown: bool = True  # False: the margins are known from elsewhere and stay published


def threshold_unsafe(firms: pd.Series) -> pd.Series:
    """Cells of fewer than MIN_FIRMS firms (zero included: absence is not published either)."""
    return pd.to_numeric(firms, errors="coerce").fillna(0) < MIN_FIRMS


def dominance_unsafe(total: pd.Series, largest: pd.Series, second: pd.Series, p: float = P_PERCENT) -> pd.Series:
    """The p% rule: the second largest contributor could estimate the largest within p% (X - x1 - x2 < p/100 x1)."""
    return (total - largest - second) < p / 100 * largest


def count_need(values: pd.Series) -> pd.Series:
    """The bound an attacker must not get below, for a cell of firm counts."""
    return pd.Series(float(MIN_FIRMS), index=values.index)


def sum_need(values: pd.Series) -> pd.Series:
    """The bound an attacker must not get below, for a sum (employment): p% above the value, at least one more."""
    v = pd.to_numeric(values, errors="coerce").fillna(0).astype(float)
    return np.maximum(v * (1 + P_PERCENT / 100), v + 1)


def _equations(cells: pd.DataFrame, shape: Shape) -> tuple[list, list, list, list]:
    """The table's relations as rows of A_eq (sums) and A_ub (a cell at most its margin) over the cells."""
    where = {(r, c): i for i, (r, c) in enumerate(zip(cells["row"], cells["col"], strict=True))}
    eq, ub = [], []
    for line_of, other_of, adds in ((0, 1, shape.cols_add), (1, 0, shape.rows_add)):
        lines: dict = {}
        for key, i in where.items():
            if key[other_of] != TOTAL:
                lines.setdefault(key[line_of], []).append(i)
        for line, members in lines.items():
            margin = where.get((line, TOTAL) if line_of == 0 else (TOTAL, line))
            if margin is None:
                continue
            if adds:
                eq.append({**{i: 1.0 for i in members}, margin: -1.0})
            else:
                ub.extend({i: 1.0, margin: -1.0} for i in members)
    return eq, [0.0] * len(eq), ub, [0.0] * len(ub)


def _matrix(rows: list[dict], n: int) -> csr_matrix | None:
    """The relations as a sparse matrix, built once per table (linprog would convert a dense one per solve)."""
    if not rows:
        return None
    entries = [(k, i, v) for k, row in enumerate(rows) for i, v in row.items()]
    k, i, v = zip(*entries, strict=True)
    return csr_matrix((v, (k, i)), shape=(len(rows), n))


def highest(relations: tuple, values: np.ndarray, hidden: np.ndarray, i: int) -> float:
    """The highest value of cell i an attacker can prove from the published cells (fixed at their values) and
    the table's `relations` (from _equations); inf where unbounded."""
    a_eq, b_eq, a_ub, b_ub = relations
    bounds = [(0, None) if h else (v, v) for h, v in zip(hidden, values, strict=True)]
    c = np.zeros(len(values))
    c[i] = -1.0
    res = linprog(c, A_ub=a_ub, b_ub=b_ub or None, A_eq=a_eq, b_eq=b_eq or None, bounds=bounds, method="highs")
    return -res.fun if res.status == 0 else np.inf


def protect(cells: pd.DataFrame, shape: Shape = Shape(), hidden: pd.Series | None = None) -> pd.Series:
    """Each cell's status (published, primary, secondary) for a table in long form: columns row, col, value,
    primary (bool) and need (the bound the attacker must not get below); margins have row or col TOTAL.
    `hidden`: cells already hidden as secondary (for another measure of the same table)."""
    cells = cells.reset_index(drop=True)
    status = pd.Series(np.where(cells["primary"], PRIMARY, PUBLISHED), index=cells.index, dtype=object)
    if hidden is not None:
        status[hidden.to_numpy() & ~cells["primary"].to_numpy()] = SECONDARY
    if not cells["primary"].any():
        return status
    values = pd.to_numeric(cells["value"], errors="coerce").fillna(0).astype(float)
    margin = (cells["row"] == TOTAL) | ((cells["col"] == TOTAL) & (cells["col"] != TOTAL).any())  # 1-D: no columns
    grand = (cells["row"] == TOTAL) & (cells["col"] == TOTAL)
    eligible = ~grand & (shape.margins_shown | ~margin)
    eq, b_eq, ub, b_ub = _equations(cells, shape)
    relations = (_matrix(eq, len(cells)), b_eq, _matrix(ub, len(cells)), b_ub)
    numbers = values.to_numpy()
    for i in cells.index[cells["primary"]]:  # hiding more only widens the others' bounds: one pass suffices
        while highest(relations, numbers, (status != PUBLISHED).to_numpy(), i) < cells.at[i, "need"] - _EPS:
            pick = _partner(cells, values, status, eligible, i)
            if pick is None:  # nothing left that helps: hide the whole table
                status[status == PUBLISHED] = SECONDARY
                return status
            status[pick] = SECONDARY
    return status


def _partner(cells: pd.DataFrame, values: pd.Series, status: pd.Series, eligible: pd.Series, i: int) -> int | None:
    """The published cell to hide next for cell i (the hypercube idea: a hidden cell can only move if cells on
    its lines move back): first one closing a rectangle of hidden cells, then one on i's line with fewer hidden
    cells, then on its other line, then any; within each, the smallest value that is not zero."""
    open_ = (status == PUBLISHED) & eligible
    hidden = status != PUBLISHED
    in_row, in_col = cells["row"] == cells.at[i, "row"], cells["col"] == cells.at[i, "col"]
    corner = cells["row"].isin(set(cells.loc[hidden, "row"])) & cells["col"].isin(set(cells.loc[hidden, "col"]))
    lines = (in_row, in_col) if (hidden & in_row).sum() <= (hidden & in_col).sum() else (in_col, in_row)
    for scope in (corner, *lines, pd.Series(True, index=cells.index)):
        for useful in (values > 0, pd.Series(True, index=cells.index)):
            pool = values[open_ & scope & useful]
            if not pool.empty:
                return int(pool.idxmin())
    return None
