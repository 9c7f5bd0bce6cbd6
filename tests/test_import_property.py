"""Generated member files thrown at the importer: each one loads with every row accounted for, or is
refused with FILE:LINE reasons; never an exception of any other kind."""

import csv
import io

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import members, reference
from etl.paths import REFERENCE, SCHEMA
from valuechain.problems import InputError

COLUMNS = [
    "member_id",
    "name",
    "cluster_id",
    "tier",
    "cve_ent",
    "municipality",
    "iatf_16949",
    "processes",
    "lat",
    "lon",
]
VALID = {
    "member_id": st.text("ABC123-", min_size=1, max_size=6),
    "name": st.text(min_size=1, max_size=20).filter(lambda s: s.strip() and "\x00" not in s),
    "cluster_id": st.sampled_from(["nl", "gto", "CLAUT", "jal"]),
    "tier": st.sampled_from(["OEM", "Tier 1", "tier2", "Servicios"]),
    "cve_ent": st.sampled_from(["1", "05", "19", "32"]),
    "municipality": st.sampled_from(["", "Apodaca", "León", "Saltillo (Derramadero)"]),
    "iatf_16949": st.sampled_from(["", "sí", "no", "yes"]),
    "processes": st.sampled_from(["", "machining", "stamping;forging", "Estampado y troquelado"]),
    "lat": st.sampled_from(["", "25.7", "20.5"]),
    "lon": st.sampled_from(["", "-100.3", "-101.2"]),
}
GARBAGE = st.one_of(
    st.text(max_size=12).filter(lambda s: "\x00" not in s),
    st.sampled_from(["ab", "99", "Tier 9", "zz", "95", "maybe", "=1+1", '"', "a,b", "x\ny"]),
)


def cell(column: str):
    return st.one_of(VALID[column], VALID[column], VALID[column], GARBAGE)


@st.composite
def member_file(draw) -> tuple[str, int]:
    columns = draw(st.lists(st.sampled_from(COLUMNS), min_size=3, max_size=len(COLUMNS), unique=True))
    rows = draw(st.lists(st.tuples(*(cell(c) for c in columns)), min_size=1, max_size=8))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([",", ";"])), lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue(), len(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(member_file(), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_every_generated_file_loads_whole_or_is_refused_with_reasons(tmp_path, generated, encoding):
    text, rows = generated
    path = tmp_path / "generado.csv"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(text.encode("utf-8"))
    with duckdb.connect() as con:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        reference.load_reference(con, REFERENCE)
        try:
            loaded = members.validate(con, path, None)
        except InputError as exc:
            assert exc.problems and all(p.file == str(path) for p in exc.problems)
            assert all(line.startswith(str(path)) for line in exc.lines())
            return
        assert loaded == rows  # accepted: every input row accounted for
        members.insert(con, path, None)
        assert con.execute("SELECT count(*) FROM members").fetchall()[0][0] == rows
