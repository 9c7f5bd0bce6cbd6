"""valuechain dashboard entry point: `streamlit run dashboard.py`."""

import streamlit as st

from ui.common import sidebar, tr
from valuechain import db

st.set_page_config(page_title="valuechain", page_icon="🚗", layout="wide")

if not db.db_path().is_file():
    st.error(tr("no_db"))
    st.stop()

sidebar()
pages = [
    st.Page("views/overview.py", title=tr("page_overview"), icon="🏠", url_path="overview", default=True),
    st.Page("views/map.py", title=tr("page_map"), icon="🗺️", url_path="map"),
    st.Page("views/clusters.py", title=tr("page_clusters"), icon="🏭", url_path="clusters"),
    st.Page("views/tiers.py", title=tr("page_tiers"), icon="📊", url_path="tiers"),
    st.Page("views/usmca.py", title=tr("page_usmca"), icon="🌎", url_path="usmca"),
    st.Page("views/explore.py", title=tr("page_explore"), icon="🔎", url_path="explore"),
    st.Page("views/data.py", title=tr("page_data"), icon="🗄️", url_path="data"),
]
st.navigation(pages).run()
