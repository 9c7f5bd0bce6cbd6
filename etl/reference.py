"""Load the cited reference tables and the geometry built from them."""

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import shapely
from shapely.geometry import mapping, shape

# Load order follows the foreign keys.
TABLES = (
    "sources",
    "states",
    "municipalities_inegi",
    "municipalities",
    "scian",
    "processes",
    "tiers",
    "clusters",
    "cluster_states",
    "cluster_labels",
    "network_facts",
    "plants",
    "corridors",
    "corridor_states",
    "corridor_municipalities",
    "denue_strata",
    "rvc_thresholds",
    "lvc_requirements",
    "steel_aluminum_requirements",
    "section_232",
    "bom_archetype_vehicles",
    "convertible_classes",
    "bom_archetypes",
)
STATE_SHAPES = "mx_states.geojson"
MUNICIPAL_SHAPES = "mx_municipalities.geojson"


def load_reference(con: duckdb.DuckDBPyConnection, reference_dir: Path) -> None:
    """Insert every reference CSV into its table (types and constraints come from the schema)."""
    for table in TABLES:
        path = reference_dir / f"{table}.csv"
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT * FROM read_csv($path, header = true, all_varchar = true)",
            {"path": str(path)},
        )


def load_state_shapes(con: duckdb.DuckDBPyConnection, geo_dir: Path) -> None:
    """Insert the 32 state polygons as GeoJSON text with a label point each."""
    collection = json.loads((geo_dir / STATE_SHAPES).read_text(encoding="utf-8"))
    rows = []
    for feature in collection["features"]:
        geom = shape(feature["geometry"])
        point = geom.representative_point()
        rows.append(
            (feature["properties"]["cve_ent"], json.dumps(feature["geometry"]), point.y, point.x, collection["source"])
        )
    con.executemany("INSERT INTO state_shapes VALUES (?, ?, ?, ?, ?)", rows)


def load_municipal_shapes(con: duckdb.DuckDBPyConnection, geo_dir: Path) -> None:
    """Insert the 2,469 municipal boundaries as GeoJSON text keyed by CVEGEO."""
    collection = json.loads((geo_dir / MUNICIPAL_SHAPES).read_text(encoding="utf-8"))
    source = collection["source"].split(":")[0]
    features = collection["features"]
    shapes = pa.table(
        {
            "cvegeo": [f["properties"]["cvegeo"] for f in features],
            "geojson": [json.dumps(f["geometry"]) for f in features],
            "source": [source] * len(features),
        }
    )
    con.register("_shapes", shapes)  # one insert of an Arrow table, not 2,469 single-row inserts
    con.execute("INSERT INTO municipality_shapes SELECT * FROM _shapes")
    con.unregister("_shapes")


def build_corridor_shapes(con: duckdb.DuckDBPyConnection) -> None:
    """Corridor outlines: a union of state shapes, or of the member municipalities' boundaries."""
    corridors = con.execute("SELECT corridor_id, level FROM corridors ORDER BY corridor_id").fetchall()
    for corridor_id, level in corridors:
        for with_optional in (False, True):
            if level == "state":
                shapes = con.execute(
                    "SELECT s.geojson FROM corridor_states c JOIN state_shapes s USING (cve_ent) "
                    "WHERE c.corridor_id = $id AND (NOT c.optional OR $opt)",
                    {"id": corridor_id, "opt": with_optional},
                ).fetchall()
                geom = shapely.union_all([shape(json.loads(g)) for (g,) in shapes])
            else:
                shapes = con.execute(
                    "SELECT s.geojson FROM corridor_municipalities c JOIN municipalities_inegi i USING (cve_ent, name) "
                    "JOIN municipality_shapes s USING (cvegeo) WHERE c.corridor_id = $id",
                    {"id": corridor_id},
                ).fetchall()
                geom = shapely.union_all([shape(json.loads(g)) for (g,) in shapes])
            geom = shapely.set_precision(geom, 0.0001)
            con.execute(
                "INSERT INTO corridor_shapes VALUES (?, ?, ?)",
                [corridor_id, with_optional, json.dumps(mapping(geom))],
            )
