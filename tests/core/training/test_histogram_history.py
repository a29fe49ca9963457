"""Histograms over time rendered as an image on one shared value grid."""

import math

import numpy as np

from explorer.core.training.histogram_history import HistogramHistory


def test_columns_are_rebinned_onto_the_shared_value_range():
    h = HistogramHistory()
    h.append(10, 0.0, 1.0, np.array([4.0, 0.0]))  # all values in [0, 0.5]
    h.append(20, 0.0, 2.0, np.array([0.0, 3.0]))  # all values in [1, 2]
    img = h.render(columns=2, rows=4)  # value rows of width 0.5 over [0, 2]
    assert (img.y0, img.y1) == (0.0, 2.0)
    np.testing.assert_allclose(img.image[0], [1, 0, 0, 0])
    np.testing.assert_allclose(img.image[1], [0, 0, 1, 1])
    assert img.x0 < 10 < 20 < img.x1


def test_each_column_shows_the_nearest_histogram_and_unmeasured_spans_stay_empty():
    h = HistogramHistory()
    for step, peak in ((1, 0), (2, 1), (10, 2)):
        counts = np.zeros(3)
        counts[peak] = 1
        h.append(step, 0.0, 3.0, counts)
    img = h.render(columns=10, rows=3)  # one column per step 1..10
    shown = [int(np.argmax(col)) if col.max() > 0 else None for col in img.image]
    assert shown == [0, 1, 1, None, None, None, None, None, 2, 2]  # within one column of a measurement


def test_history_is_bounded_and_skips_empty_histograms():
    h = HistogramHistory(capacity=8)
    for step in range(1, 101):
        h.append(step, -1.0, 1.0, np.ones(4))
    assert len(h) <= 8 and h.steps[-1] == 100 and h.steps[0] == 1
    empty = HistogramHistory()
    empty.append(1, math.nan, math.nan, np.zeros(4))
    assert empty.render() is None


def test_a_few_early_wide_histograms_do_not_squash_the_rest():
    h = HistogramHistory()
    h.append(1, -100.0, 100.0, np.ones(4))  # one early step with huge gradients
    for step in range(2, 40):
        h.append(step, -1.0, 1.0, np.ones(4))
    img = h.render(rows=8)
    assert (img.y0, img.y1) == (-1.0, 1.0)
    assert img.image[-1].min() == 1.0  # the late columns fill every row


def test_columns_far_from_every_measurement_stay_empty():
    history = HistogramHistory()
    for step in (1, 2, 3, 4, 100):  # four close together, then a long unmeasured span
        history.append(step, -1.0, 1.0, np.ones(4))
    picture = history.render(columns=400)
    filled = picture.image.max(axis=1) > 0
    assert filled[:4].all() and filled[-1]
    assert not filled[10:-10].any()  # steps 14..90 had no histogram: nothing is drawn there
