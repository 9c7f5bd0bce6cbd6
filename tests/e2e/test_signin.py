"""Sign-in end to end: a real OpenID Connect provider (oidc-provider-mock) started on localhost, the app
configured for it, and Chromium signing in as a public, a staff and an admin user; each sees what its
role allows. Not signed in, only the public pages and the sign-in screen are offered."""

import shutil

import pytest
from oidc_provider_mock import User, run_server_in_thread

from tests.e2e.test_browser import CHROMIUM, expect, free_port, start_app, sync_playwright, wait_for_run

pytestmark = pytest.mark.e2e
USERS = {
    "public": "otra@correo.example",
    "staff": "pepe@claut.example",
    "admin": "ana@red.example",
}
ROLES = '[roles]\nadmin = ["ana@red.example"]\nstaff = ["@claut.example"]\n'


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
    expect(page.get_by_test_id("stFileUploader")).to_have_count(1 if role == "admin" else 0)
    expect(page.get_by_text("Audit trail", exact=True)).to_have_count(1 if role == "admin" else 0)
    context.close()
