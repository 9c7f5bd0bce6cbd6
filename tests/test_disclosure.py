"""Disclosure control as the attacker sees it: from every table `valuechain.tables` prints for `public`, a linear
program over the hidden cells (published cells and margins as equalities, values >= 0) cannot bound any
primary-suppressed cell below 3. The attacker's program here is written apart from the code it checks."""

import io
import itertools
import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from etl.__main__ import main as etl_main
from valuechain import access, disclosure, tables, visible
from valuechain.access import PUBLIC, Viewer
from valuechain.catalog import Filters

T = disclosure.TOTAL
PAIRS = [(r, c) for r, c in itertools.permutations(tables.DIMS, 2)]
CRAFTED = (
    "member_id,name,cluster_id,tier,cve_ent,municipality,processes,employee_band\n"
    "N1,Norte 1,nl,Tier 2,19,Apodaca,machining;stamping,251 y más personas\n"
    "N2,Norte 2,nl,Tier 2,19,Apodaca,machining,51 a 100 personas\n"
    "N3,Norte 3,nl,Tier 1,19,Apodaca,stamping,11 a 30 personas\n"
    "N4,Norte 4,nl,Tier 2,19,Apodaca,machining,11 a 30 personas\n"
    "C1,Coahuila 1,coah,Tier 2,05,Saltillo,stamping,0 a 5 personas\n"
    "C2,Coahuila 2,coah,Tier 1,05,Saltillo,machining,6 a 10 personas\n"
    "Q1,Querétaro 1,qro,Tier 2,22,Querétaro,machining,31 a 50 personas\n"
    "Q2,Querétaro 2,qro,Tier 2,22,Querétaro,machining,31 a 50 personas\n"
    "Q3,Querétaro 3,qro,Tier 2,22,Querétaro,machining,31 a 50 personas\n"
)


@pytest.fixture(scope="module")
def crafted_db(tmp_path_factory, built_db):
    folder = tmp_path_factory.mktemp("crafted")
    db = folder / "valuechain.duckdb"
    shutil.copyfile(built_db, db)
    members = folder / "socios.csv"
    members.write_text(CRAFTED, encoding="utf-8")
    assert etl_main(["import-members", str(members), "--db", str(db), "--inputs", str(folder / "inputs")]) == 0
    return db


def attacker_highest(table: pd.DataFrame, rows_add: bool, cols_add: bool, targets=None) -> dict[int, float]:
    """For each hidden cell (or each of `targets`): the highest value consistent with what is published."""
    hidden = list(table.index[table["value"].isna()])
    pos = {i: k for k, i in enumerate(hidden)}
    known = table["value"].fillna(0).to_numpy(float)
    a_eq, b_eq, a_ub, b_ub = [], [], [], []

    def relation(parts: list[int], margin: int, equal: bool):
        for part in [parts] if equal else [[p] for p in parts]:
            coef, rhs = np.zeros(len(hidden)), 0.0
            for i, sign in [(p, 1.0) for p in part] + [(margin, -1.0)]:
                if i in pos:
                    coef[pos[i]] += sign
                else:
                    rhs -= sign * known[i]
            if coef.any():
                (a_eq if equal else a_ub).append(coef)
                (b_eq if equal else b_ub).append(rhs)

    index = {(r, c): i for i, r, c in zip(table.index, table["row_id"], table["col_id"], strict=True)}
    for r in set(table["row_id"]):
        parts = [i for (rr, c), i in index.items() if rr == r and c != T]
        relation(parts, index[(r, T)], cols_add)
    for c in set(table["col_id"]):
        parts = [i for (r, cc), i in index.items() if cc == c and r != T]
        relation(parts, index[(T, c)], rows_add)
    out = {}
    eq = csr_matrix(np.array(a_eq)) if a_eq else None  # sparse, once: linprog would convert a dense one per solve
    ub = csr_matrix(np.array(a_ub)) if a_ub else None
    for i in hidden if targets is None else targets:
        objective = np.zeros(len(hidden))
        objective[pos[i]] = -1.0
        res = linprog(
            objective,
            A_eq=eq,
            b_eq=b_eq or None,
            A_ub=ub,
            b_ub=b_ub or None,
            bounds=[(0, None)] * len(hidden),
            method="highs",
        )
        out[i] = np.inf if res.status == 3 else -res.fun
    return out


@pytest.mark.parametrize("which", ["sample", "crafted"])
def test_no_table_lets_an_attacker_bound_a_small_cell_below_3(built_db, crafted_db, which):
    db = built_db if which == "sample" else crafted_db
    with duckdb.connect(str(db), read_only=True) as con:
        for rows, cols in PAIRS:
            table = visible.cross_table(con, PUBLIC, rows, cols, "firms", Filters())
            assert (table["value"].isna() == (table["status"] != "published")).all()
            primary = table.index[table["status"] == "primary"]
            highest = attacker_highest(table, rows != "process", cols != "process", primary)
            low = {i: highest[i] for i in primary if highest[i] < disclosure.MIN_FIRMS - 1e-6}
            assert not low, (which, rows, cols, table.loc[list(low)].to_dict("records")[:3])


def test_the_difference_of_the_total_and_the_others_is_hidden_too(crafted_db):
    with duckdb.connect(str(crafted_db), read_only=True) as con:
        table = visible.cross_table(con, PUBLIC, "state", "cluster", "firms", Filters()).set_index(["row_id", "col_id"])
        staff = visible.cross_table(con, Viewer("staff"), "state", "cluster", "firms", Filters())
    assert table.loc[("05", T), "status"] == "primary"  # Coahuila's two members
    # else the total less Nuevo León (4) and Querétaro (3) would give Coahuila away
    assert (table.loc[[("19", T), ("22", T)], "status"] == "secondary").any()
    assert table.loc[(T, T), "value"] == 9 and (staff["status"] == "published").all()


def test_employment_sums_follow_the_dominance_rule(crafted_db):
    with duckdb.connect(str(crafted_db), read_only=True) as con:
        table = visible.cross_table(con, PUBLIC, "state", "tier", "employment", Filters())
        table = table.set_index(["row_id", "col_id"])
    # Nuevo León's Tier 2: three firms, one of 251+ staff dominating two small ones
    assert table.loc[("19", "Tier 2"), "status"] == "primary"
    assert table.loc[("22", "Tier 2"), "status"] != "primary"  # three equal firms: nobody dominates


def test_the_tables_command_prints_the_documented_csv_and_refuses_in_one_sentence(crafted_db, capsys, tmp_path):
    roles = tmp_path / "roles.toml"
    roles.write_text('[roles]\nstaff = ["@red.example"]\n', encoding="utf-8")
    args = ["--rows", "state", "--cols", "tier", "--db", str(crafted_db), "--roles", str(roles)]
    assert tables.main([*args, "--as", "otra@correo.example", "--cluster", "nl", "--cluster", "coah"]) == 0
    printed = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)
    assert list(printed.columns) == tables.HEADER
    assert set(printed["status"]) <= {"published", "primary", "secondary"}
    assert (printed.loc[printed["status"] != "published", "value"] == "").all()
    assert printed.loc[(printed["row_id"] == T) & (printed["col_id"] == T), "value"].tolist() == ["6"]
    assert tables.main(["--rows", "state", "--cols", "colour", "--db", str(crafted_db)]) == 2
    assert capsys.readouterr().err.strip().endswith(".")


def test_the_members_command_gives_each_user_what_they_may_download(crafted_db, capsys, tmp_path):
    from valuechain import members

    roles = tmp_path / "roles.toml"
    roles.write_text(
        '[roles]\nstaff = ["@red.example"]\n[clusters.nl]\nstaff = ["@claut.example"]\n'
        '[sharing]\ncolumns = ["name", "cluster_id", "tier"]\n',
        encoding="utf-8",
    )
    base = ["--db", str(crafted_db), "--roles", str(roles)]
    assert members.main([*base, "--as", "otra@correo.example"]) == 2
    assert "may not see member rows" in capsys.readouterr().err
    assert members.main([*base, "--as", "luis@red.example", "--state", "19"]) == 0
    assert len(pd.read_csv(io.StringIO(capsys.readouterr().out))) == 4
    assert members.main([*base, "--as", "pepe@claut.example"]) == 0
    rows = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    own, others = rows[rows["cluster_id"] == "nl"], rows[rows["cluster_id"] != "nl"]
    assert len(own) == 4 and own["member_id"].notna().all() and own["municipality"].notna().all()
    assert len(others) == 5 and others["member_id"].isna().all() and others["municipality"].isna().all()
    assert others["name"].notna().all() and others["tier"].notna().all()


def test_a_cluster_role_without_sharing_sees_its_own_members_only(crafted_db):
    claut = Viewer("staff", "pepe@claut.example", cluster="nl")
    with duckdb.connect(str(crafted_db), read_only=True) as con:
        rows = visible.member_rows(con, claut, Filters(), None)
        assert set(rows["cluster_id"]) == {"nl"}
        assert visible.headline(con, claut, Filters())["members"] == 9  # counts: as public, 9 is not small
    assert not claut.sees_counts and access.viewer_for("a@claut.example", access.Roles()).role == "public"


def test_the_most_specific_roles_entry_wins(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text(
        '[roles]\nadmin = ["ana@red.example", "datos@claut.example"]\nstaff = ["@red.example", "@claut.example"]\n'
        '[clusters.nl]\nadmin = ["datos@claut.example"]\nstaff = ["@claut.example"]\n',
        encoding="utf-8",
    )
    roles = access.read_roles(path)
    assert access.viewer_for("ana@red.example", roles) == Viewer("admin", "ana@red.example")
    assert access.viewer_for("x@red.example", roles) == Viewer("staff", "x@red.example")
    assert access.viewer_for("datos@claut.example", roles) == Viewer("admin", "datos@claut.example", cluster="nl")
    assert access.viewer_for("x@claut.example", roles) == Viewer("staff", "x@claut.example", cluster="nl")
