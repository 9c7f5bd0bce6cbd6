"""Every page speaks one language at a time: no string of the other catalog leaks onto the screen."""

import json
import re
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ui.pages import SCRIPTS
from valuechain.i18n import messages

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")
LANG_LABEL = {"es": "Español", "en": "English"}
BILINGUAL = {"Idioma", "Language"}  # the language switch is labelled in both on purpose
PROPER = {"name", "legal_name", "company", "plant_name", "products"}  # names: their own language


def own_words(lang: str) -> set[str]:
    """Texts of one catalog that the other catalog does not share (fixed parts of templates)."""
    other = "en" if lang == "es" else "es"
    shared = {text for (_, ctx), text in messages(other).items() if ctx is None}
    words = set()
    for (_, ctx), text in messages(lang).items():
        if ctx is not None:
            continue
        if text in shared:
            continue
        for part in text.split("{"):
            fixed = part.split("}")[-1].strip(" .:;,()·-")
            if len(fixed) >= 8 and fixed not in BILINGUAL and not re.fullmatch(r"[a-z0-9_]+", fixed):  # ids are neutral
                words.add(fixed)
    return words


def screen_text(at: AppTest) -> list[str]:
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error"):
        texts += [e.value for e in getattr(at, kind)]
    texts += [m.label for m in at.metric]
    for kind in (
        "selectbox",
        "multiselect",
        "radio",
        "slider",
        "checkbox",
        "toggle",
        "number_input",
        "date_input",
        "button",
        "download_button",
    ):
        texts += [w.label for w in at.get(kind)]
        texts += [w.proto.placeholder for w in at.get(kind) if getattr(w.proto, "placeholder", "")]
        texts += [w.proto.help for w in at.get(kind) if getattr(w.proto, "help", "")]
    for table in at.table:
        texts += [str(v) for v in table.value.astype(str).to_numpy().ravel()] + [str(i) for i in table.value.index]
    for frame in at.dataframe:
        value, config = frame.value, json.loads(frame.proto.columns or "{}")
        shown = [c for c in value.columns if not config.get(str(c), {}).get("hidden")]
        texts += [config.get(str(c), {}).get("label") or str(c) for c in shown]  # headers as the user sees them
        if not config.get("_index", {}).get("hidden"):
            texts += [str(i) for i in value.index]
        worded = [c for c in shown if str(c) not in PROPER]  # a firm's or a plant's own name keeps its language
        texts += [v for row in value[worded].head(50).itertuples(index=False) for v in row if isinstance(v, str)]
    return texts


def data_words(con, lang: str) -> set[str]:
    """Names of reference values (tiers, processes, corridors, SCIAN classes) that exist only in one language."""
    other = "en" if lang == "es" else "es"
    words = set()
    for table in ("tiers", "processes", "corridors", "scian"):
        for mine, theirs in con.execute(f"SELECT name_{lang}, name_{other} FROM {table}").fetchall():
            if mine != theirs and len(mine) >= 6:
                words.add(mine)
    return words


def without_names(text: str, names: list[str]) -> str:
    """Proper names keep their own language (a source's title, a plant's name); everything else follows the switch."""
    for name in names:
        text = text.replace(name, "")
    return text


@pytest.fixture(autouse=True)
def _app(app_env):
    return app_env


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("page", SCRIPTS)
def test_no_string_of_the_other_language(page, lang, app_env):
    _app_db = app_env
    other = "en" if lang == "es" else "es"
    foreign = own_words(other)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    with duckdb.connect(str(_app_db), read_only=True) as con:
        proper = (
            "SELECT citation FROM sources UNION SELECT url FROM sources UNION SELECT plant_name FROM plants "
            "UNION SELECT products FROM plants UNION SELECT name FROM members"
        )
        citations = sorted((r[0] for r in con.execute(proper).fetchall() if r[0]), key=len)[::-1]
        foreign |= data_words(con, other) - data_words(con, lang)
    texts = [without_names(text, citations) for text in screen_text(at)]
    alternatives = "|".join(re.escape(w) for w in sorted(foreign, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")  # one pass per text, not one per word and text
    leaks = {m.group(0) for text in texts for m in pattern.finditer(text)}
    assert not leaks, (page, lang, leaks)
