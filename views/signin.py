"""Sign in: what signing in gives, and the button that starts the provider's sign-in."""

import streamlit as st

from ui.common import tr

st.title(tr("signin_title"))
st.markdown(tr("signin_intro"))
st.button(tr("sign_in"), type="primary", on_click=st.login, key="sign_in_page", icon="🔑")
