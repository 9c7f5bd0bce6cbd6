"""Widget values in the address bar as stable ids, whatever language the labels are in.

Streamlit's own `bind="query-params"` writes a widget's *label* into the URL, so a link would change
with the interface language. Here a widget's value is written as ids after it is drawn (`publish`),
and a link's ids (or any known spelling of them) are taken into the widget before it is drawn
(`restore`) whenever the address brings something new: a pasted link, or a `page_link` with params.
"""

from datetime import date

import streamlit as st

PUBLISHED = "_url_published"  # what this session last wrote for each key


def encode(value) -> list[str]:
    """A widget value as URL values: ids, 'true', ISO dates; nothing for an empty value."""
    if value is None or value is False or value == () or value == []:
        return []
    if value is True:
        return ["true"]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, date):
        return [value.isoformat()]
    return [str(value)]


def restore(key: str, spellings: dict[str, object], many: bool = False, default=None) -> bool:
    """Take the URL's value for `key` into the widget's state when the address brings a new one.

    `spellings` maps every accepted spelling (lower case) to its value; `default` is the widget's value
    when neither the session nor the address has one (so the widget itself is drawn without a default).
    Returns False when some value in the address was unknown (it is dropped; the rest is kept).
    """
    if default is not None and key not in st.session_state:
        st.session_state[key] = default
    raw = st.query_params.get_all(key)
    published = st.session_state.setdefault(PUBLISHED, {})
    if not raw or raw == published.get(key):
        return True
    decoded = [spellings.get(r.casefold()) for r in raw]
    known = [v for v in decoded if v is not None]
    if many:
        st.session_state[key] = list(dict.fromkeys(known))
    elif known:
        st.session_state[key] = known[0]
    published[key] = raw
    return len(known) == len(decoded)


def publish(key: str, value, default=None) -> None:
    """Write a widget's value into the address bar as ids (nothing when it is the default)."""
    encoded = [] if value == default else encode(value)
    if encoded:
        st.query_params[key] = encoded if len(encoded) > 1 else encoded[0]
    elif key in st.query_params:
        del st.query_params[key]
    st.session_state.setdefault(PUBLISHED, {})[key] = encoded
