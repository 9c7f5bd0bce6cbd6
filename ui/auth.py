"""Sign-in with Streamlit's own OpenID Connect support, and the session's viewer (role) for every read.

Local mode (no `[auth]` in `.streamlit/secrets.toml`): everything visible, as before. Server mode: the
roles file names staff and admins; any other signed-in user is public; someone not signed in sees the
sign-in screen and the public pages.
"""

from pathlib import Path

import streamlit as st

from valuechain import access
from valuechain.access import Viewer

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_PAGES = ("overview", "map", "specialisation", "usmca", "talent")  # url paths open without signing in


def configured() -> bool:
    """Whether an OpenID Connect provider is configured (`[auth]` in the secrets)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


@st.cache_data(ttl=30, show_spinner=False)
def _roles(path: str, mtime_ns: int) -> access.Roles:
    return access.read_roles(Path(path))


def roles() -> access.Roles:
    """The roles file as it is now (read again when it changes)."""
    path = access.roles_path(ROOT)
    return _roles(str(path), path.stat().st_mtime_ns if path.is_file() else 0)


def signed_in() -> bool:
    """Whether someone is signed in with the configured provider."""
    return configured() and bool(st.user.is_logged_in)


def viewer() -> Viewer:
    """Who this session is: local mode, a signed-in user with their role, or a public visitor."""
    if not configured():
        return access.LOCAL
    if not st.user.is_logged_in:
        return access.PUBLIC
    email = st.user.get("email")
    return access.viewer_for(email, roles())


def page_open(url_path: str) -> bool:
    """Whether this session's navigation has the page (someone not signed in has the public pages only)."""
    return not configured() or signed_in() or url_path in PUBLIC_PAGES
