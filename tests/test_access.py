"""Who sees what: roles from the roles file, suppression below 3 firms, member-level reads refused to the
public role where data is read, the pages per role, a leak test over every page and download, the audit trail."""

import io
import json
import re

import duckdb
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from tests.test_app import APP
from ui.pages import SCRIPTS
from valuechain import access, audit, visible
from valuechain.access import LOCAL, PUBLIC, NotAllowed, RolesError, Viewer
from valuechain.catalog import Filters

ROLES = '[roles]\nadmin = ["ana@red.example"]\nstaff = ["@claut.example", "luis@correo.example"]\n'
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-secret-that-is-long-enough",
    "client_id": "valuechain",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
STAFF = Viewer("staff", "pepe@claut.example")
COUNT_COLUMNS = {"members", "buyers", "suppliers", "tier1", "tier2_3", "iatf", "members_loaded"}


@pytest.fixture()
def roles_file(tmp_path, monkeypatch):
    path = tmp_path / "roles.toml"
    path.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("VALUECHAIN_ROLES", str(path))
    monkeypatch.setenv("VALUECHAIN_AUDIT", str(tmp_path / "audit.jsonl"))
    return path


def test_roles_come_from_addresses_then_domains_and_everyone_else_is_public(roles_file):
    roles = access.read_roles(access.roles_path())
    assert access.viewer_for("ana@red.example", roles).role == "admin"
    assert access.viewer_for("Pepe@CLAUT.example", roles).role == "staff"  # by domain, any case
    assert access.viewer_for("luis@correo.example", roles).role == "staff"
    assert access.viewer_for("otra@correo.example", roles).role == "public"
    assert access.viewer_for(None, roles).role == "public"
    assert access.read_roles(roles_file.with_name("missing.toml")) == access.Roles()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[roles]\nroot = ["x@y.example"]\n', "unknown role 'root'"),
        ('[roles]\nstaff = "x@y.example"\n', "must be a list"),
        ("[roles\n", "not a readable roles file"),
    ],
)
def test_a_bad_roles_file_is_refused_with_a_reason(tmp_path, text, says):
    path = tmp_path / "roles.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RolesError, match=re.escape(says)):
        access.read_roles(path)


def test_counts_below_3_what_derives_from_them_and_what_would_reveal_them_are_suppressed_for_public_only():
    frame = pd.DataFrame({"state": ["05", "19", "24"], "members": [2, 4, 9], "per": [0.5, 0.2, 0.1]})
    hidden = visible.protect(PUBLIC, frame, ["state"], None, "members", derived=("per",))
    # 2 is primary; the total (15) minus 9 would give it away, so the smallest other cell (4) hides too
    assert hidden["members"].isna().tolist() == [True, True, False]
    assert hidden["per"].isna().tolist() == [True, True, False]
    assert visible.protect(STAFF, frame, ["state"], None, "members").equals(frame)
    assert access.suppress_count(PUBLIC, 2) == access.SUPPRESSED and access.suppress_count(PUBLIC, 3) == 3


def test_the_domain_refuses_member_rows_to_public_and_names_no_member(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        with pytest.raises(NotAllowed):
            visible.member_rows(con, PUBLIC, Filters(), 10)
        with pytest.raises(NotAllowed):
            visible.members_by_place(con, PUBLIC, Filters())
        assert len(visible.member_rows(con, STAFF, Filters(), 10)) == 10
        listed = visible.supplier_list(con, PUBLIC, Filters(processes=("machining",)), None, "en", 50)
        assert set(listed["kind"]) == {"prospect"}
        with pytest.raises(NotAllowed):  # the supplier event reads members: staff only
            visible.sample_event(con, PUBLIC, "/nonexistent")
        small = con.execute("SELECT cve_ent FROM members GROUP BY 1 HAVING count(*) BETWEEN 1 AND 2 LIMIT 1").fetchall()
        if small:  # a state with one or two members in the sample
            f = Filters(states=(small[0][0],))
            assert visible.headline(con, PUBLIC, f)["members"] == access.SUPPRESSED
            assert visible.headline(con, LOCAL, f)["members"] in (1, 2)


def app(user: dict | None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if user is not None:
        at.secrets["auth"] = AUTH
        at.user = user
    for key, value in params.items():
        at.query_params[key] = value
    return at


def signed_in(email: str) -> dict:
    return {"is_logged_in": True, "email": email, "name": email.split("@")[0]}


def test_local_mode_says_so_and_shows_everything(app_env):
    at = app(None).run()
    at.switch_page("views/explore.py").run()
    assert not at.exception
    assert any("Modo local" in c.value for c in at.sidebar.caption)
    assert at.dataframe and "member_id" in at.dataframe[0].value.columns


def test_not_signed_in_sees_the_sign_in_screen_and_the_public_pages(app_env, roles_file):
    at = app({"is_logged_in": False}).run()
    assert not at.exception
    assert any(b.label == "Iniciar sesión" for b in at.sidebar.button)
    at.switch_page("views/signin.py").run()
    assert at.title[0].value == "Iniciar sesión"
    for private in ("views/explore.py", "views/data.py", "views/suppliers.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(private)


@pytest.mark.parametrize(
    ("email", "member_table", "uploader", "audit_trail"),
    [
        ("otra@correo.example", False, False, False),
        ("pepe@claut.example", True, False, False),
        ("ana@red.example", True, True, True),
    ],
)
def test_each_role_sees_what_it_allows(app_env, roles_file, email, member_table, uploader, audit_trail):
    at = app(signed_in(email)).run()
    at.switch_page("views/explore.py").run()
    assert not at.exception
    tables = [d.value for d in at.dataframe]
    assert any("member_id" in t.columns for t in tables) is member_table
    assert bool([b for b in at.get("download_button") if b.key == "csv_members"]) is member_table
    at.switch_page("views/map.py").run()
    assert bool([t for t in at.toggle if t.key == "members_layer"]) is member_table
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert bool(at.get("file_uploader")) is uploader
    assert any(s.value == "Registro de auditoría" for s in at.subheader) is audit_trail


@pytest.fixture()
def deferred(monkeypatch):
    """Every download's builder, as the server registers it (run later, as a click would)."""
    builders: list = []
    original = MediaFileManager.add_deferred

    def capture(self, data_callable, *args, **kwargs):
        builders.append(data_callable)
        return original(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    return builders


def file_text(data: bytes) -> str:
    """A download's contents as text: CSV as it is, XLSX and Parquet read back as tables."""
    if data[:2] == b"PK":
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str)
        return " ".join(sheet.to_csv(index=False) for sheet in sheets.values())
    if data[:4] == b"PAR1":
        return pd.read_parquet(io.BytesIO(data)).to_csv(index=False)
    return data.decode("utf-8-sig")


def test_public_sees_no_member_name_and_no_count_below_3_on_any_page_or_download(app_env, roles_file, deferred):
    with duckdb.connect(str(app_env), read_only=True) as con:
        member_names = {r[0] for r in con.execute("SELECT name FROM members").fetchall()}
    params = {"process": ["machining", "stamping"], "plant": "gm_ramos"}
    for page in SCRIPTS:
        at = app(signed_in("otra@correo.example"), **params).run()
        at.switch_page(page).run()
        assert not at.exception, page
        texts = [e.value for kind in ("markdown", "caption", "info", "warning", "success") for e in getattr(at, kind)]
        texts += [f"{m.label} {m.value}" for m in at.metric]
        for frame in (d.value for d in at.dataframe):
            texts.append(frame.to_csv())
            for column in COUNT_COLUMNS & set(frame.columns):
                numbers = pd.to_numeric(frame[column], errors="coerce").dropna()
                assert (numbers >= 3).all(), (page, column, numbers[numbers < 3].tolist())
        leaked = [name for name in member_names if any(name in text for text in texts)]
        assert not leaked, (page, leaked[:3])
        for metric in at.metric:
            if metric.label in ("Empresas socias", "Socios"):
                assert metric.value == access.SUPPRESSED or int(metric.value.replace(",", "")) >= 3, (
                    page,
                    metric.value,
                )
    assert deferred, "the pages offered downloads"
    for build in deferred:
        text = file_text(build())
        leaked = [name for name in member_names if name in text]
        assert not leaked, leaked[:3]


def test_every_export_is_recorded_in_the_audit_trail(app_env, roles_file, deferred):
    at = app(signed_in("pepe@claut.example"), corridor="bajio").run()
    at.switch_page("views/explore.py").run()
    deferred[0]()  # the members CSV, as a click builds it
    lines = [json.loads(x) for x in audit.path().read_text(encoding="utf-8").splitlines()]
    assert lines[-1]["who"] == "pepe@claut.example" and lines[-1]["role"] == "staff"
    assert lines[-1]["action"] == "export" and lines[-1]["page"] == "explore"
    assert lines[-1]["filters"] == "corridor=bajio" and lines[-1]["rows"] > 0 and lines[-1]["file"] == "members.csv"
    with pytest.raises(NotAllowed):
        visible.audit_trail(STAFF)
    assert len(visible.audit_trail(Viewer("admin", "ana@red.example"))) == len(lines)


def test_small_counts_are_confidential_for_public_and_numbers_for_staff(
    app_env, roles_file, workspace, run_etl, tmp_path, monkeypatch
):
    db, inputs = workspace
    members = tmp_path / "socios.csv"
    members.write_text(
        "name,cluster_id,tier,cve_ent,municipality,processes\n"
        + "".join(f"Norte {i},nl,Tier 2,19,Apodaca,machining\n" for i in range(4))
        + "".join(f"Coahuila {i},coah,Tier 2,05,Saltillo,stamping\n" for i in range(2)),
        encoding="utf-8",
    )
    assert run_etl("import-members", members, "--db", db, "--inputs", inputs)[0] == 0
    monkeypatch.setenv("VALUECHAIN_DB", str(db))
    for email, coahuila, tiers_text in (
        ("otra@correo.example", access.SUPPRESSED, "x"),
        ("pepe@claut.example", "2", "2"),
    ):
        at = app(signed_in(email), state="05").run()
        assert not at.exception
        assert next(m.value for m in at.metric if m.label == "Empresas socias") == coahuila
        at = app(signed_in(email), state=["05", "19"]).run()
        assert next(m.value for m in at.metric if m.label == "Empresas socias") == "6"  # the total is not small
        at.switch_page("views/clusters.py").run()
        assert not at.exception
        texts = " ".join(str(m.value) for m in at.metric) + " ".join(str(t.value) for t in at.table)
        assert (access.SUPPRESSED in texts) is (tiers_text == "x")
