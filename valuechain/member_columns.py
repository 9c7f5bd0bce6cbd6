"""The member file's columns, declared once (like the filter catalog).

Each column says its name, its kind (how the importer checks and stores it), whether every file must have it,
whether a cluster may share it with other clusters' staff (`[sharing]` in the roles file), and its template
example. Its description is the message `column_members_<name>`. The members table, the importer's checks and
INSERT, the sample generator, the member query, the data dictionary, the template CSV and the README's column
table all read this list. Adding an optional column: one entry here, its messages and a test.
"""

import sys
from dataclasses import dataclass

from valuechain.i18n import t

# How each kind is stored in the members table.
SQL_TYPES = {
    "id": "VARCHAR",
    "text": "VARCHAR",
    "cluster": "VARCHAR",
    "tier": "VARCHAR",
    "state_code": "VARCHAR",
    "municipality_code": "VARCHAR",
    "scian": "VARCHAR",
    "choice": "VARCHAR",
    "yes_no": "BOOLEAN",
    "processes": "VARCHAR[]",
    "latitude": "DOUBLE",
    "longitude": "DOUBLE",
}


@dataclass(frozen=True)
class Column:
    """One column of a member file and of the members table."""

    name: str
    kind: str  # a key of SQL_TYPES: how the importer checks and stores the value
    required: bool = False  # every file must have it (cluster_id: unless one cluster is given for every row)
    shareable: bool = True  # a cluster may show it to other clusters' staff
    example: tuple[str, str] = ("", "")  # the template CSV's two example rows
    values: tuple[str, ...] = ()  # a `choice` column's values (lower case; empty is allowed)


COLUMNS: tuple[Column, ...] = (
    Column("member_id", "id", example=("NL-001", "GTO-001")),
    Column(
        "name",
        "text",
        required=True,
        example=("Empresa Ejemplo Uno (borre esta fila)", "Empresa Ejemplo Dos (borre esta fila)"),
    ),
    Column("cluster_id", "cluster", required=True, example=("nl", "gto")),
    Column("tier", "tier", required=True, example=("Tier 2", "Tier 1")),
    Column("cve_ent", "state_code", required=True, example=("19", "11")),
    Column("municipality", "text", example=("Apodaca", "León")),
    Column("cve_mun", "municipality_code", example=("006", "020")),
    Column("scian_code", "scian", example=("332710", "336320")),
    Column("employee_band", "text", example=("51 a 100 personas", "251 y más personas")),
    Column("iatf_16949", "yes_no", example=("sí", "no")),
    Column("processes", "processes", example=("machining;stamping", "wiring_harness")),
    Column("lat", "latitude", example=("25.78", "")),
    Column("lon", "longitude", example=("-100.19", "")),
    Column("ownership", "choice", values=("mexican", "foreign", "joint"), example=("mexican", "")),
    Column("clee", "text"),
    Column("email", "text", shareable=False),
    Column("phone", "text", shareable=False),
    Column("website", "text", shareable=False),
)
BY_NAME = {c.name: c for c in COLUMNS}
NAMES = tuple(c.name for c in COLUMNS)
# The member rows as read and exported: the declared columns, the state's name after its code, and the source.
EXPORTED = (*NAMES[: NAMES.index("cve_ent") + 1], "state", *NAMES[NAMES.index("cve_ent") + 1 :], "source")


def required(cluster_given: bool = False) -> tuple[str, ...]:
    """The columns every file must have (`cluster_id` not when one cluster is given for every row)."""
    return tuple(c.name for c in COLUMNS if c.required and not (cluster_given and c.kind == "cluster"))


def create_table_sql() -> str:
    """The members table: every declared column, then `source` ('sample' or the file's name)."""
    not_null = {"id", "processes"}
    checks = {
        "state_code": "CHECK (regexp_full_match({c}, '(0[1-9]|[12][0-9]|3[0-2])'))",
        "latitude": "CHECK ({c} IS NULL OR {c} BETWEEN 14.0 AND 33.0)",
        "longitude": "CHECK ({c} IS NULL OR {c} BETWEEN -119.0 AND -86.0)",
        "choice": "CHECK ({c} IS NULL OR {c} IN ({values}))",
    }
    lines = []
    for c in COLUMNS:
        line = f"    {c.name} {SQL_TYPES[c.kind]}"
        if c.required or c.kind in not_null:
            line += " NOT NULL"
        if c.kind in checks:
            line += " " + checks[c.kind].format(c=c.name, values=", ".join(f"'{v}'" for v in c.values))
        lines.append(line)
    lines.append("    source VARCHAR NOT NULL")
    return "CREATE TABLE members (\n" + ",\n".join(lines) + "\n)"


def template_csv() -> str:
    """The template member file: the header and two example rows."""
    rows = [",".join(NAMES)] + [",".join(c.example[i] for c in COLUMNS) for i in range(2)]
    return "\n".join(rows) + "\n"


def markdown(lang: str = "en") -> str:
    """The README's column table."""
    rows = ["| column | required | shared with other clusters | what it holds |", "|---|---|---|---|"]
    for c in COLUMNS:
        needed = "yes" + (" (or `--cluster`)" if c.kind == "cluster" else "") if c.required else ""
        values = f" (`{'`, `'.join(c.values)}` or empty)" if c.values else ""
        shared = "may be" if c.shareable else "never"
        rows.append(f"| `{c.name}` | {needed} | {shared} | {t(f'column_members_{c.name}', lang)}{values} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown())
