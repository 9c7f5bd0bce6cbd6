"""Load benchmark: sign-in on, 10 browser sessions of mixed roles (4 public, 4 staff, 2 admin) signing in
through a real OpenID Connect provider on localhost and cycling the pages at the same time.

Prints page views, errors (exception boxes), sessions that ever saw another's identity or role, the
median page time, and the server's peak memory. Targets: 0 errors, 0 crossed sessions.
Usage: python bench/load.py [--sessions N] [--rounds K]   (needs Debian's chromium)
"""

import argparse
import asyncio
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ("", "map", "clusters", "tiers", "specialisation", "usmca", "suppliers?process=machining", "explore", "data")
ROLES = '[roles]\nadmin = ["admin0@red.example", "admin1@red.example"]\nstaff = ["@claut.example"]\n'
LABEL = {"public": "public", "staff": "network staff", "admin": "administration"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def users(n: int) -> list[tuple[str, str]]:
    """(email, role) for n sessions: 40% public, 40% staff, the rest admin."""
    out = []
    for i in range(n):
        role = "public" if i % 5 in (0, 1) else "staff" if i % 5 in (2, 3) else "admin"
        email = {"public": f"guest{i}@correo.example", "staff": f"staff{i}@claut.example"}.get(role)
        out.append((email or f"admin{len([r for _, r in out if r == 'admin'])}@red.example", role))
    return out


def peak_rss_mb(pid: int) -> float:
    """The process tree's peak resident memory (VmHWM of the server and its children), in MB."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


async def session(browser, url: str, email: str, role: str, rounds: int, stats: dict) -> None:
    """Sign in as `email`, then visit every page `rounds` times, checking the sidebar names this user."""
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    await context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "http://localhost"))
            else route.abort()
        ),
    )
    page = await context.new_page()
    await page.goto(f"{url}/?lang=en")
    await _settled(page)
    await page.get_by_test_id("stSidebar").get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name=email).click()
    await page.wait_for_url(f"{url}/**", timeout=60_000)
    expected = f"Signed in as {email} ({LABEL[role]})"
    for _ in range(rounds):
        for path in PAGES:
            joiner = "&" if "?" in path else "?"
            started = time.perf_counter()
            await page.goto(f"{url}/{path}{joiner}lang=en")
            await _settled(page)
            stats["times"].append(time.perf_counter() - started)
            stats["views"] += 1
            stats["errors"] += await page.get_by_test_id("stException").count()
            sidebar = await page.get_by_test_id("stSidebar").inner_text()
            if expected not in sidebar:
                stats["crossed"].add(email)
    await context.close()


async def _settled(page) -> None:
    await page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000)
    await page.wait_for_timeout(300)


async def drive(url: str, sessions: list[tuple[str, str]], rounds: int, stats: dict) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        await asyncio.gather(*(session(browser, url, e, r, rounds, stats) for e, r in sessions))
        await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    from oidc_provider_mock import User, run_server_in_thread

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the provider's request log

    from etl.__main__ import main as etl

    tmp = Path(tempfile.mkdtemp())
    db = tmp / "valuechain.duckdb"
    etl(["build", "--db", str(db), "--inputs", str(tmp / "inputs")])
    people = users(args.sessions)
    claims = [User(sub=e, claims={"email": e, "name": e.split("@")[0]}) for e, _ in people]
    with run_server_in_thread(user_claims=claims) as provider:
        port = free_port()
        secrets = tmp / "secrets.toml"
        secrets.write_text(
            f'[auth]\nredirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a-long-random-bench-secret-0123456789"\nclient_id = "valuechain"\n'
            'client_secret = "bench"\n'
            f'server_metadata_url = "http://localhost:{provider.server_port}/.well-known/openid-configuration"\n'
        )
        (tmp / "roles.toml").write_text(ROLES)
        env = {
            **os.environ,
            "VALUECHAIN_DB": str(db),
            "VALUECHAIN_ROLES": str(tmp / "roles.toml"),
            "VALUECHAIN_AUDIT": str(tmp / "audit.jsonl"),
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "dashboard.py",
                "--server.headless=true",
                f"--server.port={port}",
                "--server.address=127.0.0.1",
                "--server.fileWatcherType=none",
                f"--secrets.files={secrets}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    time.sleep(0.5)
            stats = {"views": 0, "errors": 0, "crossed": set(), "times": []}
            started = time.perf_counter()
            asyncio.run(drive(url, people, args.rounds, stats))
            elapsed = time.perf_counter() - started
            peak = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    shutil.rmtree(tmp, ignore_errors=True)
    roles = {r: sum(1 for _, x in people if x == r) for r in ("public", "staff", "admin")}
    print(f"{args.sessions} signed-in sessions ({roles}), {args.rounds} rounds of {len(PAGES)} pages, {elapsed:.0f} s")
    print(f"page views               {stats['views']}")
    print(f"errors (exception boxes) {stats['errors']} (target 0)")
    print(f"sessions that saw another identity or role: {len(stats['crossed'])} (target 0)")
    print(f"median page time         {statistics.median(stats['times']):.2f} s (all sessions at once)")
    print(f"server peak memory       {peak:,.0f} MB")


if __name__ == "__main__":
    main()
