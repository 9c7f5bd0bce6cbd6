"""The app's pages in menu order: script, title key, icon, URL path (people bookmark these paths)."""

PAGES = (
    ("views/overview.py", "page_overview", "🏠", "overview"),  # the default page, served at /
    ("views/map.py", "page_map", "🗺️", "map"),
    ("views/clusters.py", "page_clusters", "🏭", "clusters"),
    ("views/tiers.py", "page_tiers", "📊", "tiers"),
    ("views/specialisation.py", "page_specialisation", "📈", "specialisation"),
    ("views/usmca.py", "page_usmca", "🌎", "usmca"),
    ("views/suppliers.py", "page_suppliers", "🤝", "suppliers"),
    ("views/explore.py", "page_explore", "🔎", "explore"),
    ("views/data.py", "page_data", "🗄️", "data"),
)
SCRIPTS = tuple(script for script, *_ in PAGES)
