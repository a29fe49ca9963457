"""`--model package.module:callable` on the command line, with --model-kwargs."""

import json

from explorer.cli import run_cli
from tests.core.test_model_factories import factories  # noqa: F401 (the fixture)


def test_graph_builds_a_factory_model_with_its_arguments(factories, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "graph.json"
    code = run_cli(["graph", "--model", "my_factories:small_mlp", "--model-kwargs", '{"width": 4}',
                    "--dataset", "digits", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    params = {n["param"] for n in json.loads(out.read_text())["nodes"] if n.get("param")}
    assert params == {"1.weight", "1.bias", "3.weight", "3.bias"}
