"""Loading a network's member list from the app: Streamlit-free glue that calls the ETL (`python -m etl`).

It lives in `ui/` because the domain package `valuechain/` must not depend on the loader.
"""

import os
from pathlib import Path

from valuechain import audit
from valuechain.access import NotAllowed, Viewer
from valuechain.problems import InputError
from valuechain.visible import db_path

TEMPLATE_CSV = (
    "member_id,name,cluster_id,tier,cve_ent,municipality,cve_mun,scian_code,employee_band,iatf_16949,processes,lat,lon\n"
    "NL-001,Empresa Ejemplo Uno (borre esta fila),nl,Tier 2,19,Apodaca,006,332710,51 a 100 personas,sí,"
    "machining;stamping,25.78,-100.19\n"
    "GTO-001,Empresa Ejemplo Dos (borre esta fila),gto,Tier 1,11,León,020,336320,251 y más personas,no,"
    "wiring_harness,,\n"
)


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


def load(path: Path, viewer: Viewer, cluster: str | None = None) -> dict[str, int]:
    """Keep the file and rebuild the app's database (atomic: nothing changes if it is refused); administrators
    only (a cluster's administrator for rows of that cluster only), recorded in the audit trail."""
    from etl.__main__ import import_members

    if not viewer.loads:
        raise NotAllowed(f"loads are not allowed to the '{viewer.role}' role")
    counts = import_members(path, db_path(), inputs_dir(), cluster, viewer.cluster)
    audit.record(viewer, "load", "data", f"cluster={cluster}" if cluster else "", counts.get("members"), path.name)
    return counts
