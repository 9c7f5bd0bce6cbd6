"""A generated DENUE, flagged source = 'sample', so the specialisation features work on a fresh clone.

Two editions a year apart, at a national scale: every state gets a made-up number of manufacturing
establishments (several hundred thousand in all) spread over the DENUE staff strata, counted per
municipality where the reference data names one; the automotive and supplier classes are drawn as
individual fictitious establishments with stable ids, some closing and some opening between editions.
None of these numbers is real: a real DENUE import replaces every sample edition.
"""

import duckdb
import numpy as np
import pyarrow as pa

from etl.sample import place_inside_states

SEED = 2027
EDITIONS = ("2024-11", "2025-11")  # labels of the two sample editions
MANUFACTURING_PER_STATE = 18_000  # mean establishments per state (lognormal around it)
STRATA_SHARE = [0.72, 0.12, 0.09, 0.03, 0.02, 0.012, 0.008]  # most manufacturing units are small
AUTO_SHARE_CLUSTER_STATE = 0.08  # share of automotive/supplier classes where a REDCAM cluster works
AUTO_SHARE_OTHER = 0.015
CLOSE, OPEN = 0.06, 0.09  # between the two editions


def insert(con: duckdb.DuckDBPyConnection, seed: int = SEED) -> int:
    """Insert both sample editions (establishments, totals, editions); return the establishments of the last."""
    rng = np.random.default_rng(seed)
    states = [r[0] for r in con.execute("SELECT cve_ent FROM states ORDER BY 1").fetchall()]
    cluster_states = {r[0] for r in con.execute("SELECT DISTINCT cve_ent FROM cluster_states").fetchall()}
    places = con.execute("SELECT cve_ent, cve_mun, name, lat, lon FROM municipalities ORDER BY ALL").fetchall()
    classes = [
        r[0]
        for r in con.execute(
            "SELECT code FROM scian WHERE level = 'clase' UNION SELECT scian_code FROM convertible_classes ORDER BY 1"
        ).fetchall()
    ]
    strata = con.execute(
        "SELECT per_ocu, employees_min, employees_max, employees_mid FROM denue_strata ORDER BY stratum_id"
    ).fetchall()
    names = dict(
        con.execute(
            "SELECT code, name_es FROM scian UNION ALL SELECT scian_code, name_es FROM convertible_classes"
        ).fetchall()
    )
    totals = {s: int(rng.lognormal(np.log(MANUFACTURING_PER_STATE), 0.6)) for s in states}
    auto = {s: int(totals[s] * (AUTO_SHARE_CLUSTER_STATE if s in cluster_states else AUTO_SHARE_OTHER)) for s in states}

    # automotive and supplier establishments of the first edition, then closings and openings
    first_ids = np.arange(sum(auto.values()))
    state_of = np.repeat(np.array(states, dtype=object), [auto[s] for s in states])
    opened = int(len(first_ids) * OPEN)
    edition_rows = {
        EDITIONS[0]: (first_ids, state_of),
        EDITIONS[1]: (
            np.concatenate(
                [first_ids[rng.random(len(first_ids)) >= CLOSE], np.arange(len(first_ids), len(first_ids) + opened)]
            ),
            np.concatenate([state_of, rng.choice(np.array(sorted(cluster_states), dtype=object), size=opened)]),
        ),
    }
    every_state = edition_rows[EDITIONS[1]][1]
    klass = rng.choice(np.array(classes), size=len(every_state))
    stratum = rng.choice(len(strata), size=len(every_state), p=[0.25, 0.15, 0.2, 0.12, 0.12, 0.09, 0.07])
    place_idx = np.full(len(every_state), -1)
    for s in set(every_state):
        options = [k for k, p in enumerate(places) if p[0] == s]
        rows = np.flatnonzero(every_state == s)
        if options:
            place_idx[rows] = rng.choice(options + [-1], size=len(rows))  # some outside the named municipalities
    seat = np.array([(places[k][3], places[k][4]) if k >= 0 else (np.nan, np.nan) for k in place_idx], dtype=float)
    located = ~np.isnan(seat[:, 0])
    lat, lon = np.full(len(every_state), np.nan), np.full(len(every_state), np.nan)
    lat[located], lon[located] = place_inside_states(con, every_state[located], seat[located, 0], seat[located, 1], rng)

    for edition in EDITIONS:
        ids, _ = edition_rows[edition]
        k = ids  # an establishment's attributes are the same in both editions
        table = pa.table(
            {
                "denue_id": pa.array([f"SAMPLE-{i:07d}" for i in k]),
                "clee": pa.array([None] * len(k), type=pa.string()),
                "name": pa.array([f"Ficticia Establecimiento {i:07d}" for i in k]),
                "legal_name": pa.array([None] * len(k), type=pa.string()),
                "scian_code": pa.array(klass[k]),
                "scian_name": pa.array([names.get(c) for c in klass[k]]),
                "per_ocu": pa.array([strata[s][0] for s in stratum[k]]),
                "employees_min": pa.array([strata[s][1] for s in stratum[k]], type=pa.int32()),
                "employees_max": pa.array([strata[s][2] for s in stratum[k]], type=pa.int32()),
                "cve_ent": pa.array(every_state[k].astype(str)),
                "cve_mun": pa.array([places[p][1] if p >= 0 else None for p in place_idx[k]], type=pa.string()),
                "municipality": pa.array([places[p][2] if p >= 0 else None for p in place_idx[k]], type=pa.string()),
                "lat": pa.array(np.round(lat[k], 5)),
                "lon": pa.array(np.round(lon[k], 5)),
                "fecha_alta": pa.array([None] * len(k), type=pa.string()),
                "source": pa.array(["sample"] * len(k)),
                "edition": pa.array([edition] * len(k)),
            }
        )
        con.register("_sample_denue", table)
        con.execute("INSERT INTO denue_establishments BY NAME SELECT * FROM _sample_denue")  # no contact fields
        con.unregister("_sample_denue")
        _insert_totals(con, edition, rng, totals, places)
    return len(edition_rows[EDITIONS[1]][0])


def _insert_totals(con, edition: str, rng, totals: dict[str, int], places: list) -> None:
    """All manufacturing per municipality: the automotive establishments plus the rest, drawn by stratum."""
    mids = np.array(
        [r[0] for r in con.execute("SELECT employees_mid FROM denue_strata ORDER BY stratum_id").fetchall()]
    )
    auto = con.execute(
        "SELECT cve_ent, coalesce(cve_mun, ''), any_value(municipality), count(*), sum(s.employees_mid) "
        "FROM denue_establishments d JOIN denue_strata s USING (per_ocu) WHERE edition = $e GROUP BY 1, 2",
        {"e": edition},
    ).fetchall()
    counted = {(s, m): (name, n, emp) for s, m, name, n, emp in auto}
    rows = []
    for state, total in totals.items():
        local = [p for p in places if p[0] == state]
        growth = rng.normal(1.0, 0.03)
        rest = max(int(total * growth) - sum(v[1] for (s, _), v in counted.items() if s == state), 0)
        shares = rng.dirichlet(np.ones(len(local) + 1)) if local else np.array([1.0])
        for share, place in zip(shares, [*local, None], strict=True):
            n = int(rest * share)
            strata = rng.multinomial(n, STRATA_SHARE)
            key = (state, place[1] or "" if place else "")
            name, auto_n, auto_emp = counted.pop(key, (place[2] if place else None, 0, 0.0))
            rows.append(
                (edition, state, place[1] if place else None, name, n + auto_n, float(strata @ mids + auto_emp))
            )
    for (state, mun), (name, n, emp) in counted.items():  # automotive places the loop did not cover
        rows.append((edition, state, mun or None, name, n, float(emp)))
    con.executemany("INSERT INTO denue_totals VALUES (?, ?, ?, ?, ?, ?, 'sample')", rows)
    con.execute(
        "INSERT INTO denue_editions SELECT $e, 'sample', sum(establishments) FROM denue_totals WHERE edition = $e",
        {"e": edition},
    )
