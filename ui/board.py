"""The board deck: the current filters' map, tier chart, cluster comparison and USMCA summary."""

from datetime import datetime

from ui import data
from ui.common import current_filters, filters_in_words, lang, members_source, names, tier_labels, tr
from ui.shown import shown
from valuechain import deck, figures, rvc, scenario
from valuechain.access import SUPPRESSED
from valuechain.i18n import fmt_datetime, named
from valuechain.visible import hr_choices


def signature() -> tuple:
    """What the deck depends on: a deck made for another signature is not offered as current."""
    return (current_filters(), lang(), shown(), supplier_need())


def supplier_need() -> tuple:
    """The need /suppliers last showed in this session (else the sidebar's filters, anywhere)."""
    return shown().supplier_need or (current_filters(), None)


def invitation_slide() -> deck.Slide | None:
    """The top of the invitation list, as a table slide (none when no process is chosen)."""
    f, near = supplier_need()
    if not f.processes:
        return None
    top = data.supplier_list(f, near, lang()).head(12)
    table = top[["rank", "name", "kind", "municipality", "distance_km", "score"]].assign(
        kind=top["kind"].map(lambda k: tr(named("kind", k))), distance_km=top["distance_km"].fillna("—")
    )
    table.columns = [
        tr("col_rank"),
        tr("col_name"),
        tr("col_kind"),
        tr("municipality"),
        tr("col_distance"),
        tr("col_score"),
    ]
    processes = ", ".join(names("process").get(p, p) for p in f.processes)
    return deck.Slide(
        tr("suppliers_deck_title", processes=processes),
        tr("source_line", sources=f"{members_source()}; DENUE (N11)"),
        table=table,
    )


def talent_slide() -> deck.Slide | None:
    """The /talent table (its level and period, else by cluster for the latest quarter) as a table slide."""
    months = data.hr_periods()
    if not months:
        return None
    by, period = shown().talent or ("cluster", hr_choices(months)[0])
    table = data.hr_table(by, period, current_filters(), lang())
    frame = table[["group_name", "firms", "turnover_pct", "quits_pct", "hires_pct", "status"]].copy()
    for column in ("firms", "turnover_pct", "quits_pct", "hires_pct"):
        frame[column] = frame[column].map(lambda v: SUPPRESSED if v != v else f"{v:,.2f}".removesuffix(".00"))
    frame["status"] = frame["status"].map(lambda s: tr(named("disclosure", s)))
    frame.columns = [
        tr(named("hr_by", by)),
        tr("hr_firms"),
        *(tr(named("hr_measure", m)) for m in ("turnover_pct", "quits_pct", "hires_pct")),
        tr("hr_status"),
    ]
    return deck.Slide(tr("hr_table_title", period=period), tr("source_line", sources=tr("hr_source")), table=frame)


def event_slide() -> deck.Slide | None:
    """The supplier event's results as /event last showed them: the figures in words beside leads by process."""
    if shown().event is None:
        return None
    name, sample, got = shown().event
    no_show = "—" if got["no_show_rate"] is None else f"{got['no_show_rate']:.1%}"
    corridors = {**names("corridor"), "none": tr("event_no_corridor")}
    lines = [
        tr("event_deck_held", held=f"{got['held']:,}", scheduled=f"{got['scheduled']:,}", no_show=no_show),
        tr("event_deck_leads", leads=f"{got['leads']:,}"),
        *(f"{corridors.get(c, c)}: {n:,}" for c, n in sorted(got["leads_by_corridor"].items(), key=lambda kv: -kv[1])),
        *([tr("event_sample_note")] if sample else []),
    ]
    by_process = got["leads_by_process"]
    leads = figures.event_leads(by_process, names("process"), tr("event_leads_by_process"), tr("event_leads"))
    return deck.Slide(
        tr("event_deck_title", name=name),
        tr("source_line", sources=tr("event_source")),
        figure=leads,
        text="\n".join(f"• {line}" for line in lines),
    )


def slides() -> list[deck.Slide]:
    """The deck's slides for the filters and choices currently on screen."""
    f = current_filters()
    sources = [members_source(), tr("src_boundaries"), tr("src_plants"), tr("src_corridors")]
    by_state = data.members_by_state(f).rename(columns={"members": "value"})
    the_map = figures.state_choropleth(
        by_state,
        data.state_geojson(),
        tr("members_by_state_title"),
        tr("measure_members"),
        members_source(),
        height=700,
        width_hint=1500,  # the size the deck renders it at
    )
    figures.add_plants(
        the_map,
        data.plants(f),
        {"operating": tr("legend_operating"), "closed": tr("legend_closed"), "paused": tr("legend_paused")},
    )
    figures.add_corridors(the_map, data.corridor_shapes(f.include_optional, lang()))
    counts = data.tier_counts("cluster", f, lang())
    tiers = figures.tier_bars(
        counts, tr("tiers_title", group=tr("by_cluster").lower()), tr("by_cluster"), tr("members_axis"), tier_labels()
    )

    profiles = data.cluster_profiles(lang()).set_index("cluster_id")
    chosen = list(shown().compare) or list(profiles.index[:3])
    compare = profiles.loc[
        chosen[:4], ["short_name", "states", "founded", "members_reported_text", "members_loaded", "esca"]
    ].fillna("—")
    compare.columns = ["", tr("states"), tr("founded"), tr("members_reported"), tr("members_loaded"), tr("esca")]

    asked = shown().usmca
    try:
        usmca = [scenario.slide(scenario.run(data.archetypes(), data.archetype_vehicles(), asked), asked, lang())]
    except rvc.RuleError:  # a scenario the rules do not allow: the page says why; the deck leaves it out
        usmca = []
    changed = deck.Slide(
        tr("what_changed"),
        tr("source_line", sources=f"DENUE (N11); {members_source()}"),
        text="\n".join(f"• {line}" for line in data.what_changed(lang(), shown().editions, shown().loads)),
    )
    invite = invitation_slide()
    talent = talent_slide()
    event = event_slide()
    return [
        changed,
        deck.Slide(tr("members_by_state_title"), tr("source_line", sources="; ".join(sources)), figure=the_map),
        deck.Slide(
            tr("tiers_title", group=tr("by_cluster").lower()), tr("source_line", sources=members_source()), figure=tiers
        ),
        deck.Slide(tr("compare"), tr("source_line", sources=f"data/SOURCES.md; {members_source()}"), table=compare),
        *usmca,
        *([talent] if talent else []),
        *([invite] if invite else []),
        *([event] if event else []),
    ]


def build() -> tuple[bytes, bytes]:
    """(PPTX, PDF) of the current view; every page carries the sample-data warning when members are sample data."""
    title = "REDCAM · " + tr("app_title")
    subtitle = (
        f"{fmt_datetime(datetime.now(), lang())}\n{tr('active_filters', filters=filters_in_words(current_filters()))}"
    )
    banner = tr("deck_sample_banner") if data.members_are_sample() else ""
    return deck.build(title, subtitle, slides(), banner)
