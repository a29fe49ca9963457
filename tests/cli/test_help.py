"""`explorer --help` lists the window's own options; each subcommand's help lists every model and data form."""

import pytest

from explorer.cli import run_cli


def help_of(capsys, *argv) -> str:
    with pytest.raises(SystemExit):
        run_cli([*argv, "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_the_top_level_help_lists_the_windows_options(capsys):
    text = help_of(capsys)
    for option in ("--tutorial", "--lang", "--model", "--dataset", "--seed"):
        assert option in text


@pytest.mark.parametrize("command", ["train", "graph", "export"])
def test_each_command_lists_every_model_form(capsys, command):
    text = help_of(capsys, command)
    for form in ("seed", "resnet", "mlp", "file.py:ClassName", "--output"):
        assert form in text


@pytest.mark.parametrize("command", ["train", "graph"])
def test_each_command_lists_every_data_form(capsys, command):
    text = help_of(capsys, command)
    for form in ("tutorial", "digits", "mnist:DIR", "folder:DIR"):
        assert form in text


def test_a_model_that_does_not_fit_the_data_names_input_shape(tmp_path, capsys):
    path = tmp_path / "wide.py"
    path.write_text("import torch.nn as nn\n\nclass Wide(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                    "        self.fc = nn.Linear(3 * 64 * 64, 10)\n\n    def forward(self, x):\n"
                    "        return self.fc(x.flatten(1))\n")
    argv = ["train", "--model", f"{path}:Wide", "--dataset", "digits", "--steps", "1", "--out", str(tmp_path / "w.pt")]
    assert run_cli(argv) != 0
    assert "--input-shape" in capsys.readouterr().err
