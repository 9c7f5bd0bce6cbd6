"""Explore: exactly the filtered rows as tables, with CSV (UTF-8 BOM), XLSX and Parquet downloads."""

from datetime import datetime

import streamlit as st

from ui.common import cached, current_filters, filters_in_words, fresh, lang, sample_banner, tr
from valuechain import dictionary, export
from valuechain.i18n import fmt_datetime, fmt_number

PREVIEW = 5_000  # rows drawn in the browser; downloads carry every row

f = current_filters()
st.title(tr("explore_title"))
sample_banner()
st.markdown(tr("active_filters", filters=filters_in_words(f)))
sep = st.radio(
    tr("separator"),
    (",", ";"),
    horizontal=True,
    key="sep",
    bind="query-params",
    format_func=lambda s: tr("sep_comma") if s == "," else tr("sep_semicolon"),
)


def downloads(table: str, query: str, stem: str) -> None:
    """Three download buttons; each file is built only when clicked, from the same filtered query."""

    def rows():
        return fresh(query, f) if query == "plant_rows" else fresh(query, f, None)

    def about():
        return export.about_sheet(
            dictionary.dictionary(table, lang()),
            filters_in_words(f),
            cached("sources"),
            fmt_datetime(datetime.now(), lang()),
        )

    c1, c2, c3 = st.columns(3)
    c1.download_button(
        tr("download_csv"),
        lambda: export.csv_bytes(rows(), sep),
        f"{stem}.csv",
        "text/csv",
        key=f"csv_{table}",
        on_click="ignore",
        icon="📄",
    )
    c2.download_button(
        tr("download_xlsx"),
        lambda: export.xlsx_bytes(rows(), about(), (stem, "about")),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{table}",
        on_click="ignore",
        icon="📊",
    )
    c3.download_button(
        tr("download_parquet"),
        lambda: export.parquet_bytes(rows()),
        f"{stem}.parquet",
        "application/octet-stream",
        key=f"parquet_{table}",
        on_click="ignore",
        icon="🗂️",
    )


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
    names = dict(
        zip(
            dictionary.dictionary(table, lang())["column"],
            dictionary.dictionary(table, lang())["description"],
            strict=True,
        )
    )
    config = {c: st.column_config.Column(c, help=names.get(c)) for c in preview.columns}
    for c in ("lat", "lon"):
        config[c] = st.column_config.NumberColumn(c, format="%.4f", help=names.get(c))
    if "capacity_units" in preview.columns:
        config["capacity_units"] = st.column_config.NumberColumn("capacity_units", format="localized")
    st.dataframe(preview, hide_index=True, column_config=config, width="stretch")


members_tab, plants_tab, denue_tab, dict_tab = st.tabs(
    [tr("tab_members"), tr("tab_plants"), tr("tab_denue"), tr("tab_dictionary")]
)
with members_tab:
    total = cached("member_count", f)
    if total == 0:
        st.info(tr("empty"))
    else:
        table_view("members", cached("member_rows", f, PREVIEW), total)
        downloads("members", "member_rows", "members")
with plants_tab:
    plants = cached("plant_rows", f)
    if plants.empty:
        st.info(tr("empty"))
    else:
        table_view("plants", plants, len(plants))
        downloads("plants", "plant_rows", "plants")
with denue_tab:
    denue = cached("denue_rows", f, PREVIEW)
    if denue.empty:
        st.info(tr("no_denue"))
    else:
        table_view("denue_establishments", denue, cached("denue_count", f))
        downloads("denue_establishments", "denue_rows", "denue")
with dict_tab:
    both = dictionary.full("es").merge(dictionary.full("en"), on=["table", "column"], suffixes=("_es", "_en"))
    st.dataframe(
        both,
        hide_index=True,
        width="stretch",
        column_config={
            "table": tr("table"),
            "column": tr("column"),
            "description_es": "Español",
            "description_en": "English",
        },
    )
