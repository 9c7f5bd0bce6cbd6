"""The shared filters (cluster, state, corridor, tier, process, SCIAN, IATF) as one small type.

A filter becomes a WHERE clause built from an allow-list of fixed SQL fragments; every value
is a bound parameter, so nothing a user types ever becomes SQL text.
"""

from dataclasses import dataclass, field

TIERS = ("OEM", "Tier 1", "Tier 2", "Tier 3", "University", "Government", "Services")


@dataclass(frozen=True)
class Filters:
    """What the user has narrowed the view to; empty means everything."""

    clusters: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    corridor: str | None = None
    tiers: tuple[str, ...] = ()
    processes: tuple[str, ...] = ()
    scian: tuple[str, ...] = ()
    iatf_only: bool = False
    include_optional: bool = False  # corridor extensions such as Jalisco in the Bajío
    notices: tuple[str, ...] = field(default=(), compare=False)

    def is_empty(self) -> bool:
        return self == Filters()


# Each key names a filter; each fragment refers to the members table as `m` and to bound names only.
_MEMBER_FRAGMENTS = {
    "clusters": "m.cluster_id IN (SELECT unnest($clusters))",
    "states": "m.cve_ent IN (SELECT unnest($states))",
    "corridor": (
        "(m.cve_ent IN (SELECT cve_ent FROM corridor_states WHERE corridor_id = $corridor "
        "AND (NOT optional OR $include_optional) AND corridor_id IN (SELECT corridor_id FROM corridors "
        "WHERE level = 'state')) OR (m.cve_ent, m.municipality) IN (SELECT cve_ent, name "
        "FROM corridor_municipalities WHERE corridor_id = $corridor))"
    ),
    "tiers": "m.tier IN (SELECT unnest($tiers))",
    "processes": "list_has_any(m.processes, $processes)",
    "scian": "m.scian_code IN (SELECT unnest($scian))",
    "iatf_only": "m.iatf_16949",
}


def member_where(f: Filters) -> tuple[str, dict]:
    """SQL condition on members `m` and its parameters."""
    parts, params = [], {}
    for key, fragment in _MEMBER_FRAGMENTS.items():
        value = getattr(f, key)
        if not value:
            continue
        parts.append(fragment)
        if f"${key}" in fragment:
            params[key] = list(value) if isinstance(value, tuple) else value
        if key == "corridor":
            params["include_optional"] = f.include_optional
    return (" AND ".join(parts) or "TRUE"), params


def place_where(f: Filters, alias: str = "p") -> tuple[str, dict]:
    """SQL condition for tables located by state and municipality only (plants, DENUE)."""
    parts, params = [], {}
    if f.states:
        parts.append(f"{alias}.cve_ent IN (SELECT unnest($states))")
        params["states"] = list(f.states)
    if f.clusters:
        parts.append(
            f"{alias}.cve_ent IN (SELECT cve_ent FROM cluster_states WHERE cluster_id IN (SELECT unnest($clusters)))"
        )
        params["clusters"] = list(f.clusters)
    if f.corridor:
        parts.append(
            f"({alias}.cve_ent IN (SELECT cve_ent FROM corridor_states c JOIN corridors USING (corridor_id) "
            "WHERE c.corridor_id = $corridor AND level = 'state' AND (NOT optional OR $include_optional)) "
            f"OR EXISTS (SELECT 1 FROM corridor_municipalities cm WHERE cm.corridor_id = $corridor "
            f"AND cm.cve_ent = {alias}.cve_ent AND starts_with({alias}.municipality, cm.name)))"
        )
        params["corridor"] = f.corridor
        params["include_optional"] = f.include_optional
    return (" AND ".join(parts) or "TRUE"), params
