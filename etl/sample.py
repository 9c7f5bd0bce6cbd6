"""Generated demonstration members, flagged source = 'sample' (no public member list exists).

Clusters get members in proportion to their reported sizes, placed around real municipal
seats of their states, with a tier mix and processes that look like a supply base.
Names say plainly that they are fictitious. Every point lies inside its own state's shipped
boundary. Vectorised, so a million rows take seconds.
"""

import json

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from shapely.geometry import shape

from valuechain.member_columns import COLUMNS

SEED = 2026
DEFAULT_MEMBERS = 800
TIER_SHARE = {  # share of the sample per tier (ids from the `tiers` reference table)
    "OEM": 0.02,
    "Tier 1": 0.18,
    "Tier 2": 0.33,
    "Tier 3": 0.27,
    "University": 0.05,
    "Government": 0.03,
    "Services": 0.12,
}
TIER_PROCESSES = {
    "OEM": ["vehicle_assembly", "stamping"],
    "Tier 1": [
        "machining",
        "stamping",
        "plastic_injection",
        "die_casting",
        "wiring_harness",
        "electronics",
        "seats_interiors",
        "powertrain",
        "brakes",
        "steering_suspension",
        "transmission",
        "forging",
    ],
    "Tier 2": [
        "machining",
        "stamping",
        "forging",
        "plastic_injection",
        "die_casting",
        "moulding",
        "rubber",
        "fasteners",
        "coatings",
        "wiring_harness",
    ],
    "Tier 3": ["machining", "coatings", "fasteners", "moulding", "rubber", "plastic_injection", "stamping"],
}
# Index into the 7 DENUE strata (0 = "0 a 5 personas" ... 6 = "251 y más personas").
TIER_BANDS = {
    "OEM": [0, 0, 0, 0, 0, 0, 1],
    "Tier 1": [0, 0, 0, 0.05, 0.15, 0.35, 0.45],
    "Tier 2": [0, 0.05, 0.2, 0.25, 0.3, 0.15, 0.05],
    "Tier 3": [0.1, 0.25, 0.35, 0.2, 0.1, 0, 0],
    "University": [0, 0, 0.1, 0.2, 0.3, 0.2, 0.2],
    "Government": [0.1, 0.2, 0.3, 0.2, 0.2, 0, 0],
    "Services": [0.3, 0.3, 0.2, 0.1, 0.1, 0, 0],
}
IATF_SHARE = {"OEM": 0.9, "Tier 1": 0.85, "Tier 2": 0.4, "Tier 3": 0.1}
NAME_WORDS = {
    "OEM": "Ensambladora",
    "Tier 1": "Sistemas",
    "Tier 2": "Componentes",
    "Tier 3": "Talleres",
    "University": "Instituto",
    "Government": "Agencia",
    "Services": "Servicios",
}
CODENAMES = ["Alfa", "Beta", "Gamma", "Delta", "Épsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa", "Lambda", "Sigma"]
JITTER_DEG = 0.04
MAX_REDRAWS = 10
# Two clusters share Coahuila: CIAC is the southeast (S27), La Laguna the Torreón region (S29).
CLUSTER_AREAS = {"coah": {"Saltillo", "Ramos Arizpe", "Arteaga"}, "lag": {"Torreón", "Gómez Palacio", "Lerdo"}}


def _cluster_weights(con: duckdb.DuckDBPyConnection) -> tuple[list[str], np.ndarray]:
    """Member clusters and their share of the sample: reported size, or the median when none is published."""
    rows = con.execute(
        "SELECT cluster_id, members_reported FROM clusters WHERE kind = 'member' ORDER BY cluster_id"
    ).fetchall()
    known = [n for _, n in rows if n]
    median = float(np.median(known))
    weights = np.array([n or median for _, n in rows], dtype=float)
    return [c for c, _ in rows], weights / weights.sum()


def place_inside_states(
    con: duckdb.DuckDBPyConnection,
    cve_ent: np.ndarray,
    seat_lat: np.ndarray,
    seat_lon: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Points jittered around their municipal seats and kept inside their own state's boundary.

    A point outside is redrawn a few times; one still outside (a seat on the border) walks from the seat
    towards a point inside the state until it is in.
    """
    centre_lat, centre_lon = seat_lat, seat_lon
    lat = seat_lat + rng.normal(0, JITTER_DEG, len(seat_lat))
    lon = seat_lon + rng.normal(0, JITTER_DEG, len(seat_lon))
    for code, geojson in con.execute("SELECT cve_ent, geojson FROM state_shapes").fetchall():
        state = shape(json.loads(geojson))
        shapely.prepare(state)
        rows = np.flatnonzero(cve_ent == code)
        inner = state.representative_point()
        for _ in range(MAX_REDRAWS):
            out = rows[~shapely.contains_xy(state, lon[rows], lat[rows])]
            if not len(out):
                break
            lat[out] = centre_lat[out] + rng.normal(0, JITTER_DEG, len(out))
            lon[out] = centre_lon[out] + rng.normal(0, JITTER_DEG, len(out))
        out = rows[~shapely.contains_xy(state, lon[rows], lat[rows])]
        for step in np.linspace(0.05, 1.0, 20):  # a seat on the border: walk towards a point inside the state
            if not len(out):
                break
            lat[out] = centre_lat[out] + (inner.y - centre_lat[out]) * step
            lon[out] = centre_lon[out] + (inner.x - centre_lon[out]) * step
            out = out[~shapely.contains_xy(state, lon[out], lat[out])]
    return lat, lon


def generate(con: duckdb.DuckDBPyConnection, n: int = DEFAULT_MEMBERS, seed: int = SEED) -> pa.Table:
    """A members table of n fictitious companies, column for column like `members`."""
    rng = np.random.default_rng(seed)
    cluster_ids, weights = _cluster_weights(con)
    places = con.execute(
        "SELECT cs.cluster_id, m.cve_ent, m.cve_mun, m.name, m.lat, m.lon "
        "FROM cluster_states cs JOIN municipalities m USING (cve_ent) ORDER BY ALL"
    ).fetchall()
    strata = [r[0] for r in con.execute("SELECT per_ocu FROM denue_strata ORDER BY stratum_id").fetchall()]
    scian_of = dict(con.execute("SELECT process_id, scian_code FROM processes").fetchall())

    cluster_idx = rng.choice(len(cluster_ids), size=n, p=weights)
    place_idx = np.empty(n, dtype=np.int64)
    for i, cid in enumerate(cluster_ids):
        area = CLUSTER_AREAS.get(cid)
        options = [k for k, p in enumerate(places) if p[0] == cid and (area is None or p[3] in area)]
        mask = cluster_idx == i
        place_idx[mask] = rng.choice(options, size=int(mask.sum()))
    tiers = [r[0] for r in con.execute("SELECT tier_id FROM tiers ORDER BY position").fetchall()]
    tier_idx = rng.choice(len(tiers), size=n, p=[TIER_SHARE[t] for t in tiers])

    band = np.empty(n, dtype=np.int64)
    iatf = np.zeros(n, dtype=bool)
    iatf_known = np.zeros(n, dtype=bool)
    offsets = np.zeros(n + 1, dtype=np.int32)
    count = np.zeros(n, dtype=np.int32)
    first_process = np.full(n, -1, dtype=np.int64)
    process_names = sorted({p for ps in TIER_PROCESSES.values() for p in ps})
    pos = {p: i for i, p in enumerate(process_names)}
    for t, tier in enumerate(tiers):
        mask = tier_idx == t
        k = int(mask.sum())
        band[mask] = rng.choice(len(strata), size=k, p=TIER_BANDS[tier])
        if tier in IATF_SHARE:
            iatf[mask] = rng.random(k) < IATF_SHARE[tier]
            iatf_known[mask] = True
        pool = TIER_PROCESSES.get(tier)
        if pool:
            count[mask] = rng.integers(1, min(3, len(pool)) + 1, size=k)
    offsets[1:] = np.cumsum(count)
    values = np.empty(offsets[-1], dtype=np.int64)
    for t, tier in enumerate(tiers):
        pool = TIER_PROCESSES.get(tier)
        if not pool:
            continue
        rows = np.flatnonzero(tier_idx == t)
        pool_pos = np.array([pos[p] for p in pool])
        distinct = rng.random((len(rows), len(pool))).argsort(axis=1)  # a shuffled pool per member
        for j in range(min(3, len(pool))):
            has = count[rows] > j
            values[offsets[rows[has]] + j] = pool_pos[distinct[has, j]]
        first_process[rows] = values[offsets[rows]]
    processes = pa.ListArray.from_arrays(pa.array(offsets), pa.array(np.array(process_names)[values]))

    place_cols = list(zip(*places, strict=True))
    ids = pa.array(np.char.mod("%07d", np.arange(1, n + 1)))
    tier_names = np.array(tiers)[tier_idx]
    names = pc.binary_join_element_wise(
        pa.array(np.full(n, "Ficticia")),
        pa.array(np.array([NAME_WORDS[t] for t in tiers])[tier_idx]),
        pa.array(np.array(CODENAMES)[rng.integers(0, len(CODENAMES), size=n)]),
        ids,
        " ",
    )
    scian = np.array([scian_of.get(p) for p in process_names] + [None], dtype=object)[first_process]
    states = np.array(place_cols[1], dtype=object)[place_idx]
    lat, lon = place_inside_states(
        con,
        states,
        np.array(place_cols[4], dtype=float)[place_idx],
        np.array(place_cols[5], dtype=float)[place_idx],
        rng,
    )
    choices = np.random.default_rng(seed + 1)  # its own stream: the columns above do not move
    chosen = {  # each declared `choice` column (e.g. ownership), drawn evenly from its values or left empty
        c.name: pa.array(np.array([*c.values, None], dtype=object)[choices.integers(0, len(c.values) + 1, size=n)])
        for c in COLUMNS
        if c.kind == "choice"
    }
    return pa.table(
        {
            "member_id": pc.binary_join_element_wise(pa.array(np.full(n, "SAMPLE")), ids, "-"),
            "name": names,
            "cluster_id": pa.array(np.array(cluster_ids)[cluster_idx]),
            "tier": pa.array(tier_names),
            "cve_ent": pa.array(states),
            "cve_mun": pa.array(np.array(place_cols[2], dtype=object)[place_idx], type=pa.string()),
            "municipality": pa.array(np.array(place_cols[3], dtype=object)[place_idx]),
            "scian_code": pa.array(scian, type=pa.string()),
            "employee_band": pa.array(np.array(strata)[band]),
            "iatf_16949": pa.array(iatf, mask=~iatf_known),
            "processes": processes,
            "lat": pa.array(np.round(lat, 5)),
            "lon": pa.array(np.round(lon, 5)),
            **chosen,
            "source": pa.array(np.full(n, "sample")),
        }
    )


def insert(con: duckdb.DuckDBPyConnection, n: int = DEFAULT_MEMBERS, seed: int = SEED) -> int:
    """Generate and insert n sample members; return n."""
    table = generate(con, n, seed)
    con.register("_sample_members", table)
    con.execute("INSERT INTO members BY NAME SELECT * FROM _sample_members")  # no contact fields, no CLEE
    con.unregister("_sample_members")
    return n
