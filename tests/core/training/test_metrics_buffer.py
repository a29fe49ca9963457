"""The bounded metric history: recent rows exact, memory bounded, every spike kept."""

import math

import numpy as np
import pytest

from explorer.core.training.metrics_buffer import MetricsBuffer, thin


def test_rows_are_kept_exactly_until_the_buffer_is_full():
    buf = MetricsBuffer(width=2, capacity=64)
    x = np.arange(1, 51)
    y = np.stack([x * 0.5, -x], axis=1)
    buf.append(x[:20], y[:20])
    buf.append(x[20:], y[20:])
    np.testing.assert_array_equal(buf.x, x)
    np.testing.assert_array_equal(buf.y, y)
    assert len(buf) == 50 and buf.appended == 50 and buf.thinned == 0


def test_a_long_run_stays_bounded_keeps_its_spikes_and_recent_rows():
    rng = np.random.default_rng(0)
    n = 100_000
    x = np.arange(1, n + 1, dtype=float)
    y = rng.normal(size=(n, 1))
    y[1234, 0], y[56_789, 0] = 50.0, -60.0  # spikes deep in the thinned past
    buf = MetricsBuffer(width=1, capacity=1024)
    for start in range(0, n, 37):
        buf.append(x[start : start + 37], y[start : start + 37])
    assert len(buf) <= 1024 and buf.appended == n
    assert buf.y.max() == 50.0 and buf.y.min() == -60.0
    assert np.all(np.diff(buf.x) >= 0) and buf.x[0] == 1 and buf.x[-1] == n
    np.testing.assert_array_equal(buf.y[-256:, 0], y[-256:, 0])  # the newest quarter is untouched


def test_thin_keeps_min_and_max_in_their_order_per_column():
    x = np.arange(8.0)
    y = np.array([[1, 5], [9, 4], [0, 3], [2, 8],  # bucket 1: col 0 max 9 then min 0; col 1 min 3 then max 8
                  [math.nan] * 2, [math.nan] * 2, [math.nan, 1], [math.nan, math.inf]], dtype=float)
    tx, ty = thin(x, y)
    np.testing.assert_array_equal(tx, [0, 3, 4, 7])
    np.testing.assert_array_equal(ty[:2], [[9, 3], [0, 8]])
    assert np.isnan(ty[2:, 0]).all()  # a bucket of only NaN stays NaN
    np.testing.assert_array_equal(ty[2:, 1], [1, math.inf])  # NaN is skipped, Inf is an extreme


def test_capacity_must_fit_the_buckets():
    with pytest.raises(ValueError, match="capacity"):
        MetricsBuffer(width=1, capacity=100)
