"""The guided walk: the cells of the tutorial page "Neural Networks", in its order.

Each step says what the cell does, shows its PyTorch code, and names the session moves that bring the app to
that cell's result from any state. `next_batch` is legal in every phase and, on the tutorial's one-sample
data, brings back the same input without touching the weights, so every step starts from a known point.
The numbers a step shows come from the app's own (seeded) computation, never from the page.
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
    code: str
    moves: tuple[Move, ...]  # session moves that reach this cell's result
    panel: str  # object name of the dock that shows the result
    inspect: tuple[str, str] | None = None  # what the inspector shows afterwards


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
            "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(1, 6, 5)\n        self.conv2 = nn.Conv2d(6, 16, 5)\n"
            "        self.fc1 = nn.Linear(16 * 5 * 5, 1200)\n        self.fc2 = nn.Linear(1200, 84)\n"
            "        self.fc3 = nn.Linear(84, 10)\n\nnet = Net()\nprint(net)",
            (), "ModelDock", ("param", "conv1.weight"),
        ),
        TutorialStep(
            "parameters", QCoreApplication.translate("Tutorial", "Its learnable parameters"),
            QCoreApplication.translate("Tutorial", "<code>net.parameters()</code> returns the learnable tensors: a weight and a "
               "bias for each of the five layers, so 10 tensors. The first, conv1's weight, holds 6 filters of "
               "1×5×5: the inspector shows them as six small images."),
            "params = list(net.parameters())\nprint(len(params))\nprint(params[0].size())  # conv1's weight",
            (), "InspectorDock", ("param", "conv1.weight"),
        ),
        TutorialStep(
            "forward", QCoreApplication.translate("Tutorial", "A random input, forward"),
            QCoreApplication.translate("Tutorial", "A random 32×32 image goes through the network. The <b>Activations</b> panel "
               "shows what every layer made of it, down to the 10 outputs. Use <b>Step forward</b> (F10) to "
               "watch it one layer at a time."),
            "input = torch.randn(1, 1, 32, 32)\nout = net(input)\nprint(out)",
            FORWARD, "ActivationsDock", ("activation", "0"),
        ),
        TutorialStep(
            "backward_random", QCoreApplication.translate("Tutorial", "zero_grad, then backward with a random gradient"),
            QCoreApplication.translate("Tutorial", "<code>net.zero_grad()</code> clears the gradients of every parameter; "
               "<code>out.backward(g)</code> then sends a random gradient back through the network. "
               "The <b>Autograd graph</b> shows each node that ran, ticked in green."),
            "net.zero_grad()\nout.backward(torch.randn(1, 10))",
            FORWARD + (Move.ZERO_GRAD, Move.BACKWARD_FROM_OUTPUT, Move.RUN_BACKWARD), "GraphDock", ("param", "fc3.bias"),
        ),
        TutorialStep(
            "mini_batch", QCoreApplication.translate("Tutorial", "Mini-batches"),
            QCoreApplication.translate("Tutorial", "torch.nn only takes mini-batches: nn.Conv2d wants a 4-D tensor "
               "<i>nSamples × nChannels × Height × Width</i>. One image of 1×32×32 becomes a batch of one with "
               "<code>input.unsqueeze(0)</code>: 1×1×32×32, the shape the network saw above."),
            "x = torch.randn(1, 32, 32)  # one sample\nx = x.unsqueeze(0)          # a batch of one: 1x1x32x32\nout = net(x)",
            FORWARD, "ActivationsDock", ("input", ""),
        ),
        TutorialStep(
            "loss", QCoreApplication.translate("Tutorial", "The loss function"),
            QCoreApplication.translate("Tutorial", "A loss function takes (output, target) and says how far the output is "
               "from the target. Here the target is 1, 2, ..., 10 and the loss is the mean squared error "
               "<code>nn.MSELoss</code>. Computing it adds its node to the autograd graph."),
            "output = net(input)\ntarget = torch.arange(1, 11).float().view(1, -1)  # a dummy target\n"
            "criterion = nn.MSELoss()\nloss = criterion(output, target)\nprint(loss)",
            LOSS, "GraphDock", None,
        ),
        TutorialStep(
            "grad_fn", QCoreApplication.translate("Tutorial", "Follow loss.grad_fn backwards"),
            QCoreApplication.translate("Tutorial", "Every tensor made by an operation remembers it in <code>grad_fn</code>; "
               "<code>next_functions</code> leads to the operations before it. From the loss: "
               "MseLossBackward0 → AddmmBackward0 (fc3, the last linear layer) → ReluBackward0. The graph "
               "shows the whole chain, down to the AccumulateGrad nodes that write each parameter's .grad."),
            "print(loss.grad_fn)  # MSELoss\nprint(loss.grad_fn.next_functions[0][0])  # Linear\n"
            "print(loss.grad_fn.next_functions[0][0].next_functions[0][0])  # ReLU",
            LOSS, "GraphDock", None,
        ),
        TutorialStep(
            "grad_before", QCoreApplication.translate("Tutorial", "conv1.bias.grad before backward"),
            QCoreApplication.translate("Tutorial", "Clear the old gradients first: gradients add up across backward passes. "
               "After <code>net.zero_grad()</code>, conv1's six bias gradients are all zero."),
            "net.zero_grad()  # zero the gradient buffers of all parameters\n"
            "print('conv1.bias.grad before backward')\nprint(net.conv1.bias.grad)",
            LOSS + (Move.ZERO_GRAD,), "InspectorDock", ("param", "conv1.bias"),
        ),
        TutorialStep(
            "grad_after", QCoreApplication.translate("Tutorial", "conv1.bias.grad after backward"),
            QCoreApplication.translate("Tutorial", "<code>loss.backward()</code> runs the graph from the loss to every "
               "parameter. conv1.bias is written last: step through it with <b>Step backward</b> (F11) and "
               "watch the gradient appear when its AccumulateGrad node runs."),
            "loss.backward()\nprint('conv1.bias.grad after backward')\nprint(net.conv1.bias.grad)",
            LOSS + (Move.ZERO_GRAD,) + ALL_BUT_CONV1_BIAS, "InspectorDock", ("param", "conv1.bias"),
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
            "y = net.fc3(x)  # x: fc3's input, the ReLU's output (1x84)\n"
            "dL_dy, = torch.autograd.grad(loss, y, retain_graph=True)\n"
            "dL_dx = dL_dy @ net.fc3.weight  # what AddmmBackward0 sends on\n"
            "i = dL_dx.abs().argmax()\n"
            "print(dL_dx[0, i], (dL_dy[0] * net.fc3.weight[:, i]).sum())",
            LOSS + (Move.ZERO_GRAD, Move.RUN_BACKWARD), "InspectorDock",
        ),
        TutorialStep(
            "update", QCoreApplication.translate("Tutorial", "Update the weights"),
            QCoreApplication.translate("Tutorial", "The simplest rule, stochastic gradient descent: "
               "<code>weight = weight - learning_rate * gradient</code>. The inspector shows each parameter "
               "before and after, and the change, which is −0.01 × the gradient."),
            "learning_rate = 0.01\nfor f in net.parameters():\n    f.data.sub_(f.grad.data * learning_rate)",
            LOSS + (Move.ZERO_GRAD, Move.RUN_BACKWARD, Move.UPDATE), "InspectorDock", ("param", "conv1.bias"),
        ),
    )
