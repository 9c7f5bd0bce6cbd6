"""Member columns declared once: the table, the importer, the sample, the query, the dictionary, the template
and the README read one list; `ownership` is an optional column and a filter."""

from pathlib import Path

import duckdb
import pytest

from etl.__main__ import check, import_members
from valuechain import access, dictionary, member_columns, queries
from valuechain.catalog import Filters
from valuechain.problems import InputError

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_column_table_is_the_declaration():
    assert member_columns.markdown() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_table_the_query_and_the_dictionary_follow_the_declaration(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        stored = [r[0] for r in con.execute("DESCRIBE members").fetchall()]
        rows = queries.member_rows(con, limit=1)
    assert stored == [*member_columns.NAMES, "source"]
    assert tuple(rows.columns) == member_columns.EXPORTED == tuple(dictionary.dictionary("members")["column"])


def test_the_template_passes_the_importer(tmp_path):
    template = tmp_path / "plantilla.csv"
    template.write_text(member_columns.template_csv(), encoding="utf-8")
    assert check(template, None) == 2


def test_ownership_loads_by_name_and_a_bad_value_is_refused_with_its_line(tmp_path, workspace):
    db, inputs = workspace
    bad = tmp_path / "bad.csv"
    bad.write_text("name,cluster_id,tier,cve_ent,ownership\nUno,nl,Tier 2,19,Mexican\nDos,nl,Tier 2,19,martian\n")
    with pytest.raises(InputError) as refused:
        check(bad, None)
    assert [str(p) for p in refused.value.problems] == [
        f"{bad}:3: column 'ownership': 'martian' is not one of mexican, foreign, joint"
    ]
    assert refused.value.lines("es")[0].endswith("'martian' no es uno de estos valores: mexican, foreign, joint")
    good = tmp_path / "good.csv"  # columns in another order: the INSERT goes by name
    good.write_text("ownership,cve_ent,tier,name,cluster_id\nJOINT,19,Tier 2,Uno,nl\n,19,Tier 1,Dos,nl\n")
    import_members(good, db, inputs)
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT name, ownership, tier FROM members ORDER BY name").fetchall()
        joint = queries.member_count(con, Filters(ownership=("joint",)))
    assert stored == [("Dos", None, "Tier 1"), ("Uno", "joint", "Tier 2")]
    assert joint == 1


def test_the_sample_fills_ownership_and_the_filter_counts_it(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        direct = con.execute("SELECT count(*) FROM members WHERE ownership IN ('mexican', 'joint')").fetchone()[0]
        assert 0 < queries.member_count(con, Filters(ownership=("mexican", "joint"))) == direct
        names = queries.dimension_values(con, "ownership")
    assert list(names["id"]) == ["mexican", "foreign", "joint"]
    assert list(names["name_es"]) == ["Mexicana", "Extranjera", "Mixta"]


def test_an_unknown_column_is_named_in_the_report(tmp_path, run_etl):
    path = tmp_path / "extra.csv"
    path.write_text("name,cluster_id,tier,cve_ent,colour\nUno,nl,Tier 2,19,red\n")
    code, out, _ = run_etl("check", path)
    assert code == 0 and "ignored columns that are not member columns: colour" in out


def test_a_contact_column_cannot_be_shared_with_other_clusters(tmp_path):
    roles = tmp_path / "roles.toml"
    roles.write_text('[clusters.nl]\nstaff = ["@claut.example"]\n[sharing]\ncolumns = ["name", "email"]\n')
    with pytest.raises(access.RolesError, match="'email' is never shared with other clusters"):
        access.read_roles(roles)
    roles.write_text('[sharing]\ncolumns = ["name", "colour"]\n')
    with pytest.raises(access.RolesError, match="'colour' is not a member column"):
        access.read_roles(roles)
