"""Exports that are safe to open in a spreadsheet."""

import numpy as np
import pandas as pd

# OWASP CSV injection: a cell starting with one of these is read as a formula by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a text cell that a spreadsheet would run as a formula with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell neutralised; lists become ';'-joined text."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(
                lambda v: neutralise(";".join(v) if isinstance(v, list | tuple | np.ndarray) else v)
            )
    return safe


def csv_bytes(frame: pd.DataFrame, sep: str = ",") -> bytes:
    """UTF-8 CSV with BOM (so Excel shows accents), text cells neutralised; numbers stay numbers."""
    return safe(frame).to_csv(index=False, sep=sep).encode("utf-8-sig")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """The rows as Parquet (types kept; nothing to neutralise: Parquet is not opened by spreadsheets)."""
    import io

    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def xlsx_bytes(data: pd.DataFrame, about: pd.DataFrame, sheets: tuple[str, str] = ("data", "about")) -> bytes:
    """An XLSX workbook: the rows on the first sheet; the second says what they are (dictionary,
    filters, sources, time generated). Text cells are neutralised as in CSV."""
    import io

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for frame, name in ((data, sheets[0]), (about, sheets[1])):
            safe(frame).to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes = "A2"  # the header stays in view while scrolling
            sheet.auto_filter.ref = sheet.dimensions  # and every column can be filtered
    return buffer.getvalue()


def about_sheet(dictionary: pd.DataFrame, filters: str, sources: pd.DataFrame, generated: str) -> pd.DataFrame:
    """One table (section, item, description) describing an export."""
    rows = [("generated", "", generated), ("filters", "", filters)]
    rows += [("column", r.column, r.description) for r in dictionary.itertuples()]
    rows += [("source", r.source_id, f"{r.citation} {r.url or ''}".strip()) for r in sources.itertuples()]
    return pd.DataFrame(rows, columns=["section", "item", "description"])
