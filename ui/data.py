"""Cached, typed access to the one gate (valuechain.visible) for the pages (no SQL here).

One function per query: the pages call `data.headline(f)` rather than a name looked up at run time,
so an argument's type and a query's name are checked where they are written. Every read passes the
session's viewer; caches are keyed by its role (and cluster scope), never shared across roles.
"""

import functools
import threading

import pandas as pd
import streamlit as st

from ui import auth
from valuechain import figures, visible
from valuechain.access import Viewer
from valuechain.catalog import Filters

CACHE = {"ttl": 600, "max_entries": 512, "show_spinner": False}


def for_viewer(read):
    """A cached read through the gate, keyed by the session's role as well (so no role ever gets another's
    cached answer); the pages call it without the viewer."""
    cached = st.cache_data(**CACHE)(read)

    @functools.wraps(read)
    def call(*args, **kwargs):
        return cached(auth.viewer().role_only, *args, **kwargs)

    return call


@st.cache_resource(on_release=lambda con: con.close())
def connection():
    """The read-only database connection shared by every session (a cursor per query)."""
    return visible.connect()


def database_exists() -> bool:
    return visible.db_path().is_file()


def con():
    return connection()


_seen: dict[str, tuple] = {}
_seen_lock = threading.Lock()


def _file_signature() -> tuple:
    """Which file the database path names now: a rebuild swaps in a new file (new inode, new mtime)."""
    stat = visible.db_path().stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def refresh_if_rebuilt() -> bool:
    """Drop every cache and the connection when the database file was swapped by an import or rebuild
    (the command line's included), so the next query reads the new data; True when it was."""
    signature = _file_signature()
    with _seen_lock:
        before = _seen.setdefault("db", signature)
        if before == signature:
            return False
        _seen["db"] = signature
    st.cache_data.clear()
    st.cache_resource.clear()  # closes the old connection: DuckDB shows a new file only once it is closed
    return True


@for_viewer
def members_are_sample(viewer: Viewer) -> bool:
    return visible.members_are_sample(con(), viewer)


@for_viewer
def denue_is_sample(viewer: Viewer) -> bool:
    return visible.denue_is_sample(con(), viewer)


@for_viewer
def dimension_values(viewer: Viewer, key: str) -> pd.DataFrame:
    return visible.dimension_values(con(), viewer, key)


@for_viewer
def corridors_with_extensions(viewer: Viewer) -> list[str]:
    return visible.corridors_with_extensions(con(), viewer)


@for_viewer
def headline(viewer: Viewer, f: Filters) -> dict:
    return visible.headline(con(), viewer, f)


@for_viewer
def members_by(viewer: Viewer, by: str, f: Filters) -> pd.DataFrame:
    return visible.members_by(con(), viewer, by, f)


@for_viewer
def members_by_state(viewer: Viewer, f: Filters, tier: str | None = None) -> pd.DataFrame:
    return visible.members_by_state(con(), viewer, f, tier)


@for_viewer
def members_by_place(viewer: Viewer, f: Filters) -> pd.DataFrame:
    return visible.members_by_place(con(), viewer, f)


@for_viewer
def plants_by_state(viewer: Viewer, f: Filters) -> pd.DataFrame:
    return visible.plants_by_state(con(), viewer, f)


@for_viewer
def plants(viewer: Viewer, f: Filters) -> pd.DataFrame:
    return visible.plants(con(), viewer, f)


@for_viewer
def state_geojson(viewer: Viewer) -> dict:
    return visible.state_geojson(con(), viewer)


@for_viewer
def corridor_shapes(viewer: Viewer, include_optional: bool, lang: str) -> pd.DataFrame:
    return visible.corridor_shapes(con(), viewer, include_optional, lang)


@for_viewer
def tier_counts(viewer: Viewer, group: str, f: Filters, lang: str) -> pd.DataFrame:
    return visible.tier_counts(con(), viewer, group, f, lang)


@for_viewer
def hierarchy(viewer: Viewer, f: Filters, lang: str) -> pd.DataFrame:
    return visible.hierarchy(con(), viewer, f, lang)


@for_viewer
def supply_depth(viewer: Viewer, f: Filters, lang: str) -> pd.DataFrame:
    return visible.supply_depth(con(), viewer, f, lang)


@for_viewer
def process_coverage(viewer: Viewer, f: Filters, lang: str) -> pd.DataFrame:
    return visible.process_coverage(con(), viewer, f, lang)


@for_viewer
def network_facts(viewer: Viewer, lang: str) -> pd.DataFrame:
    return visible.network_facts(con(), viewer, lang)


@for_viewer
def cluster_profiles(viewer: Viewer, lang: str) -> pd.DataFrame:
    return visible.cluster_profiles(con(), viewer, lang)


@for_viewer
def archetypes(viewer: Viewer) -> pd.DataFrame:
    return visible.archetypes(con(), viewer)


@for_viewer
def archetype_vehicles(viewer: Viewer) -> pd.DataFrame:
    return visible.archetype_vehicles(con(), viewer)


@for_viewer
def suppliers_for_processes(viewer: Viewer, processes: tuple[str, ...], lang: str) -> pd.DataFrame:
    return visible.suppliers_for_processes(con(), viewer, processes, lang)


@for_viewer
def member_count(viewer: Viewer, f: Filters) -> int | str:
    return visible.member_count(con(), viewer, f)


@for_viewer
def member_rows(viewer: Viewer, f: Filters, limit: int | None) -> pd.DataFrame:
    return visible.member_rows(con(), viewer, f, limit)


@for_viewer
def plant_rows(viewer: Viewer, f: Filters) -> pd.DataFrame:
    return visible.plant_rows(con(), viewer, f)


@for_viewer
def denue_rows(viewer: Viewer, f: Filters, limit: int | None) -> pd.DataFrame:
    return visible.denue_rows(con(), viewer, f, limit)


@for_viewer
def denue_count(viewer: Viewer, f: Filters) -> int:
    return visible.denue_count(con(), viewer, f)


@for_viewer
def sources(viewer: Viewer) -> pd.DataFrame:
    return visible.sources(con(), viewer)


@for_viewer
def source_titles(viewer: Viewer) -> dict[str, tuple[str, str | None]]:
    return visible.source_titles(con(), viewer)


@for_viewer
def load_history(viewer: Viewer) -> pd.DataFrame:
    return visible.load_history(con(), viewer)


@for_viewer
def table_sources(viewer: Viewer) -> pd.DataFrame:
    return visible.table_sources(con(), viewer)


def all_member_rows(f: Filters, viewer: Viewer) -> pd.DataFrame:
    """Every filtered member row, for a download (not cached: a file is built once, when asked for). The
    viewer is passed in: a download is built outside the page's run, where the session is not known."""
    return visible.member_rows(con(), viewer, f, None)


def all_plant_rows(f: Filters, viewer: Viewer) -> pd.DataFrame:
    return visible.plant_rows(con(), viewer, f)


def all_denue_rows(f: Filters, viewer: Viewer) -> pd.DataFrame:
    return visible.denue_rows(con(), viewer, f, None)


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def tier_bars(counts: pd.DataFrame, title: str, x_title: str, y_title: str, tier_labels: dict) -> object:
    """The tier chart, cached (figures are costly to assemble)."""
    return figures.tier_bars(counts, title, x_title, y_title, tier_labels)


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def hierarchy_sunburst(rows: pd.DataFrame, title: str, outside: str, tiers: dict, processes: dict) -> object:
    return figures.hierarchy_sunburst(rows, title, outside, tiers, processes)


@for_viewer
def denue_editions(viewer: Viewer) -> list[str]:
    return visible.denue_editions(con(), viewer)


@for_viewer
def location_quotients(
    viewer: Viewer,
    by: str,
    codes: tuple[str, ...],
    measure: str,
    edition: str | None,
    base_edition: str | None,
    lang: str,
) -> pd.DataFrame:
    return visible.location_quotients(con(), viewer, by, codes, measure, edition, base_edition, lang)


@for_viewer
def municipal_geojson(viewer: Viewer, cvegeos: tuple[str, ...]) -> dict:
    return visible.municipal_geojson(con(), viewer, cvegeos)


@for_viewer
def what_changed(
    viewer: Viewer, lang: str, editions: tuple[str, str] | None = None, loads: tuple[int, int | None] | None = None
) -> list[str]:
    return visible.what_changed(con(), viewer, lang, editions, loads)


@for_viewer
def member_loads(viewer: Viewer) -> list[tuple[int, str]]:
    return visible.member_loads(con(), viewer)


@for_viewer
def plant_choices(viewer: Viewer) -> dict[str, str]:
    """Assembly plants with coordinates, id -> 'Company · Plant (Municipality)', for a supplier search."""
    return visible.plant_choices(con(), viewer)


def plant_point(plant_id: str, radius_km: float) -> visible.Near:
    """Where a plant is, with the radius to search around it."""
    lat, lon = plant_coordinates()[plant_id]
    return visible.Near(lat, lon, float(radius_km))


@for_viewer
def plant_coordinates(viewer: Viewer) -> dict[str, tuple[float, float]]:
    return visible.plant_coordinates(con(), viewer)


@for_viewer
def supplier_list(viewer: Viewer, f: Filters, near: visible.Near | None, lang: str, limit: int = 200) -> pd.DataFrame:
    return visible.supplier_list(con(), viewer, f, near, lang, limit)


@for_viewer
def supply_gaps(viewer: Viewer, lang: str, include_optional: bool) -> pd.DataFrame:
    return visible.supply_gaps(con(), viewer, lang, include_optional)


@for_viewer
def convertible_list(
    viewer: Viewer, f: Filters, near: visible.Near | None, lang: str, limit: int = 200
) -> pd.DataFrame:
    return visible.convertible_list(con(), viewer, f, near, lang, limit)


def audit_trail(viewer: Viewer) -> pd.DataFrame:
    """The audit trail as the viewer may read it (not cached: it grows with every export)."""
    return visible.audit_trail(viewer)


@for_viewer
def hr_periods(viewer: Viewer) -> list[str]:
    return visible.hr_periods(con())


@for_viewer
def hr_table(viewer: Viewer, by: str, period: str, f: Filters, lang: str) -> pd.DataFrame:
    return visible.hr_table(con(), viewer, by, period, f, lang)


@for_viewer
def hr_series(viewer: Viewer, by: str, months: tuple[str, ...], f: Filters, lang: str) -> pd.DataFrame:
    return visible.hr_series(con(), viewer, by, list(months), f, lang)


@for_viewer
def hr_firms(viewer: Viewer, by: str, period: str, f: Filters, lang: str) -> pd.DataFrame:
    return visible.hr_firms(con(), viewer, by, period, f, lang)


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def hr_lines(series: pd.DataFrame, measure: str, title: str, y_title: str) -> object:
    return figures.hr_lines(series, measure, title, y_title)


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def hr_heatmap(series: pd.DataFrame, measure: str, title: str, scale_title: str) -> object:
    return figures.hr_heatmap(series, measure, title, scale_title)


@for_viewer
def hr_is_sample(viewer: Viewer) -> bool:
    return visible.hr_is_sample(con())
