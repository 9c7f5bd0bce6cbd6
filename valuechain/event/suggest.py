"""Requests for the buyers who asked for nobody: the event's suppliers ranked as `/suppliers` ranks them (issue
13's weights: process match, distance to the buyer's plant, IATF 16949, size; only certified suppliers for a
buyer with `iatf_required`), the best appended to `requests.csv` as `meet` requests `requested_by` `suggested`."""

from pathlib import Path

import duckdb
import pandas as pd

from valuechain.event.folder import table
from valuechain.suppliers import SIZE_RANKS, WEIGHTS, great_circle_km

REQUEST = ["buyer_id", "supplier_id", "priority", "requested_by"]
YES = ("sí", "si", "yes", "true", "1")
RADIUS_KM = 300.0  # distance points fall from 25 at the plant to 0 at this distance (a day's drive and back)


def _points(con: duckdb.DuckDBPyConnection, cluster: str | None) -> dict[str, tuple]:
    """Where each plant, member and DENUE establishment is, with its size rank (0 smallest to 1 largest) and IATF:
    members of `cluster` only when given."""
    rows = con.execute(
        f"""WITH strata AS ({SIZE_RANKS})
           SELECT 'plant:' || plant_id, lat, lon, NULL, NULL FROM plants
           UNION ALL
           SELECT 'member:' || m.member_id, m.lat, m.lon, s.size_rank, m.iatf_16949
           FROM members m LEFT JOIN strata s ON s.per_ocu = m.employee_band
           WHERE $cluster IS NULL OR m.cluster_id = $cluster
           UNION ALL
           SELECT 'denue:' || d.denue_id, d.lat, d.lon, s.size_rank, NULL
           FROM denue_establishments d LEFT JOIN strata s ON s.per_ocu = d.per_ocu
           WHERE d.edition = (SELECT max(edition) FROM denue_editions)""",
        {"cluster": cluster},
    ).fetchall()
    return {key: rest for key, *rest in rows}


def _where(row, points: dict, kinds: tuple[str, ...]) -> tuple | None:
    """The first of the row's references (`plant_id`, `member_id`, `clee`) that the database places."""
    for kind, column in kinds:
        ref = str(getattr(row, column, "") or "").strip()
        if ref and f"{kind}:{ref}" in points:
            return points[f"{kind}:{ref}"]
    return None


def suggest(con: duckdb.DuckDBPyConnection, folder: Path, per_buyer: int = 5, cluster: str | None = None) -> list:
    """Append up to `per_buyer` suggested `meet` requests for each buyer who requested nobody; return them as
    (buyer_id, supplier_id, score) rows, best first per buyer."""
    buyers = table(folder / "buyers.csv", ["buyer_id", "processes"])
    suppliers = table(folder / "suppliers.csv", ["supplier_id", "processes"])
    requests = table(folder / "requests.csv", REQUEST)
    by = requests["requested_by"].str.strip().str.lower()
    asked = set(requests.loc[by.isin(["buyer", "suggested"]), "buyer_id"].str.strip())  # suggested once is enough
    taken = set(zip(requests["buyer_id"].str.strip(), requests["supplier_id"].str.strip(), strict=True))
    points = _points(con, cluster)
    offer = [
        (
            r.supplier_id.strip(),
            {p.strip() for p in r.processes.split(";") if p.strip()},
            str(getattr(r, "cve_ent", "")).strip().zfill(2),
            str(getattr(r, "iatf_16949", "")).strip().lower() in YES,
            _where(r, points, (("member", "member_id"), ("denue", "clee"))),
        )
        for r in suppliers.itertuples(index=False)
    ]
    out = []
    for b in buyers.itertuples(index=False):
        buyer = b.buyer_id.strip()
        need = {p.strip() for p in b.processes.split(";") if p.strip()}
        if buyer in asked or not need:
            continue
        iatf_only = str(getattr(b, "iatf_required", "")).strip().lower() in YES
        home = _where(b, points, (("plant", "plant_id"), ("member", "member_id")))
        state = str(getattr(b, "cve_ent", "")).strip().zfill(2)
        scored = []
        for supplier, makes, place, iatf, where in offer:
            certified = iatf or bool(where and where[3])
            if (buyer, supplier) in taken or not makes & need or (iatf_only and not certified):
                continue
            if home and home[0] is not None and where and where[0] is not None:
                km = great_circle_km(home[0], home[1], where[0], where[1])
                near = max(0.0, 1 - km / RADIUS_KM)
            else:
                near = 1.0 if place == state else 0.0
            size = where[2] if where and where[2] is not None else 0.0
            score = (
                WEIGHTS["process"] * len(makes & need) / len(need)
                + WEIGHTS["distance"] * near
                + WEIGHTS["iatf"] * certified
                + WEIGHTS["size"] * size
            )
            scored.append((-round(score, 1), supplier))
        out += [(buyer, supplier, -score) for score, supplier in sorted(scored)[:per_buyer]]
    added = pd.DataFrame([(b, s, "meet", "suggested") for b, s, _ in out], columns=REQUEST)
    whole = pd.concat([requests, added], ignore_index=True).fillna("")
    path = folder / "requests.csv"
    if path.is_file() or not path.with_suffix(".xlsx").is_file():
        whole.to_csv(path, index=False, lineterminator="\n")
    else:
        whole.to_excel(path.with_suffix(".xlsx"), index=False)
    return out
