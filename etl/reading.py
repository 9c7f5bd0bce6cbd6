"""Read a user's CSV or XLSX into an all-text DuckDB staging table, or say why not."""

import codecs
import csv
import zipfile
from pathlib import Path

import duckdb

from valuechain.problems import InputError, Problem, refuse

SNIFF_BYTES = 65536
CHUNK = 1 << 22


def first(result: duckdb.DuckDBPyConnection):
    """The first value of a query's result, reading the result to its end (DuckDB keeps a connection busy
    until a result is fully read, which would break the next statement, e.g. registering an XLSX frame)."""
    rows = result.fetchall()
    return rows[0][0] if rows else None


def detect_encoding(path: Path) -> str:
    """'utf-8' when the whole file decodes as UTF-8 (with or without BOM), else 'latin-1'."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        try:
            while chunk := f.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "latin-1"
    return "utf-8"


def _looks_binary(head: bytes) -> str | None:
    """A short description when the bytes are clearly not a text CSV."""
    if head.startswith(b"PK\x03\x04"):
        return "a zip archive"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Excel (.xls) workbook; save it as .xlsx or .csv"
    if b"\x00" in head:
        return "a binary file"
    return None


def header_line(path: Path, encoding: str) -> str:
    """The first line of a text file, without BOM or line ending."""
    with open(path, encoding=encoding, errors="replace", newline="") as f:
        return f.readline().lstrip("\ufeff").rstrip("\r\n")


def stage_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str, name: str) -> list[str]:
    """Load a CSV (comma or semicolon; UTF-8 or Latin-1) as text into `table`; return its columns.

    Rows whose field count is wrong are reported with the line an editor shows.
    """
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    if not head.strip():
        raise refuse(name, "file is empty")
    kind = _looks_binary(head)
    if kind:
        raise refuse(name, f"not a CSV or XLSX file: it looks like {kind}")
    encoding = detect_encoding(path)
    header = header_line(path, encoding)
    delim = ";" if header.count(";") > header.count(",") else ","
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM read_csv($path, header = true, "
            "all_varchar = true, delim = $delim, quote = '\"', escape = '\"', encoding = $enc, "
            "store_rejects = true, auto_detect = false, columns = $cols)",
            {"path": str(path), "delim": delim, "enc": encoding, "cols": _header_columns(header, delim)},
        )
    except duckdb.Error as exc:
        raise refuse(name, f"could not be read as CSV ({str(exc).splitlines()[0]})") from None
    rejects = con.execute(
        "SELECT line, column_name, error_type, error_message FROM reject_errors ORDER BY line LIMIT 51"
    ).fetchall()
    if rejects:
        total = first(con.execute("SELECT count(*) FROM reject_errors"))
        problems = [Problem(name, int(line), None, f"malformed row: {msg}") for line, _, _, msg in rejects]
        raise InputError(problems, total)
    return _normalise_columns(con, table)


def _header_columns(header: str, delim: str) -> dict[str, str]:
    """The header's column names as a read_csv `columns` mapping (all text)."""
    names = next(csv.reader([header], delimiter=delim))
    seen: dict[str, str] = {}
    for i, raw in enumerate(names):
        col = raw.strip() or f"column{i + 1}"
        while col in seen:
            col += "_"
        seen[col] = "VARCHAR"
    return seen


def stage_xlsx(con: duckdb.DuckDBPyConnection, path: Path, table: str, name: str) -> list[str]:
    """Load the first sheet of an XLSX workbook as text into `table`; return its columns."""
    import pandas as pd  # only XLSX needs it; keeps CSV imports lean

    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=str, engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise refuse(name, f"not a readable XLSX workbook ({exc})") from None
    if frame.empty and not len(frame.columns):
        raise refuse(name, "file is empty")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.astype(object).where(frame.notna(), None)
    con.register("_xlsx_frame", frame)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM _xlsx_frame")
    con.unregister("_xlsx_frame")
    return _normalise_columns(con, table)


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> list[str]:
    """Stage a CSV or XLSX by its extension; refuse anything else with a reason."""
    name = str(path)
    if not path.is_file():
        raise refuse(name, "file not found", line=0)
    if path.stat().st_size == 0:
        raise refuse(name, "file is empty")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        columns = stage_xlsx(con, path, table, name)
    elif suffix in (".csv", ".txt"):
        columns = stage_csv(con, path, table, name)
    else:
        raise refuse(name, f"not a CSV or XLSX file (extension '{path.suffix or 'none'}')")
    if first(con.execute(f"SELECT count(*) FROM {table}")) == 0:
        raise refuse(name, "file has a header but no data rows")
    return columns


def _normalise_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Rename columns to trimmed lower case; return the new names."""
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    for col in cols:
        new = col.strip().lower()
        if new != col and new not in cols:
            old_id, new_id = col.replace('"', '""'), new.replace('"', '""')
            con.execute(f'ALTER TABLE {table} RENAME COLUMN "{old_id}" TO "{new_id}"')
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
