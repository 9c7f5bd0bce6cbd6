"""What changed since the last board meeting: between two DENUE editions (default: the last two) and
between any two member loads (default: the last two), per corridor."""

import duckdb
import pandas as pd

from valuechain.db import query, scalar
from valuechain.i18n import ByDataLang

NAME = ByDataLang(es="name_es", en="name_en")
CORRIDOR = "coalesce((SELECT co.{name} FROM corridors co WHERE co.corridor_id = pc.corridor_id), $outside)"


def _corridor(alias: str, lang: str) -> tuple[str, str]:
    """(SQL naming the corridor of a row of `alias`, the join it needs); optional extensions left out."""
    return (
        CORRIDOR.format(name=NAME[lang]),
        f"LEFT JOIN place_corridors pc ON pc.cve_ent = {alias}.cve_ent AND pc.municipality = "
        f"coalesce({alias}.municipality, '') AND NOT pc.optional",
    )


def denue_changes(
    con: duckdb.DuckDBPyConnection, old: str, new: str, lang: str = "es", outside: str = "—"
) -> pd.DataFrame:
    """DENUE establishments opened and closed between two editions, per corridor and SCIAN class (stable ids)."""
    corridor_n, join_n = _corridor("n", lang)
    corridor_o, join_o = _corridor("o", lang)
    return query(
        con,
        f"""
        WITH opened AS (
            SELECT {corridor_n} AS corridor, n.scian_code, count(*) AS opened FROM denue_establishments n {join_n}
            WHERE n.edition = $new
              AND n.denue_id NOT IN (SELECT denue_id FROM denue_establishments WHERE edition = $old)
            GROUP BY 1, 2
        ), closed AS (
            SELECT {corridor_o} AS corridor, o.scian_code, count(*) AS closed FROM denue_establishments o {join_o}
            WHERE o.edition = $old
              AND o.denue_id NOT IN (SELECT denue_id FROM denue_establishments WHERE edition = $new)
            GROUP BY 1, 2
        )
        SELECT corridor, scian_code, coalesce(opened, 0) AS opened, coalesce(closed, 0) AS closed,
               coalesce(opened, 0) - coalesce(closed, 0) AS net
        FROM opened FULL JOIN closed USING (corridor, scian_code) ORDER BY abs(net) DESC, corridor, scian_code
        """,
        {"old": old, "new": new, "outside": outside},
    )


MEMBER_LIST = (
    "SELECT member_id, tier, cve_ent, municipality, processes FROM members WHERE source <> 'sample' AND {n} IS NULL "
    "UNION ALL SELECT member_id, tier, cve_ent, municipality, processes FROM members_previous WHERE snapshot = {n}"
)


def member_changes(
    con: duckdb.DuckDBPyConnection,
    lang: str = "es",
    outside: str = "—",
    old: int | None = None,
    new: int | None = None,
) -> pd.DataFrame:
    """Per corridor, between two member loads (snapshot numbers; default: the last earlier load and the list
    loaded now): members joined and left, tier shifts, and processes gained and lost (member-process pairs).
    Empty when there is no earlier load to compare."""
    corridor_m, join_m = _corridor("m", lang)
    old = old if old is not None else scalar(con, "SELECT max(snapshot) FROM members_previous")
    return query(
        con,
        f"""
        WITH now AS (SELECT m.*, {corridor_m} AS corridor FROM ({MEMBER_LIST.format(n="$new")}) m {join_m}),
        before AS (SELECT m.*, {corridor_m} AS corridor FROM ({MEMBER_LIST.format(n="$old")}) m {join_m}
                   WHERE $old IS NOT NULL),
        joined AS (SELECT corridor, count(*) AS n FROM now WHERE member_id NOT IN (SELECT member_id FROM before)
                   GROUP BY 1),
        left_ AS (SELECT corridor, count(*) AS n FROM before WHERE member_id NOT IN (SELECT member_id FROM now)
                  GROUP BY 1),
        shifted AS (SELECT now.corridor, count(*) AS n FROM now JOIN before USING (member_id)
                    WHERE now.tier <> before.tier GROUP BY 1),
        pairs_now AS (SELECT corridor, member_id, unnest(processes) AS process FROM now),
        pairs_before AS (SELECT corridor, member_id, unnest(processes) AS process FROM before),
        gained AS (SELECT corridor, count(*) AS n FROM (SELECT * FROM pairs_now EXCEPT SELECT * FROM pairs_before)
                   GROUP BY 1),
        lost AS (SELECT corridor, count(*) AS n FROM (SELECT * FROM pairs_before EXCEPT SELECT * FROM pairs_now)
                 GROUP BY 1),
        corridors AS (SELECT corridor FROM now UNION SELECT corridor FROM before)
        SELECT c.corridor, coalesce(j.n, 0) AS joined, coalesce(l.n, 0) AS left, coalesce(s.n, 0) AS tier_shifts,
               coalesce(g.n, 0) AS processes_gained, coalesce(x.n, 0) AS processes_lost
        FROM corridors c LEFT JOIN joined j USING (corridor) LEFT JOIN left_ l USING (corridor)
        LEFT JOIN shifted s USING (corridor) LEFT JOIN gained g USING (corridor) LEFT JOIN lost x USING (corridor)
        WHERE (SELECT count(*) FROM before) > 0 ORDER BY c.corridor
        """,
        {"outside": outside, "old": old, "new": new},
    )


def member_loads(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    """The earlier member loads kept, oldest first: (snapshot number, when it was loaded)."""
    rows = con.execute("SELECT snapshot, any_value(loaded_at) FROM members_previous GROUP BY 1 ORDER BY 1").fetchall()
    return [(int(n), str(at or "")) for n, at in rows]


def summary(
    con: duckdb.DuckDBPyConnection,
    lang: str = "es",
    editions: tuple[str, str] | None = None,
    loads: tuple[int, int | None] | None = None,
    count=lambda n: n,
) -> list[str]:
    """What changed, as a short list of sentences with numbers (the Overview and the deck's first slide),
    between two DENUE editions (default: the last two) and two member loads (snapshot numbers, None for the
    list loaded now; default: the last earlier load and now). `count` writes each member number (e.g. suppressed)."""
    from valuechain import specialisation
    from valuechain.i18n import t

    lines = []
    loaded = specialisation.editions(con)
    if editions is None and len(loaded) >= 2:
        editions = (loaded[-2], loaded[-1])
    if editions:
        old, new = editions
        frame = denue_changes(con, old, new, lang, t("outside_corridors", lang))
        lines.append(
            t(
                "changed_denue",
                lang,
                old=old,
                new=new,
                opened=f"{frame['opened'].sum():,}",
                closed=f"{frame['closed'].sum():,}",
            )
        )
        by_corridor = frame.groupby("corridor")[["opened", "closed"]].sum()
        for corridor, row in by_corridor.drop(t("outside_corridors", lang), errors="ignore").iterrows():
            lines.append(
                t("changed_denue_corridor", lang, corridor=corridor, opened=f"{row.opened:,}", closed=f"{row.closed:,}")
            )
    old_load, new_load = loads or (None, None)
    members = member_changes(con, lang, t("outside_corridors", lang), old_load, new_load)
    when = dict(member_loads(con))
    if members.empty:
        lines.append(t("changed_members_none", lang))
    else:
        total = members.drop(columns="corridor").sum()
        lines.append(
            t(
                "changed_members",
                lang,
                when=when.get(old_load or max(when, default=0), "")[:10],
                to=when[new_load][:10] if new_load else t("changed_members_now", lang),
                joined=_number(count(int(total.joined))),
                left=_number(count(int(total.left))),
                shifts=_number(count(int(total.tier_shifts))),
                gained=_number(count(int(total.processes_gained))),
                lost=_number(count(int(total.processes_lost))),
            )
        )
    return lines


def _number(value) -> str:
    """A count with thousands separators, or a suppression marker as it is."""
    return f"{value:,}" if isinstance(value, int) else str(value)
