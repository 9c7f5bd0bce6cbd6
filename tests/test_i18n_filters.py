"""Filters bind every value and match the database (translations: tests/test_messages.py)."""

from pathlib import Path

import duckdb
import pytest

from valuechain import queries
from valuechain.catalog import Filters, member_where

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def con(built_db):
    with duckdb.connect(str(built_db), read_only=True) as c:
        yield c


def test_hostile_values_are_bound_not_formatted(con):
    hostile = Filters(states=("19'; DROP TABLE members; --",), tiers=("x' OR '1'='1",))
    where, params = member_where(hostile)
    assert "DROP" not in where and "OR '1'='1'" not in where
    assert queries.member_count(con, hostile) == 0
    assert queries.member_count(con) > 0


def test_corridor_filter_matches_a_direct_count(con):
    sm = queries.member_count(con, Filters(corridor="saltillo_monterrey"))
    direct = con.execute(
        "SELECT count(*) FROM members m JOIN corridor_municipalities c ON c.cve_ent = m.cve_ent "
        "AND c.name = m.municipality WHERE c.corridor_id = 'saltillo_monterrey'"
    ).fetchone()[0]
    assert sm == direct > 0
    with_jalisco = queries.member_count(con, Filters(corridor="bajio", include_optional=True))
    assert with_jalisco > queries.member_count(con, Filters(corridor="bajio"))


def test_combined_filters(con):
    f = Filters(clusters=("nl",), tiers=("Tier 2",), processes=("machining",), iatf_only=True)
    direct = con.execute(
        "SELECT count(*) FROM members WHERE cluster_id = 'nl' AND tier = 'Tier 2' "
        "AND list_contains(processes, 'machining') AND iatf_16949"
    ).fetchone()[0]
    assert queries.member_count(con, f) == direct


def test_a_dimension_declared_once_filters_members_and_denue(con):
    from valuechain.catalog import BY_KEY, place_where

    assert BY_KEY["size"].field == "sizes"
    f = Filters(sizes=("251 y más personas",))
    direct = con.execute("SELECT count(*) FROM members WHERE employee_band = '251 y más personas'").fetchone()[0]
    assert queries.member_count(con, f) == direct > 0
    where, params = place_where(f, "denue_establishments", "d")
    assert "per_ocu" in where and params == {"sizes": ["251 y más personas"]}
    english = queries.dimension_values(con, "size").set_index("id")["name_en"]
    assert english["251 y más personas"] == "251 or more people"
