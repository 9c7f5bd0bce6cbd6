"""Exports that are safe to open in a spreadsheet."""

import pandas as pd

# OWASP CSV injection: a cell starting with one of these is read as a formula by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a text cell that a spreadsheet would run as a formula with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame, sep: str = ",") -> bytes:
    """UTF-8 CSV with BOM (so Excel shows accents), text cells neutralised; numbers stay numbers."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise)
    return safe.to_csv(index=False, sep=sep).encode("utf-8-sig")
