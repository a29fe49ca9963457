"""How closely an exported Hugging Face BERT (1 layer, small config, random weights, nothing downloaded) matches
PyTorch when onnxruntime verifies it, and what onnx's reference evaluator says about the same file.

    .venv/bin/python bench/onnx_bert_verify.py

Needs the onnx extra (onnxruntime) and transformers. The last line is one JSON object.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import torch
import transformers

from explorer.core.checkpoint import onnx_export
from explorer.core.seeding import generator


def main() -> None:
    config = transformers.BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                     intermediate_size=32, max_position_embeddings=64, num_labels=3)
    torch.manual_seed(0)
    model = transformers.BertForSequenceClassification(config)
    ids = torch.randint(0, 50, (1, 12), generator=generator(0))
    folder = Path(tempfile.mkdtemp())
    with_runtime = onnx_export.export_onnx(folder / "bert.onnx", model, ids, metadata={})
    print(with_runtime.summary())
    onnx_export.onnx_runtime_name = lambda: "onnx reference evaluator"  # as where onnxruntime is not installed
    reference = onnx_export.export_onnx(folder / "bert-reference.onnx", model, ids, metadata={})
    print(reference.summary())
    print(json.dumps({"onnxruntime_max_abs_difference": with_runtime.max_abs_difference,
                      "reference_evaluator_unverified": reference.unverified}))


if __name__ == "__main__":
    main()
