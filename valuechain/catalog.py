"""The one vocabulary: every dimension the app filters by, declared once.

Each dimension says its URL key (its label, help and words are the messages `filter_<key>`,
`filter_<key>_help` and `filter_<key>_words` of `locales/`), where its values and
their names come from, the SQL condition it puts on members (`m`) and on located tables (plants,
DENUE), and how it reads in words. The filters type, the SQL, the sidebar, the URL, the exports'
"filters" line, the data dictionary and the deck all read this list (modelled on the U.S. Cluster
Mapping Project's data dictionary). Adding a dimension: one entry here, its widget appears.
"""

import re
from dataclasses import dataclass, field, make_dataclass

from valuechain import member_columns
from valuechain.i18n import t

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
    member_sql: str | None  # condition on members `m`; binds only $field names
    place_sql: str | None = None  # condition on a located table `{a}` (plants, DENUE); None: does not apply
    values_sql: str | None = None  # id, name_es, name_en, short_es, short_en in menu order
    choices: tuple[str, ...] = ()  # or fixed ids, each named by the message `<key>_<id>`
    words: bool = False  # an active flag reads as its message `filter_<key>_words`; default "label: values"
    depends_on: str | None = None  # shown only when that dimension's chosen value allows it
    located: tuple[str, ...] = ("plants", "denue_establishments")  # the located tables place_sql applies to

    @property
    def has_values(self) -> bool:
        """Whether the dimension picks among named values (else it is a flag)."""
        return bool(self.values_sql or self.choices)


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "cluster",
        "clusters",
        "multi",
        "m.cluster_id IN (SELECT unnest($clusters))",
        "{a}.cve_ent IN (SELECT cve_ent FROM cluster_states WHERE cluster_id IN (SELECT unnest($clusters)))",
        "SELECT cluster_id, name, name, short_name, short_name FROM clusters WHERE kind = 'member' ORDER BY short_name",
    ),
    Dimension(
        "state",
        "states",
        "multi",
        "m.cve_ent IN (SELECT unnest($states))",
        "{a}.cve_ent IN (SELECT unnest($states))",
        "SELECT cve_ent, name_inegi, name_inegi, name_short, name_short FROM states ORDER BY name_short",
    ),
    Dimension(
        "corridor",
        "corridor",
        "one",
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
        None,
        words=True,
        depends_on="corridor",
    ),
    Dimension(
        "tier",
        "tiers",
        "multi",
        "m.tier IN (SELECT unnest($tiers))",
        values_sql="SELECT tier_id, name_es, name_en, name_es, name_en FROM tiers ORDER BY position",
    ),
    Dimension(
        "process",
        "processes",
        "multi",
        "list_has_any(m.processes, $processes)",
        values_sql="SELECT process_id, name_es, name_en, name_es, name_en FROM processes ORDER BY process_id",
    ),
    Dimension(
        "scian",
        "scian",
        "multi",
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
        "m.iatf_16949",
        words=True,
    ),
    Dimension(
        "ownership",
        "ownership",
        "multi",
        "m.ownership IN (SELECT unnest($ownership))",
        choices=member_columns.BY_NAME["ownership"].values,
    ),
)
BY_KEY = {d.key: d for d in DIMENSIONS}


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
    """The dimension's label (the message `filter_<key>`)."""
    return t(f"filter_{d.key}", lang)


def help_text(d: Dimension, lang: str) -> str:
    """What the dimension filters (the message `filter_<key>_help`)."""
    return t(f"filter_{d.key}_help", lang)


def messages() -> list[str]:
    """The message keys this catalog builds at run time."""
    return (
        [k for d in DIMENSIONS for k in (f"filter_{d.key}", f"filter_{d.key}_help")]
        + [f"filter_{d.key}_words" for d in DIMENSIONS if d.words]
        + [f"{d.key}_{c}" for d in DIMENSIONS for c in d.choices]
    )


def in_words(f, names: dict[str, dict[str, str]], lang: str, none: str) -> str:
    """The active filters as a sentence fragment: 'Corridor: Bajío; Tier: Tier 1'. `names[key][id]` labels values."""
    parts = []
    for d in DIMENSIONS:
        value = getattr(f, d.field)
        if not value:
            continue
        if d.kind == "flag":
            parts.append(t(f"filter_{d.key}_words", lang) if d.words else label(d, lang))
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
