"""The guided walk: the cells of the tutorial page "Neural Networks", in its order.

Each step says what the cell does, shows its PyTorch code, and names the session moves that bring the app to
that cell's result from any state. `next_batch` is legal in every phase but the middle of a backward pass (the
dock finishes that one visibly first) and, on the tutorial's one-sample data, brings back the same input without
touching the weights, so every step starts from a known point.
The numbers a step shows come from the app's own (seeded) computation, never from the page.

Each cell's code is what the installed torch runs: the engine runs it on a copy of the session's own model
(explorer.core.walk.cells) and the panel shows what it printed. Where the page, written for an older PyTorch,
differs from today's behaviour, the step says so. The cells read `net` and `input`, the app's model and batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from explorer.core.moves import Move

# The situation the page describes: one random 1x1x32x32 input, target 1..10, MSELoss, the manual rule.
TUTORIAL_CONFIG = {"dataset": "tutorial", "optimizer": "manual-sgd", "lr": 0.01, "batch_size": 1}

FORWARD = (Move.NEXT_BATCH, Move.RUN_FORWARD)
LOSS = FORWARD + (Move.LOSS,)
# The page's net runs 26 autograd nodes, conv1.bias's AccumulateGrad last: the step stops one node short, so the
# reader's own Step backward (F11) is the one that writes conv1.bias.grad (tests/ui/tutorial check the count).
BACKWARD_NODES = 26
ALL_BUT_CONV1_BIAS = (Move.STEP_BACKWARD,) * (BACKWARD_NODES - 1)


@dataclass(frozen=True)
class TutorialStep:
    key: str
    title: str
    explanation: str  # rich text
    code: str  # runs as it reads, on a copy of the session's model; the panel shows what it prints
    moves: tuple[Move, ...]  # session moves that reach this cell's result
    panel: str  # object name of the dock that shows the result
    inspect: tuple[str, str] | None = None  # what the inspector shows afterwards
    prelude: tuple[str, ...] = ()  # keys of the earlier cells that run first (silently) to define its names


# The cells' code, by step key: Python, not translated.
CODE = {
    "define": (
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.conv1 = nn.Conv2d(1, 6, 5)\n        self.conv2 = nn.Conv2d(6, 16, 5)\n"
        "        self.fc1 = nn.Linear(16 * 5 * 5, 1200)\n        self.fc2 = nn.Linear(1200, 84)\n"
        "        self.fc3 = nn.Linear(84, 10)\n\n"
        "    def forward(self, x):\n        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))\n"
        "        x = F.max_pool2d(F.relu(self.conv2(x)), 2)\n        x = torch.flatten(x, 1)\n"
        "        x = F.relu(self.fc1(x))\n        x = F.relu(self.fc2(x))\n        return self.fc3(x)\n\n"
        "print(Net())  # the app's net is one of these"
    ),
    "parameters": "params = list(net.parameters())\nprint(len(params))\nprint(params[0].size())  # conv1's weight",
    "forward": "# input: the app's random 1x1x32x32 image (the page draws it with torch.randn(1, 1, 32, 32))\n"
               "out = net(input)\nprint(out)",
    "backward_random": "out = net(input)\nnet.zero_grad()\nout.backward(torch.randn(1, 10))\n"
                       "print(net.fc3.bias.grad)  # the random gradient itself: fc3 is the last layer",
    "mini_batch": "x = input[0]             # one sample: 1x32x32\nprint(x.size())\n"
                  "x = x.unsqueeze(0)       # a batch of one\nprint(x.size())",
    "loss": "output = net(input)\ntarget = torch.arange(1, 11).float().view(1, -1)  # a dummy target\n"
            "criterion = nn.MSELoss()\nloss = criterion(output, target)\nprint(loss)",
    "grad_fn": "print(loss.grad_fn.name())  # MSELoss\n"
               "print(loss.grad_fn.next_functions[0][0].name())  # Linear (fc3)\n"
               "print(loss.grad_fn.next_functions[0][0].next_functions[0][0].name())  # fc3.bias\n"
               "print(loss.grad_fn.next_functions[0][0].next_functions[1][0].name())  # ReLU",
    "grad_before": "net.zero_grad()  # today: every .grad becomes None\n"
                   "print('conv1.bias.grad before backward')\nprint(net.conv1.bias.grad)",
    "grad_after": "loss.backward()\nprint('conv1.bias.grad after backward')\nprint(net.conv1.bias.grad)",
    "update": "learning_rate = 0.01\nfor f in net.parameters():\n    f.data.sub_(f.grad.data * learning_rate)\n"
              "print(net.conv1.bias)",
}


def tutorial_steps() -> tuple[TutorialStep, ...]:
    """Built on demand, so the texts come in the language installed at that moment."""
    return (
        TutorialStep(
            "define", QCoreApplication.translate("Tutorial", "Define the network"),
            QCoreApplication.translate("Tutorial", "A network is an <b>nn.Module</b> with layers as attributes and a "
               "<b>forward</b> method. Two convolution layers turn the 32×32 image into 16 feature maps "
               "of 5×5; three fully connected layers map those 400 numbers to 10 outputs. autograd "
               "writes <b>backward</b> for you. The <b>Model</b> panel shows the module tree exactly as "
               "<code>print(net)</code> prints it."),
            CODE["define"], (), "ModelDock", ("param", "conv1.weight"),
        ),
        TutorialStep(
            "parameters", QCoreApplication.translate("Tutorial", "Its learnable parameters"),
            QCoreApplication.translate("Tutorial", "<code>net.parameters()</code> returns the learnable tensors: a weight and a "
               "bias for each of the five layers, so 10 tensors. The first, conv1's weight, holds 6 filters of "
               "1×5×5: the inspector shows them as six small images."),
            CODE["parameters"], (), "InspectorDock", ("param", "conv1.weight"),
        ),
        TutorialStep(
            "forward", QCoreApplication.translate("Tutorial", "A random input, forward"),
            QCoreApplication.translate("Tutorial", "A random 32×32 image goes through the network. The <b>Activations</b> panel "
               "shows what every layer made of it, down to the 10 outputs. Use <b>Step forward</b> (F10) to "
               "watch it one layer at a time."),
            CODE["forward"], FORWARD, "ActivationsDock", ("activation", "0"),
        ),
        TutorialStep(
            "backward_random", QCoreApplication.translate("Tutorial", "zero_grad, then backward with a random gradient"),
            QCoreApplication.translate("Tutorial", "<code>net.zero_grad()</code> clears the gradients of every parameter; "
               "<code>out.backward(g)</code> then sends a random gradient back through the network. "
               "The <b>Autograd graph</b> shows each node that ran, ticked in green."),
            CODE["backward_random"],
            FORWARD + (Move.ZERO_GRAD, Move.BACKWARD_FROM_OUTPUT, Move.RUN_BACKWARD), "GraphDock", ("param", "fc3.bias"),
        ),
        TutorialStep(
            "mini_batch", QCoreApplication.translate("Tutorial", "Mini-batches"),
            QCoreApplication.translate("Tutorial", "torch.nn only takes mini-batches: nn.Conv2d wants a 4-D tensor "
               "<i>nSamples × nChannels × Height × Width</i>. One image of 1×32×32 becomes a batch of one with "
               "<code>input.unsqueeze(0)</code>: 1×1×32×32, the shape the network saw above."),
            CODE["mini_batch"], FORWARD, "ActivationsDock", ("input", ""),
        ),
        TutorialStep(
            "loss", QCoreApplication.translate("Tutorial", "The loss function"),
            QCoreApplication.translate("Tutorial", "A loss function takes (output, target) and says how far the output is "
               "from the target. Here the target is 1, 2, ..., 10 and the loss is the mean squared error "
               "<code>nn.MSELoss</code>. Computing it adds its node to the autograd graph."),
            CODE["loss"], LOSS, "GraphDock", None,
        ),
        TutorialStep(
            "grad_fn", QCoreApplication.translate("Tutorial", "Follow loss.grad_fn backwards"),
            QCoreApplication.translate("Tutorial", "Every tensor made by an operation remembers it in <code>grad_fn</code>; "
               "<code>next_functions</code> leads to the operations before it. From the loss: "
               "MseLossBackward0 → AddmmBackward0 (fc3, the last linear layer) → ReluBackward0. The graph "
               "shows the whole chain, down to the AccumulateGrad nodes that write each parameter's .grad. "
               "The page, written for an older PyTorch, reached the ReLU with <code>[0][0]</code>; today "
               "AddmmBackward0's first input is fc3.bias's AccumulateGrad, and the ReLU is <code>[1][0]</code>."),
            CODE["grad_fn"], LOSS, "GraphDock", None, prelude=("loss",),
        ),
        TutorialStep(
            "grad_before", QCoreApplication.translate("Tutorial", "conv1.bias.grad before backward"),
            QCoreApplication.translate("Tutorial", "Clear the old gradients first: gradients add up across backward passes. "
               "Today <code>net.zero_grad()</code> sets every .grad to <b>None</b> (the default since PyTorch 2.0; "
               "the page printed zeros, which <code>net.zero_grad(set_to_none=False)</code> still gives): "
               "None frees the memory and the next backward writes the gradient afresh, where zeros would be "
               "added to."),
            CODE["grad_before"], LOSS + (Move.ZERO_GRAD,), "InspectorDock", ("param", "conv1.bias"), prelude=("loss",),
        ),
        TutorialStep(
            "grad_after", QCoreApplication.translate("Tutorial", "conv1.bias.grad after backward"),
            QCoreApplication.translate("Tutorial", "<code>loss.backward()</code> runs the graph from the loss to every "
               "parameter. conv1.bias is written last: step through it with <b>Step backward</b> (F11) and "
               "watch the gradient appear when its AccumulateGrad node runs."),
            CODE["grad_after"], LOSS + (Move.ZERO_GRAD,) + ALL_BUT_CONV1_BIAS, "InspectorDock", ("param", "conv1.bias"),
            prelude=("loss", "grad_before"),
        ),
        TutorialStep(
            "chain_rule", QCoreApplication.translate("Tutorial", "The chain rule at one node"),
            QCoreApplication.translate("Tutorial", "backward runs the chain rule one node at a time. fc3 computed "
               "<i>y = x · Wᵀ + b</i>, so its node <b>AddmmBackward0</b> turns the gradient that came in, "
               "<i>dL/dy</i> (10 numbers), into <i>dL/dx = dL/dy · W</i> for fc3's input, "
               "<i>dL/dW = (dL/dy)ᵀ · x</i> and <i>dL/db = dL/dy</i>. The Inspector's <b>Chain rule</b> view "
               "writes the rule out, lists the tensors autograd saved for it (x from the ReLU, W from fc3.weight) "
               "and works one element of <i>dL/dx</i> with the real numbers: each term "
               "<i>dL/dy[0, j] · W[j, i]</i>, the largest listed, the rest summed. Click any cell of a gradient "
               "to work that element; <b>Check numerically</b> moves it by ±ε and compares."),
            "seen = {}  # fc3's input x and output y, caught by a forward hook\n"
            "hook = net.fc3.register_forward_hook(lambda m, args, y: seen.update(x=args[0], y=y))\n"
            "loss = criterion(net(input), target)\n"
            "hook.remove()\n"
            "dL_dy, = torch.autograd.grad(loss, seen[\"y\"])  # what came into AddmmBackward0\n"
            "dL_dx = dL_dy @ net.fc3.weight  # what it sends on to fc3's input\n"
            "i = int(dL_dx.abs().argmax())\n"
            "print(dL_dx[0, i].item(), (dL_dy[0] * net.fc3.weight[:, i]).sum().item())",
            LOSS + (Move.ZERO_GRAD, Move.RUN_BACKWARD), "InspectorDock", prelude=("loss",),
        ),
        TutorialStep(
            "update", QCoreApplication.translate("Tutorial", "Update the weights"),
            QCoreApplication.translate("Tutorial", "The simplest rule, stochastic gradient descent: "
               "<code>weight = weight - learning_rate * gradient</code>. The inspector shows each parameter "
               "before and after, and the change, which is −0.01 × the gradient."),
            CODE["update"], LOSS + (Move.ZERO_GRAD, Move.RUN_BACKWARD, Move.UPDATE), "InspectorDock",
            ("param", "conv1.bias"), prelude=("loss", "grad_before", "grad_after"),
        ),
    )


def prelude_code(step: TutorialStep) -> tuple[str, ...]:
    return tuple(CODE[key] for key in step.prelude)
