"""Agreement statistics against published worked examples and independent implementations.

Sources of the expected figures (none of them computed by the code under test):
- Krippendorff, K. (2011) "Computing Krippendorff's Alpha-Reliability", the reliability
  data of 4 observers x 12 units with missing values (also R's irr::kripp.alpha "C"
  data): nominal .743, ordinal .815, interval .849, ratio .797, n = 40 pairable values.
- Shrout, P. E. & Fleiss, J. L. (1979) Psychological Bulletin 86(2), Table 2 data
  (6 targets x 4 judges) and Table 4: ICC(1,1) .17, ICC(2,1) .29, ICC(3,1) .71,
  ICC(1,4) .44, ICC(2,4) .62, ICC(3,4) .91.
- Fleiss, J. L. (1971) as tabulated in the Wikipedia article "Fleiss' kappa":
  10 subjects, 14 raters, 5 categories, kappa = 0.210.
- Cohen's kappa by hand: 50 items, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no:
  p_o = 35/50 = 0.7, p_e = 0.5*0.6 + 0.5*0.4 = 0.5, kappa = 0.2/0.5 = 0.4.
Independent implementations: the ``krippendorff`` library (alpha and its resampled
recomputation), pingouin (ICC), statsmodels (Fleiss), scikit-learn (Cohen).
"""

from __future__ import annotations

import warnings

import krippendorff
import numpy as np
import pandas as pd
import pingouin
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from concord.quality import agreement
from concord.quality.agreement import AgreementError

NAN = np.nan
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
)
SHROUT_FLEISS = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])
FLEISS_1971_COUNTS = np.array(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
)


def _ratings_from_counts(counts: np.ndarray) -> np.ndarray:
    """Raters x subjects: subject i's ratings are its category counts spelled out."""
    return np.array([np.repeat(np.arange(counts.shape[1]), row) for row in counts]).T.astype(float)


def _random_ratings(seed: int, graders=5, items=20, missing=0.2, values=5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, values + 1, size=items)
    noise = rng.integers(-1, 2, size=(graders, items))
    ratings = np.clip(truth + noise, 1, values).astype(float)
    ratings[rng.random((graders, items)) < missing] = NAN
    return ratings


@pytest.mark.parametrize(
    ("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_alpha_matches_krippendorffs_worked_example(level, published):
    result = agreement.krippendorff_alpha(KRIPPENDORFF_2011, level, resamples=0)
    assert round(result.value, 3) == published
    assert round(agreement.alpha_by_coincidences(KRIPPENDORFF_2011, level), 3) == published
    assert (result.graders, result.items, result.pairable_values) == (4, 12, 40)


@pytest.mark.parametrize("level", agreement.LEVELS)
@pytest.mark.parametrize("seed", range(6))
def test_our_coincidence_alpha_equals_the_library_with_missing_ratings(level, seed):
    """The bootstrap resamples our coincidence matrices: they must give the library's alpha."""
    ratings = _random_ratings(seed)
    ours = agreement.alpha_by_coincidences(ratings, level)
    theirs = krippendorff.alpha(reliability_data=ratings, level_of_measurement=level)
    assert ours == pytest.approx(theirs, abs=1e-9)


@pytest.mark.parametrize("level", agreement.LEVELS)
def test_bootstrap_equals_a_plain_loop_over_the_same_resamples(level):
    """Vectorised resampling gives the same interval as recomputing alpha on each resampled table."""
    ratings = _random_ratings(11, graders=4, items=15)
    resamples, seed = 200, 5
    result = agreement.krippendorff_alpha(ratings, level, resamples=resamples, seed=seed)

    pairable = ratings[:, (~np.isnan(ratings)).sum(axis=0) >= 2]
    draws = np.random.default_rng(seed).integers(0, pairable.shape[1], size=(resamples, pairable.shape[1]))
    values = np.unique(pairable[~np.isnan(pairable)])
    loop = []
    for draw in draws:
        try:
            loop.append(krippendorff.alpha(pairable[:, draw], level_of_measurement=level, value_domain=values))
        except ValueError:  # a resample with one value only: alpha undefined, left out as ours does
            continue
    loop = np.array(loop)
    loop = loop[~np.isnan(loop)]
    assert result.ci95 == pytest.approx(tuple(np.percentile(loop, [2.5, 97.5])), abs=1e-9)


def test_bootstrap_interval_brackets_alpha_and_reproduces_by_seed():
    ratings = _random_ratings(3, graders=6, items=40)
    first = agreement.krippendorff_alpha(ratings, "interval", resamples=500, seed=9)
    again = agreement.krippendorff_alpha(ratings, "interval", resamples=500, seed=9)
    other = agreement.krippendorff_alpha(ratings, "interval", resamples=500, seed=10)
    assert first.ci95 == again.ci95 != other.ci95
    assert first.ci95[0] < first.value < first.ci95[1]


def test_a_grader_who_rated_one_item_still_counts_where_pairable():
    ratings = np.array([[1, 2, 3, 4], [1, 2, 3, 4], [NAN, NAN, 1, NAN]])
    result = agreement.krippendorff_alpha(ratings, "ordinal", resamples=100)
    # unit 3 has three values (3, 3, 1): 2+2+2+2 pairable from the first two graders, plus one
    assert result.pairable_values == 9
    assert result.value == pytest.approx(krippendorff.alpha(ratings, level_of_measurement="ordinal"))


def test_alpha_is_undefined_not_an_error_when_nobody_varies():
    ratings = np.array([[2, 2, 2], [2, 2, NAN]])
    result = agreement.krippendorff_alpha(ratings, "nominal")
    assert result.value is None and result.ci95 is None
    assert result.pairable_values == 4


def test_alpha_is_undefined_when_pairable_units_all_agree_but_a_lone_rating_differs():
    # Hand count: units 1 and 2 are pairable and both rated 1 by both graders; unit 3 has one rating
    # (2), which pairs with nothing. Observed and expected disagreement are both 0: alpha is 0/0.
    # The library returns nan (with a RuntimeWarning); a nan on the calibration page reads as a bug.
    ratings = np.array([[1, 1, NAN], [1, 1, 2]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = agreement.krippendorff_alpha(ratings, "nominal")
    assert result.value is None and result.ci95 is None
    assert result.pairable_values == 4


def test_alpha_refuses_negative_ratio_ratings_and_unknown_levels():
    with pytest.raises(AgreementError, match="ratio level"):
        agreement.krippendorff_alpha([[1, -1], [1, 2]], "ratio")
    with pytest.raises(AgreementError, match="level must be one of"):
        agreement.krippendorff_alpha([[1, 2], [1, 2]], "circular")


def test_alphas_by_criterion_gives_one_alpha_per_criterion():
    cube = np.stack([_random_ratings(s, graders=4, items=10) for s in range(3)], axis=2)
    results = agreement.alphas_by_criterion(cube, ["ordinal", "nominal", "interval"], resamples=50)
    for i, (result, level) in enumerate(zip(results, ["ordinal", "nominal", "interval"], strict=True)):
        assert result.level == level
        assert result.value == pytest.approx(krippendorff.alpha(cube[:, :, i], level_of_measurement=level))


def test_fleiss_kappa_matches_the_published_example_and_statsmodels():
    ratings = _ratings_from_counts(FLEISS_1971_COUNTS)
    assert ratings.shape == (14, 10)
    assert round(agreement.fleiss_kappa(ratings), 3) == 0.210
    for seed in range(4):
        sample = np.nan_to_num(_random_ratings(seed, graders=6, items=30, missing=0), nan=1)
        table = np.stack([(sample == v).sum(axis=0) for v in np.unique(sample)], axis=1)
        assert agreement.fleiss_kappa(sample) == pytest.approx(statsmodels_fleiss(table), abs=1e-12)


def test_fleiss_kappa_needs_complete_ratings():
    with pytest.raises(AgreementError, match="missing"):
        agreement.fleiss_kappa([[1, 2, NAN], [1, 2, 2]])


def test_cohen_kappa_by_hand_and_against_scikit_learn():
    first = [1] * 25 + [0] * 25
    second = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert agreement.cohen_kappa([first, second]) == pytest.approx(0.4)
    for seed in range(4):
        a, b = np.nan_to_num(_random_ratings(seed, graders=2, items=40, missing=0))
        assert agreement.cohen_kappa([a, b]) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    assert agreement.cohen_kappa([[1, 1], [1, 1]]) is None
    with pytest.raises(AgreementError, match="exactly two"):
        agreement.cohen_kappa([[1, 2], [1, 2], [2, 2]])


@pytest.mark.parametrize(
    ("form", "published"),
    [("ICC1", 0.17), ("ICC2", 0.29), ("ICC3", 0.71), ("ICC1k", 0.44), ("ICC2k", 0.62), ("ICC3k", 0.91)],
)
def test_icc_matches_shrout_and_fleiss_table_4(form, published):
    assert round(agreement.icc(SHROUT_FLEISS)[form].value, 2) == published


def _pingouin_icc(table: np.ndarray) -> pd.DataFrame:
    long = pd.DataFrame(
        [(i, j, table[i, j]) for i in range(table.shape[0]) for j in range(table.shape[1])],
        columns=["item", "grader", "score"],
    )
    return pingouin.intraclass_corr(long, targets="item", raters="grader", ratings="score").set_index("Type")


@pytest.mark.parametrize("seed", [None, 1, 2])
def test_icc_agrees_with_pingouin_on_value_f_df_p_and_interval(seed):
    if seed is None:
        table = SHROUT_FLEISS.astype(float)
    else:
        rng = np.random.default_rng(seed)
        table = rng.normal(0, 2, size=(25, 1)) + rng.normal(0, 1, size=(25, 5)) + rng.normal(0, 0.5, size=(1, 5))
    ours = agreement.icc(table)
    theirs = _pingouin_icc(table)
    assert list(ours) == list(agreement.ICC_FORMS)
    for row, (name, form) in zip(theirs.itertuples(), ours.items(), strict=True):
        # pingouin orders the forms as Shrout & Fleiss do; its labels differ between versions
        assert form.value == pytest.approx(row.ICC, abs=5e-4)
        assert form.f == pytest.approx(row.F, rel=1e-9)
        assert (form.df1, form.df2) == (row.df1, row.df2)
        assert form.p == pytest.approx(row.pval, rel=1e-6)
        # pingouin rounds its interval to two decimals
        assert form.ci95 == pytest.approx(tuple(row.CI95), abs=0.005 + 1e-9), name


def test_icc_refuses_missing_cells_and_constant_tables():
    with pytest.raises(AgreementError, match="missing"):
        agreement.icc([[1, 2], [NAN, 3]])
    with pytest.raises(AgreementError, match="do not vary"):
        agreement.icc([[1, 1], [1, 1]])


def test_session_agreement_runs_kappas_only_where_they_apply_and_icc_on_complete_items():
    cube = np.stack(
        [np.array([[1, 0, 1, 1], [1, 0, 0, 1], [1, 1, 0, 1]], float), _random_ratings(2, graders=3, items=4)], axis=2
    )
    result = agreement.session_agreement(cube, ["nominal", "ordinal"], resamples=20)
    assert result.criteria[0].fleiss_kappa == pytest.approx(agreement.fleiss_kappa(cube[:, :, 0]))
    assert result.criteria[0].cohen_kappa is None  # three graders
    assert result.criteria[1].fleiss_kappa is None  # ordinal
    totals = np.nansum(cube, axis=2)
    complete = totals[:, ~np.isnan(cube).any(axis=(0, 2))]
    assert result.icc_items == complete.shape[1]
    assert result.icc["ICC2"].value == pytest.approx(agreement.icc(complete.T)["ICC2"].value)


def test_a_criterion_nobody_rated_has_no_alpha_rather_than_an_error():
    result = agreement.krippendorff_alpha(np.full((3, 4), NAN), "nominal")
    assert result.value is None and result.pairable_values == 0
