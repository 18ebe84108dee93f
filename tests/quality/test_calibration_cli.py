"""``concord calibration agreement``: the file layouts, the exact JSON keys, clear refusals."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from concord.quality.cli import calibration_app

runner = CliRunner()

# Krippendorff (2011) reliability data, one row per grader; empty cells are missing ratings.
KRIPPENDORFF_CSV = """grader,u1,u2,u3,u4,u5,u6,u7,u8,u9,u10,u11,u12
A,1,2,3,3,2,1,4,1,2,,,
B,1,2,3,3,2,2,4,1,2,5,,3
C,,3,3,3,2,3,4,2,2,5,1,
D,1,2,3,3,2,4,4,1,2,5,1,
"""
# Shrout & Fleiss (1979) Table 2: one row per target, one column per judge.
SHROUT_FLEISS_CSV = """target,j1,j2,j3,j4
1,9,2,5,8
2,6,1,3,2
3,8,4,6,8
4,7,1,2,6
5,10,5,6,9
6,6,2,4,7
"""


def _run(tmp_path, text: str, *args: str):
    path = tmp_path / "ratings.csv"
    path.write_text(text)
    return runner.invoke(calibration_app, ["agreement", str(path), *args])


@pytest.mark.parametrize(
    ("level", "alpha"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_alpha_json_has_exactly_the_documented_keys(tmp_path, level, alpha):
    result = _run(tmp_path, KRIPPENDORFF_CSV, "--level", level, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    # missing cells: no kappas, even for nominal data
    assert list(report) == ["alpha", "level", "graders", "items", "pairable_values", "ci95"]
    assert round(report["alpha"], 3) == alpha
    assert (report["level"], report["graders"], report["items"], report["pairable_values"]) == (level, 4, 12, 40)
    low, high = report["ci95"]
    assert low <= report["alpha"] <= high


def test_complete_nominal_data_adds_fleiss_and_for_two_graders_cohen(tmp_path):
    # the hand-computed Cohen example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> kappa 0.4
    first = ["yes"] * 25 + ["no"] * 25
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    header = "grader," + ",".join(f"call{i}" for i in range(50))
    text = "\n".join([header, "ana," + ",".join(first), "ben," + ",".join(second)]) + "\n"
    report = json.loads(_run(tmp_path, text, "--level", "nominal", "--json").output)
    assert list(report)[-2:] == ["fleiss_kappa", "cohen_kappa"]
    assert report["cohen_kappa"] == pytest.approx(0.4)
    # two graders: Fleiss' kappa is Scott's pi, p_e from pooled shares (0.55, 0.45) = 0.505
    assert report["fleiss_kappa"] == pytest.approx((0.7 - 0.505) / (1 - 0.505), abs=1e-6)


def test_icc_json_names_the_six_forms_in_shrout_fleiss_order(tmp_path):
    result = _run(tmp_path, SHROUT_FLEISS_CSV, "--icc", "--json")
    assert result.exit_code == 0, result.output
    icc = json.loads(result.output)["icc"]
    assert list(icc) == ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]
    for form in icc.values():
        assert list(form) == ["value", "ci95", "F", "df1", "df2", "p"]
    assert [round(f["value"], 2) for f in icc.values()] == [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
    assert (icc["ICC2"]["df1"], icc["ICC2"]["df2"], icc["ICC1"]["df2"]) == (5, 15, 18)


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        (KRIPPENDORFF_CSV, ["--icc"], "ratings.csv row 2, column 'u10': empty"),
        ("grader,a,b\nx,1,2\ny,1,abc\n", ["--level", "interval"], "row 3, column 'b': 'abc' is not a number"),
        ("grader,a,b\nx,1,2,3\n", [], "ratings.csv row 2: 3 ratings but the header names 2"),
        ("grader,a\n", [], "needs a header row and at least one row"),
        (KRIPPENDORFF_CSV, ["--level", "cardinal"], "level must be one of"),
    ],
)
def test_bad_files_get_one_clear_line_naming_row_and_column(tmp_path, text, args, message):
    result = _run(tmp_path, text, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_file_is_named(tmp_path):
    result = runner.invoke(calibration_app, ["agreement", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "nope.csv: no such file" in result.output
