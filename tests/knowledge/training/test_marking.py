"""Marking and certification dates, checked against hand computations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from concord.knowledge.training import marking

from .conftest import BANK

D = dt.date


def _questions():
    from concord.knowledge.training.spec import check

    from .conftest import document

    return check(document())["assessments"][0]["questions"]


def test_exact_set_scores_and_half_right_multiple_choice_is_wrong():
    qs = _questions()  # q-refund [1], q-photos [0, 1], q-label False -> index 1, q-case [0]
    answers = {"q-refund": [1], "q-photos": [0], "q-label": [1], "q-case": [0]}
    result = marking.mark(qs, answers, Decimal("75"))
    # 3 right of 4 (photos half right counts wrong) = 75.00 %, exactly the pass mark
    assert (result.right, result.total, result.score_percent, result.passed) == (3, 4, Decimal("75.00"), True)
    assert marking.mark(qs, answers, Decimal("80")).passed is False


def test_two_of_three_rounds_half_up_to_two_decimals():
    qs = _questions()[:3]
    result = marking.mark(qs, {"q-refund": [1], "q-photos": [1, 0]}, Decimal("66.67"))
    assert result.score_percent == Decimal("66.67")  # 200/3 = 66.666... -> 66.67
    assert result.passed is True


def test_no_answer_and_extra_choice_are_wrong():
    qs = _questions()
    assert marking.mark(qs, {"q-photos": [0, 1, 2]}, Decimal(50)).right == 0


def test_a_draw_is_reproducible_from_its_seed_whatever_the_bank_order():
    first = marking.draw(BANK, 3, seed=1234)
    assert marking.draw(list(reversed(BANK)), 3, seed=1234) == first
    assert len({q["key"] for q in first}) == 3
    draws = {tuple(q["key"] for q in marking.draw(BANK, 3, seed=s)) for s in range(40)}
    assert len(draws) > 4  # different seeds do give different papers


def test_add_months_clamps_to_the_last_day():
    assert marking.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert marking.add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert marking.add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)
    assert marking.add_months(D(2026, 3, 10), 12) == D(2027, 3, 10)


def test_renewal_inside_the_window_extends_from_the_old_expiry():
    held = (D(2025, 3, 1), D(2026, 3, 1))
    # 19 days before expiry, inside a 30-day window: the new year runs from 1 March 2026
    assert marking.renewal(held, D(2026, 2, 10), valid_months=12, window_days=30) == (D(2026, 2, 10), D(2027, 3, 1))
    # 45 days before: too early, nothing changes
    assert marking.renewal(held, D(2026, 1, 15), valid_months=12, window_days=30) is None
    # after expiry: a new certification from the pass
    assert marking.renewal(held, D(2026, 3, 5), valid_months=12, window_days=30) == (D(2026, 3, 5), D(2027, 3, 5))
    assert marking.renewal(None, D(2026, 3, 5), valid_months=6, window_days=30) == (D(2026, 3, 5), D(2026, 9, 5))


def test_state_on_a_day():
    held = [(D(2025, 3, 1), D(2026, 3, 1))]
    assert marking.state(held, D(2025, 2, 28), window_days=30) == marking.NOT_CERTIFIED
    assert marking.state(held, D(2025, 12, 1), window_days=30) == marking.CERTIFIED  # 90 days left
    assert marking.state(held, D(2026, 1, 30), window_days=30) == marking.EXPIRING  # 30 days left
    assert marking.state(held, D(2026, 1, 29), window_days=30) == marking.CERTIFIED  # 31 days left
    assert marking.state(held, D(2026, 3, 1), window_days=30) == marking.EXPIRED  # expiry day is not covered
    renewed = [*held, (D(2026, 2, 10), D(2027, 3, 1))]
    assert marking.state(renewed, D(2026, 3, 1), window_days=30) == marking.CERTIFIED
