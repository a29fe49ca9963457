"""The loss curve's smoothing against a direct computation of the debiased average."""

import math

import numpy as np
import pytest

from explorer.core.training.smoothing import Ema


def test_ema_is_the_debiased_exponential_average_fed_in_pieces():
    values = np.random.default_rng(1).normal(size=50)
    w = 0.8
    expected = []
    for n in range(1, 51):
        weights = w ** np.arange(n - 1, -1, -1) * (1 - w)
        expected.append(float((weights * values[:n]).sum() / (1 - w**n)))
    ema = Ema(w)
    got = np.concatenate([ema.update(values[:7]), ema.update(values[7:])])
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got[0] == pytest.approx(values[0])


def test_nonfinite_values_are_skipped():
    out = Ema(0.5).update([math.nan, 2.0, math.inf, 4.0])
    assert math.isnan(out[0])
    np.testing.assert_allclose(out[1:], [2.0, 2.0, (0.25 * 2 + 0.5 * 4) / 0.75])
