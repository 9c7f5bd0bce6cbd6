"""The app's pages in menu order: script, title key, icon, URL path (people bookmark these paths)."""

from valuechain.i18n import N_

PAGES = (
    ("views/overview.py", N_("page_overview"), "🏠", "overview"),  # the default page, served at /
    ("views/map.py", N_("page_map"), "🗺️", "map"),
    ("views/clusters.py", N_("page_clusters"), "🏭", "clusters"),
    ("views/tiers.py", N_("page_tiers"), "📊", "tiers"),
    ("views/specialisation.py", N_("page_specialisation"), "📈", "specialisation"),
    ("views/usmca.py", N_("page_usmca"), "🌎", "usmca"),
    ("views/talent.py", N_("page_talent"), "👷", "talent"),
    ("views/suppliers.py", N_("page_suppliers"), "🤝", "suppliers"),
    ("views/event.py", N_("page_event"), "📅", "event"),
    ("views/explore.py", N_("page_explore"), "🔎", "explore"),
    ("views/data.py", N_("page_data"), "🗄️", "data"),
)
SCRIPTS = tuple(script for script, *_ in PAGES)
