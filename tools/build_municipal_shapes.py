"""Municipal boundaries and the municipal list from diegovalle/mxmaps (BSD-3-Clause; INEGI data).

Run once, from the project root, with the repository's snapshot brought in by the library's `fetch`
(`github:diegovalle/mxmaps`) and `pip install rdata` (reads R data files):

    python tools/build_municipal_shapes.py /work/.mirror/diegovalle+mxmaps/repo

It reads, at the pinned commit, `data/mxmunicipio.topoJSON.RData` (2,469 municipalities of INEGI's
2020 census frame, id = CVEGEO) and `data/df_mxmunicipio_2020.RData` (names, codes), decodes the
TopoJSON, simplifies the shapes together (shared borders stay shared) and writes
`data/geo/mx_municipalities.geojson` and `data/reference/municipalities_inegi.csv`. Origin, commit and
licence are recorded in data/SOURCES.md (source id N10).
"""

import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

ROOT = Path(__file__).resolve().parents[1]
COMMIT = "798708f6770a24ce86d54128b0f10433cdaaf09c"
TOLERANCE = 0.01  # degrees, for coverage_simplify
SOURCE = "N10"


def _read_rdata(repo: Path, path: str):
    import rdata  # only this tool needs it

    with tempfile.NamedTemporaryFile(suffix=".RData") as tmp:
        tmp.write(
            subprocess.run(["git", "-C", str(repo), "show", f"{COMMIT}:{path}"], capture_output=True, check=True).stdout
        )
        tmp.flush()
        converted = rdata.conversion.convert(rdata.parser.parse_file(tmp.name))
    return next(iter(converted.values()))


def _scalar(value):
    return value[0] if isinstance(value, list | np.ndarray) else value


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """TopoJSON arcs as absolute longitude/latitude arrays (delta-decoded, then transformed)."""
    scale = np.array([_scalar(v) for v in topology["transform"]["scale"]], dtype=float)
    translate = np.array([_scalar(v) for v in topology["transform"]["translate"]], dtype=float)
    arcs = []
    for arc in topology["arcs"]:
        points = np.array([[_scalar(x), _scalar(y)] for x, y in arc], dtype=float)
        arcs.append(np.cumsum(points, axis=0) * scale + translate)
    return arcs


def _ring(indexes, arcs: list[np.ndarray]) -> list:
    coords = []
    for raw in indexes:
        i = int(_scalar(raw))
        part = arcs[i] if i >= 0 else arcs[~i][::-1]
        coords.extend(part.tolist() if not coords else part[1:].tolist())
    return coords


def geometry(item: dict, arcs: list[np.ndarray]):
    """One TopoJSON Polygon or MultiPolygon as a shapely geometry."""
    kind = str(_scalar(item["type"]))
    polygons = [item["arcs"]] if kind == "Polygon" else item["arcs"]
    shapes = [Polygon(_ring(p[0], arcs), [_ring(h, arcs) for h in p[1:]]) for p in polygons]
    return shapes[0] if len(shapes) == 1 else MultiPolygon(shapes)


def polygonal(shape):
    """Only the polygons of a repaired shape (repair can leave stray lines or points)."""
    if shape.geom_type in ("Polygon", "MultiPolygon"):
        return shape
    parts = [p for p in shapely.get_parts(shape) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def main(repo: Path) -> None:
    topology = _read_rdata(repo, "data/mxmunicipio.topoJSON.RData")
    arcs = decode_arcs(topology)
    items = topology["objects"]["municipios"]["geometries"]
    ids = [str(_scalar(i["properties"]["id"])) for i in items]
    shapes = np.array([polygonal(shapely.make_valid(geometry(i, arcs))) for i in items], dtype=object)
    simplified = shapely.coverage_simplify(shapes, TOLERANCE)
    simplified = shapely.set_precision(simplified, 0.0001)
    names = _read_rdata(repo, "data/df_mxmunicipio_2020.RData").set_index("region")
    features = [
        {
            "type": "Feature",
            "id": cvegeo,
            "properties": {"cvegeo": cvegeo, "name": str(names.loc[cvegeo, "municipio_name"])},
            "geometry": mapping(shape),
        }
        for cvegeo, shape in zip(ids, simplified, strict=True)
    ]
    out = {
        "type": "FeatureCollection",
        "source": f"{SOURCE}: diegovalle/mxmaps at {COMMIT}, INEGI Marco Geoestadístico 2020",
        "features": features,
    }
    target = ROOT / "data/geo/mx_municipalities.geojson"
    target.write_text(json.dumps(out, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    with open(ROOT / "data/reference/municipalities_inegi.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["cvegeo", "cve_ent", "cve_mun", "name", "lat", "lon", "source"])
        for cvegeo in ids:
            row = names.loc[cvegeo]
            writer.writerow(
                [
                    cvegeo,
                    cvegeo[:2],
                    cvegeo[2:],
                    row["municipio_name"],
                    round(float(row["lat"]), 4),
                    round(float(row["long"]), 4),
                    SOURCE,
                ]
            )
    print(f"{target}: {len(features)} municipalities, {target.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
