"""Who sees what: roles from a roles file, and the rules a read applies for each role.

Local mode (no sign-in configured) sees everything. On a server, a signed-in user's role comes from the
roles file (an entry is an address or `@domain`); everyone else is `public`: aggregates and reference
data only, no member names or member-level rows, and every count of fewer than 3 firms, with every
figure derived from it, suppressed (INEGI's practice for cells that would identify a firm).
"""

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROLES = ("public", "staff", "admin")
MIN_FIRMS = 3
SUPPRESSED = "<3"
DEFAULT_ROLES_FILE = Path(".streamlit") / "roles.toml"


class RolesError(ValueError):
    """A roles file that cannot be read as the README describes."""


class NotAllowed(PermissionError):
    """A read or an action the viewer's role does not allow."""


@dataclass(frozen=True)
class Viewer:
    """Who is reading: a role, and the signed-in address (None in local mode or when not signed in)."""

    role: str
    email: str | None = None
    local: bool = False

    @property
    def sees_members(self) -> bool:
        """Member names, member rows, member exports and map points."""
        return self.role in ("staff", "admin")

    @property
    def role_only(self) -> "Viewer":
        """The same rules without the address: what a cached read is keyed by (one entry per role, not per user)."""
        return Viewer(self.role, None, self.local)

    @property
    def loads(self) -> bool:
        """Loads on /data, and the audit trail."""
        return self.role == "admin"


LOCAL = Viewer("admin", None, local=True)
PUBLIC = Viewer("public")


def roles_path(root: Path | None = None) -> Path:
    """The roles file: $VALUECHAIN_ROLES, else .streamlit/roles.toml (under `root`, default the working folder)."""
    named = os.environ.get("VALUECHAIN_ROLES")
    return Path(named) if named else (root or Path.cwd()) / DEFAULT_ROLES_FILE


def read_roles(path: Path) -> dict[str, tuple[str, ...]]:
    """{role: entries} from a roles file; a missing file gives no roles (everyone signed in is public)."""
    if not path.is_file():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("roles", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RolesError(f"{path}: not a readable roles file ({exc})") from None
    unknown = [r for r in table if r not in ROLES]
    if unknown:
        raise RolesError(f"{path}: unknown role '{unknown[0]}' (use {', '.join(ROLES[1:])})")
    entries = {}
    for role, listed in table.items():
        if not isinstance(listed, list) or not all(isinstance(e, str) for e in listed):
            raise RolesError(f"{path}: role '{role}' must be a list of addresses or @domains")
        entries[role] = tuple(e.strip().lower() for e in listed)
    return entries


def role_for(email: str | None, roles: dict[str, tuple[str, ...]]) -> str:
    """A signed-in address's role: its own entry first, then its @domain; the highest role wins; else public."""
    if not email or "@" not in email:
        return "public"
    address = email.strip().lower()
    domain = "@" + address.rsplit("@", 1)[1]
    for key in (address, domain):
        found = [r for r in ("admin", "staff") if key in roles.get(r, ())]
        if found:
            return found[0]
    return "public"


def require_members(viewer: Viewer, what: str = "member rows") -> None:
    """Refuse a member-level read for a viewer who may not see members."""
    if not viewer.sees_members:
        raise NotAllowed(f"{what} are not shown to the '{viewer.role}' role")


def small(values: pd.Series) -> pd.Series:
    """Counts that would identify a firm: fewer than MIN_FIRMS (zero included: absence is not published either)."""
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.notna() & (numbers < MIN_FIRMS)


def suppress(viewer: Viewer, frame: pd.DataFrame, counts: list[str], derived: list[str] = ()) -> pd.DataFrame:
    """For a viewer who may not see members: count cells below MIN_FIRMS, and every `derived` cell of the
    same row, become missing (NaN); a table shows them as SUPPRESSED. Others get the frame unchanged."""
    if viewer.sees_members or frame.empty:
        return frame
    out = frame.copy()
    hidden = pd.Series(False, index=out.index)
    for column in counts:
        mask = small(out[column])
        hidden |= mask
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float).mask(mask)
    for column in derived:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float).mask(hidden)
    return out


def suppress_count(viewer: Viewer, n: int) -> int | str:
    """One count, as it may be shown: the number, or SUPPRESSED."""
    return SUPPRESSED if not viewer.sees_members and n < MIN_FIRMS else n
