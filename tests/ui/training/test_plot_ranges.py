"""Axis ranges of the live plots move in tidy steps, so the axes are not repainted on every update."""

import pytest

from explorer.ui.training.plot_ranges import nice_ceiling, rounded_bounds


@pytest.mark.parametrize("x, expected", [(1, 1), (1.5, 2), (3, 5), (7, 10), (10, 10), (11, 20), (420, 500),
                                         (0.03, 0.05), (100_001, 200_000)])
def test_step_axis_grows_through_one_two_five(x, expected):
    assert nice_ceiling(x) == pytest.approx(expected)


def test_value_bounds_are_rounded_outwards():
    assert rounded_bounds(0.013, 2.31, log=False) == pytest.approx((0.0, 2.5))
    assert rounded_bounds(-3.2, -0.7, log=True) == (-4.0, 0.0)  # whole decades
    a, b = rounded_bounds(-2.6, -2.2, log=True)
    assert b - a == 2 and a <= -2.6 and b >= -2.2  # at least two decades
    a, b = rounded_bounds(5.0, 5.0, log=False)
    assert a < 5.0 < b
