"""Where the automotive supply base is concentrated: location quotients on DENUE, and their change.

    LQ = (e_ir / e_r) / (e_i / e)

e_ir: establishments (or estimated employment) of the chosen classes i in region r; e_r: all
manufacturing (SCIAN 31-33) in r; e_i and e: the same for the whole country. Employment is estimated
from the midpoints of DENUE's staff strata. Command line (CSV on stdout):

    python -m valuechain.specialisation --by state|municipality|corridor [--scian CODE,...]
        [--measure establishments|employment] [--edition YYYY-MM] [--base-edition YYYY-MM] [--db PATH]
"""

import argparse
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd

from valuechain import cli, db
from valuechain.db import query, scalar
from valuechain.i18n import ByDataLang

LEVELS = ("state", "municipality", "corridor")
MEASURES = {"establishments": ("count(*)", "establishments"), "employment": ("sum(s.employees_mid)", "employment_est")}
MIN_ESTABLISHMENTS = 30  # regions with fewer manufacturing establishments than this: LQ shown greyed (unstable)
COLUMNS = ["region_id", "region_name", "e_ir", "e_r", "e_i", "e", "lq"]


class SpecialisationError(ValueError):
    """An unknown class, edition or region level (said in one sentence)."""


def _region(by: str, alias: str, lang: str) -> tuple[str, str, str]:
    """(SQL of the region id, SQL of its name as an aggregate, joins) for a table `alias` located by state
    and municipality."""
    name = ByDataLang(es="name_es", en="name_en")[lang]
    if by == "state":
        return f"{alias}.cve_ent", "any_value(st.name_short)", f"JOIN states st ON st.cve_ent = {alias}.cve_ent"
    if by == "municipality":
        return (
            f"{alias}.cve_ent || {alias}.cve_mun",
            f"coalesce(any_value({alias}.municipality), any_value({alias}.cve_ent || {alias}.cve_mun)) || ', ' || "
            "any_value(st.name_short)",
            f"JOIN states st ON st.cve_ent = {alias}.cve_ent",
        )
    if by == "corridor":
        return (
            "pc.corridor_id",
            f"any_value(co.{name})",
            f"JOIN place_corridors pc ON pc.cve_ent = {alias}.cve_ent AND pc.municipality = "
            f"coalesce({alias}.municipality, '') AND NOT pc.optional JOIN corridors co USING (corridor_id)",
        )
    raise SpecialisationError(f"Unknown region level '{by}': use state, municipality or corridor.")


def editions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The DENUE editions loaded, oldest first."""
    return list(query(con, "SELECT DISTINCT edition FROM denue_editions ORDER BY 1")["edition"])


def classes(con: duckdb.DuckDBPyConnection, codes: tuple[str, ...] = ()) -> list[str]:
    """The SCIAN classes meant by `codes` (classes, or branches such as 3361 that stand for their classes);
    all the automotive and supplier classes when none are given."""
    known = list(query(con, "SELECT code FROM scian WHERE level = 'clase' ORDER BY 1")["code"])
    if not codes:
        return known
    chosen = []
    for code in codes:
        matched = [k for k in known if k.startswith(code.strip())] if code.strip() else []
        if not matched:
            raise SpecialisationError(f"Unknown SCIAN class '{code}': see the scian table for the classes kept.")
        chosen += matched
    return sorted(set(chosen))


def location_quotients(
    con: duckdb.DuckDBPyConnection,
    by: str = "state",
    codes: tuple[str, ...] = (),
    measure: str = "establishments",
    edition: str | None = None,
    base_edition: str | None = None,
    lang: str = "es",
) -> pd.DataFrame:
    """One row per region: e_ir, e_r, e_i, e and the LQ (and growth_pct of e_ir from a base edition)."""
    loaded = editions(con)
    for asked in (edition, base_edition):
        if asked is not None and asked not in loaded:
            raise SpecialisationError(f"Unknown DENUE edition '{asked}': loaded editions are {', '.join(loaded)}.")
    if measure not in MEASURES:
        raise SpecialisationError(f"Unknown measure '{measure}': use establishments or employment.")
    edition = edition or (loaded[-1] if loaded else None)
    frame = _lq(con, by, classes(con, codes), measure, edition, lang)
    if base_edition:
        base = _lq(con, by, classes(con, codes), measure, base_edition, lang)[["region_id", "e_ir"]]
        frame = frame.merge(base.rename(columns={"e_ir": "base"}), on="region_id", how="left")
        frame["growth_pct"] = ((frame["e_ir"] - frame["base"]) / frame["base"].where(frame["base"] > 0) * 100).round(2)
        frame = frame.drop(columns="base")
    return frame


def _lq(con, by: str, codes: list[str], measure: str, edition: str | None, lang: str) -> pd.DataFrame:
    region_d, name_d, join_d = _region(by, "d", lang)
    region_t, name_t, join_t = _region(by, "t", lang)
    count_d, column_t = MEASURES[measure]
    params = {"edition": edition, "codes": codes}
    e_i = scalar(
        con,
        f"SELECT coalesce({count_d}, 0) FROM denue_establishments d LEFT JOIN denue_strata s USING (per_ocu) "
        "WHERE d.edition = $edition AND d.scian_code IN (SELECT unnest($codes))",
        params,
    )
    e = scalar(con, f"SELECT coalesce(sum({column_t}), 0) FROM denue_totals WHERE edition = $edition", params)
    frame = query(
        con,
        f"""
        WITH i AS (
            SELECT {region_d} AS region_id, {count_d} AS e_ir FROM denue_establishments d
            LEFT JOIN denue_strata s USING (per_ocu) {join_d}
            WHERE d.edition = $edition AND d.scian_code IN (SELECT unnest($codes)) GROUP BY 1
        ), r AS (
            SELECT {region_t} AS region_id, {name_t} AS region_name, sum(t.{column_t}) AS e_r
            FROM denue_totals t {join_t} WHERE t.edition = $edition AND {region_t} IS NOT NULL GROUP BY 1
        )
        SELECT r.region_id, r.region_name, coalesce(i.e_ir, 0) AS e_ir, r.e_r FROM r LEFT JOIN i USING (region_id)
        ORDER BY r.region_id
        """,
        params,
    )
    frame["e_i"], frame["e"] = float(e_i or 0), float(e or 0)
    frame["lq"] = ((frame["e_ir"] / frame["e_r"]) / (frame["e_i"] / frame["e"])).where(frame["e_r"] > 0).round(3)
    return frame[COLUMNS]


def municipal_geojson(con: duckdb.DuckDBPyConnection, cvegeos: tuple[str, ...]) -> dict:
    """The boundaries of the given municipalities as a FeatureCollection keyed by CVEGEO (only those: the
    whole country's 2,469 would be sent to the browser for nothing)."""
    rows = query(
        con,
        "SELECT cvegeo, geojson FROM municipality_shapes WHERE cvegeo IN (SELECT unnest($ids)) ORDER BY 1",
        {"ids": list(cvegeos)},
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": r.cvegeo, "properties": {"cvegeo": r.cvegeo}, "geometry": json.loads(r.geojson)}
            for r in rows.itertuples()
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m valuechain.specialisation", description=__doc__.split("\n")[0])
    parser.add_argument("--by", required=True)
    parser.add_argument("--scian", default="")
    parser.add_argument("--measure", default="establishments")
    parser.add_argument("--edition")
    parser.add_argument("--base-edition")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--lang", choices=("es", "en"), default="es")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    codes = tuple(c for c in args.scian.split(",") if c.strip())
    try:
        if args.by not in LEVELS:
            raise SpecialisationError(f"Unknown region level '{args.by}': use state, municipality or corridor.")
        with db.connect(args.db) as con:
            frame = location_quotients(con, args.by, codes, args.measure, args.edition, args.base_edition, args.lang)
    except SpecialisationError as exc:
        print(exc, file=sys.stderr)
        return 2
    return cli.print_csv(frame)


if __name__ == "__main__":
    sys.exit(main())
