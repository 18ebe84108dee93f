"""Scoring an evaluation exactly as DOMAIN.md says, checked against hand computation."""

from __future__ import annotations

import re

import pytest

from concord.quality.scoring import Rating, RatingError, Rule, check_rule, score

GREETING = Rule("greeting", "Greets the customer", "yes_no", 1)
EMPATHY = Rule("empathy", "Shows empathy", "one_to_five", 2)
ACCURACY = Rule("accuracy", "Accurate answer", "points", 3, max_points=10)
COMPLIANCE = Rule("compliance", "Verifies identity", "yes_no", 2, critical=True)
UPSELL = Rule("upsell", "Offers the upgrade", "yes_no", 2, na_allowed=True)
FORM = [GREETING, EMPATHY, ACCURACY, COMPLIANCE, UPSELL]


def _ratings(**values):
    return {code: Rating(None, True) if value == "na" else Rating(value) for code, value in values.items()}


def test_weighted_mean_of_shares_with_na_reweighted():
    # by hand: greeting 1x1 + empathy 2x(4-1)/4 + accuracy 3x7/10 + compliance 2x1 = 6.6 of 1+2+3+2 = 8
    result = score(FORM, _ratings(greeting=1, empathy=4, accuracy=7, compliance=1, upsell="na"))
    assert result.score == pytest.approx(82.5)
    assert (result.earned, result.possible) == (pytest.approx(6.6), 8)
    # the same answers with upsell answered "no": 6.6 of 10
    assert score(FORM, _ratings(greeting=1, empathy=4, accuracy=7, compliance=1, upsell=0)).score == pytest.approx(66)


def test_a_failed_critical_criterion_scores_zero_whatever_else():
    result = score(FORM, _ratings(greeting=1, empathy=5, accuracy=10, compliance=0, upsell=1))
    assert result.score == 0 and result.critical_failed


def test_all_na_has_no_score_rather_than_zero_or_hundred():
    rules = [Rule("a", "A", "yes_no", 1, na_allowed=True), Rule("b", "B", "one_to_five", 1, na_allowed=True)]
    result = score(rules, _ratings(a="na", b="na"))
    assert result.score is None and not result.critical_failed


def test_a_critical_criterion_marked_na_is_not_a_failure():
    rules = [Rule("c", "C", "yes_no", 1, critical=True, na_allowed=True), Rule("d", "D", "one_to_five", 1)]
    assert score(rules, _ratings(c="na", d=3)).score == pytest.approx(50)


@pytest.mark.parametrize(
    ("rule", "rating", "message"),
    [
        (GREETING, Rating(None, True), "N/A is not allowed"),
        (EMPATHY, Rating(6), "6 is off the scale (1 to 5)"),
        (EMPATHY, Rating(2.5), "not a whole step"),
        (ACCURACY, Rating(11), "off the scale (0 to 10)"),
        (UPSELL, Rating(1, True), "a rating or N/A, not both"),
        (GREETING, Rating(None), "not rated"),
    ],
)
def test_answers_that_do_not_fit_are_refused_naming_the_criterion(rule, rating, message):
    ratings = _ratings(greeting=1, empathy=3, accuracy=5, compliance=1, upsell=1)
    ratings[rule.code] = rating
    with pytest.raises(RatingError, match=re.escape(message)) as caught:
        score(FORM, ratings)
    assert rule.label in str(caught.value)


def test_half_points_are_fine_on_a_points_scale():
    assert score([ACCURACY], _ratings(accuracy=7.5)).score == pytest.approx(75)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (Rule("x", "X", "one_to_five", 1, critical=True), "critical criterion .* yes / no"),
        (Rule("x", "X", "points", 1), "maximum points"),
        (Rule("x", "X", "yes_no", 0), "weight must be more than 0"),
        (Rule("x", "X", "stars", 1), "scale must be one of"),
    ],
)
def test_rules_that_cannot_be_scored_are_refused(rule, message):
    with pytest.raises(RatingError, match=message):
        check_rule(rule)
