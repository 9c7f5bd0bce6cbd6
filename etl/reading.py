"""Read a user's CSV or XLSX into an all-text DuckDB staging table, or say why not."""

import codecs
import csv
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from valuechain.problems import InputError, Problem, refuse

SNIFF_BYTES = 65536
CHUNK = 1 << 22


def first(result: duckdb.DuckDBPyConnection):
    """The first value of a query's result, reading the result to its end (DuckDB keeps a connection busy
    until a result is fully read, which would break the next statement, e.g. registering an XLSX frame)."""
    rows = result.fetchall()
    return rows[0][0] if rows else None


def _limit(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


# Limits, checked before anything is read in full; each refusal names its variable (see the README).
MAX_FILE_MB = _limit("VALUECHAIN_MAX_FILE_MB", 2048)  # one CSV or XLSX (a DENUE zip's CSV included)
MAX_LINE_KB = _limit("VALUECHAIN_MAX_LINE_KB", 256)  # one physical line of a CSV
MAX_UNZIPPED_MB = _limit("VALUECHAIN_MAX_UNZIPPED_MB", 4096)  # the CSV inside a DENUE zip
MAX_ZIP_RATIO = _limit("VALUECHAIN_MAX_ZIP_RATIO", 100)  # its size over its compressed size
ENCODING_NAMES = {"utf-8": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO-8859-1)"}


@dataclass
class Scan:
    """What one pass over a text file found: its encoding, and where each data row starts."""

    encoding: str
    delimiter: str = ","
    record_lines: list[int] | None = None  # physical line of each data row, when rows and lines differ
    counted_lines: dict[int, int] | None = None  # DuckDB's line of a row (quoted breaks not counted) -> physical

    def physical(self, counted: int) -> int:
        """The line an editor shows for a line number DuckDB reports."""
        return (self.counted_lines or {}).get(counted, counted)

    def describe(self) -> str:
        return f"{ENCODING_NAMES[self.encoding]}, {'semicolon' if self.delimiter == ';' else 'comma'}-separated"


def too_big(name: str, size_bytes: int, limit_mb: float, variable: str, what: str = "file") -> InputError:
    return refuse(
        name,
        f"the {what} is {size_bytes / 1e6:,.0f} MB, over the limit of {limit_mb:,.0f} MB "
        f"(set {variable} to allow more)",
        line=0,
    )


def scan(path: Path, name: str) -> Scan:
    """One pass over a CSV: refuse NUL bytes and over-long lines (naming the line), detect the encoding
    (UTF-8, else Windows-1252, else Latin-1) and, when blank lines or quoted line breaks make rows and
    lines differ, note the line each row starts on."""
    size = path.stat().st_size
    if size > MAX_FILE_MB * 1e6:
        raise too_big(name, size, MAX_FILE_MB, "VALUECHAIN_MAX_FILE_MB")
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, cp1252_bytes, split_rows, blank = True, False, False, False
    line_no, partial, max_line = 0, b"", MAX_LINE_KB * 1024
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                at = line_no + (partial + chunk[:nul]).count(b"\n") + 1
                raise refuse(name, "the file holds a NUL byte (a binary file, or a damaged export)", line=at)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            data = np.frombuffer(partial + chunk, dtype=np.uint8)
            if not utf8 and not cp1252_bytes:
                cp1252_bytes = bool(((data >= 0x80) & (data < 0xA0)).any())
            ends = np.flatnonzero(data == 10)  # newlines; the lengths between them, \r included
            if not split_rows and len(ends) and b'"' in chunk:  # a quoted field running over a line break?
                before = np.searchsorted(np.flatnonzero(data == 34), ends)  # quotes before each newline
                split_rows = bool((np.diff(before, prepend=0) % 2).any())
            lengths = np.diff(ends, prepend=-1) - 1
            if len(lengths) and lengths.max() > max_line:
                i = int(np.argmax(lengths > max_line))
                raise _long_line(name, line_no + i + 1, int(lengths[i]))
            if not blank and len(lengths):
                short = np.flatnonzero(lengths <= 1)  # empty, or only "\r": check those few for real blanks
                blank = any(not data[ends[i] - lengths[i] : ends[i]].tobytes().strip() for i in short)
            partial = data[ends[-1] + 1 :].tobytes() if len(ends) else partial + chunk
            line_no += len(ends)
        if len(partial) > max_line:
            raise _long_line(name, line_no + 1, len(partial))
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    encoding = "utf-8" if utf8 else ("cp1252" if cp1252_bytes and _decodes(path, "cp1252") else "latin-1")
    if not (split_rows or blank):
        return Scan(encoding)
    starts, counted = _record_lines(path)
    return Scan(encoding, record_lines=starts, counted_lines=dict(zip(counted, starts, strict=True)))


def _long_line(name: str, line: int, length: int) -> InputError:
    return refuse(
        name,
        f"line is {length / 1024:,.0f} KB long, over the limit of {MAX_LINE_KB:,.0f} KB "
        "(set VALUECHAIN_MAX_LINE_KB to allow more)",
        line=line,
    )


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as f:
        try:
            while chunk := f.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _record_lines(path: Path) -> tuple[list[int], list[int]]:
    """The physical line each data row starts on, as a reader sees the file (blank lines are skipped and a
    quoted field may run over several lines), and the line DuckDB counts for it (line breaks inside quotes
    not counted)."""
    starts, counted, inside, header_seen, quoted_breaks = [], [], False, False, 0
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            if not inside and line.strip():
                if header_seen:
                    starts.append(number)
                    counted.append(number - quoted_breaks)
                header_seen = True
            if line.count(b'"') % 2:
                inside = not inside
            if inside:
                quoted_breaks += 1
    return starts, counted


def _looks_binary(head: bytes) -> str | None:
    """A short description when the bytes are clearly not a text CSV."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:200].count(b"\x00") > 50:
        return 'UTF-16 text; save it again as "CSV UTF-8" (in Excel: Save As, CSV UTF-8)'
    if head.startswith(b"PK\x03\x04"):
        return "a zip archive"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Excel (.xls) workbook; save it as .xlsx or .csv"
    if b"\x00" in head:
        return "a binary file"
    return None


def check_text(path: Path, name: str) -> None:
    """Refuse an empty file, or one whose first bytes are not a text CSV (UTF-16, zip, PDF, XLS, binary)."""
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    if not head.strip():
        raise refuse(name, "file is empty")
    kind = _looks_binary(head)
    if kind:
        raise refuse(name, f"not a CSV or XLSX file: it looks like {kind}")


def header_line(path: Path, encoding: str) -> str:
    """The first line of a text file, without BOM or line ending."""
    with open(path, "rb") as f:
        return f.readline().removeprefix(b"\xef\xbb\xbf").decode(encoding, errors="replace").rstrip("\r\n")


LINE = "_line"  # staging column holding each row's physical line, where rows and lines differ


def stage_csv(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, name: str, keep: tuple[str, ...] = ()
) -> list[str]:
    """Load a CSV (comma or semicolon; UTF-8, Windows-1252 or Latin-1) as text into `table`; return its columns.

    `keep` names the only columns to hold (every field is still parsed and checked; a wide file such as
    DENUE's 42 columns takes less memory). Rows whose field count is wrong are reported with the line an
    editor shows.
    """
    check_text(path, name)
    found = scan(path, name)
    header = header_line(path, found.encoding)
    found.delimiter = ";" if header.count(";") > header.count(",") else ","
    SCANS[name] = found
    columns = _header_columns(header, found.delimiter)
    with _as_utf8(path, found.encoding) as readable:
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {_projection(columns, keep)} "
                "FROM read_csv($path, header = true, "
                "all_varchar = true, delim = $delim, quote = '\"', escape = '\"', encoding = $enc, "
                "store_rejects = true, auto_detect = false, columns = $cols)",
                {
                    "path": str(readable),
                    "delim": found.delimiter,
                    "enc": "latin-1" if found.encoding == "latin-1" else "utf-8",
                    "cols": columns,
                },
            )
        except duckdb.Error as exc:
            raise refuse(name, f"could not be read as CSV ({str(exc).splitlines()[0]})") from None
    rejects = con.execute(
        "SELECT line, column_name, error_type, error_message FROM reject_errors ORDER BY line LIMIT 51"
    ).fetchall()
    if rejects:
        total = first(con.execute("SELECT count(*) FROM reject_errors"))
        problems = [
            Problem(name, found.physical(int(line)), None, f"malformed row: {msg}") for line, _, _, msg in rejects
        ]
        raise InputError(problems, total)
    if found.record_lines is not None:
        _add_lines(con, table, found.record_lines)
    return _normalise_columns(con, table)


def _projection(columns: dict[str, str], keep: tuple[str, ...]) -> str:
    """SQL select list: the header's columns that are kept (compared in lower case), or every column."""
    if not keep:
        return "*"
    return ", ".join('"' + c.replace('"', '""') + '"' for c in columns if c.strip().lower() in keep)


SCANS: dict[str, Scan] = {}  # what the last read of each file found (for the acceptance report)


class _as_utf8:
    """The file itself, or a UTF-8 copy of a Windows-1252 file (DuckDB reads UTF-8 and Latin-1 only)."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.path, self.encoding, self.tmp = path, encoding, None

    def __enter__(self) -> Path:
        if self.encoding != "cp1252":
            return self.path
        self.tmp = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)
        with (
            open(self.path, encoding="cp1252", newline="") as src,
            open(self.tmp.name, "w", encoding="utf-8", newline="") as out,
        ):
            while text := src.read(CHUNK):
                out.write(text)
        return Path(self.tmp.name)

    def __exit__(self, *exc) -> None:
        if self.tmp:
            Path(self.tmp.name).unlink(missing_ok=True)


def _add_lines(con: duckdb.DuckDBPyConnection, table: str, lines: list[int]) -> None:
    """Give each staged row the physical line it starts on (rows and lines differ in this file)."""
    import pyarrow as pa

    con.register("_lines", pa.table({LINE: pa.array(lines, type=pa.int64())}))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {table} POSITIONAL JOIN _lines")
    con.unregister("_lines")


def line_of(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """SQL for the line a staged row came from: its recorded line, else header + row number."""
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    return LINE if LINE in columns else "rowid + 2"


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
    """Rename columns to trimmed lower case; return the new names (the line column aside)."""
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    for col in cols:
        new = col.strip().lower()
        if new != col and new not in cols:
            old_id, new_id = col.replace('"', '""'), new.replace('"', '""')
            con.execute(f'ALTER TABLE {table} RENAME COLUMN "{old_id}" TO "{new_id}"')
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != LINE]
