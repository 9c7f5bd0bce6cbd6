"""The board deck: built from the current view, 16:9 with nothing overlapping, every page sourced and warned."""

import io
from itertools import combinations
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")

if not Path("/usr/bin/chromium").exists():
    pytest.skip("chart images need Debian's chromium (.ci/run installs it)", allow_module_level=True)


def texts(slide) -> list[str]:
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]


def make_deck(at: AppTest) -> tuple[list, bytes, Presentation]:
    at.switch_page("views/overview.py").run()
    at.button(key="prepare_deck").click().run()
    assert not at.exception and not at.error
    pptx, pdf = at.session_state["_deck"]["files"]
    return list(Presentation(io.BytesIO(pptx)).slides), pdf, Presentation(io.BytesIO(pptx))


@pytest.fixture(scope="module")
def deck_of_bajio(built_db, tmp_path_factory):
    """One deck of the Bajío for the tests that only read it (building a deck renders every chart)."""
    import streamlit as st

    with pytest.MonkeyPatch.context() as env:
        env.setenv("VALUECHAIN_DB", str(built_db))
        env.setenv("VALUECHAIN_AUDIT", str(tmp_path_factory.mktemp("deck") / "audit.jsonl"))
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(APP, default_timeout=180)
        at.query_params["corridor"] = "bajio"
        at.run()
        yield at, *make_deck(at)
        st.cache_resource.clear()


def test_board_deck_from_the_overview(deck_of_bajio):
    at, slides, pdf, _ = deck_of_bajio
    titles = [texts(s)[0] for s in slides]
    assert titles[0] == "REDCAM · Cadenas de valor automotrices de México"
    assert titles[1:] == [
        "Qué cambió",
        "Socios por estado",
        "Socios por nivel y clúster",
        "Comparar clústeres (hasta 4)",
        "Contenido regional: del TLCAN al T-MEC",
        "Empresas y tasas, 2026-Q4",  # /talent's table: by cluster, the latest quarter unless the page chose
    ]
    assert "Corredor: Bajío" in " ".join(texts(slides[0]))
    for slide in slides[1:]:
        assert any(t.startswith("Fuente:") for t in texts(slide)), texts(slide)[0]
    for slide in slides:  # the sample-data warning on every page, in a size a room can read
        warning = [sh for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text.startswith("Datos de muestra")]
        assert warning and warning[0].text_frame.paragraphs[0].font.size.pt >= 16
    pictures = [sh for s in slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 3  # map, tiers, waterfall
    assert "DENUE 2024-11 → 2025-11" in " ".join(texts(slides[1]))  # what changed comes first
    assert any(sh.has_table for sh in slides[4].shapes)
    usmca = " ".join(texts(slides[5]))
    assert "No originario: no cumple contenido de valor regional" in usmca  # the verdict in words, as on /usmca
    assert [b.label for b in at.download_button] == ["Descargar PowerPoint", "Descargar PDF"]


def test_every_shape_lies_on_the_16_9_slide_and_none_overlap(deck_of_bajio):
    _, slides, _, prs = deck_of_bajio
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.001  # 13.333 x 7.5 in
    for n, slide in enumerate(slides):
        boxes = [(sh.name, sh.left, sh.top, sh.left + sh.width, sh.top + sh.height) for sh in slide.shapes]
        for name, left, top, right, bottom in boxes:
            assert left >= 0 and top >= 0 and right <= prs.slide_width and bottom <= prs.slide_height, (n, name)
        for a, b in combinations(boxes, 2):
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, (n, a[0], b[0])


def test_the_pdf_keeps_its_text_selectable(deck_of_bajio):
    _, slides, pdf, _ = deck_of_bajio
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == len(slides)
    assert "Socios por estado" in pages[2].extract_text()
    assert "Corredor: Bajío" in pages[0].extract_text() and "Datos de muestra" in pages[0].extract_text()


def test_the_usmca_slide_shows_the_scenario_on_screen(app_env):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["on"] = "2024-01-01"
    at.run()
    at.switch_page("views/usmca.py").run()
    at.slider(key="mv_electrical").set_value(100).run()
    on_screen = next(m.value for m in at.metric if m.label.startswith("CVR T-MEC"))
    slides, _, _ = make_deck(at)
    assert f"{on_screen}" in " ".join(texts(slides[5]))  # the slider's effect reached the slide


def test_a_deck_of_another_view_is_not_offered(app_env):
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    make_deck(at)
    assert at.download_button
    at.sidebar.multiselect(key="state").set_value(["19"]).run()
    assert not at.download_button and any("cambiaron" in i.value for i in at.info)


def test_the_invitation_and_event_slides_show_what_their_pages_showed(app_env):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["process"] = ["machining", "stamping"]
    at.query_params["plant"] = "gm_ramos"
    at.run()
    at.switch_page("views/suppliers.py").run()
    first = at.dataframe[0].value.iloc[0]["name"]
    at.switch_page("views/event.py").run()
    at.button(key="event_use_sample").click().run()
    at.number_input(key="event_time_limit").set_value(1).run()
    at.button(key="event_schedule").click().run()
    at.button(key="event_sample_outcomes").click().run()
    held = next(m.value for m in at.metric if m.label == "Reuniones realizadas")
    slides, pdf, prs = make_deck(at)
    invite = texts(slides[-2])
    assert invite[0] == "A quién invitar: Maquinado, Estampado y troquelado"
    table = next(sh.table for sh in slides[-2].shapes if sh.has_table)
    assert table.cell(1, 1).text == first and table.cell(0, 2).text == "Tipo"
    assert "A quién invitar" in PdfReader(io.BytesIO(pdf)).pages[-2].extract_text()
    for slide in slides[-2:]:
        boxes = [(sh.left, sh.top, sh.left + sh.width, sh.top + sh.height) for sh in slide.shapes]
        assert all(r <= prs.slide_width and b <= prs.slide_height for _, _, r, b in boxes)
    event = texts(slides[-1])
    assert event[0] == "Encuentro de proveedores 2027 (muestra): resultados"
    assert f"{held} reuniones realizadas" in " ".join(event) and "Datos de muestra" in " ".join(event)
    assert "resultados" in PdfReader(io.BytesIO(pdf)).pages[-1].extract_text()


def test_a_public_deck_names_no_member(app_env, tmp_path, monkeypatch):
    import duckdb

    from tests.test_access import AUTH, ROLES

    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("VALUECHAIN_ROLES", str(roles))
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "otra@correo.example"}
    at.query_params["process"] = ["machining", "stamping"]
    at.query_params["plant"] = "gm_ramos"
    at.run()
    at.switch_page("views/suppliers.py").run()
    slides, pdf, _ = make_deck(at)
    cells = [c.text for s in slides for sh in s.shapes if sh.has_table for row in sh.table.rows for c in row.cells]
    text = " ".join(
        [*(t for s in slides for t in texts(s)), *cells, PdfReader(io.BytesIO(pdf)).pages[-1].extract_text()]
    )
    with duckdb.connect(str(app_env), read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT name FROM members").fetchall()]
    assert not [n for n in names if n in text]
    assert "Prospecto" in cells and "Socio" not in cells  # the invitation slide lists prospects only
