"""The rules-of-origin engine against the worked examples of the research (section 6) and its CLI contract."""

import json
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from valuechain import rvc
from valuechain.rvc import BomLine, RuleError, Scenario, evaluate

PV_2024 = Scenario(good="passenger_vehicle", on=date(2024, 1, 1))


def line(part, value, country, originating=None, category="other", part_rvc=None, traced=True):
    originating = country in rvc.REGION if originating is None else originating
    return BomLine(part, value, country, originating, category, part_rvc, traced)


def test_example_1_transaction_value_formula():
    result = evaluate(
        [line("material", 300, "CN"), line("rest", 700, "MX")],
        Scenario(good="principal_part", on=date(2024, 1, 1), method="transaction_value"),
    )
    assert result["rvc_pct"] == 70.00 and result["transaction_value_usd"] == 1000


def test_examples_2_and_3_usmca_full_vnm_versus_nafta_tracing():
    bom = [
        line("traced imports", 4000, "CN"),
        line("untraced imports", 3000, "DE", traced=False),
        line("regional value", 23000, "MX", traced=False),
    ]
    usmca = evaluate(bom, PV_2024)
    assert (usmca["vnm_usd"], usmca["rvc_pct"], usmca["rvc_ok"]) == (7000, 76.67, True)
    nafta = evaluate(bom, Scenario(good="passenger_vehicle", on=date(2024, 1, 1), regime="NAFTA"))
    assert (nafta["vnm_usd"], nafta["rvc_pct"], nafta["threshold_pct"]) == (4000, 86.67, 62.5)


def test_example_4_phase_in_switches_exactly_on_1_july():
    bom = [line("imports", 3000, "CN"), line("regional", 7000, "MX")]  # RVC 70%
    before = evaluate(bom, Scenario(on=date(2022, 6, 30)))
    after = evaluate(bom, Scenario(on=date(2022, 7, 1)))
    assert (before["threshold_pct"], before["rvc_ok"]) == (69, True)
    assert (after["threshold_pct"], after["rvc_ok"]) == (72, False)
    assert evaluate(bom, Scenario(on=date(2023, 6, 30)))["threshold_pct"] == 72
    assert evaluate(bom, Scenario(on=date(2023, 7, 1)))["threshold_pct"] == 75


@pytest.mark.parametrize(("on", "expected"), [(date(2024, 6, 30), 60), (date(2024, 7, 1), 64), (date(2027, 7, 1), 70)])
def test_heavy_truck_steps(on, expected):
    assert rvc.threshold("USMCA", "heavy_truck", "net_cost", on).value == expected


def roll_up_bom(engine_originating=True):
    return [
        line("engine", 5000, "MX", engine_originating, "core", 80 if engine_originating else None),
        line("other imports", 6000, "CN"),
        line("assembly and other", 19000, "MX", traced=False),
    ]


def test_example_5_core_part_roll_up_panel_versus_us_view():
    assert evaluate(roll_up_bom(), PV_2024)["rvc_pct"] == 80.00
    us_view = evaluate(roll_up_bom(), Scenario(on=date(2024, 1, 1), core_rollup="us-view"))
    assert (us_view["vnm_usd"], us_view["rvc_pct"]) == (7000, 76.67)


def test_example_6_non_originating_engine_fails_both_gates():
    result = evaluate(roll_up_bom(engine_originating=False), PV_2024)
    assert (result["vnm_usd"], result["rvc_pct"], result["rvc_ok"]) == (11000, 63.33, False)
    assert result["core_parts_ok"] is False and result["originating"] is False


def test_example_7_aggregate_method_passes_where_individual_parts_fail():
    parts = {
        "engine": (5000, 1000),
        "transmission": (2500, 900),
        "body": (4000, 700),
        "axle": (800, 300),
        "suspension": (900, 300),
        "steering": (600, 150),
    }
    bom = [line(p, nc, "MX", True, "core", (nc - v) / nc * 100) for p, (nc, v) in parts.items()]
    ok, method, details = rvc.core_parts_gate(bom, 75)
    assert (ok, method) == (True, "aggregate")
    assert details["core_aggregate_pct"] == 75.72
    failing = {p for p, pct in details["core_individual_pct"].items() if pct < 75}
    assert failing == {"transmission", "axle", "suspension"}


def test_examples_9_and_10_lvc_with_capped_credits():
    assert rvc.lvc_gate("passenger_vehicle", date(2024, 1, 1), 28, 8, 5)[0] is True
    ok, details = rvc.lvc_gate("passenger_vehicle", date(2024, 1, 1), 24, 10, 5)
    assert ok is False and details["lvc_pct"] == 39
    capped_ok, capped = rvc.lvc_gate("passenger_vehicle", date(2024, 1, 1), 26, 30, 20)
    assert capped["lvc_pct"] == 41 and capped_ok  # credits capped at 10 and 5
    assert rvc.lvc_gate("passenger_vehicle", date(2024, 1, 1), 20, 10, 15)[0] is False  # floor not met


def test_example_11_section_232_on_a_usmca_vehicle():
    duty = rvc.section_232(40_000, 14_000, usmca_qualifying=True)
    assert (duty["dutiable_usd"], duty["duty_usd"]) == (26_000, 6_500)
    assert rvc.section_232(40_000, 14_000, usmca_qualifying=False)["duty_usd"] == 10_000


def test_undetermined_origin_counts_as_non_originating():
    result = evaluate([line("unknown", 1000, "XX", True), line("rest", 9000, "MX")], PV_2024)
    assert result["vnm_usd"] == 1000


def test_gates_with_inputs_and_unchecked_ones():
    full = Scenario(on=date(2024, 1, 1), lvc_hwmm=28, lvc_tech=8, lvc_assembly=5, steel_na_pct=75, aluminum_na_pct=72)
    result = evaluate(roll_up_bom(), full)
    assert result["lvc_ok"] and result["steel_aluminum_ok"] and result["unchecked"] == []
    assert result["originating"] is True
    low_steel = evaluate(roll_up_bom(), Scenario(on=date(2024, 1, 1), steel_na_pct=60, aluminum_na_pct=90))
    assert low_steel["steel_aluminum_ok"] is False and low_steel["originating"] is False


def test_originating_is_open_while_a_gate_is_unchecked_and_none_failed():
    partial = evaluate(roll_up_bom(), PV_2024)  # RVC and core parts pass; LVC and steel/aluminium have no input
    assert partial["rvc_ok"] and partial["core_parts_ok"]
    assert partial["unchecked"] == ["lvc", "steel_aluminum"] and partial["lvc_ok"] is None
    assert partial["originating"] is None
    assert set(partial["to_settle"]) == {"lvc", "steel_aluminum"} and "--lvc-hwmm" in partial["to_settle"]["lvc"]
    failing = evaluate(roll_up_bom(engine_originating=False), PV_2024)  # fails with gates still unchecked
    assert failing["originating"] is False and failing["unchecked"] == ["lvc", "steel_aluminum"]
    assert rvc.verdict([True, True]) is True and rvc.verdict([True, None]) is None
    assert rvc.verdict([None, False]) is False


def test_nafta_verdict_is_the_rvc_alone():
    result = evaluate(roll_up_bom(), Scenario(on=date(2019, 1, 1)))
    assert result["regime"] == "NAFTA" and result["unchecked"] == [] and result["originating"] is True


# One BOM, hand-computed under both NAFTA rules (net cost 30,000):
#   traced import from China 4,000 (non-originating); untraced German material 7,000 (non-originating);
#   traced Mexican sub-assembly 5,000, non-originating, own RVC 60% (2,000 of non-originating content);
#   Mexican originating value 14,000 (untraced).
# Art. 403(1), light vehicles: traced imports from outside the region 4,000 + the regional traced
#   sub-assembly's imported content 2,000 = VNM 6,000 -> RVC 80.00%, passes 62.5%.
# Art. 403(2), heavy trucks: traced 4,000 + min(5,000, 2,000) + every other non-originating 7,000
#   = VNM 13,000 -> RVC 56.67%, fails 60%.
TRACING_BOM = [
    line("traced import", 4000, "CN"),
    line("untraced import", 7000, "DE", traced=False),
    line("regional sub-assembly", 5000, "MX", False, "other", 60),
    line("regional value", 14000, "MX", traced=False),
]


def test_nafta_light_vehicle_tracing_art_403_1():
    result = evaluate(TRACING_BOM, Scenario(good="passenger_vehicle", on=date(2019, 1, 1)))
    assert (result["vnm_usd"], result["rvc_pct"], result["threshold_pct"], result["rvc_ok"]) == (6000, 80.0, 62.5, True)
    assert result["vnm_basis"].startswith("NAFTA Art. 403(1)")


def test_nafta_heavy_truck_counts_every_other_non_originating_material_art_403_2():
    result = evaluate(TRACING_BOM, Scenario(good="heavy_truck", on=date(2019, 1, 1)))
    assert (result["vnm_usd"], result["rvc_pct"], result["threshold_pct"]) == (13000, 56.67, 60)
    assert result["rvc_ok"] is False and result["originating"] is False
    assert result["vnm_basis"].startswith("NAFTA Art. 403(2)")


def test_unconfirmed_rules_are_flagged_on_every_gate_that_uses_them():
    on = date(2021, 8, 1)  # passenger-vehicle LVC 33% / HWMM 18 are unconfirmed (U) in this period
    unchecked = evaluate(roll_up_bom(), Scenario(on=on))
    assert unchecked["lvc_confidence"] == "U" and "LVC 33.0% / HWMM 18.0" in unchecked["unconfirmed"]
    checked = evaluate(roll_up_bom(), Scenario(on=on, lvc_hwmm=20, lvc_tech=10, lvc_assembly=5))
    assert checked["lvc_ok"] is True and "LVC 33.0% / HWMM 18.0" in checked["unconfirmed"]
    assert checked["steel_aluminum_confidence"] == "V" and checked["core_threshold_confidence"] == "V"
    settled = evaluate(roll_up_bom(), Scenario(on=date(2024, 1, 1)))
    assert settled["lvc_confidence"] == "S" and settled["unconfirmed"] == []


def test_heavy_truck_lvc_before_its_phase_in_is_unchecked_for_want_of_a_rule():
    truck = evaluate(
        roll_up_bom(),
        Scenario(
            good="heavy_truck",
            on=date(2025, 1, 1),
            lvc_hwmm=40,
            lvc_tech=5,
            lvc_assembly=5,
            steel_na_pct=80,
            aluminum_na_pct=80,
        ),
    )
    assert truck["unchecked"] == ["lvc"] and "not found in the sources" in truck["to_settle"]["lvc"]
    assert truck["originating"] is None


def test_rule_errors_are_plain_sentences():
    bom = [line("x", 10, "MX")]
    with pytest.raises(RuleError, match="net cost method"):
        evaluate(bom, Scenario(on=date(2024, 1, 1), method="transaction_value"))
    with pytest.raises(RuleError, match="USMCA entered into force on 2020-07-01"):
        evaluate(bom, Scenario(on=date(2019, 1, 1), regime="USMCA"))
    assert evaluate(bom, Scenario(on=date(2019, 1, 1)))["regime"] == "NAFTA"


def test_unconfirmed_values_are_flagged():
    result = evaluate([line("x", 100, "MX")], Scenario(good="complementary_part", on=date(2024, 1, 1)))
    assert result["threshold_confidence"] == "U" and result["unconfirmed"] == ["threshold 65.0%"]


def test_gap_and_cheapest_lines_to_close_it():
    bom = [line("battery", 8000, "CN"), line("seats", 2000, "CN"), line("rest", 20000, "MX")]
    result = evaluate(bom, PV_2024)
    assert result["gap_usd"] == pytest.approx(10000 - 30000 * 0.25)
    plan = rvc.close_gap(bom, result["gap_usd"], {"battery": 12, "seats": 3})
    assert plan[0]["part"] == "seats" and plan[0]["localise_usd"] == 2000
    assert plan[1] == {"part": "battery", "localise_usd": 500, "premium_pct": 12, "extra_cost_usd": 60}


def test_waterfall_from_nafta_to_usmca_adds_up():
    steps = dict(rvc.waterfall(roll_up_bom(), Scenario(on=date(2024, 1, 1), core_rollup="us-view")))
    assert steps["threshold_raised"] == -12.5
    total = sum(v for k, v in steps.items() if k != "usmca_margin")
    assert total == pytest.approx(steps["usmca_margin"], abs=1e-9)


@given(st.floats(min_value=1, max_value=20000), st.sampled_from(rvc.ROLLUPS), st.sampled_from(sorted(rvc.VEHICLES)))
def test_waterfall_and_headline_show_the_same_margin(imports, rollup, good):
    bom = [line("engine", 5000, "MX", True, "core", 80), line("imports", imports, "CN"), line("rest", 20000, "MX")]
    s = Scenario(good=good, on=date(2024, 8, 1), core_rollup=rollup)
    result = evaluate(bom, s)
    steps = dict(rvc.waterfall(bom, s))
    assert steps["usmca_margin"] == result["margin_pts"]
    assert rvc.points(steps["usmca_margin"]) == rvc.points(result["margin_pts"])


def test_a_margin_between_two_roundings_is_shown_once():
    # RVC 74.849...: rounding the RVC first and then the margin gave -0.1 on one screen and -0.2 on the other
    bom = [line("imports", 25.1503, "CN"), line("rest", 74.8497, "MX")]
    s = Scenario(on=date(2024, 1, 1))
    result, steps = evaluate(bom, s), dict(rvc.waterfall(bom, s))
    assert result["margin_pts"] == steps["usmca_margin"] == -0.15


@pytest.mark.parametrize(
    ("good", "on", "applies", "start"),
    [
        ("passenger_vehicle", date(2019, 6, 1), False, date(2025, 4, 3)),
        ("passenger_vehicle", date(2025, 4, 2), False, date(2025, 4, 3)),
        ("passenger_vehicle", date(2025, 4, 3), True, date(2025, 4, 3)),
        ("light_truck", date(2026, 1, 1), True, date(2025, 4, 3)),
        ("heavy_truck", date(2025, 6, 1), False, date(2025, 11, 1)),
        ("heavy_truck", date(2025, 11, 1), True, date(2025, 11, 1)),
    ],
)
def test_section_232_applies_only_from_its_start_date(good, on, applies, start):
    assert (rvc.section_232_rule(good, on) is not None) is applies
    first = rvc.section_232_start(good)
    assert first.effective_date == start and first.source


amounts = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@given(
    st.lists(
        st.tuples(amounts, st.booleans(), st.sampled_from(rvc.CATEGORIES), st.floats(min_value=0, max_value=100)),
        min_size=1,
        max_size=12,
    ),
    st.integers(min_value=0, max_value=11),
    st.sampled_from(rvc.ROLLUPS),
)
def test_making_a_line_originating_never_lowers_rvc(rows, pick, rollup):
    bom = [BomLine(f"p{i}", v, "CN", o, c, r) for i, (v, o, c, r) in enumerate(rows)]
    base = sum(ln.value_usd for ln in bom) + 1
    target = bom[pick % len(bom)].part
    before = rvc.rvc_pct(base, rvc.vnm_usmca(bom, rollup))
    after = rvc.rvc_pct(base, rvc.vnm_usmca(rvc.with_origin(bom, target, True), rollup))
    assert after >= before - 1e-9


# ---------------------------------------------------------------- command line contract

BOM_CSV = (
    "part,value_usd,origin_country,originating,category,part_rvc_pct,nafta_traced\n"
    "engine,5000,MX,true,core,80,true\nimports,6000,CN,,,,true\nassembly,19000,MX,,,,false\n"
)


def cli(tmp_path, text, *args):
    path = tmp_path / "bom.csv"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "valuechain.rvc", str(path), *args], capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr, path


def test_cli_prints_one_json_object_with_the_contract_keys(tmp_path):
    code, out, err, _ = cli(tmp_path, BOM_CSV, "--date", "2024-01-01", "--core-rollup", "us-view")
    assert code == 0, err
    result = json.loads(out)
    for key in (
        "regime",
        "good",
        "method",
        "threshold_pct",
        "rvc_pct",
        "vnm_usd",
        "net_cost_usd",
        "rvc_ok",
        "core_parts_ok",
        "core_parts_method",
        "lvc_ok",
        "steel_aluminum_ok",
        "originating",
        "unchecked",
    ):
        assert key in result, key
    assert result["rvc_pct"] == 76.67 and result["regime"] == "USMCA"


def test_cli_verdict_is_null_while_gates_are_unchecked_and_true_once_settled(tmp_path):
    code, out, err, _ = cli(tmp_path, BOM_CSV, "--date", "2024-01-01")
    result = json.loads(out)
    assert code == 0 and result["originating"] is None and result["unchecked"] == ["lvc", "steel_aluminum"]
    assert "--steel-na-pct" in result["to_settle"]["steel_aluminum"]
    settled = json.loads(
        cli(
            tmp_path,
            BOM_CSV,
            "--date",
            "2024-01-01",
            "--lvc-hwmm",
            "28",
            "--lvc-tech",
            "8",
            "--lvc-assembly",
            "5",
            "--steel-na-pct",
            "75",
            "--aluminum-na-pct",
            "72",
        )[1]
    )
    assert settled["originating"] is True and settled["unchecked"] == []


def test_cli_nafta_heavy_truck_and_light_vehicle_on_the_same_bom(tmp_path):
    text = (
        "part,value_usd,origin_country,originating,category,part_rvc_pct,nafta_traced\n"
        "traced import,4000,CN,,,,true\nuntraced import,7000,DE,,,,false\n"
        "regional sub-assembly,5000,MX,false,,60,true\nregional value,14000,MX,,,,false\n"
    )
    light = json.loads(cli(tmp_path, text, "--date", "2019-01-01", "--good", "vehicle-lt")[1])
    heavy = json.loads(cli(tmp_path, text, "--date", "2019-01-01", "--good", "vehicle-ht")[1])
    assert (light["vnm_usd"], light["rvc_pct"], light["originating"]) == (6000, 80.0, True)
    assert (heavy["vnm_usd"], heavy["rvc_pct"], heavy["originating"]) == (13000, 56.67, False)


def test_cli_regime_defaults_from_the_date(tmp_path):
    assert json.loads(cli(tmp_path, BOM_CSV, "--date", "2019-12-31")[1])["regime"] == "NAFTA"


@pytest.mark.parametrize(
    ("text", "args", "expected"),
    [
        ("part,value_usd\nx,1\n", (), ":1: column 'origin_country': required column is missing"),
        ("part,value_usd,origin_country\nx,-5,MX\n", (), ":2: column 'value_usd': -5 is negative"),
        ("part,value_usd,origin_country\nx,abc,MX\n", (), ":2: column 'value_usd': 'abc' is not a number"),
        ("part,value_usd,origin_country,category\nx,1,MX,engine\n", (), ":2: column 'category': unknown category"),
        ("part,value_usd,origin_country\nx,1,ZZ\n", (), ":2: column 'origin_country': 'ZZ' is not an ISO 3166"),
    ],
)
def test_cli_bad_bom_lines(tmp_path, text, args, expected):
    code, out, err, path = cli(tmp_path, text, *args)
    assert code == 2 and out == ""
    assert f"{path}{expected}" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--method", "tv"), "Vehicles must use the net cost method"),
        (("--regime", "usmca", "--date", "2019-05-01"), "USMCA entered into force on 2020-07-01"),
    ],
)
def test_cli_rule_errors(tmp_path, args, expected):
    code, _, err, _ = cli(tmp_path, BOM_CSV, *args)
    assert code == 2 and err.strip().startswith(expected) and "Traceback" not in err
