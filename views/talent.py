"""Talent: the HR statistics members report each month (turnover, quits, hires, training), published safely."""

import streamlit as st

from ui import auth, data, urlstate
from ui.common import chart, current_filters, exported, lang, tr
from ui.shown import remember
from valuechain import export
from valuechain.access import SUPPRESSED
from valuechain.i18n import named
from valuechain.visible import HR_FIGURES, HR_LEVELS, HR_MEASURES, HR_MEDIANS, hr_choices, hr_csv

RECENT = 12  # months drawn in the lines and the heat map

f = current_filters()
st.title(tr("talent_title"))
if data.hr_is_sample():
    st.warning(tr("hr_sample_banner"), icon="⚠️")
st.caption(tr("hr_intro"))
months = data.hr_periods()
if not months:
    st.info(tr("hr_none"))
    st.stop()

c1, c2, c3 = st.columns([3, 2, 2])
urlstate.restore("by", {k: k for k in HR_LEVELS}, default="cluster")
by = c1.segmented_control(tr("hr_by"), HR_LEVELS, format_func=lambda k: tr(named("hr_by", k)), key="by") or "cluster"
urlstate.publish("by", by, default="cluster")
periods = hr_choices(months)
urlstate.restore("period", {p.casefold(): p for p in periods}, default=periods[0])
period = c2.selectbox(tr("hr_period"), periods, key="period", placeholder=tr("choose_one"))
urlstate.publish("period", period, default=periods[0])
measures = list(HR_MEASURES)
urlstate.restore("measure", {m: m for m in measures}, default="turnover_pct")
measure = c3.radio(tr("hr_measure"), measures, format_func=lambda m: tr(named("hr_measure", m)), key="measure")
urlstate.publish("measure", measure, default="turnover_pct")
remember(talent=(by, period))  # the deck's slide shows this same table

recent = tuple(months[-RECENT:])
series = data.hr_series(by, recent, f, lang())
groups = series[series["group_id"] != "_total"]
chart(
    data.hr_lines(groups, measure, tr("hr_lines_title", measure=tr(named("hr_measure", measure))), tr("hr_pct")),
    [tr("hr_source")],
)
by_cluster = series if by == "cluster" else data.hr_series("cluster", recent, f, lang())
chart(
    data.hr_heatmap(
        by_cluster[by_cluster["group_id"] != "_total"],
        measure,
        tr("hr_heatmap_title", measure=tr(named("hr_measure", measure))),
        tr("hr_pct"),
    ),
    [tr("hr_source")],
)

st.subheader(tr("hr_table_title", period=period))
table = data.hr_table(by, period, f, lang())
ranked = table.sort_values(measure, ascending=False, na_position="last", kind="stable")
ranked = ranked.assign(_last=ranked["group_id"] == "_total").sort_values("_last", kind="stable").drop(columns="_last")
shown = ranked.assign(status=ranked["status"].map(lambda s: tr(named("disclosure", s))))
for column in HR_FIGURES + HR_MEDIANS:
    shown[column] = shown[column].map(lambda v: SUPPRESSED if v != v else round(float(v), 2))
st.dataframe(
    shown[["group_name", *HR_FIGURES, "turnover_median_pct", "status"]],
    hide_index=True,
    width="stretch",
    column_config={
        "group_name": tr(named("hr_by", by)),
        "firms": tr("hr_firms"),
        "employees_avg": tr("hr_employees"),
        "separations": tr("hr_separations"),
        "quits": tr("hr_quits"),
        "hires": tr("hr_hires"),
        "turnover_pct": tr(named("hr_measure", "turnover_pct")),
        "quits_pct": tr(named("hr_measure", "quits_pct")),
        "hires_pct": tr(named("hr_measure", "hires_pct")),
        "training_hours_per_employee": tr("hr_training"),
        "turnover_median_pct": tr("hr_median"),
        "status": tr("hr_status"),
    },
)
st.caption(tr("hr_rules"))
st.download_button(
    tr("download_csv"),
    exported("talent", f"hr_{by}_{period}.csv", lambda: hr_csv(table, period), export.csv_bytes),
    f"hr_{by}_{period}.csv",
    "text/csv",
    key="hr_csv",
    on_click="ignore",
    icon="📄",
)

viewer = auth.viewer()
if viewer.sees_members and viewer.cluster is None:  # network staff: each firm against its group's median
    st.subheader(tr("hr_firms_title"))
    firms = data.hr_firms(by, period, f, lang())
    st.dataframe(
        firms[["group_name", "name", "employees_avg", "turnover_pct", "group_median_pct", "vs_median_pts"]].round(2),
        hide_index=True,
        width="stretch",
        column_config={
            "group_name": tr(named("hr_by", by)),
            "name": tr("col_name"),
            "employees_avg": tr("hr_employees"),
            "turnover_pct": tr(named("hr_measure", "turnover_pct")),
            "group_median_pct": tr("hr_median"),
            "vs_median_pts": tr("hr_vs_median"),
        },
    )
