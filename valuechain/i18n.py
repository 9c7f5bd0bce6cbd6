"""Every user-visible string, behind one function `t`: gettext catalogues under `locales/` (one `.po` file per
language, extracted and compiled with Babel; see the README's "Messages and languages")."""

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DEFAULT = "es"
# Every folder under locales/ with a catalogue is a language; the default first.
LANGUAGES = tuple(
    sorted((p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po")), key=lambda x: (x != DEFAULT, x))
)
DATA_LANGUAGES = ("es", "en")  # the reference data names things (states, processes, facts) in these two
VALUE = "value"  # the message context of data values (tiers, statuses, how a figure is based)


class MissingMessage(KeyError):
    """A message the code asked for is not in a language's catalogue."""


def N_(key: str) -> str:  # noqa: N802 (gettext's name for "mark for extraction, translate later")
    """Mark a message key for extraction where the key is kept to be translated later."""
    return key


# Messages named `<family>_<id>`, built at run time from ids the engine, the data or the access rules keep.
FAMILIES: dict[str, tuple[str, ...]] = {
    "role": ("public", "staff", "admin"),
    "kind": ("convertible", "member", "prospect"),
    "level": ("state", "municipality", "corridor"),
    "lq": ("establishments", "employment"),
    "sep": ("comma", "semicolon"),
    "arch": ("compact_ice_car", "fullsize_pickup", "bev_crossover"),
    "rollup": ("panel", "us-view"),
    "method": ("individual", "aggregate"),
    "region": ("mx", "us", "ca", "asia", "europe"),
    "good": ("passenger_vehicle", "light_truck", "heavy_truck"),
    "settle": ("lvc", "lvc_rule", "steel_aluminum", "core_parts"),
    "hr_by": ("cluster", "corridor", "state", "tier", "size"),
    "hr_measure": ("turnover_pct", "quits_pct", "hires_pct"),
    "disclosure": ("published", "primary", "secondary"),
    "happened": ("yes", "no"),  # the supplier event's outcomes: did the meeting happen, and what came of it
    "result": ("no_interest", "informative", "cooperation_possible", "quote_requested"),
    "conf": ("S", "U", "V"),  # how sure a rule figure is: secondary source, unconfirmed, official text
    "wf": ("nafta_margin", "tracing_removed", "threshold_raised", "core_parts_us_view", "usmca_margin"),
    "sys": (
        "engine",
        "transmission",
        "body",
        "chassis",
        "electrical",
        "interior",
        "battery",
        "electric_drive",
        "assembly_labour",
        "rnd_overhead",
        "profit",
    ),
}


def named(family: str, id_: str) -> str:
    """The message key of one id of a family (`sys`, `region`, …); MissingMessage for an undeclared id."""
    if id_ not in FAMILIES[family]:
        raise MissingMessage(f"'{id_}' is not declared in the message family '{family}'")
    return f"{family}_{id_}"


class ByDataLang(dict):
    """Something per data language (a column name, a wording): English for a language the data does not have."""

    def __missing__(self, lang: str):
        return self["en"]


@cache
def messages(lang: str) -> dict[tuple[str, str | None], str]:
    """A language's catalogue, `locales/<lang>/LC_MESSAGES/messages.po`: (key, context) -> text."""
    path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as f:
        catalogue = read_po(f, locale=None)
    return {(m.id, m.context): m.string for m in catalogue if m.id and m.string}


def t(key: str, lang: str = DEFAULT, **values) -> str:
    """The text for `key` in `lang`, with its {named} placeholders filled; MissingMessage when it has none."""
    if lang not in LANGUAGES:
        raise MissingMessage(f"no catalogue for language '{lang}' (locales/{lang}/LC_MESSAGES/messages.po)")
    try:
        text = messages(lang)[key, None]
    except KeyError:
        raise MissingMessage(f"message '{key}' is missing from the '{lang}' catalogue") from None
    return text.format(**values) if values else text


MONTHS_ES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def fmt_number(n: float, lang: str = DEFAULT, decimals: int = 0) -> str:
    """A number as the language writes it: Mexican Spanish and English both group with ',' and use '.'."""
    return f"{n:,.{decimals}f}"


def fmt_datetime(moment, lang: str = DEFAULT) -> str:
    """A date-time as the language writes it: '24 nov 2026, 11:05' or 'Nov 24, 2026, 11:05'."""
    if lang != "es":
        return moment.strftime("%b %-d, %Y, %H:%M")
    return f"{moment.day} {MONTHS_ES[moment.month - 1]} {moment.year}, {moment:%H:%M}"


def value(v: str, lang: str = DEFAULT) -> str:
    """A data value (tier, status, …) in the user's language; unchanged where the catalogue has no entry, as
    for a value in a user's own file (data, not a message the code asks for)."""
    return messages(lang).get((v, VALUE), v)
