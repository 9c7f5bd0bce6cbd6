"""A generated sample event at CLAUT's scale, so `/event` works on a fresh clone: buyers from the reference
assembly plants and the members who buy (OEM, Tier 1), suppliers from the members who supply (Tier 2, Tier 3)
and DENUE prospects, invented requests and, once scheduled, invented outcomes. Its `event.toml` says
`source = "sample"`, and everything that shows it says so."""

import random
from pathlib import Path

import duckdb
import pandas as pd

from valuechain.event.folder import SCHEDULE, table
from valuechain.event.results import RESULTS

BUYERS, SUPPLIERS, REQUESTS_PER_BUYER = 83, 600, 44  # CLAUT's event (network_facts claut_supplier_event: A0; S10)
DAYS = ("2027-03-10", "2027-03-11")
DAY = '[[days]]\ndate = "{}"\nstart = "09:00"\nend = "18:00"\nbreaks = ["13:00-14:00"]\n'  # 24 slots of 20 minutes
TOML = (
    'name = "Encuentro de proveedores 2027 (muestra)"\nsource = "sample"\nslot_minutes = 20\ntables = 90\n'
    "max_meetings = 16\n" + "".join(DAY.format(d) for d in DAYS)
)


def _participants(
    con: duckdb.DuckDBPyConnection, cluster: str | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Buyers (operating plants, then buying members) and suppliers (supplying members, then DENUE prospects of
    the processes' classes that are not members), `cluster`'s members only when given."""
    members = con.execute(
        """SELECT m.member_id, m.name, array_to_string(m.processes, ';') AS processes, m.cve_ent,
                  coalesce(m.iatf_16949, false) AS iatf, t.role
           FROM members m JOIN tiers t ON t.tier_id = m.tier
           WHERE t.role IN ('buyer', 'supplier') AND len(m.processes) > 0
             AND ($cluster IS NULL OR m.cluster_id = $cluster)
           ORDER BY m.member_id""",
        {"cluster": cluster},
    ).df()
    plants = con.execute(
        "SELECT plant_id, company || ' ' || plant_name AS name, cve_ent FROM plants WHERE status = 'operating' "
        "ORDER BY plant_id"
    ).df()
    prospects = con.execute(
        """SELECT d.denue_id, d.name, d.cve_ent, string_agg(p.process_id, ';' ORDER BY p.process_id) AS processes
           FROM denue_establishments d JOIN processes p ON p.scian_code = d.scian_code
           WHERE d.edition = (SELECT max(edition) FROM denue_editions)
           GROUP BY d.denue_id, d.name, d.cve_ent ORDER BY hash(d.denue_id) LIMIT $n""",
        {"n": SUPPLIERS},
    ).df()
    return members, plants, prospects


def write(con: duckdb.DuckDBPyConnection, folder: Path, cluster: str | None = None, seed: int = 2027) -> None:
    """Write the sample event's `event.toml`, `buyers.csv`, `suppliers.csv` and `requests.csv` into `folder`; the
    last five buyers request nobody (for `suggest`)."""
    rng = random.Random(seed)
    members, plants, prospects = _participants(con, cluster)
    process_ids = sorted(con.execute("SELECT process_id FROM processes").df()["process_id"])

    def window() -> str:  # a sixth of the participants come for one day only
        return f"{rng.choice(DAYS)} 09:00-18:00" if rng.random() < 1 / 6 else ""

    buyers = [
        (f"B{i + 1:03d}", r.name, ";".join(rng.sample(process_ids, 3)), r.plant_id, "", r.cve_ent, window())
        for i, r in enumerate(plants.head(BUYERS).itertuples())
    ]
    for r in members[members.role == "buyer"].head(BUYERS - len(buyers)).itertuples():
        buyers.append((f"B{len(buyers) + 1:03d}", r.name, r.processes, "", r.member_id, r.cve_ent, window()))
    suppliers = [
        (f"S{i + 1:03d}", r.name, r.processes, r.member_id, "", r.cve_ent, "sí" if r.iatf else "no", window())
        for i, r in enumerate(members[members.role == "supplier"].head(SUPPLIERS).itertuples())
    ]
    for r in prospects.head(SUPPLIERS - len(suppliers)).itertuples():
        suppliers.append((f"S{len(suppliers) + 1:03d}", r.name, r.processes, "", r.denue_id, r.cve_ent, "", window()))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "event.toml").write_text(TOML, encoding="utf-8")
    pd.DataFrame(
        buyers, columns=["buyer_id", "company", "processes", "plant_id", "member_id", "cve_ent", "available"]
    ).to_csv(folder / "buyers.csv", index=False, lineterminator="\n")
    pd.DataFrame(
        suppliers,
        columns=["supplier_id", "company", "processes", "member_id", "clee", "cve_ent", "iatf_16949", "available"],
    ).to_csv(folder / "suppliers.csv", index=False, lineterminator="\n")
    makes = {s[0]: set(s[2].split(";")) for s in suppliers}
    requests = []
    for b in buyers[:-5]:
        need = set(b[2].split(";"))
        fits = [s for s, made in makes.items() if made & need]
        for s in rng.sample(fits, min(REQUESTS_PER_BUYER, len(fits))):
            requests.append((b[0], s, "must" if rng.random() < 0.2 else "meet", "buyer"))
    for s in rng.sample(sorted(makes), len(makes) // 10):  # a tenth of the suppliers ask for buyers too
        for b in rng.sample(buyers[:-5], 3):
            requests.append((b[0], s, "no" if rng.random() < 0.05 else "meet", "supplier"))
    pd.DataFrame(requests, columns=["buyer_id", "supplier_id", "priority", "requested_by"]).to_csv(
        folder / "requests.csv", index=False, lineterminator="\n"
    )


def write_outcomes(folder: Path, seed: int = 2027) -> None:
    """Invented outcomes of the folder's schedule: nine meetings in ten happen, with results spread over the four."""
    rng = random.Random(seed)
    plan = table(folder / "schedule.csv", SCHEDULE)
    rows = []
    for b, s in zip(plan["buyer_id"], plan["supplier_id"], strict=True):
        happened = rng.random() < 0.9
        result = rng.choices(RESULTS, weights=(3, 4, 2, 1))[0] if happened else ""
        rows.append((b, s, "yes" if happened else "no", result))
    pd.DataFrame(rows, columns=["buyer_id", "supplier_id", "happened", "result"]).to_csv(
        folder / "outcomes.csv", index=False, lineterminator="\n"
    )
