"""The dashboard as Streamlit runs it (AppTest), on the built sample database."""

from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")


@pytest.fixture(autouse=True)
def app_db(built_db, monkeypatch):
    monkeypatch.setenv("VALUECHAIN_DB", str(built_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield built_db
    st.cache_resource.clear()


def test_entry_page_shows_counts_and_sample_banner(app_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("datos de muestra" in w.value for w in at.warning)
    with duckdb.connect(str(app_db), read_only=True) as con:
        members = con.execute("SELECT count(*) FROM members").fetchone()[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["members"] == f"{members:,}"
