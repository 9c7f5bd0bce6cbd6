"""Streamlit glue shared by the entry point and the pages: connection, cached queries, filters.

Kept apart from `valuechain/` (which never imports Streamlit); holds no SQL of its own.
"""

from collections.abc import Callable

import streamlit as st

from valuechain import db, figures, queries
from valuechain.filters import TIERS, Filters
from valuechain.i18n import LANGUAGES, t, value

TIER_LABELS = {
    "University": "Universidad / University",
    "Government": "Gobierno / Government",
    "Services": "Servicios / Services",
}
MULTI_KEYS = ("cluster", "state", "tier", "process", "scian")
# Projector mode: larger type everywhere, charts included (see chart()).
PRESENTATION_CSS = """<style>
html, .stApp { font-size: 22px; }
.stApp h1 { font-size: 3rem; } .stApp h2, .stApp h3 { font-size: 2.1rem; }
[data-testid="stMetricValue"] { font-size: 3.2rem; }
.block-container { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
</style>"""
PRESENTATION_FONT = 24


@st.cache_resource(on_release=lambda con: con.close())
def connection():
    """The read-only database connection shared by every session (a cursor per query)."""
    return db.connect()


@st.cache_data(ttl=600, max_entries=512, show_spinner=False)
def cached(name: str, *args):
    """Run `valuechain.queries.<name>(con, *args)` once per distinct arguments."""
    return getattr(queries, name)(connection(), *args)


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def cached_figure(name: str, *args):
    """Build `valuechain.figures.<name>(*args)` once per distinct arguments (figures are costly to assemble)."""
    return getattr(figures, name)(*args)


def tier_labels() -> dict[str, str]:
    """Every tier in the current language."""
    return {tier: tier_label(tier) for tier in TIERS}


def fresh(name: str, *args):
    """Run `valuechain.queries.<name>` without caching (for downloads of possibly millions of rows)."""
    return getattr(queries, name)(connection(), *args)


def lang() -> str:
    return st.session_state.get("lang", "es")


def tr(key: str, **values) -> str:
    """Translate a key in the current language."""
    return t(key, lang(), **values)


def current_filters() -> Filters:
    """The filters the sidebar set on this run."""
    return st.session_state.get("_filters", Filters())


def _labels() -> dict[str, dict[str, str]]:
    """value -> label for every filter; labels do not depend on the language, so URLs travel."""
    opts = cached("options", "es")
    processes_en = cached("options", "en")["process"]
    return {
        "cluster": opts["cluster"],
        "state": opts["state"],
        "corridor": opts["corridor"],
        "tier": {tier: TIER_LABELS.get(tier, tier) for tier in TIERS},
        "process": {k: f"{v} / {processes_en[k]}" for k, v in opts["process"].items()},
        "scian": opts["scian"],
        "lang": {"es": "Español", "en": "English"},
    }


def _sanitise_url(labels: dict[str, dict[str, str]]) -> list[str]:
    """Drop unknown values from bound URL parameters before the widgets read them; name what was dropped."""
    ignored = []
    for key in (*MULTI_KEYS, "corridor", "lang"):
        raw = st.query_params.get_all(key)
        by_label = {label: value for value, label in labels[key].items()}
        bad = [r for r in raw if r not in by_label]
        if not bad:
            continue
        ignored.append(key)
        if key in MULTI_KEYS and key not in st.session_state:
            st.session_state[key] = [by_label[r] for r in raw if r in by_label]
    for key in ("jalisco", "iatf"):
        if any(v.lower() not in ("true", "false") for v in st.query_params.get_all(key)):
            ignored.append(key)
    return ignored


def sidebar() -> Filters:
    """Draw the shared filters (bound to the URL) and return them; also sets the language."""
    labels = _labels()
    ignored = _sanitise_url(labels)
    side = st.sidebar
    side.radio(
        t("language", "es") + " / " + t("language", "en"),
        LANGUAGES,
        key="lang",
        horizontal=True,
        format_func=labels["lang"].get,
        bind="query-params",
    )
    side.header(tr("filters"))

    def multi(key: str, label_key: str) -> tuple[str, ...]:
        return tuple(
            side.multiselect(
                tr(label_key), list(labels[key]), format_func=labels[key].get, key=key, bind="query-params"
            )
        )

    clusters = multi("cluster", "cluster")
    states = multi("state", "state")
    corridor = side.selectbox(
        tr("corridor"),
        [None, *labels["corridor"]],
        key="corridor",
        bind="query-params",
        format_func=lambda c: tr("corridor_none") if c is None else labels["corridor"][c],
    )
    jalisco = side.checkbox(tr("with_jalisco"), key="jalisco", bind="query-params") if corridor == "bajio" else False
    tiers = multi("tier", "tier")
    processes = multi("process", "process")
    scian = multi("scian", "scian")
    iatf = side.checkbox(tr("iatf_only"), key="iatf", bind="query-params")
    side.divider()
    if side.toggle(tr("presentation"), key="present", bind="query-params"):
        st.html(PRESENTATION_CSS)
    if ignored:
        side.info(tr("ignored_params", keys=", ".join(ignored)))
    filters = Filters(
        clusters=clusters,
        states=states,
        corridor=corridor,
        tiers=tiers,
        processes=processes,
        scian=scian,
        iatf_only=iatf,
        include_optional=jalisco,
        notices=tuple(ignored),
    )
    st.session_state["_filters"] = filters
    return filters


def filters_in_words(f: Filters) -> str:
    """The active filters as a sentence fragment, in the current language."""
    labels = _labels()
    parts = []
    for key, values in (
        ("cluster", f.clusters),
        ("state", f.states),
        ("tier", f.tiers),
        ("process", f.processes),
        ("scian", f.scian),
    ):
        if values:
            parts.append(f"{tr(key)}: " + ", ".join(labels[key].get(v, v) for v in values))
    if f.corridor:
        parts.append(
            f"{tr('corridor')}: {labels['corridor'][f.corridor]}" + (" + Jalisco" if f.include_optional else "")
        )
    if f.iatf_only:
        parts.append(tr("iatf_only"))
    return "; ".join(parts) or tr("no_filters")


def sample_banner() -> None:
    """Say plainly, wherever members are shown, when they are generated sample data."""
    if cached("members_are_sample"):
        st.warning(tr("sample_banner"), icon="⚠️")


def members_source() -> str:
    return tr("src_members_sample") if cached("members_are_sample") else tr("src_members_files")


def chart(fig, sources: list[str], key: str | None = None, on_select: str | Callable = "ignore") -> object:
    """A projector-ready chart with plotly's PNG export and its source line underneath."""
    if st.session_state.get("present"):
        fig.update_layout(font={"size": PRESENTATION_FONT})
    event = st.plotly_chart(
        fig,
        config=figures.CHART_CONFIG,
        key=key,
        on_select=on_select,
        selection_mode="points" if on_select != "ignore" else ("points", "box", "lasso"),
    )
    st.caption(tr("source_line", sources="; ".join(sources)))
    return event


def facts_table(cluster_id: str | None = None) -> None:
    """The network's published facts (all, or one cluster's), each with its year or why it has none, and source."""
    facts = cached("network_facts")
    if cluster_id is not None:
        facts = facts[facts["cluster_id"] == cluster_id]
    if facts.empty:
        return
    fact, note = f"fact_{lang()}", f"year_note_{lang()}"
    st.dataframe(
        facts[["subject", fact, "year", note, "source"]],
        hide_index=True,
        column_config={
            "subject": tr("cluster"),
            fact: st.column_config.TextColumn(tr("fact"), width="large"),
            "year": st.column_config.NumberColumn(tr("year"), format="%d"),
            note: tr("year_note"),
            "source": tr("source"),
        },
    )
    st.caption(tr("source_line", sources="data/SOURCES.md"))


def tier_label(tier: str) -> str:
    """A tier in the current language."""
    return value(tier, lang())
