"""The message catalogues under locales/: every message the code can ask for exists in every language, none is
unused, placeholders match, and a missing message is an error, not a silent fallback."""

import re
import string
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from babel.messages.pofile import read_po

from valuechain import i18n
from valuechain.extract_messages import asked, template
from valuechain.i18n import FAMILIES, LANGUAGES, VALUE, MissingMessage, messages, t

ROOT = Path(__file__).resolve().parents[1]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def wanted() -> set[str]:
    return asked()


def test_every_catalogue_is_a_language_and_the_default_comes_first():
    assert LANGUAGES[0] == i18n.DEFAULT and {"es", "en"} <= set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_the_code_can_ask_for_exists(lang, wanted):
    have = {k for k, ctx in messages(lang) if ctx is None}
    assert not wanted - have, sorted(wanted - have)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_is_unused(lang, wanted):
    have = {k for k, ctx in messages(lang) if ctx is None}
    assert not have - wanted, sorted(have - wanted)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != i18n.DEFAULT])
def test_placeholders_match_the_default_language(lang):
    default = messages(i18n.DEFAULT)
    differ = {
        key: (placeholders(text), placeholders(default[key, ctx]))
        for (key, ctx), text in messages(lang).items()
        if (key, ctx) in default and placeholders(text) != placeholders(default[key, ctx])
    }
    assert not differ, differ


def test_placeholders_are_named():
    numbered = [k for lang in LANGUAGES for (k, _), text in messages(lang).items() if re.search(r"\{\d*[}:]", text)]
    assert not numbered, numbered


def test_a_missing_message_is_an_error_not_a_fallback():
    with pytest.raises(MissingMessage, match="'no_such_message' is missing from the 'en' catalogue"):
        t("no_such_message", "en")
    with pytest.raises(MissingMessage, match="no catalogue for language 'xx'"):
        t("app_title", "xx")
    with pytest.raises(MissingMessage, match="not declared in the message family 'sys'"):
        i18n.named("sys", "flux_capacitor")


def test_the_families_cover_the_ids_the_engine_and_data_keep(built_db):
    from valuechain import rvc
    from valuechain.access import ROLES

    assert set(rvc.ROLLUPS) == set(FAMILIES["rollup"])
    assert set(ROLES) == set(FAMILIES["role"])
    with duckdb.connect(str(built_db), read_only=True) as con:
        archetypes = {r[0] for r in con.execute("SELECT DISTINCT archetype FROM bom_archetypes").fetchall()}
        systems = {r[0] for r in con.execute("SELECT DISTINCT system FROM bom_archetypes").fetchall()}
    assert archetypes == set(FAMILIES["arch"])
    assert systems <= set(FAMILIES["sys"])


def test_every_data_value_with_a_message_is_in_every_language_and_in_the_data_or_schema(built_db):
    values = {lang: {k for k, ctx in messages(lang) if ctx == VALUE} for lang in LANGUAGES}
    assert all(v == values[i18n.DEFAULT] for v in values.values()), values
    with duckdb.connect(str(built_db), read_only=True) as con:
        seen = {
            r[0]
            for query in (
                "SELECT DISTINCT tier_id FROM tiers",
                "SELECT DISTINCT status FROM plants",
                "SELECT DISTINCT vehicle_class FROM plants",
                "SELECT DISTINCT unnest([share_basis, origin_basis, originating_basis]) FROM bom_archetypes",
                "SELECT DISTINCT net_cost_basis FROM bom_archetype_vehicles",
            )
            for r in con.execute(query).fetchall()
        }
    schema = (ROOT / "etl/schema.sql").read_text(encoding="utf-8")
    checks = re.findall(r"CHECK \(\w+ IN \(([^)]*)\)\)", schema)
    allowed = {v for group in checks for v in re.findall(r"'([^']*)'", group)}
    assert values[i18n.DEFAULT] <= seen | allowed, values[i18n.DEFAULT] - seen - allowed


def test_the_catalogues_compile_with_pybabel(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(ROOT / "locales")]
        + ["-o", str(tmp_path / "messages.mo"), "--statistics"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_the_template_is_current():
    """`make messages` was run after the code's messages changed: the committed template lists them all."""
    with open(ROOT / "locales" / "messages.pot", "rb") as f:
        committed = {(m.id, m.context) for m in read_po(f) if m.id}
    assert committed == {(m.id, m.context) for m in template() if m.id}
