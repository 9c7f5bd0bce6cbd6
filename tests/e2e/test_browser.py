"""End to end: `streamlit run dashboard.py` driven by Debian's Chromium through Playwright.

Asserts no exception box and no request to any host but localhost on every page, that a click on a
state filters the view, and saves a screenshot of each page to tests/artifacts/ (git-ignored).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.e2e
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Debian's chromium is required in CI (.ci/run installs it)")
    pytest.skip("Debian package chromium is not installed", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db, inputs=None, args=(), env_extra=None, port=None):
    """Start `streamlit run dashboard.py` on a free port (or `port`); return (url, process)."""
    port = port or free_port()
    env = {**os.environ, "VALUECHAIN_DB": str(db), **(env_extra or {})}
    if inputs:
        env["VALUECHAIN_INPUTS"] = str(inputs)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        raise RuntimeError("streamlit did not start")
    return url, proc


@pytest.fixture(scope="module")
def app_url(built_db):
    url, proc = start_app(built_db)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture()
def fresh_app_url(built_db):
    """A server nobody has visited yet (the first request is the test's deep link)."""
    url, proc = start_app(built_db)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


def open_page(browser, url: str):
    """A page that records every request to a host other than localhost."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", "localhost") and not r.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    page.goto(url)
    wait_for_run(page)
    return page, outside


def wait_for_run(page) -> None:
    """Wait until the script has finished and is still finished a moment later (a rerun the URL or a widget
    triggers starts within that moment)."""
    idle = "[data-testid='stApp'][data-test-script-state='notRunning']"
    page.wait_for_selector(idle, timeout=60_000)
    for _ in range(50):
        page.wait_for_timeout(600)
        if page.locator(idle).count():
            return
        page.wait_for_selector(idle, timeout=60_000)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "map",
        "clusters",
        "tiers",
        "specialisation",
        "specialisation?lang=en",
        "usmca",
        "talent?by=tier&period=2026-Q3",
        "talent?lang=en&measure=quits_pct",
        "suppliers?process=machining&plant=gm_ramos",
        "explore",
        "data",
    ],
)
def test_each_page_renders_offline_without_errors(browser, app_url, path):
    page, outside = open_page(browser, f"{app_url}/{path}")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    if path != "data":  # every page that shows members says when they are sample data
        expect(page.get_by_test_id("stAlert").first).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{(path or 'overview').replace('?', '_')}.png"), full_page=True)
    assert outside == []
    page.close()


def test_deep_link_on_a_fresh_server_restores_filters(browser, fresh_app_url):
    page, outside = open_page(browser, f"{fresh_app_url}/tiers?corridor=bajio&tier=Tier%201")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Corredor", exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="Corredor")).to_have_value("Bajío")
    assert "corridor=bajio" in page.url and "tier=Tier" in page.url  # stable ids, not labels
    expect(sidebar.get_by_placeholder("Elija opciones").first).to_be_visible()  # placeholders follow the language
    assert "Choose" not in sidebar.inner_html()
    page.get_by_test_id("stSidebarNav").get_by_text("Mapa").click()  # the filters travel to the next page
    wait_for_run(page)
    assert "/map" in page.url and "corridor=bajio" in page.url, page.url
    expect(page.get_by_role("combobox", name="Corredor")).to_have_value("Bajío")
    assert outside == []
    page.close()


def test_clicking_a_state_filters(browser, app_url):
    page, outside = open_page(browser, f"{app_url}/map?plants_layer=false&members_layer=false")
    chart = page.get_by_test_id("stPlotlyChart").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    # Sonora, in the north-west of the default view of Mexico
    page.mouse.click(box["x"] + box["width"] * 0.24, box["y"] + box["height"] * 0.23)
    page.wait_for_timeout(1000)
    wait_for_run(page)
    page.screenshot(path=str(ARTIFACTS / "map_clicked.png"), full_page=True)
    assert "state=26" in page.url, page.url  # Sonora's INEGI code
    expect(page.get_by_test_id("stMultiSelect").filter(has_text="Sonora")).to_have_count(1)
    assert outside == []
    page.close()


@pytest.fixture()
def private_app(built_db, tmp_path):
    """A server on a private copy of the database, so a load does not touch other tests."""
    import shutil

    db = tmp_path / "valuechain.duckdb"
    shutil.copyfile(built_db, db)
    url, proc = start_app(db, tmp_path / "inputs")
    yield url, db, tmp_path / "inputs"
    proc.terminate()
    proc.wait(timeout=20)


def test_member_upload_good_and_bad(browser, private_app, tmp_path):
    import duckdb

    from tests.conftest import sha256

    url, db, inputs = private_app
    bad = tmp_path / "bad.csv"
    bad.write_text("name,cluster_id,tier,cve_ent\nX,nl,Tier 9,19\n", encoding="utf-8")
    good = tmp_path / "socios.csv"
    good.write_text(
        "name;cluster_id;tier;cve_ent\nForjas Peñón;nl;Tier 2;19\nMoldes Sur;zc;Tier 3;21\n", encoding="latin-1"
    )
    before = sha256(db)
    page, outside = open_page(browser, f"{url}/data")
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(bad))
    expect(page.get_by_text("bad.csv:2: columna 'tier': nivel desconocido 'Tier 9'")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Cargar", exact=True)).to_have_count(0)
    assert sha256(db) == before and not inputs.exists()

    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(good))
    expect(page.get_by_text("se cargarían 2 registros")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Cargar", exact=True).click()
    expect(page.get_by_text("2 socios cargados")).to_be_visible(timeout=60_000)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT name, source FROM members ORDER BY 1").fetchall() == [
            ("Forjas Peñón", "socios.csv"),
            ("Moldes Sur", "socios.csv"),
        ]
    assert (inputs / "members" / "socios.csv").exists()
    page.goto(f"{url}/")
    wait_for_run(page)
    expect(page.get_by_test_id("stMetricValue").nth(1)).to_have_text("2")  # the overview reads the new data
    assert outside == []
    page.close()


@pytest.mark.parametrize(
    ("lang", "link", "members", "csv_button"),
    [
        ("en", "Find suppliers for Engine", "Members", "Invitation list (CSV)"),
        ("es", "Buscar proveedores de Motor", "Socios", "Lista de invitación (CSV)"),
    ],
)
def test_from_a_failing_scenario_to_an_invitation_list(browser, app_url, tmp_path, lang, link, members, csv_button):
    """A director's path: a USMCA scenario that does not pass, the plant chosen, a system's link to
    /suppliers with the need filled in, named members and prospects near the plant, the list downloaded."""
    page, outside = open_page(browser, f"{app_url}/usmca?lang={lang}&usmca_plant=gm_ramos&on=2027-07-01")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("❌").first).to_be_visible()
    page.get_by_role("link", name=link).first.click()
    wait_for_run(page)
    assert "/suppliers" in page.url and "process=machining" in page.url and "plant=gm_ramos" in page.url
    expect(page.get_by_test_id("stException")).to_have_count(0)
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text=members).get_by_test_id("stMetricValue")).not_to_have_text("0")
    expect(metrics.nth(1).get_by_test_id("stMetricValue")).not_to_have_text("0")  # prospects
    with page.expect_download() as download:
        page.get_by_role("button", name=csv_button).click()
    saved = tmp_path / "invitation.csv"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["rank", "name", "kind"] and "reasons" in header and "distance_km" in header
    assert ",member," in text and ",prospect," in text
    page.screenshot(path=str(ARTIFACTS / f"suppliers_from_usmca_{lang}.png"), full_page=True)
    assert not outside, outside


@pytest.mark.parametrize(
    ("lang", "sample", "schedule", "pdf"),
    [
        ("", "Usar el evento de muestra", "Programar reuniones", "Agenda (PDF)"),
        ("?lang=en", "Use the sample event", "Schedule meetings", "Agenda (PDF)"),
    ],
)
def test_event_page_schedules_the_sample_and_downloads_an_agenda(
    browser, app_url, tmp_path, lang, sample, schedule, pdf
):
    """Staff open /event, take the sample event, schedule it and download the first participant's agenda."""
    page, outside = open_page(browser, f"{app_url}/event{lang}")
    page.get_by_role("button", name=sample).click()
    wait_for_run(page)
    page.get_by_test_id("stNumberInput").nth(1).locator("input").fill("2")  # the time limit, in seconds
    page.get_by_test_id("stNumberInput").nth(1).locator("input").press("Enter")
    wait_for_run(page)
    page.get_by_role("button", name=schedule).click()
    wait_for_run(page)
    page.screenshot(path=str(ARTIFACTS / f"event{lang.replace('?', '_')}.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name=pdf).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "B001.pdf" and saved.read_bytes().startswith(b"%PDF")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / f"event{lang.replace('?', '_')}.png"), full_page=True)
    assert outside == []
    page.close()
