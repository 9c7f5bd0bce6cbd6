"""Every page speaks one language at a time: no string of the other catalog leaks onto the screen."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.pages import SCRIPTS
from valuechain.i18n import CATALOG

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")
LANG_LABEL = {"es": "Español", "en": "English"}
BILINGUAL = {"Idioma", "Language"}  # the language switch is labelled in both on purpose


def own_words(lang: str) -> set[str]:
    """Texts of one catalog that the other catalog does not share (fixed parts of templates)."""
    other = "en" if lang == "es" else "es"
    shared = set(CATALOG[other].values())
    words = set()
    for text in CATALOG[lang].values():
        if text in shared:
            continue
        for part in text.split("{"):
            fixed = part.split("}")[-1].strip(" .:;,()·-")
            if len(fixed) >= 8 and fixed not in BILINGUAL:
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
    return texts


@pytest.fixture(autouse=True)
def _app(app_env):
    return app_env


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("page", SCRIPTS)
def test_no_string_of_the_other_language(page, lang):
    other = "en" if lang == "es" else "es"
    foreign = own_words(other)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = LANG_LABEL[lang]
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    leaks = {w for text in screen_text(at) for w in foreign if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)}
    assert not leaks, (page, lang, leaks)
