"""The board deck: built from the current view, opens in python-pptx, every slide with its source."""

import io
from pathlib import Path

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")

if not Path("/usr/bin/chromium").exists():
    pytest.skip("chart images need Debian's chromium (.ci/run installs it)", allow_module_level=True)


def test_board_deck_from_the_overview(app_env):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["corridor"] = "Bajío"
    at.run()
    at.button(key="prepare_deck").click().run()
    assert not at.exception and not at.error
    pptx, pdf = at.session_state["_deck"]
    slides = list(Presentation(io.BytesIO(pptx)).slides)
    titles = [s.shapes.title.text for s in slides]
    assert titles[0] == "REDCAM · Cadenas de valor automotrices de México"
    assert titles[1:] == [
        "Socios por estado",
        "Socios por nivel y clúster",
        "Comparar clústeres (hasta 4)",
        "Contenido regional: del TLCAN al T-MEC",
    ]
    assert "Corredor: Bajío" in slides[0].placeholders[1].text
    for slide in slides[1:]:
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        assert any(t.startswith("Fuente:") for t in texts), slide.shapes.title.text
    pictures = [sh for s in slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 3  # map, tiers, waterfall
    assert any(sh.has_table for sh in slides[3].shapes)
    usmca = " ".join(sh.text_frame.text for sh in slides[4].shapes if sh.has_text_frame)
    assert "No originario: no cumple contenido de valor regional" in usmca  # the verdict in words, as on /usmca
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 5
    assert [b.label for b in at.download_button] == ["Descargar PowerPoint", "Descargar PDF"]
