"""Whom to invite: named members and DENUE prospects for a buyer's need (processes, place, IATF, size),
ranked with their reasons; the same list on `/suppliers`, in exports, in the deck and on the command line.

Ranking: members first, then DENUE establishments that are not members (prospects, latest edition).
Within each, a score of 100 points: process match 50 x (processes matched / needed), distance 25 x
(1 - km / radius) when a point and radius are given (else 25 for being in the place), IATF 16949 15
(members who say they hold it), size 10 x (staff stratum, smallest 0 to largest 1).
"""

import math
import sys
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from valuechain import cli, db
from valuechain.catalog import Filters, member_where, place_where
from valuechain.db import query
from valuechain.i18n import N_, ByDataLang, t

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius
WEIGHTS = {"process": 50.0, "distance": 25.0, "iatf": 15.0, "size": 10.0}
HEADER = [
    "rank",
    "name",
    "kind",
    "cluster_id",
    "cve_ent",
    "municipality",
    "distance_km",
    "processes_matched",
    "iatf_16949",
    "score",
    "reasons",
]
# Each DENUE staff stratum's size rank, from 0 (the smallest) to 1 (the largest).
SIZE_RANKS = """SELECT per_ocu, (stratum_id - min(stratum_id) OVER ()) /
    greatest(max(stratum_id) OVER () - min(stratum_id) OVER (), 1) AS size_rank FROM denue_strata"""
CONTACT = ["phone", "email", "website"]
INVITATION = [*HEADER, "id", "scian_code", "size", *CONTACT, "lat", "lon", "source"]  # the downloaded list
# Words that do not tell firms apart: legal forms and articles (compared without accents or punctuation).
# fmt: off
NOISE_WORDS = (
    "s", "a", "b", "c", "d", "e", "i", "l", "p", "r", "v", "de", "del", "la", "las", "los", "el", "y", "sa", "sab",
    "sapi", "sc", "srl", "rl", "cv", "inc", "llc", "ltd", "gmbh", "co", "corp", "company", "grupo", "compania", "cia",
)
# fmt: on


class SupplierError(ValueError):
    """A need that cannot be answered (unknown process, corridor or state; a bad coordinate)."""


@dataclass(frozen=True)
class Near:
    """A point (an assembly plant or coordinates) and a radius in km."""

    lat: float
    lon: float
    radius_km: float


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of the mean Earth radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _distance_sql(alias: str) -> str:
    """SQL: the haversine distance in km from ($lat, $lon) to a row of `alias`."""
    return (
        f"2 * {EARTH_RADIUS_KM} * asin(sqrt(pow(sin(radians({alias}.lat - $lat) / 2), 2) + "
        f"cos(radians($lat)) * cos(radians({alias}.lat)) * pow(sin(radians({alias}.lon - $lon) / 2), 2)))"
    )


def _near_box(alias: str) -> str:
    """SQL: a cheap bounding box around the point before the exact distance is computed."""
    return (
        f"{alias}.lat BETWEEN $lat - $radius / 110.5 AND $lat + $radius / 110.5 AND {alias}.lon BETWEEN "
        f"$lon - $radius / (110.5 * cos(radians($lat))) AND $lon + $radius / (110.5 * cos(radians($lat)))"
    )


def normalised_name(expr: str) -> str:
    """SQL: a firm's name without accents, punctuation, legal forms or articles, for matching."""
    noise = ", ".join(f"'{w}'" for w in NOISE_WORDS)
    return (
        f"array_to_string(list_filter(string_split(regexp_replace(lower(strip_accents(coalesce({expr}, ''))), "
        f"'[^a-z0-9]+', ' ', 'g'), ' '), lambda w: w <> '' AND w NOT IN ({noise})), ' ')"
    )


def _member_keys(f: Filters, near: Near | None) -> str:
    """SQL: the keys for recognising members in DENUE (normalised name, state and municipality), of the
    members in the states where the need's DENUE rows are (normalising every name would cost seconds)."""
    place_sql, _ = place_where(f, "denue_establishments", "d")
    states = (
        f"SELECT DISTINCT d.cve_ent FROM denue_establishments d WHERE {place_sql} "
        f"AND {_near_box('d') if near else 'TRUE'}"
    )
    return (
        f"SELECT DISTINCT * FROM (SELECT cve_ent, {normalised_name('municipality')} AS place_key, "
        f"{normalised_name('name')} AS name_key FROM members WHERE cve_ent IN ({states})) WHERE name_key <> ''"
    )


def _not_member(alias: str) -> str:
    """SQL: a DENUE row that describes no member: neither a member's CLEE nor a member's normalised name
    (its trade or legal name) in the same state and municipality. Equality only, so DuckDB anti-joins."""
    same = (
        f"EXISTS (SELECT 1 FROM member_keys k WHERE k.cve_ent = {alias}.cve_ent "
        f"AND k.place_key = {normalised_name(alias + '.municipality')} AND k.name_key = {{name}})"
    )
    return (
        f"NOT coalesce({alias}.clee IN (SELECT clee FROM members WHERE clee IS NOT NULL), false) "
        f"AND NOT {same.format(name=normalised_name(alias + '.name'))} "
        f"AND NOT {same.format(name=normalised_name(alias + '.legal_name'))}"
    )


def check(con: duckdb.DuckDBPyConnection, f: Filters, near: Near | None) -> None:
    """Refuse a need that names an unknown process, corridor or state, or a coordinate off the map."""
    if not f.processes:
        raise SupplierError("Name at least one process (e.g. --process machining).")
    known = {r[0] for r in con.execute("SELECT process_id FROM processes").fetchall()}
    unknown = [p for p in f.processes if p not in known]
    if unknown:
        raise SupplierError(f"Unknown process '{unknown[0]}': use one of {', '.join(sorted(known))}.")
    if f.corridor and not con.execute("SELECT 1 FROM corridors WHERE corridor_id = ?", [f.corridor]).fetchall():
        raise SupplierError(f"Unknown corridor '{f.corridor}'.")
    for state in f.states:
        if not con.execute("SELECT 1 FROM states WHERE cve_ent = ?", [state]).fetchall():
            raise SupplierError(f"Unknown state '{state}': use an INEGI code 01-32.")
    if near and not (-90 <= near.lat <= 90 and -180 <= near.lon <= 180 and near.radius_km > 0):
        raise SupplierError(f"Bad coordinate or radius: {near.lat},{near.lon} within {near.radius_km} km.")


def ranked(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    near: Near | None = None,
    limit: int = 200,
    lang: str = "es",
    members: bool = True,
) -> pd.DataFrame:
    """The ranked list: members first, then prospects that are not members; each row with its score parts and
    reasons. Without `members`: every DENUE establishment that meets the need, members or not, all as prospects."""
    check(con, f, near)
    member_sql, member_params = member_where(f)
    found = f"""
        SELECT 'member' AS kind, m.member_id AS id, m.name, m.cluster_id, m.cve_ent, m.municipality,
               m.lat, m.lon, {_distance_sql("m") if near else "NULL::DOUBLE"} AS distance_km,
               list_sort(list_intersect(m.processes, $processes)) AS matched,
               m.iatf_16949, m.employee_band AS size, m.scian_code, m.phone, m.email, m.website, m.source
        FROM members m WHERE {member_sql} AND {_near_box("m") if near else "TRUE"} AND $members
        UNION ALL
        {
        _prospects(
            f,
            near,
            "(SELECT list_sort(list(p.process_id)) FROM processes p WHERE p.scian_code = "
            "d.scian_code AND list_contains($processes, p.process_id))",
            "SELECT scian_code FROM processes WHERE list_contains($processes, process_id)",
            members,
        )
    }
        AND NOT $iatf_only
    """
    return _scored(con, f, near, limit, lang, found, {**member_params, "members": members}, members)


def convertible(
    con: duckdb.DuckDBPyConnection, f: Filters, near: Near | None = None, limit: int = 200, lang: str = "es"
) -> pd.DataFrame:
    """Manufacturers in adjacent, non-automotive classes (`convertible_classes`) that could be certified for the
    processes asked for, ranked like prospects, each with the class's rationale."""
    check(con, f, near)
    classes = "SELECT scian_code FROM convertible_classes WHERE list_has_any(string_split(processes, ';'), $processes)"
    found = _prospects(
        f,
        near,
        "(SELECT list_sort(list_intersect(string_split(c.processes, ';'), $processes)) FROM convertible_classes c "
        "WHERE c.scian_code = d.scian_code)",
        classes,
        True,
    ).replace("'prospect'", "'convertible'", 1)
    frame = _scored(con, f, near, limit, lang, found, {})
    rationale = {
        code: ByDataLang(es=es, en=en)[lang]
        for code, es, en in con.execute(
            "SELECT scian_code, rationale_es, rationale_en FROM convertible_classes"
        ).fetchall()
    }
    frame["rationale"] = frame["scian_code"].map(rationale)
    return frame


def _prospects(f: Filters, near: Near | None, matched: str, classes: str, not_members: bool) -> str:
    """SQL: DENUE establishments of the latest edition in `classes`, in the place (only those that are not
    members when `not_members`)."""
    place_sql, _ = place_where(f, "denue_establishments", "d")
    return f"""
        SELECT 'prospect' AS kind, d.denue_id AS id, d.name, NULL AS cluster_id, d.cve_ent, d.municipality, d.lat,
               d.lon, {_distance_sql("d") if near else "NULL::DOUBLE"} AS distance_km, {matched} AS matched,
               NULL AS iatf_16949, d.per_ocu AS size, d.scian_code, d.phone, d.email, d.website, d.source
        FROM denue_establishments d
        WHERE d.edition = (SELECT max(edition) FROM denue_editions) AND d.scian_code IN ({classes})
          AND {place_sql} AND {_near_box("d") if near else "TRUE"} AND {_not_member("d") if not_members else "TRUE"}
    """


def _scored(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    near: Near | None,
    limit: int,
    lang: str,
    found: str,
    params: dict,
    keys: bool = True,
) -> pd.DataFrame:
    """Score the `found` rows (process, distance, IATF, size), order members first, and say why; `keys` builds
    the member keys that `found` recognises members by."""
    member_keys = f"member_keys AS MATERIALIZED ({_member_keys(f, near)})," if keys else ""
    frame = query(
        con,
        f"""
        WITH {member_keys}
        strata AS ({SIZE_RANKS}),
        found AS ({found})
        SELECT f.*, s.size_rank,
               {WEIGHTS["process"]} * len(f.matched) / len($processes) AS process_pts,
               CASE WHEN $near THEN {WEIGHTS["distance"]} * (1 - f.distance_km / $radius)
                    ELSE {WEIGHTS["distance"]} END AS distance_pts,
               CASE WHEN f.iatf_16949 THEN {WEIGHTS["iatf"]} ELSE 0 END AS iatf_pts,
               {WEIGHTS["size"]} * coalesce(s.size_rank, 0) AS size_pts
        FROM found f LEFT JOIN strata s ON s.per_ocu = f.size
        WHERE NOT $near OR f.distance_km <= $radius
        """,
        {
            **params,
            **place_where(f, "denue_establishments", "d")[1],
            "processes": list(f.processes),
            "iatf_only": bool(f.iatf_only),
            "include_optional": bool(f.include_optional),
            "near": near is not None,
            "lat": near.lat if near else 0.0,
            "lon": near.lon if near else 0.0,
            "radius": near.radius_km if near else 1.0,
        },
    )
    frame["score"] = (frame[["process_pts", "distance_pts", "iatf_pts", "size_pts"]].sum(axis=1)).round(1)
    frame["member_first"] = frame["kind"].ne("member")
    frame = frame.sort_values(
        ["member_first", "score", "distance_km", "name"], ascending=[True, False, True, True], na_position="last"
    ).head(limit)
    frame = frame.drop(columns="member_first").reset_index(drop=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    names = {
        p: ByDataLang(es=es, en=en)[lang]
        for p, es, en in con.execute("SELECT process_id, name_es, name_en FROM processes").fetchall()
    }
    frame["distance_km"] = frame["distance_km"].round(1)
    frame["reasons"] = [_reasons(row, len(f.processes), near, names, lang) for row in frame.itertuples()]
    frame["processes_matched"] = frame["matched"].map(lambda m: ";".join(m))
    frame["iatf_16949"] = frame["iatf_16949"].map({True: "yes", False: "no"}).fillna("")
    return frame.drop(columns="matched")


IATF_WORDS = {True: N_("rank_iatf_yes"), False: N_("rank_iatf_no"), None: N_("rank_iatf_unknown")}


def _reasons(row, needed: int, near: Near | None, names: dict[str, str], lang: str) -> str:
    """Why a row ranks where it does, each part with its points: 'processes 2/2 (...) +50 · 34.0 km of 100 +16.5'."""
    iatf = None if pd.isna(row.iatf_16949) else bool(row.iatf_16949)
    matched = ", ".join(names[p] for p in row.matched)
    parts = [
        (t("rank_processes", lang, n=len(row.matched), of=needed, names=matched), row.process_pts),
        (
            t("rank_km", lang, km=row.distance_km, radius=near.radius_km) if near else t("rank_in_place", lang),
            row.distance_pts,
        ),
        (t(IATF_WORDS[iatf], lang), row.iatf_pts),
        (t("rank_size", lang, size=row.size) if isinstance(row.size, str) else t("rank_no_size", lang), row.size_pts),
    ]
    return " · ".join(f"{text} +{points:.1f}" for text, points in parts)


def cli_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The command line's columns, in its documented order."""
    return frame[HEADER]


def main(argv: list[str] | None = None) -> int:
    parser = cli.command_parser("python -m valuechain.suppliers", __doc__, with_filters=False)
    parser.add_argument("--process", required=True, help="process ids, separated by commas")
    place = parser.add_mutually_exclusive_group(required=True)
    place.add_argument("--corridor", help="corridor id (bajio, saltillo_monterrey, ...)")
    place.add_argument("--state", help="INEGI state code 01-32")
    place.add_argument("--near", help="LAT,LON of the point to measure from (with --radius-km)")
    parser.add_argument("--radius-km", type=float, help="radius around --near, in km")
    parser.add_argument("--iatf", action="store_true", help="only members who hold IATF 16949")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--lang", choices=("es", "en"), default="en")
    args = cli.parse(parser, argv)
    if isinstance(args, int):
        return args
    from valuechain import access, visible

    try:
        near = _near(args.near, args.radius_km)
        f = replace(
            Filters(),
            processes=tuple(p.strip() for p in args.process.split(",") if p.strip()),
            corridor=args.corridor,
            states=(args.state.zfill(2),) if args.state else (),
            iatf_only=args.iatf,
        )
        viewer = cli.viewer(args)
        with db.connect(args.db) as con:
            frame = visible.supplier_list(con, viewer, f, near, args.lang, args.limit)
    except (SupplierError, visible.SupplierError, access.RolesError) as exc:  # run as __main__: two classes
        print(exc, file=sys.stderr)
        return 2
    return cli.print_csv(cli_frame(frame))


def _near(text: str | None, radius_km: float | None) -> Near | None:
    """--near LAT,LON with --radius-km, or None; a bad coordinate is refused in one sentence."""
    if text is None:
        if radius_km is not None:
            raise SupplierError("--radius-km needs --near LAT,LON.")
        return None
    try:
        lat, lon = (float(v) for v in text.split(","))
    except ValueError:
        raise SupplierError(f"Bad coordinate '{text}': give --near LAT,LON in degrees, e.g. 25.54,-100.95.") from None
    if radius_km is None:
        raise SupplierError("--near needs --radius-km N.")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise SupplierError(f"Bad coordinate '{text}': latitude is -90 to 90 and longitude -180 to 180.")
    if radius_km <= 0:
        raise SupplierError(f"Bad radius {radius_km:g} km: give a positive number.")
    return Near(lat, lon, radius_km)


if __name__ == "__main__":
    sys.exit(main())
