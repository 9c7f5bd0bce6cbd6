"""Small CSV files as spreadsheets save them: UTF-8 (with or without BOM), else Windows-1252 or Latin-1 (Excel
on Spanish Windows), separated by commas or, in Spanish locales, semicolons."""


def decode(data: bytes) -> str:
    """The file's text: UTF-8 when it decodes as such, else Windows-1252, else Latin-1 (which always decodes)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def delimiter(header: str) -> str:
    """';' when the header line has more semicolons than commas, else ','."""
    return ";" if header.count(";") > header.count(",") else ","
