"""The README's own examples: every link opens the view it describes, every command exists as written."""

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, unquote

import pytest
from streamlit.testing.v1 import AppTest

from ui.pages import PAGES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
APP = str(ROOT / "dashboard.py")
LINKS = re.findall(r"`(/[a-z]*)\?([^`\s]+)`", README)
SCRIPT_OF = {"/" + (path if i else ""): script for i, (script, _, _, path) in enumerate(PAGES)}
BLOCKS = {  # commands shown as indented usage blocks: the block is their usage
    module: re.search(rf"^    python -m {re.escape(module)} .*?(?=\n\n)", README, re.M | re.S).group(0)
    for module in (
        "valuechain.rvc",
        "valuechain.specialisation",
        "valuechain.suppliers",
        "valuechain.members",
        "valuechain.tables",
        "valuechain.hr",
    )
}
BLOCKS |= {  # subcommands listed one per line
    f"valuechain.event {sub}": re.search(rf"^    python -m valuechain\.event {sub} [^\n]*", README, re.M).group(0)
    for sub in ("sample", "suggest", "schedule", "agendas", "report")
}
COMMANDS = [*re.findall(r"`python -m (etl \S+)([^`]*)`", README), *((m, b) for m, b in BLOCKS.items())]


def open_link(path: str, query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in parse_qsl(unquote(query)):
        at.query_params[key] = value
    at.run()
    if SCRIPT_OF[path] != PAGES[0][0]:
        at.switch_page(SCRIPT_OF[path]).run()
    return at


def test_the_readme_has_links_and_commands_to_check():
    assert LINKS and len(COMMANDS) >= 6


@pytest.mark.parametrize(("path", "query"), LINKS)
def test_every_readme_link_restores_its_view_without_notices(app_env, path, query):
    at = open_link(path, query)
    assert not at.exception and not at.error
    assert not any("ignor" in i.value.lower() for i in at.sidebar.info)  # every value in the link was understood


def test_readme_tiers_link_shows_what_the_readme_says(app_env):
    path, query = next(link for link in LINKS if link[0] == "/tiers")
    at = open_link(path, query)
    assert (at.session_state["corridor"], list(at.session_state["tier"]), at.session_state["lang"]) == (
        "bajio",
        ["Tier 1"],
        "en",
    )
    assert at.title[0].value == "Tiers"  # the page in English
    depth = at.dataframe[0].value
    assert list(depth["corridor"]) == ["Bajío"]  # only the corridor the link chose
    bajio = depth.iloc[0]
    assert bajio["buyers"] > 0 and bajio["suppliers"] > 0 and bajio["per_buyer"] > 0
    assert any("tier filter does not apply" in i.value for i in at.info)
    thin = [w.value for w in at.warning if w.value.startswith("Thin coverage")]
    assert len(thin) <= 1 and not any("Saltillo" in w or "Zona Centro" in w for w in thin)


def test_readme_page_table_lists_exactly_the_apps_pages():
    table = re.findall(r"^\| [^|]+ \| `(/[a-z]*)` \|", README, re.M)
    assert table == list(SCRIPT_OF)


@pytest.mark.parametrize(("command", "usage"), COMMANDS)
def test_every_readme_command_exists_with_the_options_it_names(command, usage):
    module, *sub = command.split()
    done = subprocess.run(
        [sys.executable, "-m", module, *sub, "--help"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    named = set(re.findall(r"--[a-z-]+", usage))
    assert named <= set(re.findall(r"--[a-z-]+", done.stdout)), named - set(re.findall(r"--[a-z-]+", done.stdout))
    if module == "valuechain.rvc":
        for good in re.search(r"--good ([a-z|-]+)\]", usage).group(1).split("|"):
            assert good in done.stdout


@pytest.mark.parametrize(("target", "expected"), [("run", "streamlit run dashboard.py"), ("test", "pytest")])
def test_readme_make_targets_do_what_it_says(target, expected):
    assert f"    make {target}\n" in README
    done = subprocess.run(["make", "-n", target], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0 and expected in done.stdout


def test_readme_benchmarks_run_and_print_their_ratios(tmp_path):
    assert ".venv/bin/python bench/etl.py" in README and ".venv/bin/python bench/pages.py" in README
    etl = subprocess.run(
        [sys.executable, "bench/etl.py", "--rows", "2000"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert etl.returncode == 0, etl.stderr
    assert re.search(r"validated build / DuckDB raw read : \d+\.\d+x", etl.stdout)
    pages = subprocess.run(
        [sys.executable, "bench/pages.py", "--members", "2000", "--runs", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert pages.returncode == 0, pages.stderr
    assert "tiers" in pages.stdout and "floor" in pages.stdout
    assert ".venv/bin/python bench/denue.py" in README
    denue = subprocess.run(
        [sys.executable, "bench/denue.py", "--rows", "2000"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert denue.returncode == 0, denue.stderr
    assert re.search(r"import-denue / DuckDB read and filter : \d+\.\d+x", denue.stdout)
    assert ".venv/bin/python bench/hr.py" in README
    survey = subprocess.run(
        [sys.executable, "bench/hr.py", "--members", "200"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert survey.returncode == 0, survey.stderr
    assert re.search(r"import-hr / DuckDB raw read +: \d+\.\d+x", survey.stdout)
