"""Sign-in end to end: a real OpenID Connect provider (oidc-provider-mock) started on localhost, the app
configured for it, and Chromium signing in as a public, a staff and an admin user of the network and as
CLAUT's staff and administrator; each sees what its role allows. Not signed in, only the public pages and
the sign-in screen are offered."""

import csv
import shutil

import pytest
from oidc_provider_mock import User, run_server_in_thread

from tests.e2e.test_browser import CHROMIUM, expect, free_port, start_app, sync_playwright, wait_for_run

pytestmark = pytest.mark.e2e
USERS = {
    "public": "otra@correo.example",
    "staff": "luis@red.example",
    "admin": "ana@red.example",
    "claut_staff": "pepe@claut.example",
    "claut_admin": "datos@claut.example",
}
SHARED = ["name", "cluster_id", "tier", "cve_ent", "municipality", "processes", "iatf_16949", "employee_band"]
ROLES = (
    '[roles]\nadmin = ["ana@red.example"]\nstaff = ["@red.example"]\n'
    '[clusters.nl]\nadmin = ["datos@claut.example"]\nstaff = ["@claut.example"]\n'
    f"[sharing]\ncolumns = {SHARED!r}\n".replace("'", '"')
)


@pytest.fixture(scope="module")
def signed_app(built_db, tmp_path_factory):
    """The app with [auth] pointing at a provider on localhost, a roles file and its own audit trail."""
    folder = tmp_path_factory.mktemp("signin")
    db = folder / "valuechain.duckdb"
    shutil.copyfile(built_db, db)
    users = [User(sub=email, claims={"email": email, "name": email.split("@")[0]}) for email in USERS.values()]
    with run_server_in_thread(user_claims=users) as provider:
        port = free_port()
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a-long-random-test-secret-0123456789"\n'
            'client_id = "valuechain"\n'
            'client_secret = "test-secret"\n'
            f'server_metadata_url = "http://localhost:{provider.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        (folder / "roles.toml").write_text(ROLES, encoding="utf-8")
        env = {"VALUECHAIN_ROLES": str(folder / "roles.toml"), "VALUECHAIN_AUDIT": str(folder / "audit.jsonl")}
        url, proc = start_app(db, folder / "inputs", (f"--secrets.files={secrets}",), env, port)
        yield url
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield b
        b.close()


def local_only(context) -> None:
    """Refuse anything outside this machine (the mock provider's page links a stylesheet on a CDN)."""
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "http://localhost"))
            else route.abort()
        ),
    )


def sign_in(chromium, url: str, email: str):
    """A fresh browser profile that signs in through the provider's page as `email`."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    local_only(context)
    page = context.new_page()
    page.goto(f"{url}/?lang=en")
    wait_for_run(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=email).click()  # the provider's one-click user
    page.wait_for_url(f"{url}/**", timeout=30_000)
    wait_for_run(page)
    page.goto(f"{url}/?lang=en")  # back from the provider, on the home page
    wait_for_run(page)
    return context, page


def test_not_signed_in_offers_only_the_public_pages(chromium, signed_app):
    context = chromium.new_context()
    local_only(context)
    page = context.new_page()
    page.goto(f"{signed_app}/?lang=en")
    wait_for_run(page)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("Map", exact=True)).to_be_visible()
    expect(nav.get_by_text("Explore", exact=True)).to_have_count(0)
    expect(page.get_by_test_id("stSidebar").get_by_text("Not signed in")).to_be_visible()
    context.close()


@pytest.mark.parametrize("role", ["public", "staff", "admin"])
def test_each_role_signs_in_and_sees_what_it_allows(chromium, signed_app, role):
    context, page = sign_in(chromium, signed_app, USERS[role])
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(f"Signed in as {USERS[role]}")).to_be_visible()
    page.goto(f"{signed_app}/explore?lang=en")
    wait_for_run(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    hidden = page.get_by_text("Member names and rows are for network staff only")
    expect(hidden).to_have_count(1 if role == "public" else 0)
    page.goto(f"{signed_app}/data?lang=en")
    wait_for_run(page)
    expect(page.get_by_test_id("stFileUploader")).to_have_count(2 if role == "admin" else 0)  # members, HR survey
    expect(page.get_by_text("Audit trail", exact=True)).to_have_count(1 if role == "admin" else 0)
    context.close()


def test_cluster_staff_download_their_members_in_full_and_the_shared_columns_of_others(chromium, signed_app, tmp_path):
    context, page = sign_in(chromium, signed_app, USERS["claut_staff"])
    page.goto(f"{signed_app}/explore?lang=en")
    wait_for_run(page)
    with page.expect_download() as download:
        page.locator(".st-key-csv_members button").click()
    saved = tmp_path / "members.csv"
    download.value.save_as(saved)
    with open(saved, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    own = [r for r in rows if r["cluster_id"] == "nl"]
    others = [r for r in rows if r["cluster_id"] != "nl"]
    assert own and others
    assert all(r["member_id"] and r["lat"] for r in own)  # CLAUT's own rows in full
    assert all(r["name"] and r["tier"] and r["cve_ent"] for r in others)  # the shared columns
    assert not any(r["member_id"] or r["lat"] or r["lon"] or r["scian_code"] for r in others)  # nothing else
    context.close()


def test_a_cluster_admin_upload_with_another_clusters_row_is_refused(chromium, signed_app, tmp_path):
    upload = tmp_path / "claut.csv"
    upload.write_text(
        "member_id,name,cluster_id,tier,cve_ent\nNL-900,Forjas Norte,nl,Tier 2,19\nQ-900,Moldes Qro,qro,Tier 2,22\n",
        encoding="utf-8",
    )
    context, page = sign_in(chromium, signed_app, USERS["claut_admin"])
    page.goto(f"{signed_app}/data?lang=en")
    wait_for_run(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(upload))
    refused = "claut.csv:3: column 'cluster_id': a member of cluster 'qro': you load members of cluster nl only"
    expect(page.get_by_text(refused)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Load", exact=True)).to_have_count(0)
    context.close()
