"""Supplier event (staff): the event's files, suggested requests, the meeting schedule, agendas and results."""

import streamlit as st

from ui import auth
from ui import event as work
from ui.common import chart, lang, names, tr
from ui.shown import remember
from valuechain import event, figures
from valuechain.event import agendas

st.title(tr("event_title"))
st.caption(tr("event_intro"))
if not auth.viewer().sees_members:
    st.info(tr("event_staff_only"))
    st.stop()

# The event's files: uploads, or the generated sample
c1, c2 = st.columns([3, 1])
uploads = c1.file_uploader(
    tr("event_upload"), type=["toml", "csv", "xlsx"], accept_multiple_files=True, key="event_files"
)
if unknown := work.save(uploads or []):
    st.warning(tr("event_unknown_files", names=", ".join(unknown)))
if c2.button(tr("event_use_sample"), key="event_use_sample"):
    work.use_sample()
    st.session_state.pop("event_run", None)
ev, problem = work.current()
if problem:
    st.error(tr("event_refused"))
    st.code(problem, language=None)
    st.stop()
if ev is None:
    st.info(tr("event_no_files"))
    st.stop()
if ev.source == "sample":
    st.warning(tr("event_sample_banner"), icon="⚠️")
st.subheader(ev.name)
m = st.columns(5)
m[0].metric(tr("event_buyers"), f"{len(ev.buyers):,}")
m[1].metric(tr("event_suppliers"), f"{len(ev.suppliers):,}")
m[2].metric(tr("event_requests"), f"{len(ev.pairs):,}")
m[3].metric(tr("event_must"), f"{sum(1 for v in ev.pairs.values() if v == 'must'):,}")
m[4].metric(tr("event_slots"), f"{len(ev.slots)} × {ev.tables}")

# Suggested requests for the buyers who requested nobody
st.subheader(tr("event_suggest_title"))
s1, s2 = st.columns([1, 3])
per_buyer = s1.number_input(tr("event_per_buyer"), 1, 30, 5, key="event_per_buyer")
if s2.button(tr("event_suggest"), key="event_suggest"):
    added = work.suggest(int(per_buyer))
    st.success(tr("event_suggested", n=len(added), buyers=len({b for b, _, _ in added})))
    st.rerun()

# The schedule
st.subheader(tr("event_schedule_title"))
st.caption(tr("event_objective"))
r1, r2, r3 = st.columns([1, 1, 2])
limit = r1.number_input(tr("event_time_limit"), 1, 600, 30, key="event_time_limit")
has_schedule = (work.folder() / "schedule.csv").is_file()
keep = r2.checkbox(tr("event_keep"), key="event_keep", disabled=not has_schedule, help=tr("event_keep_help"))
if r3.button(tr("event_schedule"), type="primary", key="event_schedule"):
    with st.status(tr("event_solving", s=int(limit)), expanded=True) as status:
        st.session_state["event_run"] = work.schedule(ev, float(limit), keep and has_schedule, lang())
        status.update(label=tr("event_solved"), state="complete", expanded=False)
result = st.session_state.get("event_run")
if result:
    k = st.columns(4)
    k[0].metric(tr("event_scheduled"), f"{result['scheduled']:,}")
    k[1].metric(tr("event_bound"), f"{result['upper_bound']:,}", help=tr("event_bound_help"))
    k[2].metric(tr("event_must_met"), f"{result['must_scheduled']:,} / {result['must_requests']:,}")
    k[3].metric(tr("event_idle"), f"{result['idle_slots']:,}")
    st.caption(tr("event_optimal") if result["optimal"] else tr("event_not_proven", s=result["solve_s"]))
    if result["unscheduled"]:
        with st.expander(tr("event_unscheduled", n=len(result["unscheduled"]))):
            st.dataframe(result["unscheduled"], hide_index=True)
if (work.folder() / "schedule.csv").is_file():
    st.download_button(
        tr("event_download_schedule"),
        (work.folder() / "schedule.csv").read_bytes(),
        "schedule.csv",
        "text/csv",
        key="event_download_schedule",
    )

    # Agendas: one participant's PDF and calendar, every agenda in a ZIP file, and the organiser's grid
    st.subheader(tr("event_agendas_title"))
    here, language = work.folder(), lang()  # the downloads build their files outside the script run
    companies = agendas.people(here, language)
    who = st.selectbox(
        tr("event_participant"),
        sorted(agendas.agendas(here, language)),
        format_func=lambda pid: f"{pid} · {companies.get(pid, ('', ''))[0]}",
        key="event_participant",
    )
    a1, a2, a3, a4 = st.columns(4)
    a1.download_button(
        tr("event_agenda_pdf"),
        lambda: agendas.files(here, language, only=who)[f"{who}.pdf"],
        f"{who}.pdf",
        "application/pdf",
        key="event_agenda_pdf",
    )
    a2.download_button(
        tr("event_agenda_ics"),
        lambda: agendas.files(here, language, only=who)[f"{who}.ics"],
        f"{who}.ics",
        "text/calendar",
        key="event_agenda_ics",
    )
    a3.download_button(
        tr("event_grid"),
        lambda: agendas.grid(here, language),
        "grid.xlsx",
        key="event_grid",
    )
    a4.download_button(
        tr("event_all_agendas"),
        lambda: agendas.zipped(agendas.files(here, language)),
        "agendas.zip",
        "application/zip",
        key="event_all_agendas",
    )

    # Results: meetings held, no-shows and leads, from outcomes.csv
    st.subheader(tr("event_results_title"))
    if ev.source == "sample" and st.button(tr("event_sample_outcomes"), key="event_sample_outcomes"):
        work.sample_outcomes()
    with st.expander(tr("event_record_outcomes")):
        work.outcomes()
    try:
        got = work.report()
    except event.EventError as exc:
        st.error(tr("event_refused"))
        st.code(str(exc).replace(str(work.folder()) + "/", ""), language=None)
        got = None
    if got is None:
        st.info(tr("event_no_outcomes"))
    else:
        remember(event=(ev.name, ev.source == "sample", got))
        o = st.columns(4)
        o[0].metric(tr("event_held"), f"{got['held']:,}")
        o[1].metric(tr("event_no_show"), "—" if got["no_show_rate"] is None else f"{got['no_show_rate']:.1%}")
        o[2].metric(tr("event_leads"), f"{got['leads']:,}")
        o[3].metric(tr("event_reported"), f"{got['reported']:,} / {got['scheduled']:,}")
        g1, g2 = st.columns(2)
        with g1:
            chart(
                figures.event_leads(
                    got["leads_by_process"], names("process"), tr("event_leads_by_process"), tr("event_leads")
                ),
                [tr("event_source")],
            )
        with g2:
            chart(
                figures.event_leads(
                    got["leads_by_corridor"],
                    {**names("corridor"), "none": tr("event_no_corridor")},
                    tr("event_leads_by_corridor"),
                    tr("event_leads"),
                ),
                [tr("event_source")],
            )
