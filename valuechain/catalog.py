"""The one vocabulary: every dimension the app filters by, declared once.

Each dimension says its URL key, its label and help in Spanish and English, where its values and
their names come from, the SQL condition it puts on members (`m`) and on located tables (plants,
DENUE), and how it reads in words. The filters type, the SQL, the sidebar, the URL, the exports'
"filters" line, the data dictionary and the deck all read this list (modelled on the U.S. Cluster
Mapping Project's data dictionary). Adding a dimension: one entry here, its widget appears.
"""

import re
from dataclasses import dataclass, field, make_dataclass

# SQL: the corridor of a place, computed once by the ETL (`place_corridors`).
CORRIDOR_OF = "CASE WHEN pc.optional AND NOT $include_optional THEN NULL ELSE pc.corridor_id END"


def corridor_join(alias: str) -> str:
    """SQL: join the build-time corridor of each row of a located table."""
    return (
        f"LEFT JOIN place_corridors pc ON pc.cve_ent = {alias}.cve_ent "
        f"AND pc.municipality = coalesce({alias}.municipality, '')"
    )


@dataclass(frozen=True)
class Dimension:
    """One way to narrow the view."""

    key: str  # URL parameter and widget key (stable ids travel in links, never labels)
    field: str  # attribute of Filters, and the name its value is bound to in SQL
    kind: str  # "multi" (several values), "one" (one value or none), "flag" (on or off)
    label: tuple[str, str]  # (Spanish, English)
    help: tuple[str, str]
    member_sql: str | None  # condition on members `m`; binds only $field names
    place_sql: str | None = None  # condition on a located table `{a}` (plants, DENUE); None: does not apply
    values_sql: str | None = None  # id, name_es, name_en, short_es, short_en in menu order
    words: tuple[str, str] | None = None  # how an active flag reads; default "label: values"
    depends_on: str | None = None  # shown only when that dimension's chosen value allows it
    located: tuple[str, ...] = ("plants", "denue_establishments")  # the located tables place_sql applies to


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "cluster",
        "clusters",
        "multi",
        ("Clúster", "Cluster"),
        ("Clústeres de REDCAM", "REDCAM clusters"),
        "m.cluster_id IN (SELECT unnest($clusters))",
        "{a}.cve_ent IN (SELECT cve_ent FROM cluster_states WHERE cluster_id IN (SELECT unnest($clusters)))",
        "SELECT cluster_id, name, name, short_name, short_name FROM clusters WHERE kind = 'member' ORDER BY short_name",
    ),
    Dimension(
        "state",
        "states",
        "multi",
        ("Estado", "State"),
        ("Entidades federativas (claves INEGI)", "States (INEGI codes)"),
        "m.cve_ent IN (SELECT unnest($states))",
        "{a}.cve_ent IN (SELECT unnest($states))",
        "SELECT cve_ent, name_inegi, name_inegi, name_short, name_short FROM states ORDER BY name_short",
    ),
    Dimension(
        "corridor",
        "corridor",
        "one",
        ("Corredor", "Corridor"),
        ("Corredor industrial", "Industrial corridor"),
        "(m.cve_ent, coalesce(m.municipality, '')) IN (SELECT cve_ent, municipality FROM place_corridors "
        "WHERE corridor_id = $corridor AND (NOT optional OR $include_optional))",
        "({a}.cve_ent, coalesce({a}.municipality, '')) IN (SELECT cve_ent, municipality FROM place_corridors "
        "WHERE corridor_id = $corridor AND (NOT optional OR $include_optional))",
        "SELECT corridor_id, name_es, name_en, name_es, name_en FROM corridors ORDER BY corridor_id",
    ),
    Dimension(
        "jalisco",
        "include_optional",
        "flag",
        (
            "Incluir las extensiones del corredor (Jalisco en el Bajío)",
            "Include the corridor's extensions (Jalisco in the Bajío)",
        ),
        ("Estados que algunas fuentes suman al corredor", "States some sources add to the corridor"),
        None,
        words=("con sus extensiones", "with its extensions"),
        depends_on="corridor",
    ),
    Dimension(
        "tier",
        "tiers",
        "multi",
        ("Nivel (tier)", "Tier"),
        ("Lugar en la cadena de suministro", "Place in the supply chain"),
        "m.tier IN (SELECT unnest($tiers))",
        values_sql="SELECT tier_id, name_es, name_en, name_es, name_en FROM tiers ORDER BY position",
    ),
    Dimension(
        "process",
        "processes",
        "multi",
        ("Proceso", "Process"),
        ("Procesos de manufactura", "Manufacturing processes"),
        "list_has_any(m.processes, $processes)",
        values_sql="SELECT process_id, name_es, name_en, name_es, name_en FROM processes ORDER BY process_id",
    ),
    Dimension(
        "scian",
        "scian",
        "multi",
        ("Clase SCIAN", "SCIAN class"),
        ("Clase de actividad SCIAN 2018", "SCIAN 2018 activity class"),
        "m.scian_code IN (SELECT unnest($scian))",
        "{a}.scian_code IN (SELECT unnest($scian))",
        located=("denue_establishments",),
        values_sql="SELECT code, code || ' ' || name_es, code || ' ' || name_en, code, code FROM scian "
        "WHERE level = 'clase' ORDER BY code",
    ),
    Dimension(
        "size",
        "sizes",
        "multi",
        ("Tamaño (personal)", "Size (staff)"),
        ("Estrato de personal ocupado de DENUE", "DENUE staff-size band"),
        "m.employee_band IN (SELECT unnest($sizes))",
        "{a}.per_ocu IN (SELECT unnest($sizes))",
        "SELECT per_ocu, per_ocu, replace(replace(replace(per_ocu, ' a ', ' to '), 'y más', 'or more'), 'personas', "
        "'people'), per_ocu, per_ocu FROM denue_strata ORDER BY stratum_id",
        located=("denue_establishments",),
    ),
    Dimension(
        "iatf",
        "iatf_only",
        "flag",
        ("Solo con IATF 16949", "IATF 16949 only"),
        ("Socios con certificación IATF 16949", "Members certified to IATF 16949"),
        "m.iatf_16949",
        words=("solo con IATF 16949", "IATF 16949 only"),
    ),
)
BY_KEY = {d.key: d for d in DIMENSIONS}
LANG_INDEX = {"es": 0, "en": 1}


def _default(d: Dimension):
    return {"multi": (), "one": None, "flag": False}[d.kind]


Filters = make_dataclass(
    "Filters",
    [(d.field, tuple | str | bool | None, field(default=_default(d))) for d in DIMENSIONS]
    + [("notices", tuple, field(default=(), compare=False))],
    frozen=True,
    namespace={
        "__doc__": "What the user has narrowed the view to (one field per catalog dimension); empty means all.",
        "is_empty": lambda self: self == Filters(),
    },
)


def _bind(f, fragment: str, params: dict) -> None:
    for name in re.findall(r"\$(\w+)", fragment):
        value = getattr(f, name)
        params[name] = list(value) if isinstance(value, tuple) else value


def member_where(f) -> tuple[str, dict]:
    """SQL condition on members `m` and its bound parameters (nothing a user typed becomes SQL text)."""
    parts, params = [], {}
    for d in DIMENSIONS:
        if d.member_sql and getattr(f, d.field):
            parts.append(d.member_sql)
            _bind(f, d.member_sql, params)
    return (" AND ".join(parts) or "TRUE"), params


def place_where(f, table: str = "plants", alias: str = "p") -> tuple[str, dict]:
    """SQL condition on a table located by state and municipality (plants `p`, DENUE `d`)."""
    parts, params = [], {}
    for d in DIMENSIONS:
        if d.place_sql and table in d.located and getattr(f, d.field):
            fragment = d.place_sql.replace("{a}", alias)
            parts.append(fragment)
            _bind(f, fragment, params)
    return (" AND ".join(parts) or "TRUE"), params


def label(d: Dimension, lang: str) -> str:
    return d.label[LANG_INDEX[lang]]


def in_words(f, names: dict[str, dict[str, str]], lang: str, none: str) -> str:
    """The active filters as a sentence fragment: 'Corridor: Bajío; Tier: Tier 1'. `names[key][id]` labels values."""
    parts = []
    for d in DIMENSIONS:
        value = getattr(f, d.field)
        if not value:
            continue
        if d.kind == "flag":
            parts.append(d.words[LANG_INDEX[lang]] if d.words else label(d, lang))
            continue
        values = value if isinstance(value, tuple) else (value,)
        parts.append(f"{label(d, lang)}: " + ", ".join(names.get(d.key, {}).get(v, v) for v in values))
    return "; ".join(parts) or none


def in_ids(f) -> str:
    """The active filters as stable ids, the same in every language: 'corridor=bajio; process=machining,stamping'."""
    parts = []
    for d in DIMENSIONS:
        value = getattr(f, d.field)
        if value:
            values = value if isinstance(value, tuple) else (value,)
            parts.append(f"{d.key}=" + ",".join("true" if v is True else str(v) for v in values))
    return "; ".join(parts)
