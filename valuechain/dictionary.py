"""What every exported column means, in Spanish and English."""

import pandas as pd

from valuechain import member_columns, suppliers
from valuechain.catalog import DIMENSIONS, help_text, label
from valuechain.i18n import t

# The columns of every exported table; each column's description is the message `column_<table>_<column>`.
COLUMNS: dict[str, tuple[str, ...]] = {
    "members": member_columns.EXPORTED,
    "invitation_list": tuple(suppliers.INVITATION),
    "plants": (
        "plant_id",
        "company",
        "brands",
        "plant_name",
        "municipality",
        "cve_ent",
        "state",
        "segment",
        "vehicle_class",
        "start_year",
        "status",
        "status_date",
        "products",
        "capacity_units",
        "lat",
        "lon",
        "coord_quality",
        "source",
    ),
    "denue_establishments": (
        "denue_id",
        "clee",
        "name",
        "legal_name",
        "scian_code",
        "scian_name",
        "per_ocu",
        "employees_min",
        "employees_max",
        "cve_ent",
        "cve_mun",
        "municipality",
        "lat",
        "lon",
        "fecha_alta",
        "phone",
        "email",
        "website",
        "source",
        "edition",
    ),
}


def description(table: str, column: str, lang: str = "es") -> str:
    """What one exported column means (the message `column_<table>_<column>`)."""
    return t(f"column_{table}_{column}", lang)


def messages() -> list[str]:
    """The message keys this dictionary builds at run time."""
    return [f"column_{table}_{c}" for table, columns in COLUMNS.items() for c in columns]


def dictionary(table: str, lang: str = "es") -> pd.DataFrame:
    """(column, description) for one exported table in one language."""
    rows = [(c, description(table, c, lang)) for c in COLUMNS[table]]
    return pd.DataFrame(rows, columns=["column", "description"])


def filters(lang: str = "es") -> pd.DataFrame:
    """(URL key, what it filters) for every dimension of the catalog: the keys a shared link may carry."""
    rows = [(d.key, f"{label(d, lang)}: {help_text(d, lang)}") for d in DIMENSIONS]
    return pd.DataFrame(rows, columns=["column", "description"])


def full(lang: str = "es") -> pd.DataFrame:
    """Every column of every exported table, and every filter's URL key, in one language."""
    frames = [dictionary(t, lang).assign(table=t) for t in COLUMNS] + [filters(lang).assign(table="url_filters")]
    return pd.concat(frames)[["table", "column", "description"]]
