"""valuechain dashboard entry point: `streamlit run dashboard.py`."""

import streamlit as st

from ui import auth, data
from ui.common import sidebar, tr
from ui.pages import PAGES

st.set_page_config(page_title="valuechain", page_icon="🚗", layout="wide")

if not data.database_exists():
    st.error(tr("no_db"))
    st.stop()

data.refresh_if_rebuilt()  # a rebuild from the command line reaches every session on its next rerun
sidebar()
pages = [
    st.Page(script, title=tr(title), icon=icon, url_path=path, default=i == 0)
    for i, (script, title, icon, path) in enumerate(PAGES)
    if auth.page_open(path)
]
if auth.configured() and not auth.signed_in():  # not signed in: the sign-in screen and the public pages
    pages.append(st.Page("views/signin.py", title=tr("sign_in"), icon="🔑", url_path="signin"))
st.navigation(pages).run()
