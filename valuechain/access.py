"""Who sees what: roles from a roles file, and the rules a read applies for each role.

Local mode (no sign-in configured) sees everything. On a server, a signed-in user's role comes from the
roles file (an entry is an address or `@domain`, network-wide or for one cluster); everyone else is
`public`: aggregates and reference data only, no member names or member-level rows, and every table of
member counts protected by valuechain.disclosure (INEGI's practice for cells that would identify a firm).
"""

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from valuechain import member_columns
from valuechain.catalog import Filters
from valuechain.disclosure import MIN_FIRMS

ROLES = ("public", "staff", "admin")
SUPPRESSED = "conf."  # one marker for every hidden cell, primary or secondary (it says nothing of the value)
DEFAULT_ROLES_FILE = Path(".streamlit") / "roles.toml"


class RolesError(ValueError):
    """A roles file that cannot be read as the README describes."""


class NotAllowed(PermissionError):
    """A read or an action the viewer's role does not allow."""


@dataclass(frozen=True)
class Viewer:
    """Who is reading: a role, the signed-in address (None in local mode or when not signed in), and for a
    cluster's own staff or admin the cluster and the member columns shared with it of other clusters' members."""

    role: str
    email: str | None = None
    local: bool = False
    cluster: str | None = None
    sharing: tuple[str, ...] | None = None

    @property
    def sees_members(self) -> bool:
        """Member names, member rows, member exports and map points (a cluster role: as `share` allows)."""
        return self.role in ("staff", "admin")

    @property
    def sees_counts(self) -> bool:
        """Member counts unsuppressed: network staff and admins, and cluster roles that other clusters share with."""
        return self.sees_members and (self.cluster is None or self.sharing is not None)

    @property
    def role_only(self) -> "Viewer":
        """The same rules without the address: what a cached read is keyed by (one entry per role, not per user)."""
        return Viewer(self.role, None, self.local, self.cluster, self.sharing)

    @property
    def loads(self) -> bool:
        """Loads on /data (a cluster's admin: its own members), and the audit trail."""
        return self.role == "admin"


LOCAL = Viewer("admin", None, local=True)
PUBLIC = Viewer("public")


@dataclass(frozen=True)
class Roles:
    """A roles file: network-wide entries per role, each cluster's entries per role, the shared member columns."""

    network: dict = field(default_factory=dict)
    clusters: dict = field(default_factory=dict)
    sharing: tuple[str, ...] | None = None


def roles_path(root: Path | None = None) -> Path:
    """The roles file: $VALUECHAIN_ROLES, else .streamlit/roles.toml (under `root`, default the working folder)."""
    named = os.environ.get("VALUECHAIN_ROLES")
    return Path(named) if named else (root or Path.cwd()) / DEFAULT_ROLES_FILE


def _entries(path: Path, where: str, table: dict) -> dict[str, tuple[str, ...]]:
    unknown = [r for r in table if r not in ROLES[1:]]
    if unknown:
        raise RolesError(f"{path}: unknown role '{unknown[0]}' in {where} (use {', '.join(ROLES[1:])})")
    entries = {}
    for role, listed in table.items():
        if not isinstance(listed, list) or not all(isinstance(e, str) for e in listed):
            raise RolesError(f"{path}: role '{role}' in {where} must be a list of addresses or @domains")
        entries[role] = tuple(e.strip().lower() for e in listed)
    return entries


def read_roles(path: Path) -> Roles:
    """The roles file ([roles], [clusters.<id>], [sharing]); a missing file gives no roles (everyone is public)."""
    if not path.is_file():
        return Roles()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RolesError(f"{path}: not a readable roles file ({exc})") from None
    unknown = [k for k in doc if k not in ("roles", "clusters", "sharing")]
    if unknown:
        raise RolesError(f"{path}: unknown table '[{unknown[0]}]' (use [roles], [clusters.<id>], [sharing])")
    clusters = {str(c).lower(): _entries(path, f"[clusters.{c}]", t) for c, t in doc.get("clusters", {}).items()}
    sharing = doc.get("sharing", {}).get("columns") if "sharing" in doc else None
    if sharing is not None and (not isinstance(sharing, list) or not all(isinstance(c, str) for c in sharing)):
        raise RolesError(f"{path}: [sharing] columns must be a list of member column names")
    for column in sharing or ():
        declared = member_columns.BY_NAME.get(column)
        if declared is None or not declared.shareable:
            why = "is not a member column" if declared is None else "is never shared with other clusters"
            raise RolesError(f"{path}: [sharing] column '{column}' {why}")
    return Roles(_entries(path, "[roles]", doc.get("roles", {})), clusters, tuple(sharing) if sharing else sharing)


def viewer_for(email: str | None, roles: Roles) -> Viewer:
    """A signed-in address's viewer. The most specific entry wins: the address over its @domain, a cluster's
    table over the network's; within one entry the higher role; anyone not listed is public."""
    if not email or "@" not in email:
        return Viewer("public", email)
    address = email.strip().lower()
    for key in (address, "@" + address.rsplit("@", 1)[1]):
        for cluster, table in sorted(roles.clusters.items()):
            found = [r for r in ("admin", "staff") if key in table.get(r, ())]
            if found:
                return Viewer(found[0], email, cluster=cluster, sharing=roles.sharing)
        found = [r for r in ("admin", "staff") if key in roles.network.get(r, ())]
        if found:
            return Viewer(found[0], email)
    return Viewer("public", email)


def require_members(viewer: Viewer, what: str = "member rows") -> None:
    """Refuse a member-level read for a viewer who may not see members."""
    if not viewer.sees_members:
        raise NotAllowed(f"{what} are not shown to the '{viewer.role}' role")


def require_network(viewer: Viewer, what: str) -> None:
    """Refuse a read of the whole network's files to public and to a cluster's own roles."""
    require_members(viewer, what)
    if viewer.cluster is not None:
        raise NotAllowed(f"{what} are shown to network roles only, not to cluster '{viewer.cluster}'")


def scoped(viewer: Viewer, f: Filters) -> Filters:
    """The filters narrowed to the viewer's own cluster where other clusters share nothing with it."""
    if viewer.cluster is None or viewer.sharing is not None:
        return f
    own = (viewer.cluster,) if not f.clusters or viewer.cluster in f.clusters else ("-",)
    return replace(f, clusters=own)


def share(viewer: Viewer, rows: pd.DataFrame) -> pd.DataFrame:
    """Member rows as a cluster role may see them: its own members in full, other clusters' members with the
    shared columns only (the others empty)."""
    if viewer.cluster is None or rows.empty:
        return rows
    others = rows["cluster_id"] != viewer.cluster
    out = rows.astype(object)
    for column in out.columns:
        if column not in (viewer.sharing or ()):
            out.loc[others, column] = None
    return out if viewer.sharing is not None else out[~others].reset_index(drop=True)


def suppress_count(viewer: Viewer, n: int) -> int | str:
    """One count, as it may be shown: the number, or SUPPRESSED."""
    return SUPPRESSED if not viewer.sees_counts and n < MIN_FIRMS else n
