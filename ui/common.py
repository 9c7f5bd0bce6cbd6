"""Streamlit glue shared by the entry point and the pages: language, the sidebar, banners, charts.

Kept apart from `valuechain/` (which never imports Streamlit); holds no SQL of its own. The sidebar is
drawn from the catalog (`valuechain.catalog.DIMENSIONS`); its values travel in the URL as stable ids.
"""

from collections.abc import Callable

import streamlit as st

from ui import auth, data, urlstate
from valuechain import access, audit, catalog, figures
from valuechain.catalog import DIMENSIONS, Filters
from valuechain.i18n import LANGUAGES, ByDataLang, named, t

LANG_NAMES = {code: t("language_name", code) for code in LANGUAGES}  # each language names itself
# Projector mode: larger type everywhere, charts included (see chart()).
PRESENTATION_CSS = """<style>
html, .stApp { font-size: 22px; }
.stApp h1 { font-size: 3rem; } .stApp h2, .stApp h3 { font-size: 2.1rem; }
[data-testid="stMetricValue"] { font-size: 3.2rem; }
.block-container { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
</style>"""
PRESENTATION_FONT = 24


def lang() -> str:
    return st.session_state.get("lang", "es")


def tr(key: str, **values) -> str:
    """Translate a key in the current language."""
    return t(key, lang(), **values)


def current_filters() -> Filters:
    """The filters the sidebar set on this run."""
    return st.session_state.get("_filters", Filters())


def names(key: str, language: str | None = None, short: bool = False) -> dict[str, str]:
    """A dimension's values -> their names (or short names) in the current language."""
    values = data.dimension_values(key)
    column = ("short_" if short else "name_") + ByDataLang(es="es", en="en")[language or lang()]
    return dict(zip(values["id"], values[column], strict=True))


def aliases(key: str) -> dict[str, str]:
    """Every spelling a link may use for a dimension's value (id, names and short names in both languages)."""
    values = data.dimension_values(key)
    out = {}
    for row in values.itertuples(index=False):
        for spelling in row:
            out[str(spelling).casefold()] = row.id
    return out


def tier_labels() -> dict[str, str]:
    """Every tier in the current language."""
    return names("tier")


def tier_label(tier: str) -> str:
    """A tier in the current language."""
    return tier_labels().get(tier, tier)


def account() -> None:
    """The sidebar's first line: local mode, who is signed in and as what (with sign-out), or sign-in."""
    side = st.sidebar
    viewer = auth.viewer()
    if viewer.local:
        side.caption(tr("local_mode"))
    elif viewer.email:
        side.caption(tr("signed_in_as", email=viewer.email, role=tr(named("role", viewer.role))))
        side.button(tr("sign_out"), on_click=st.logout, key="sign_out", icon="🚪")
    else:
        side.caption(tr("not_signed_in"))
        side.button(tr("sign_in"), on_click=st.login, key="sign_in", icon="🔑")


def sidebar() -> Filters:
    """Draw the shared filters from the catalog (ids in the URL) and return them; also sets the language."""
    side = st.sidebar
    urlstate.restore("lang", {**{k: k for k in LANGUAGES}, **{v.casefold(): k for k, v in LANG_NAMES.items()}})
    side.radio(
        " / ".join(t("language", code) for code in LANGUAGES),
        LANGUAGES,
        key="lang",
        horizontal=True,
        format_func=LANG_NAMES.get,
    )
    urlstate.publish("lang", st.session_state["lang"], default="es")
    account()
    side.header(tr("filters"))
    values, ignored = {}, []
    for d in DIMENSIONS:
        if d.depends_on and values.get(d.depends_on) not in data.corridors_with_extensions():
            values[d.key] = False
            continue
        spellings = aliases(d.key) if d.has_values else {"true": True, "false": False}
        if not urlstate.restore(d.key, spellings, many=d.kind == "multi"):
            ignored.append(catalog.label(d, lang()))
        label, help_text = catalog.label(d, lang()), catalog.help_text(d, lang())
        if d.kind == "multi":
            labelled = names(d.key)
            value = tuple(
                side.multiselect(
                    label,
                    list(labelled),
                    format_func=labelled.get,
                    key=d.key,
                    help=help_text,
                    placeholder=tr("choose"),
                )
            )
        elif d.kind == "one":
            labelled = names(d.key)
            value = side.selectbox(
                label,
                [None, *labelled],
                format_func=lambda v, labelled=labelled: tr("corridor_none") if v is None else labelled[v],
                key=d.key,
                help=help_text,
                placeholder=tr("choose_one"),
            )
        else:
            value = side.checkbox(label, key=d.key, help=help_text)
        urlstate.publish(d.key, value, default={"multi": (), "one": None, "flag": False}[d.kind])
        values[d.key] = value
    side.divider()
    urlstate.restore("present", {"true": True, "false": False})
    if side.toggle(tr("presentation"), key="present"):
        st.html(PRESENTATION_CSS)
    urlstate.publish("present", st.session_state["present"], default=False)
    if ignored:
        side.info(tr("ignored_params", keys=", ".join(ignored)))
    filters = Filters(**{d.field: values[d.key] for d in DIMENSIONS}, notices=tuple(ignored))
    st.session_state["_filters"] = filters
    return filters


def plant_picker(container, key: str, label: str, placeholder: str, help_text: str | None = None) -> str | None:
    """An assembly plant to measure from (its id in the URL under `key`), or None."""
    plants = data.plant_choices()
    urlstate.restore(key, {p: p for p in plants})
    plant = container.selectbox(
        label, list(plants), index=None, format_func=plants.get, key=key, placeholder=placeholder, help=help_text
    )
    urlstate.publish(key, plant)
    return plant


def supplier_columns() -> dict:
    """How a ranked supplier table's columns read, on /suppliers (members, prospects, convertibles)."""
    return {
        "rank": tr("col_rank"),
        "name": tr("col_name"),
        "kind": tr("col_kind"),
        "cluster_id": tr("cluster"),
        "scian_code": tr("scian"),
        "municipality": tr("municipality"),
        "distance_km": st.column_config.NumberColumn(tr("col_distance"), format="%.1f"),
        "score": st.column_config.ProgressColumn(tr("col_score"), min_value=0, max_value=100, format="%.1f"),
        "reasons": st.column_config.TextColumn(tr("col_reasons"), width="large"),
        "rationale": st.column_config.TextColumn(tr("col_rationale"), width="large"),
        "phone": tr("col_phone"),
        "email": tr("col_email"),
        "website": tr("col_website"),
    }


def count_text(value) -> str:
    """A member count as shown: with separators, or <3 where it is suppressed for this viewer."""
    if value is None or value != value:  # missing: suppressed, or nothing to count
        return access.SUPPRESSED if not auth.viewer().sees_counts else tr("none")
    return f"{value:,.0f}" if isinstance(value, int | float) else str(value)


def counts_shown(frame, columns: list[str]):
    """A table for the screen: for a viewer who may not see members, the `columns` as text with <3 where
    suppressed; for others, the frame as it is."""
    if auth.viewer().sees_counts:
        return frame
    out = frame.copy()
    for column in columns:
        out[column] = [
            access.SUPPRESSED if v is None or v != v else (f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}")
            for v in out[column]
        ]
    return out


def number_column(label: str, fmt: str):
    """A numeric column's config, or a text column where counts are shown as text (suppressed)."""
    if auth.viewer().sees_counts:
        return st.column_config.NumberColumn(label, format=fmt)
    return st.column_config.TextColumn(label)


def exported(page: str, file: str, frame: Callable, to_bytes: Callable) -> Callable[[], bytes]:
    """A download's bytes, built when it is clicked, with a line in the audit trail (who, page, filters,
    rows, file)."""
    viewer, filters = auth.viewer(), catalog.in_ids(current_filters())

    def build() -> bytes:
        rows = frame()
        audit.record(viewer, "export", page, filters, len(rows), file)
        return to_bytes(rows)

    return build


def filters_in_words(f: Filters) -> str:
    """The active filters as a sentence fragment, in the current language."""
    labelled = {d.key: names(d.key) for d in DIMENSIONS if d.has_values}
    return catalog.in_words(f, labelled, lang(), tr("no_filters"))


def sources_in_words(ids: str) -> str:
    """'S8; S35' as their titles, for captions and slides."""
    titles = data.source_titles()
    parts = [p.strip() for p in ids.replace(",", ";").split(";") if p.strip()]
    return "; ".join(f"{titles[p][0]} ({p})" if p in titles else p for p in parts)


def sources_markdown(ids: str) -> str:
    """'S8; S35' as linked titles (markdown), where a source has an address."""
    titles = data.source_titles()
    out = []
    for p in (p.strip() for p in ids.replace(",", ";").split(";") if p.strip()):
        citation, url = titles.get(p, (p, None))
        out.append(f"[{citation}]({url}) ({p})" if url else f"{citation} ({p})")
    return "; ".join(out)


def sample_banner() -> None:
    """Say plainly, wherever members are shown, when they are generated sample data."""
    if data.members_are_sample():
        st.warning(tr("sample_banner"), icon="⚠️")


def members_source() -> str:
    return tr("src_members_sample") if data.members_are_sample() else tr("src_members_files")


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
    facts = data.network_facts(lang())
    if cluster_id is not None:
        facts = facts[facts["cluster_id"] == cluster_id]
    if facts.empty:
        return
    st.dataframe(
        facts[["subject", "fact", "year", "year_note", "source"]],
        hide_index=True,
        column_config={
            "subject": tr("cluster"),
            "fact": st.column_config.TextColumn(tr("fact"), width="large"),
            "year": st.column_config.NumberColumn(tr("year"), format="%d"),
            "year_note": tr("year_note"),
            "source": tr("source"),
        },
    )
    ids = sorted({s.strip() for cell in facts["source"] for s in cell.split(";")})
    st.caption(tr("source_line", sources=sources_markdown("; ".join(ids))))
