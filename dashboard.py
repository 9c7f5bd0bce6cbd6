"""valuechain dashboard entry point: `streamlit run dashboard.py`."""

import streamlit as st

from valuechain import db, queries

st.set_page_config(page_title="valuechain", page_icon="🚗", layout="wide")


@st.cache_resource(on_release=lambda con: con.close())
def connection():
    """The read-only database connection shared by every session."""
    return db.connect()


if not db.db_path().is_file():
    st.error("No database yet. Build it with `python -m etl build`, then reload this page.")
    st.stop()

con = connection()
st.title("Cadenas de valor automotrices de México")
if queries.members_are_sample(con):
    st.warning(
        "Los socios mostrados son datos de muestra generados por código (source = 'sample'), no una lista real. "
        "Cargue su propia lista con `python -m etl import-members ARCHIVO`."
    )
counts = queries.table_counts(con)
for col, (table, n) in zip(st.columns(len(counts)), counts.items(), strict=True):
    col.metric(table, f"{n:,}")
