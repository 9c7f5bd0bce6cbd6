"""Read-only access to the built database: one connection, a cursor per query, bound values only."""

import os
import re
from pathlib import Path

import duckdb
import pandas as pd

DEFAULT_DB = Path(__file__).resolve().parents[1] / "data" / "valuechain.duckdb"


def db_path() -> Path:
    """The database the app reads: $VALUECHAIN_DB, else data/valuechain.duckdb."""
    return Path(os.environ.get("VALUECHAIN_DB", DEFAULT_DB))


def connect(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database read-only (the app never writes)."""
    return duckdb.connect(str(path or db_path()), read_only=True)


def _used(sql: str, params: dict | list | None) -> dict | list:
    """The named parameters the SQL refers to (DuckDB refuses unused ones)."""
    if isinstance(params, dict):
        return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    return params or {}


def query(con: duckdb.DuckDBPyConnection, sql: str, params: dict | list | None = None) -> pd.DataFrame:
    """Run one query on its own cursor with bound parameters and read it fully."""
    with con.cursor() as cur:
        return cur.execute(sql, _used(sql, params)).df()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: dict | list | None = None):
    """The single value of a one-row, one-column query."""
    with con.cursor() as cur:
        return cur.execute(sql, _used(sql, params)).fetchall()[0][0]
