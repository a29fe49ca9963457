"""The one output rule: which entry of a model's output is the prediction."""

from collections import OrderedDict, namedtuple

import pytest
import torch

from explorer.core.outputs import OutputError, describe_output, select_output

LOGITS, AUX = torch.zeros(2, 10), torch.ones(2, 16)


def test_a_tensor_is_the_prediction():
    assert select_output(LOGITS) is LOGITS


def test_logits_by_name_in_dicts_and_named_tuples():
    assert select_output({"aux": AUX, "logits": LOGITS}) is LOGITS
    Outputs = namedtuple("GoogLeNetOutputs", "logits aux_logits2 aux_logits1")
    assert select_output(Outputs(LOGITS, AUX, AUX)) is LOGITS
    assert select_output(OrderedDict(loss=torch.tensor(1.0), logits=LOGITS)) is LOGITS


def test_a_tuples_first_tensor_is_the_prediction_as_in_torch_nn():
    assert select_output((LOGITS, AUX)) is LOGITS
    assert select_output([None, LOGITS]) is LOGITS  # the only tensor


def test_a_dicts_only_tensor_is_the_prediction():
    assert select_output({"out": LOGITS, "note": "x"}) is LOGITS


def test_several_candidates_are_refused_with_what_the_output_holds():
    with pytest.raises(OutputError, match=r"aux: \[2, 16\], out: \[2, 10\].*--output aux"):
        select_output({"aux": AUX, "out": LOGITS})
    with pytest.raises(OutputError, match="holds no tensor"):
        select_output({"answer": 42})


def test_a_named_entry_wins_and_a_missing_one_is_named():
    assert select_output({"aux": AUX, "out": LOGITS}, "out") is LOGITS
    assert select_output((AUX, LOGITS), "1") is LOGITS
    with pytest.raises(OutputError, match="no entry 'scores'"):
        select_output({"aux": AUX}, "scores")
    with pytest.raises(OutputError, match="one tensor"):
        select_output(LOGITS, "logits")


def test_describe_output_names_shapes():
    assert describe_output({"a": AUX, "b": 3}) == "dict {a: [2, 16], b: int}"
