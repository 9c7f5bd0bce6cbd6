"""Loading a network's member list from the app: Streamlit-free glue that calls the ETL (`python -m etl`).

It lives in `ui/` because the domain package `valuechain/` must not depend on the loader.
"""

import os
from pathlib import Path

from valuechain import audit
from valuechain.access import NotAllowed, Viewer
from valuechain.member_columns import template_csv
from valuechain.problems import InputError
from valuechain.visible import db_path

TEMPLATE_CSV = template_csv()  # the declared member columns, with two example rows


def inputs_dir() -> Path:
    """Where kept inputs live: $VALUECHAIN_INPUTS, else data/inputs beside the default database."""
    from etl.paths import INPUTS

    return Path(os.environ.get("VALUECHAIN_INPUTS", INPUTS))


def check(
    path: Path, viewer: Viewer, cluster: str | None = None, lang: str = "es", shown_as: str | None = None
) -> tuple[int, list[str]]:
    """(rows that would load, problem lines in `lang` naming the file `shown_as`) for a member list; writes nothing.

    A cluster administrator's file may hold members of their own cluster only."""
    from etl.__main__ import check as etl_check

    try:
        return etl_check(path, cluster, viewer.cluster), []
    except InputError as exc:
        return 0, exc.lines(lang, shown_as)


def check_hr(path: Path, viewer: Viewer, lang: str = "es", shown_as: str | None = None) -> tuple[int, list[str]]:
    """(rows that would load, problem lines) for an HR survey file, against the app's members; writes nothing."""
    from etl.__main__ import check_hr as etl_check_hr

    try:
        return etl_check_hr(path, db_path(), viewer.cluster), []
    except InputError as exc:
        return 0, exc.lines(lang, shown_as)


def load_hr(path: Path, viewer: Viewer) -> dict[str, int]:
    """Keep an HR survey file and rebuild (atomic); administrators only (a cluster's for its own members)."""
    from etl.__main__ import import_hr

    if not viewer.loads:
        raise NotAllowed(f"loads are not allowed to the '{viewer.role}' role")
    counts = import_hr(path, db_path(), inputs_dir(), viewer.cluster)
    audit.record(viewer, "load", "data", "hr survey", counts.get("hr_survey"), path.name)
    return counts


def ignored_columns(path: Path) -> list[str]:
    """The columns of a checked member file that are not member columns (they are not loaded)."""
    from etl.members import IGNORED

    return IGNORED.get(str(path), [])


def load(path: Path, viewer: Viewer, cluster: str | None = None) -> dict[str, int]:
    """Keep the file and rebuild the app's database (atomic: nothing changes if it is refused); administrators
    only (a cluster's administrator for rows of that cluster only), recorded in the audit trail."""
    from etl.__main__ import import_members

    if not viewer.loads:
        raise NotAllowed(f"loads are not allowed to the '{viewer.role}' role")
    counts = import_members(path, db_path(), inputs_dir(), cluster, viewer.cluster)
    audit.record(viewer, "load", "data", f"cluster={cluster}" if cluster else "", counts.get("members"), path.name)
    return counts
