"""What pages last showed in this session, for the board deck: one typed object under one session key.

A page that the deck repeats (the USMCA scenario, the invitation list, the comparisons) records what it drew
here; the deck reads it back, or the defaults when the page was not opened.
"""

from dataclasses import dataclass, field, replace

import streamlit as st

from valuechain import scenario
from valuechain.catalog import Filters
from valuechain.visible import Near

KEY = "_shown"


@dataclass(frozen=True)
class Shown:
    """The choices the deck repeats."""

    usmca: scenario.Inputs = field(default_factory=scenario.Inputs)  # the /usmca scenario
    supplier_need: tuple[Filters, Near | None] | None = None  # the /suppliers need (else the sidebar's filters)
    editions: tuple[str, str] | None = None  # the two DENUE editions the Overview compares
    loads: tuple[int, int | None] | None = None  # the two member loads the Overview compares (None: now)
    compare: tuple[str, ...] = ()  # the clusters /clusters compares
    talent: tuple[str, str] | None = None  # (level, period) of the /talent table
    event: tuple[str, bool, dict] | None = None  # the /event results: (name, sample, event.report's answer)


def shown() -> Shown:
    """What this session's pages last showed (defaults for pages not opened)."""
    return st.session_state.get(KEY) or Shown()


def remember(**changes) -> None:
    """Record what a page shows, for the deck."""
    st.session_state[KEY] = replace(shown(), **changes)
