"""Explore: exactly the filtered rows as tables, with CSV (UTF-8 BOM), XLSX and Parquet downloads."""

from datetime import datetime

import streamlit as st

from ui import auth, data, urlstate
from ui.common import current_filters, exported, filters_in_words, lang, names, sample_banner, tier_labels, tr
from valuechain import dictionary, export
from valuechain.i18n import fmt_datetime, fmt_number, named, value

PREVIEW = 5_000  # rows drawn in the browser; downloads carry every row

f = current_filters()
st.title(tr("explore_title"))
sample_banner()
st.markdown(tr("active_filters", filters=filters_in_words(f)))
SEPARATORS = {"comma": ",", "semicolon": ";"}  # stable keys in the URL; labels follow the language
urlstate.restore("sep", {k: k for k in SEPARATORS} | {v: k for k, v in SEPARATORS.items()})
separator = st.radio(
    tr("separator"), list(SEPARATORS), horizontal=True, key="sep", format_func=lambda k: tr(named("sep", k))
)
urlstate.publish("sep", separator, default="comma")
sep = SEPARATORS[separator]
viewer = auth.viewer()  # taken now: a download is built after the run, outside the session
ALL_ROWS = {
    "members": lambda f: data.all_member_rows(f, viewer),
    "plants": lambda f: data.all_plant_rows(f, viewer),
    "denue_establishments": lambda f: data.all_denue_rows(f, viewer),
}


def downloads(table: str, stem: str) -> None:
    """Three download buttons; each file is built only when clicked, from the same filtered query."""

    def rows():
        return ALL_ROWS[table](f)

    def about():
        return export.about_sheet(
            dictionary.dictionary(table, lang()),
            filters_in_words(f),
            data.sources(),
            fmt_datetime(datetime.now(), lang()),
        )

    c1, c2, c3 = st.columns(3)
    c1.download_button(
        tr("download_csv"),
        exported("explore", f"{stem}.csv", rows, lambda frame: export.csv_bytes(frame, sep)),
        f"{stem}.csv",
        "text/csv",
        key=f"csv_{table}",
        on_click="ignore",
        icon="📄",
    )
    c2.download_button(
        tr("download_xlsx"),
        exported("explore", f"{stem}.xlsx", rows, lambda frame: export.xlsx_bytes(frame, about(), (stem, "about"))),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{table}",
        on_click="ignore",
        icon="📊",
    )
    c3.download_button(
        tr("download_parquet"),
        exported("explore", f"{stem}.parquet", rows, export.parquet_bytes),
        f"{stem}.parquet",
        "application/octet-stream",
        key=f"parquet_{table}",
        on_click="ignore",
        icon="🗂️",
    )


def readable(frame):
    """The preview with tiers, processes and statuses named in the interface language (downloads keep the ids)."""
    out = frame.copy()
    if "tier" in out.columns:
        out["tier"] = out["tier"].map(tier_labels())
    if "processes" in out.columns:
        process = names("process")
        out["processes"] = out["processes"].map(lambda ps: "; ".join(process.get(p, p) for p in ps))
    if "scian_name" in out.columns:  # DENUE's own class names are Spanish: name the class in the interface language
        out["scian_name"] = out["scian_code"].map(names("scian")).fillna(out["scian_name"])
    if "ownership" in out.columns:
        out["ownership"] = out["ownership"].map(names("ownership"))
    if "status" in out.columns:
        out["status"] = out["status"].map(lambda v: value(v, lang()))
    return out


def table_view(table: str, preview, total: int) -> None:
    st.caption(
        tr("rows_found", n=fmt_number(total, lang()))
        + " "
        + (
            tr("preview", shown=fmt_number(len(preview), lang()), n=fmt_number(total, lang()))
            if total > len(preview)
            else ""
        )
    )
    described = dictionary.dictionary(table, lang())
    helps = dict(zip(described["column"], described["description"], strict=True))
    preview = readable(preview)
    config = {c: st.column_config.Column(c, help=helps.get(c)) for c in preview.columns}
    for c in ("lat", "lon"):
        config[c] = st.column_config.NumberColumn(c, format="%.4f", help=helps.get(c))
    if "capacity_units" in preview.columns:
        config["capacity_units"] = st.column_config.NumberColumn("capacity_units", format="localized")
    st.dataframe(preview, hide_index=True, column_config=config, width="stretch")


members_tab, plants_tab, denue_tab, dict_tab = st.tabs(
    [tr("tab_members"), tr("tab_plants"), tr("tab_denue"), tr("tab_dictionary")]
)
with members_tab:
    total = data.member_count(f)
    if not viewer.sees_members:
        st.info(tr("members_hidden"))
        st.metric(tr("metric_members"), total if isinstance(total, str) else f"{total:,}")
    elif total == 0:
        st.info(tr("empty"))
    else:
        table_view("members", data.member_rows(f, PREVIEW), total)
        downloads("members", "members")
with plants_tab:
    plants = data.plant_rows(f)
    if plants.empty:
        st.info(tr("empty"))
    else:
        table_view("plants", plants, len(plants))
        downloads("plants", "plants")
with denue_tab:
    if data.denue_is_sample():
        st.warning(tr("denue_sample_banner"), icon="⚠️")
    denue = data.denue_rows(f, PREVIEW)
    if denue.empty:
        st.info(tr("no_denue"))
    else:
        table_view("denue_establishments", denue, data.denue_count(f))
        downloads("denue_establishments", "denue")
with dict_tab:
    st.dataframe(
        dictionary.full(lang()),
        hide_index=True,
        width="stretch",
        column_config={"table": tr("table"), "column": tr("column"), "description": tr("description")},
    )
    st.caption(tr("dictionary_both"))
