"""The shipped reference data is complete, consistent and cited."""

import json
import re
from pathlib import Path

import duckdb
import pytest
import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def con(built_db):
    with duckdb.connect(str(built_db), read_only=True) as c:
        yield c


def rows(con, sql):
    return con.execute(sql).fetchall()


def test_32_states_with_inegi_codes_and_iso(con):
    states = rows(con, "SELECT cve_ent, iso_3166_2 FROM states ORDER BY cve_ent")
    assert [s[0] for s in states] == [f"{i:02d}" for i in range(1, 33)]
    assert dict(states)["09"] == "MX-CMX"


def test_every_plant_and_cluster_state_exists(con):
    assert rows(con, "SELECT plant_id FROM plants WHERE cve_ent NOT IN (SELECT cve_ent FROM states)") == []
    assert rows(con, "SELECT cluster_id FROM cluster_states WHERE cve_ent NOT IN (SELECT cve_ent FROM states)") == []
    members = rows(con, "SELECT cluster_id FROM clusters WHERE kind = 'member' ORDER BY 1")
    assert len(members) == 11
    uncovered = "SELECT cluster_id FROM clusters WHERE kind = 'member' EXCEPT SELECT cluster_id FROM cluster_states"
    assert rows(con, uncovered) == []


def test_32_valid_polygons_that_cover_mexico(con):
    shapes = rows(con, "SELECT cve_ent, geojson FROM state_shapes ORDER BY cve_ent")
    assert len(shapes) == 32
    geoms = [shape(json.loads(g)) for _, g in shapes]
    assert all(g.is_valid and not g.is_empty for g in geoms)
    minx, miny, maxx, maxy = shapely.union_all(geoms).bounds
    assert -119 < minx < -117 and 14 < miny < 15 and -87 < maxx < -86 and 32 < maxy < 33


def test_shape_file_is_small_and_counter_clockwise():
    path = ROOT / "data/geo/mx_states.geojson"
    assert path.stat().st_size < 1_000_000
    for feature in json.loads(path.read_text())["features"]:
        for poly in getattr(shape(feature["geometry"]), "geoms", [shape(feature["geometry"])]):
            assert poly.exterior.is_ccw, feature["id"]


def test_corridors_have_members_and_shapes(con):
    for corridor_id, states, shapes in rows(
        con,
        "SELECT c.corridor_id, (SELECT count(*) FROM corridor_states s WHERE s.corridor_id = c.corridor_id), "
        "(SELECT count(*) FROM corridor_shapes g WHERE g.corridor_id = c.corridor_id) FROM corridors c",
    ):
        assert states > 0 and shapes == 2, corridor_id
    saltillo_monterrey = rows(
        con, "SELECT count(*) FROM corridor_municipalities WHERE corridor_id = 'saltillo_monterrey'"
    )[0][0]
    assert saltillo_monterrey == 12
    bajio = shape(
        json.loads(
            rows(con, "SELECT geojson FROM corridor_shapes WHERE corridor_id = 'bajio' AND NOT with_optional")[0][0]
        )
    )
    assert bajio.contains(shapely.Point(-100.39, 20.59))  # Querétaro city
    assert not bajio.contains(shapely.Point(-103.35, 20.67))  # Guadalajara only with the Jalisco extension


def test_every_cited_source_exists_and_is_listed_in_sources_md(con):
    known = {r[0] for r in rows(con, "SELECT source_id FROM sources")}
    cited = set()
    for table, column in (
        ("states", "source"),
        ("municipalities", "source"),
        ("plants", "source"),
        ("clusters", "source"),
        ("cluster_states", "source"),
        ("network_facts", "source"),
        ("corridors", "source"),
        ("scian", "source"),
        ("processes", "source"),
        ("state_shapes", "source"),
        ("denue_strata", "source"),
        ("cluster_labels", "source"),
        ("rvc_thresholds", "source"),
        ("lvc_requirements", "source"),
        ("steel_aluminum_requirements", "source"),
        ("section_232", "source"),
        ("corridor_municipalities", "source"),
        ("tiers", "source"),
        ("municipalities_inegi", "source"),
        ("bom_archetypes", "share_source"),
        ("bom_archetypes", "origin_source"),
        ("bom_archetypes", "originating_source"),
        ("bom_archetype_vehicles", "source"),
        ("convertible_classes", "source"),
    ):
        for (value,) in rows(con, f"SELECT {column} FROM {table}"):
            ids = re.findall(r"\b[SNRAP]\d+\b", value)
            assert ids and re.fullmatch(r"[SNRAP]\d+(; [SNRAP]\d+)*", value), (table, value)
            cited.update(ids)
    assert cited <= known, cited - known
    listed = set(re.findall(r"^\| ([SNRAP]\d+) \|", (ROOT / "data/SOURCES.md").read_text(), re.M))
    assert known <= listed, known - listed


def test_plant_coordinates_say_how_precise_they_are(con):
    assert rows(con, "SELECT DISTINCT coord_quality FROM plants ORDER BY 1") == [("approx_uncited",), ("none",)]
    assert rows(con, "SELECT plant_id FROM plants WHERE coord_quality = 'none' AND lat IS NOT NULL") == []


def test_sample_members_are_flagged_and_obviously_fictitious(con):
    sources = rows(con, "SELECT DISTINCT source FROM members")
    assert sources == [("sample",)]
    assert rows(con, "SELECT count(*) FROM members WHERE NOT starts_with(name, 'Ficticia ')") == [(0,)]
    assert rows(con, "SELECT value FROM build_info WHERE key = 'members_source'") == [("sample",)]


def test_the_articles_facts_ship_with_the_article_as_source(con):
    facts = {r[0]: r[1:] for r in rows(con, "SELECT fact_id, fact_en, year, year_note_en, source FROM network_facts")}
    event = facts["claut_supplier_event"]
    assert "more than 1,500 people from 83 OEM/Tier 1 companies and 600 Tier 2 suppliers" in event[0]
    assert "meetings" in event[0] and "1,500 buyer" not in event[0] and "A0" in event[3]
    assert facts["redcam_600_companies"][1] is None and "undated" in facts["redcam_600_companies"][2]
    assert facts["redcam_size_2023"][1] == 2023 and "≈500" in facts["redcam_size_2023"][0]
    assert facts["claut_driven_founded"][1] == 2016 and facts["claut_driven_founded"][3] == "A0"
    assert "158 projects" in facts["claut_award"][0] and "every two years since 2014" in facts["claut_mainforum"][0]
    assert "80%" in facts["redcam_voting"][0] and facts["redcam_voting"][3] == "A3"
    assert "La Laguna (Advanced and Automotive Manufacturing)" in facts["redcam_founders_nine"][0]
    laguna = rows(con, "SELECT name, source FROM clusters WHERE cluster_id = 'lag'")[0]
    assert "Manufactura Avanzada y Automotriz" in laguna[0] and "A1" in laguna[1]
    assert rows(
        con, "SELECT count(*) FROM corridor_municipalities WHERE NOT regexp_matches(source, '^[SNRAP]\\d+')"
    ) == [(0,)]


def test_every_sample_member_lies_inside_its_own_state(con):
    shapes = {code: shape(json.loads(g)) for code, g in rows(con, "SELECT cve_ent, geojson FROM state_shapes")}
    members = rows(con, "SELECT member_id, cve_ent, lat, lon FROM members WHERE source = 'sample'")
    assert len(members) >= 800
    outside = [(m, code) for m, code, lat, lon in members if not shapes[code].contains(shapely.Point(lon, lat))]
    assert outside == []


def test_the_domain_package_does_not_depend_on_the_loader_or_streamlit():
    import ast

    for path in (ROOT / "valuechain").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] in ("etl", "streamlit", "ui", "views") for n in names), (path.name, names)


def test_municipal_boundaries_cover_the_country(con):
    assert rows(con, "SELECT count(*), count(DISTINCT cve_ent) FROM municipalities_inegi") == [(2469, 32)]
    assert rows(con, "SELECT count(*) FROM municipality_shapes") == [(2469,)]
    assert (ROOT / "data/geo/mx_municipalities.geojson").stat().st_size < 3_000_000  # the map payload target
    named = rows(con, "SELECT count(*) FROM municipalities m JOIN municipalities_inegi i USING (cve_ent, cve_mun)")
    assert named == rows(con, "SELECT count(*) FROM municipalities")  # every listed municipality has its code


def test_the_saltillo_monterrey_corridor_is_the_union_of_its_municipalities(con):
    matched = rows(
        con,
        "SELECT count(*) FROM corridor_municipalities JOIN municipalities_inegi USING (cve_ent, name) "
        "WHERE corridor_id = 'saltillo_monterrey'",
    )
    assert matched == [(12,)]
    corridor = shape(
        json.loads(
            rows(con, "SELECT geojson FROM corridor_shapes WHERE corridor_id = 'saltillo_monterrey' LIMIT 1")[0][0]
        )
    )
    assert corridor.contains(shapely.Point(-100.31, 25.67)) and corridor.contains(shapely.Point(-101.0, 25.42))
    assert not corridor.contains(shapely.Point(-103.45, 25.54))  # Torreón is not in it
