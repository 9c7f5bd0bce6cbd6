"""Cached, typed access to the domain package's queries for the pages (no SQL here).

One function per query: the pages call `data.headline(f)` rather than a name looked up at run time,
so an argument's type and a query's name are checked where they are written.
"""

import functools
import threading

import pandas as pd
import streamlit as st

from ui import auth
from valuechain import changes, db, figures, queries, specialisation, suppliers, visible
from valuechain.access import Viewer
from valuechain.catalog import Filters

CACHE = {"ttl": 600, "max_entries": 512, "show_spinner": False}


def for_viewer(read):
    """A cached read of member data, keyed by the session's role as well (so no role ever gets another's
    cached answer); the pages call it without the viewer."""
    cached = st.cache_data(**CACHE)(read)

    @functools.wraps(read)
    def call(*args, **kwargs):
        return cached(auth.viewer().role_only, *args, **kwargs)

    return call


@st.cache_resource(on_release=lambda con: con.close())
def connection():
    """The read-only database connection shared by every session (a cursor per query)."""
    return db.connect()


def con():
    return connection()


_seen: dict[str, tuple] = {}
_seen_lock = threading.Lock()


def _file_signature() -> tuple:
    """Which file the database path names now: a rebuild swaps in a new file (new inode, new mtime)."""
    stat = db.db_path().stat()
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


@st.cache_data(**CACHE)
def members_are_sample() -> bool:
    return queries.members_are_sample(con())


@st.cache_data(**CACHE)
def denue_is_sample() -> bool:
    return queries.denue_is_sample(con())


@st.cache_data(**CACHE)
def dimension_values(key: str) -> pd.DataFrame:
    return queries.dimension_values(con(), key)


@st.cache_data(**CACHE)
def corridors_with_extensions() -> list[str]:
    return queries.corridors_with_extensions(con())


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


@st.cache_data(**CACHE)
def plants_by_state(f: Filters) -> pd.DataFrame:
    return queries.plants_by_state(con(), f)


@st.cache_data(**CACHE)
def plants(f: Filters) -> pd.DataFrame:
    return queries.plants(con(), f)


@st.cache_data(**CACHE)
def state_geojson() -> dict:
    return queries.state_geojson(con())


@st.cache_data(**CACHE)
def corridor_shapes(include_optional: bool, lang: str) -> pd.DataFrame:
    return queries.corridor_shapes(con(), include_optional, lang)


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


@st.cache_data(**CACHE)
def network_facts(lang: str) -> pd.DataFrame:
    return queries.network_facts(con(), lang)


@for_viewer
def cluster_profiles(viewer: Viewer, lang: str) -> pd.DataFrame:
    return visible.cluster_profiles(con(), viewer, lang)


@st.cache_data(**CACHE)
def archetypes() -> pd.DataFrame:
    return queries.archetypes(con())


@st.cache_data(**CACHE)
def archetype_vehicles() -> pd.DataFrame:
    return queries.archetype_vehicles(con())


@for_viewer
def suppliers_for_processes(viewer: Viewer, processes: tuple[str, ...], lang: str) -> pd.DataFrame:
    return visible.suppliers_for_processes(con(), viewer, processes, lang)


@for_viewer
def member_count(viewer: Viewer, f: Filters) -> int | str:
    return visible.member_count(con(), viewer, f)


@for_viewer
def member_rows(viewer: Viewer, f: Filters, limit: int | None) -> pd.DataFrame:
    return visible.member_rows(con(), viewer, f, limit)


@st.cache_data(**CACHE)
def plant_rows(f: Filters) -> pd.DataFrame:
    return queries.plant_rows(con(), f)


@st.cache_data(**CACHE)
def denue_rows(f: Filters, limit: int | None) -> pd.DataFrame:
    return queries.denue_rows(con(), f, limit)


@st.cache_data(**CACHE)
def denue_count(f: Filters) -> int:
    return queries.denue_count(con(), f)


@st.cache_data(**CACHE)
def sources() -> pd.DataFrame:
    return queries.sources(con())


@st.cache_data(**CACHE)
def source_titles() -> dict[str, tuple[str, str | None]]:
    return queries.source_titles(con())


@for_viewer
def load_history(viewer: Viewer) -> pd.DataFrame:
    return visible.load_history(con(), viewer)


@st.cache_data(**CACHE)
def table_sources() -> pd.DataFrame:
    return queries.table_sources(con())


def all_member_rows(f: Filters, viewer: Viewer) -> pd.DataFrame:
    """Every filtered member row, for a download (not cached: a file is built once, when asked for). The
    viewer is passed in: a download is built outside the page's run, where the session is not known."""
    return visible.member_rows(con(), viewer, f, None)


def all_plant_rows(f: Filters) -> pd.DataFrame:
    return queries.plant_rows(con(), f)


def all_denue_rows(f: Filters) -> pd.DataFrame:
    return queries.denue_rows(con(), f)


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def tier_bars(counts: pd.DataFrame, title: str, x_title: str, y_title: str, tier_labels: dict) -> object:
    """The tier chart, cached (figures are costly to assemble)."""
    return figures.tier_bars(counts, title, x_title, y_title, tier_labels)


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def hierarchy_sunburst(rows: pd.DataFrame, title: str, outside: str, tiers: dict, processes: dict) -> object:
    return figures.hierarchy_sunburst(rows, title, outside, tiers, processes)


@st.cache_data(**CACHE)
def denue_editions() -> list[str]:
    return specialisation.editions(con())


@st.cache_data(**CACHE)
def location_quotients(
    by: str, codes: tuple[str, ...], measure: str, edition: str | None, base_edition: str | None, lang: str
) -> pd.DataFrame:
    return specialisation.location_quotients(con(), by, codes, measure, edition, base_edition, lang)


@st.cache_data(**CACHE)
def municipal_geojson(cvegeos: tuple[str, ...]) -> dict:
    return specialisation.municipal_geojson(con(), cvegeos)


@for_viewer
def what_changed(
    viewer: Viewer, lang: str, editions: tuple[str, str] | None = None, loads: tuple[int, int | None] | None = None
) -> list[str]:
    return visible.what_changed(con(), viewer, lang, editions, loads)


@st.cache_data(**CACHE)
def member_loads() -> list[tuple[int, str]]:
    return changes.member_loads(con())


@st.cache_data(**CACHE)
def plant_choices() -> dict[str, str]:
    """Assembly plants with coordinates, id -> 'Company · Plant (Municipality)', for a supplier search."""
    return queries.plant_choices(con())


def plant_point(plant_id: str, radius_km: float) -> suppliers.Near:
    """Where a plant is, with the radius to search around it."""
    lat, lon = plant_coordinates()[plant_id]
    return suppliers.Near(lat, lon, float(radius_km))


@st.cache_data(**CACHE)
def plant_coordinates() -> dict[str, tuple[float, float]]:
    return queries.plant_coordinates(con())


@for_viewer
def supplier_list(viewer: Viewer, f: Filters, near: suppliers.Near | None, lang: str, limit: int = 200) -> pd.DataFrame:
    return visible.supplier_list(con(), viewer, f, near, lang, limit)


@for_viewer
def supply_gaps(viewer: Viewer, lang: str, include_optional: bool) -> pd.DataFrame:
    return visible.supply_gaps(con(), viewer, lang, include_optional)


@st.cache_data(**CACHE)
def convertible_list(f: Filters, near: suppliers.Near | None, lang: str, limit: int = 200) -> pd.DataFrame:
    return suppliers.convertible(con(), f, near, limit, lang)
