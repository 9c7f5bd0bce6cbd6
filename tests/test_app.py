"""Every page as Streamlit runs it (AppTest), on the built sample database, asserting on what it shows."""

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ui.pages import SCRIPTS

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")


@pytest.fixture(autouse=True)
def app_db(app_env):
    return app_env


def app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def sql(db, query, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query, params or []).fetchone()[0]


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_overview_headline_equals_the_database(app_db):
    at = app()
    assert not at.exception
    assert metric(at, "Empresas socias") == f"{sql(app_db, 'SELECT count(*) FROM members'):,}"
    assert metric(at, "Clústeres REDCAM") == "11"
    assert metric(at, "Plantas armadoras operando") == str(
        sql(app_db, "SELECT count(*) FROM plants WHERE status = 'operating'")
    )
    assert any("datos de muestra" in w.value for w in at.warning)
    facts = at.dataframe[0].value
    assert len(facts) == sql(app_db, "SELECT count(*) FROM network_facts") and facts["source"].notna().all()
    text = " ".join(facts["fact"])
    assert "más de 1,500 personas de 83 empresas OEM/Tier 1 y 600 proveedores Tier 2" in text
    assert "más de 600 empresas" in text and "≈500 empresas" in text
    undated = facts[facts["fact"].str.contains("más de 600 empresas")]
    assert undated["year"].isna().all() and undated["year_note"].str.startswith("sin fecha en la fuente").all()


def test_overview_counts_every_network_cluster_not_only_those_with_members(app_db):
    at = app(tier="OEM")  # only some clusters have an OEM member in the sample
    with_oem = sql(app_db, "SELECT count(DISTINCT cluster_id) FROM members WHERE tier = 'OEM'")
    assert with_oem < 11 and metric(at, "Clústeres REDCAM") == "11"
    assert metric(app(corridor="Bajío"), "Clústeres REDCAM") == "4"  # GTO, QRO, SLP, AGS


def test_corridor_from_the_url_changes_the_headline_as_the_database_says(app_db):
    at = app(corridor="Bajío")
    assert not at.exception
    expected = sql(app_db, "SELECT count(*) FROM members WHERE cve_ent IN ('01', '11', '22', '24')")
    assert metric(at, "Empresas socias") == f"{expected:,}"
    assert at.sidebar.selectbox(key="corridor").value == "bajio"


def test_filters_from_session_state(app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["tier"] = ["Tier 1"]
    at.session_state["state"] = ["19"]
    at.run()
    expected = sql(app_db, "SELECT count(*) FROM members WHERE tier = 'Tier 1' AND cve_ent = '19'")
    assert metric(at, "Empresas socias") == f"{expected:,}"


def test_hostile_url_values_are_ignored_with_a_notice(app_db):
    at = app(state="'; DROP TABLE members; --", corridor="<script>x</script>", tier=["Tier 1", "Tier 9"])
    assert not at.exception
    notice = " ".join(i.value for i in at.sidebar.info)
    assert "Estado" in notice and "Corredor" in notice and "Nivel" in notice
    assert at.sidebar.multiselect(key="tier").value == ["Tier 1"]  # the valid part is kept
    assert sql(app_db, "SELECT count(*) FROM members") > 0


def test_english_switch(app_db):
    at = app(lang="English")
    assert not at.exception
    assert at.title[0].value == "Mexico's automotive value chains"
    assert any("sample data" in w.value for w in at.warning)


@pytest.mark.parametrize("page", SCRIPTS)
def test_every_page_runs_in_both_languages(page):
    for lang in ("Español", "English"):
        at = app(lang=lang)
        at.switch_page(page).run()
        assert not at.exception, (page, lang)
        if page not in ("views/data.py", "views/event.py"):  # the pages that show no member rows until asked
            assert at.warning, "the sample-data banner is shown wherever members are"


def test_map_page_draws_the_chart_and_lists_plants(app_db):
    at = app().switch_page("views/map.py").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    plants = at.dataframe[0].value
    assert len(plants) == sql(app_db, "SELECT count(*) FROM plants")


def test_map_with_corridor_lists_only_its_plants(app_db):
    at = app(corridor="saltillo_monterrey").switch_page("views/map.py").run()
    assert not at.exception
    companies = set(at.dataframe[0].value["company"])
    assert {"Kia (Hyundai Motor Group)", "General Motors", "Daimler Truck North America"} <= companies
    assert "Volkswagen" not in companies


def test_clusters_page_profile_and_comparison(app_db):
    at = app(profile="nl").switch_page("views/clusters.py").run()
    assert not at.exception
    assert at.header[0].value == "Clúster Automotriz de Nuevo León, A.C."
    loaded = sql(app_db, "SELECT count(*) FROM members WHERE cluster_id = 'nl'")
    assert metric(at, "Socios cargados") == f"{loaded:,}"
    facts = at.dataframe[0].value  # the cluster's published facts, each with its source
    assert {"A0"} <= {sid for cell in facts["source"] for sid in cell.split("; ")}
    assert any("Premio CLAUT" in f for f in facts["fact"]) and any("Driven" in f for f in facts["fact"])
    assert at.dataframe[1].value.shape[1] == 3  # three clusters compared by default


def test_tiers_page_calls_out_thin_coverage_in_words(app_db):
    at = app().switch_page("views/tiers.py").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    depth = at.dataframe[0].value.set_index("corridor")
    buyers = sql(
        app_db,
        "SELECT count(*) FROM members WHERE tier IN ('OEM', 'Tier 1') AND cve_ent IN ('21', '29')",
    )
    assert depth.loc["Zona Centro (Puebla–Tlaxcala)", "buyers"] == buyers
    thin = any("Cobertura delgada" in w.value for w in at.warning)
    assert thin or any("Ningún corredor" in s.value for s in at.success)


def test_empty_selection_shows_a_friendly_message():
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["state"] = ["27"]  # Tabasco: no member in the sample
    at.run()
    assert not at.exception
    assert any("No hay datos" in i.value for i in at.info)


def test_usmca_page_with_an_archetype_matches_the_engine():
    from datetime import date

    from valuechain import archetypes, db, queries, rvc

    at = app(archetype="Pickup de tamaño completo", on="2024-01-01").switch_page("views/usmca.py").run()
    assert not at.exception
    with db.connect() as con:
        systems = queries.archetypes(con).query("archetype == 'fullsize_pickup'")
    expected = rvc.evaluate(  # the pickup's own default net cost, a labelled assumption of 45,000 USD
        archetypes.to_bom(systems, 45_000, date(2024, 1, 1)), rvc.Scenario(good="light_truck", on=date(2024, 1, 1))
    )
    assert metric(at, "CVR T-MEC al 2024-01-01") == f"{expected['rvc_pct']:.1f}%"
    gates = at.dataframe[0].value
    assert len(gates) == 4 and gates.iloc[0, 1].endswith("cumple" if expected["rvc_ok"] else "no cumple")
    assert at.download_button[0].label == "Descargar resultados (CSV)"
    margin = next(m for m in at.metric if m.label == "CVR T-MEC al 2024-01-01").proto.delta
    assert margin.startswith(rvc.points(expected["margin_pts"]))  # the same margin the waterfall ends on


def test_usmca_verdict_is_open_until_every_gate_is_checked():
    moves = {
        f"mv_{system}": "100" for system in ("engine", "transmission", "body", "chassis", "electrical", "interior")
    }
    at = app(archetype="Pickup de tamaño completo", on="2024-01-01", **moves).switch_page("views/usmca.py").run()
    assert not at.exception
    open_verdict = " ".join(w.value for w in at.warning)  # RVC and core parts pass; LVC and steel have no input
    assert "Sin veredicto" in open_verdict and "valor laboral" in open_verdict and "acero" in open_verdict
    assert not any("Originario" in s.value for s in at.success) and not at.error
    for key, value in (
        ("lvc_hwmm", 32.0),  # light truck: LVC 45 with an HWMM floor of 30
        ("lvc_tech", 8.0),
        ("lvc_assembly", 5.0),
        ("steel_pct", 80.0),
        ("aluminum_pct", 80.0),
    ):
        at.number_input(key=key).set_value(value)
    at.run()
    assert not any("Sin veredicto" in w.value for w in at.warning)
    assert any("Originario" in s.value for s in at.success)


def test_usmca_section_232_only_from_its_start_date():
    at = app(on="2019-03-01").switch_page("views/usmca.py").run()
    assert any("no aplicaba" in i.value and "2025-04-03" in i.value for i in at.info)
    assert not any(m.label.startswith("Arancel") for m in at.metric)
    later = app(on="2025-06-01").switch_page("views/usmca.py").run()
    assert any(m.label.endswith("Arancel si no califica (USD)") for m in later.metric)


def test_usmca_what_if_slider_moves_the_result():
    at = app(on="2024-01-01").switch_page("views/usmca.py").run()
    before = metric(at, "CVR T-MEC al 2024-01-01")
    at.slider(key="mv_electrical").set_value(50).run()
    assert not at.exception
    after = metric(at, "CVR T-MEC al 2024-01-01")
    assert float(after.rstrip("%")) > float(before.rstrip("%"))  # electrical sourcing moved from Asia to Mexico


def test_usmca_before_2020_shows_nafta_only():
    at = app(on="2019-03-01").switch_page("views/usmca.py").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "CVR con rastreo TLCAN" in labels and not any(label.startswith("CVR T-MEC") for label in labels)


def test_presentation_mode_enlarges_type():
    at = app(present="true")
    assert not at.exception
    styles = [e.proto.body for e in at.get("html")]
    assert any("font-size: 22px" in s for s in styles)
    assert not app().get("html")


def test_an_empty_map_says_so_once():
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["state"] = ["27"]  # Tabasco: no member and no plant in the sample
    at.run()
    at.switch_page("views/map.py").run()
    assert not at.exception
    assert [i.value for i in at.info].count(at.info[0].value) == 1 and len(at.info) == 1


def test_specialisation_page_ranks_regions_with_their_counts(app_db):
    at = app().switch_page("views/specialisation.py").run()
    assert not at.exception
    assert any("datos de muestra" in w.value for w in at.warning)  # the sample DENUE says so
    table = at.dataframe[0].value
    shown = table.data if hasattr(table, "data") else table
    assert len(shown) == 32 and shown["lq"].is_monotonic_decreasing
    assert {"e_ir", "e_r", "e_i", "e", "growth_pct"} <= set(shown.columns)
    assert len(at.get("plotly_chart")) == 2  # the map and the portfolio


def test_specialisation_by_corridor_in_english_from_the_url(app_db):
    at = app(level="corridor", lang="en", measure_lq="employment").switch_page("views/specialisation.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    shown = shown.data if hasattr(shown, "data") else shown
    assert set(shown["region_name"]) == {"Bajío", "Saltillo–Monterrey", "Central Zone (Puebla–Tlaxcala)"}
    assert at.title[0].value == "Specialisation"
