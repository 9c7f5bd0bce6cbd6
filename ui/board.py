"""The board deck: the current filters' map, tier chart, cluster comparison and USMCA summary."""

from datetime import datetime

import streamlit as st

from ui import data
from ui.common import current_filters, filters_in_words, lang, members_source, names, tier_labels, tr
from valuechain import deck, figures, rvc, scenario
from valuechain.i18n import N_, fmt_datetime, named

VERDICT = {True: N_("verdict_true"), False: N_("verdict_false"), None: N_("verdict_none")}
USMCA_CHOICES = "usmca_choices"  # set by the /usmca page: the scenario on screen, for the deck
CHANGED_EDITIONS = "changed_editions"  # set by the Overview: the two DENUE editions it compares
CHANGED_LOADS = "changed_loads"  # and the two member loads
SUPPLIER_NEED = "supplier_need"  # set by /suppliers: (filters, plant point or None) of the list on screen


def usmca_choices() -> scenario.Choices:
    """The scenario the /usmca page last showed in this session (its defaults if it was not opened)."""
    return st.session_state.get(USMCA_CHOICES) or scenario.Choices()


def signature() -> tuple:
    """What the deck depends on: a deck made for another signature is not offered as current."""
    return (
        current_filters(),
        lang(),
        usmca_choices(),
        tuple(st.session_state.get("compare") or ()),
        supplier_need(),
    )


def supplier_need() -> tuple:
    """The need /suppliers last showed in this session (else the sidebar's filters, anywhere)."""
    return st.session_state.get(SUPPLIER_NEED) or (current_filters(), None)


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


def verdict_text(result: dict) -> str:
    """The three-way verdict in words, plain text for a slide."""
    current = result["current"]
    gates = {
        "rvc": N_("gate_rvc"),
        "core_parts": N_("gate_core"),
        "lvc": N_("gate_lvc"),
        "steel_aluminum": N_("gate_steel"),
    }
    failed = [g for g in gates if current.get(f"{g}_ok") is False]
    verdict = VERDICT[current["originating"]]
    text = tr(
        verdict,
        gates=", ".join(tr(gates[g]).lower() for g in (failed or current["unchecked"])),
        inputs="; ".join(tr(named("settle", g)) for g in current["unchecked"]),
    )
    return text.replace("**", "")


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
    chosen = st.session_state.get("compare") or list(profiles.index[:3])
    compare = profiles.loc[
        chosen[:4], ["short_name", "states", "founded", "members_reported_text", "members_loaded", "esca"]
    ].fillna("—")
    compare.columns = ["", tr("states"), tr("founded"), tr("members_reported"), tr("members_loaded"), tr("esca")]

    choices = usmca_choices()
    result = scenario.run(data.archetypes(), data.archetype_vehicles(), choices)
    nafta, usmca = result["nafta"], result["usmca"] or result["nafta"]
    text = "\n".join(
        [
            f"{tr(named('arch', choices.archetype))} · {tr('date')}: {usmca['date']} · "
            f"{tr(named('rollup', choices.rollup))}",
            f"{tr('rvc_nafta')}: {nafta['rvc_pct']:.1f}% ({tr('vs_threshold', thr=nafta['threshold_pct'])})",
            f"{tr('rvc_usmca', date=usmca['date'])}: {usmca['rvc_pct']:.1f}% "
            f"({rvc.points(usmca['margin_pts'])} · {tr('vs_threshold', thr=usmca['threshold_pct'])})",
            f"{tr('gap')}: {usmca['gap_usd']:,.0f} {tr('gap_usd')}",
            verdict_text(result),
        ]
    )
    wf_labels = {k: tr(named("wf", k)) for k, _ in result["waterfall"]} | {"points": tr("points")}
    waterfall = figures.margin_waterfall(result["waterfall"], wf_labels, tr("waterfall_title"))
    policy = tr("usmca_policy_note", checked=rvc.RULES_CHECKED)
    changed = deck.Slide(
        tr("what_changed"),
        tr("source_line", sources=f"DENUE (N11); {members_source()}"),
        text="\n".join(
            f"• {line}"
            for line in data.what_changed(
                lang(), st.session_state.get(CHANGED_EDITIONS), st.session_state.get(CHANGED_LOADS)
            )
        ),
    )
    invite = invitation_slide()
    return [
        changed,
        deck.Slide(tr("members_by_state_title"), tr("source_line", sources="; ".join(sources)), figure=the_map),
        deck.Slide(
            tr("tiers_title", group=tr("by_cluster").lower()), tr("source_line", sources=members_source()), figure=tiers
        ),
        deck.Slide(tr("compare"), tr("source_line", sources=f"data/SOURCES.md; {members_source()}"), table=compare),
        deck.Slide(
            tr("usmca_title"),
            tr("source_line", sources="R1, R4, R6, R13, R14") + " " + policy,
            figure=waterfall,
            text=text,
        ),
        *([invite] if invite else []),
    ]


def build() -> tuple[bytes, bytes]:
    """(PPTX, PDF) of the current view; every page carries the sample-data warning when members are sample data."""
    title = "REDCAM · " + tr("app_title")
    subtitle = (
        f"{fmt_datetime(datetime.now(), lang())}\n{tr('active_filters', filters=filters_in_words(current_filters()))}"
    )
    banner = tr("deck_sample_banner") if data.members_are_sample() else ""
    return deck.build(title, subtitle, slides(), banner)
