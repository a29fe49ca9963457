"""The stepping session: one training step of the tutorial, one move at a time.

The session owns a model, a batch, a loss and an optimizer and walks the tutorial's order:
forward (one module or op per step) -> loss -> backward (one autograd node per step) -> update.
Each pass runs for real, once, with hooks that keep the tensors it computed; a step then reveals the next
recorded step. What a step shows is the tensor computed at that point, never a recomputation.

Moves out of order raise SessionError; `legal_moves()` says which moves are allowed now, so a GUI can
enable exactly those.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch
import torch.nn as nn

from explorer.core import seeding
from explorer.core.autograd.graph import AutogradGraph, trace_graph
from explorer.core.autograd.backward_recorder import BackwardStep, run_recorded_backward
from explorer.core.data.batch_source import BatchSource, DatasetSource
from explorer.core.data.batches import Batch
from explorer.core.data.datasets import DataSituation, load_dataset
from explorer.core.autograd.forward_recorder import ForwardRecorder, ForwardStep
from explorer.core.batch_rule import batch_within, check_at_batch, train_mode_problem
from explorer.core.live.ownership import BorrowedModel, ModelOwnership, model_device
from explorer.core.moves import Move, Phase, legal_moves, refusal  # noqa: F401 (Phase: also the session's)
from explorer.core.models import ModelSpec, build_model, model_spec, primary_output, sample_shape_for
from explorer.core.autograd.module_attribution import record_node_modules
from explorer.core.optim import make_optimizer
from explorer.core.training.history import WeightsHistory
from explorer.core.wording import Phrase

LOSS_MODULE = "loss"  # pseudo-module name for the nodes the loss function created


class SessionError(Exception):
    """A move that is not legal now; the message says why and what to do instead (`phrase`: the same, to translate)."""

    def __init__(self, message: str | Phrase):
        super().__init__(str(message))
        self.phrase = message if isinstance(message, Phrase) else None


@dataclass(frozen=True)
class SessionConfig:
    model: str = "seed"
    model_kwargs: str = ""  # the model's constructor arguments as a JSON object, e.g. '{"width": 64}'
    input_shape: str = ""  # one sample, e.g. "1,28,28"; empty: the built-in model's, or the data's own
    output: str = ""  # the output entry that is the prediction (`logits`, `0`); empty: explorer.core.outputs' rule
    eval_mode: bool = False  # step in eval mode (model.eval(): dropout off, batch norm on its running statistics)
    dataset: str = "digits"
    batch_size: int = 1
    optimizer: str = "manual-sgd"
    lr: float = 0.01
    momentum: float = 0.9
    seed: int = 0


@dataclass(frozen=True)
class UpdateRecord:
    """Every parameter just before and just after one optimizer step."""

    optimizer: str
    lr: float
    before: dict[str, torch.Tensor]
    after: dict[str, torch.Tensor]

    def delta(self, name: str) -> torch.Tensor:
        return self.after[name] - self.before[name]


class StepSession(BorrowedModel):
    """One model, one batch, one loss, one optimizer, moved through a training step on demand. Built from a
    config, or around a user's own model with a batch `source` (explorer.core.live.api.session; BorrowedModel)."""

    # What a session holds. reset() sets the model, batch and optimizer; _clear_pass() the pass in flight.
    model: nn.Module
    history: WeightsHistory  # what the weights have been through; fresh with fresh weights
    batch_size: int  # the batch it steps: config.batch_size, unless the batch rule said otherwise (notices)
    notices: list[Phrase]
    training_mode: bool  # the moves' mode; a training run trains in training mode and gives the model back in this
    param_names: list[str]
    batch_index: int
    batch: Batch  # what the model takes (inputs: a tensor, tuple or dict) and the target; see `inputs`, `targets`
    update_record: UpdateRecord | None  # the last update's before/after, until the weights change otherwise
    phase: Phase
    forward_steps: list[ForwardStep]  # the recorded forward pass; the first forward_shown are revealed
    forward_shown: int
    output: torch.Tensor | None
    loss: torch.Tensor | None
    graph: AutogradGraph | None
    backward_root: str  # LOSS_MODULE, or "output" for the tutorial's backward with a random gradient
    backward_steps: list[BackwardStep]  # the recorded backward pass; the first backward_shown are revealed
    backward_shown: int

    def __init__(self, config: SessionConfig = SessionConfig(), data: DataSituation | None = None,
                 model: nn.Module | None = None, *, source: BatchSource | None = None, output: str | None = None,
                 optimizer: torch.optim.Optimizer | None = None):
        self.config = config
        self._given_model, self._given_optimizer, self._given_source = model, optimizer, source
        self.ownership: ModelOwnership | None = None
        self.param_version = 0  # grows when weights change or zero_grad runs: views re-read every parameter
        self.history = WeightsHistory()
        if source is not None:  # a live model: its mode, device and starting weights are the user's
            self.spec = ModelSpec(config.model, output=output or "")
            self.data = source.data
            self.batch_size, self.notices = config.batch_size, []  # the user's batches decide their size
            self.ownership = ModelOwnership(model, optimizer)
            self.training_mode = model.training
            self.device = model_device(model)
            self.reset()
            return
        self.spec: ModelSpec = model_spec(config.model, config.model_kwargs, config.input_shape, output or config.output)
        self.data = data if data is not None else load_dataset(
            config.dataset, seed=config.seed, input_shape=sample_shape_for(self.spec))
        self.device = torch.device("cpu")
        self.batch_size, self.notices = batch_within(config.batch_size, self.data.train_size, self.data.name)  # batch_rule
        self.reset()
        check_at_batch(self)  # a model that cannot take a step fails here, at the batch it will step

    # ----- state -------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Fresh weights from the seed, a fresh optimizer, the first batch; nothing computed."""
        c = self.config
        if self.ownership is not None:
            if hasattr(self, "model"):  # Reset: the weights the session began with
                self.ownership.rewind(self._given_optimizer)
                self.history = WeightsHistory()
            self.model = self._given_model
            self.source = self._given_source
            self.source.rewind()
            self.source.to(self.device)
        else:
            self.model = self._given_model if self._given_model is not None else build_model(self.spec, seed=c.seed)
            if self._given_model is None:
                self.history = WeightsHistory()  # fresh weights: nothing behind them
            self.training_mode = not c.eval_mode
            self.model.to(self.device).train(self.training_mode)
            self.source = DatasetSource(self.data, batch_size=self.batch_size, seed=c.seed)
        self.param_names = [n for n, _ in self.model.named_parameters()]
        self._optimizer: torch.optim.Optimizer | None = self._given_optimizer  # else made on first use: see `optimizer`
        self._backward_rng = seeding.generator(c.seed + 1)
        self.batch_index = 0
        self.param_version += 1
        self.update_record: UpdateRecord | None = None
        self.batch: Batch = self.source.next()
        self._clear_pass()

    inputs = property(lambda self: self.batch.inputs)  # the batch's parts, as views and checkpoint tasks read them
    targets = property(lambda self: self.batch.target)
    output_name = property(lambda self: self.spec.output or None)  # the prediction's name (explorer.core.outputs)

    @property
    def optimizer(self) -> torch.optim.Optimizer:
        """Made when first needed (an update, a checkpoint): torch.optim's first optimizer imports
        torch._dynamo and sympy, ~0.5 s of Python holding the GIL, which must not hold up the first paint."""
        if self._optimizer is None:
            c = self.config
            self._optimizer = make_optimizer(c.optimizer, self.model.parameters(), c.lr, c.momentum)
        return self._optimizer

    def _clear_pass(self) -> None:
        self.phase = Phase.READY
        self.forward_steps = []
        self.forward_shown = 0
        self.output = None
        self._node_modules = None
        self.loss = None
        self.graph = None
        self.backward_root = LOSS_MODULE
        self.backward_steps = []
        self.backward_shown = 0
        self._grads_before: dict[str, torch.Tensor | None] = {}
        self.grads_after_backward: dict[str, torch.Tensor | None] = {}
        self._accumulate_step: dict[str, int] = {}

    def to(self, device: torch.device | str) -> None:
        """Move the model, the optimizer's state and the data to `device`; the pass in flight is dropped
        (its tensors live on the old device), the weights and the optimizer's state are kept."""
        device = torch.device(device)
        self.model.to(device)
        if self._optimizer is not None:
            self._optimizer.load_state_dict(self._optimizer.state_dict())  # casts its state to each parameter's device
        self.source.to(device)
        self.data = self.source.data
        self.batch = self.batch.to(device)
        self.device = device
        self.weights_changed()

    def weights_changed(self) -> None:
        """The weights changed outside the stepping moves (training, a loaded checkpoint): drop the pass
        computed with the old ones, and bump param_version so views re-read every parameter."""
        self.update_record = None
        self.param_version += 1
        self._clear_pass()

    def set_training(self, training: bool) -> None:
        """BorrowedModel's, kept through Reset; refused where batch norm cannot step the batch (batch_rule)."""
        if training and (problem := train_mode_problem(self)):
            raise SessionError(problem)
        super().set_training(training)
        if self.ownership is None:
            self.config = replace(self.config, eval_mode=not training)

    @property
    def named_parameters(self) -> dict[str, nn.Parameter]:
        return dict(self.model.named_parameters())

    def apply(self, move: Move):
        """Make `move` (the window's actions and the guided tutorial send moves by their Move)."""
        return {
            Move.STEP_FORWARD: self.step_forward, Move.RUN_FORWARD: self.run_forward, Move.LOSS: self.compute_loss,
            Move.STEP_BACKWARD: self.step_backward, Move.RUN_BACKWARD: self.run_backward,
            Move.BACKWARD_FROM_OUTPUT: self.backward_from_output, Move.ZERO_GRAD: self.zero_grad,
            Move.UPDATE: self.update, Move.NEXT_BATCH: self.next_batch, Move.RESET: self.reset,
        }[Move(move)]()

    def legal_moves(self) -> set[Move]:
        return legal_moves(self.phase)

    def _require(self, move: Move) -> None:
        if move not in legal_moves(self.phase):
            raise SessionError(f"cannot {move.words} now ({self.phase.value}): {refusal(move, self.phase)}")

    # ----- forward -----------------------------------------------------------------------------------
    def step_forward(self) -> ForwardStep:
        """Reveal the next forward step; the first one runs the real forward pass."""
        self._require(Move.STEP_FORWARD)
        if self.phase is not Phase.FORWARD:
            self._run_forward_pass()
        step = self.forward_steps[self.forward_shown]
        self.forward_shown += 1
        self.phase = Phase.FORWARD_DONE if self.forward_shown == len(self.forward_steps) else Phase.FORWARD
        return step

    def run_forward(self) -> None:
        self._require(Move.RUN_FORWARD)
        if self.phase is not Phase.FORWARD:
            self._run_forward_pass()
        self.forward_shown = len(self.forward_steps)
        self.phase = Phase.FORWARD_DONE

    def _run_forward_pass(self) -> None:
        self._clear_pass()
        self.update_record = None
        inputs = self.batch.clone()  # a forward that changes x in place must not change the batch
        with record_node_modules(self.model) as node_modules, ForwardRecorder(self.model) as rec:
            output = inputs.call(self.model)
        self.output = output = primary_output(output, self.spec.output)  # the prediction, by explorer.core.outputs
        self._node_modules = node_modules
        self.forward_steps = rec.steps or [self._whole_model_step(output)]

    def _whole_model_step(self, output: torch.Tensor) -> ForwardStep:
        """A model with no leaf modules and no torch calls of its own still gets one step."""
        return ForwardStep(0, "", "module", type(self.model).__name__, "", (self.batch.first_tensor.detach().clone(),),
                           (output.detach().clone(),))

    # ----- loss --------------------------------------------------------------------------------------
    def compute_loss(self) -> float:
        self._require(Move.LOSS)
        self.loss = self.source.loss_fn(self.output, self.targets)
        self.backward_root = LOSS_MODULE
        self.graph = self._trace(self.loss)
        self.phase = Phase.LOSS_DONE
        return float(self.loss.detach())

    def _trace(self, root: torch.Tensor) -> AutogradGraph:
        graph = trace_graph(root, model=self.model, node_modules=self._node_modules)
        for _, attrs in graph.graph.nodes(data=True):
            if attrs.get("module") is None and attrs.get("param") is None:
                attrs["module"] = LOSS_MODULE if root is self.loss else None
        return graph

    # ----- backward ----------------------------------------------------------------------------------
    def backward_from_output(self) -> BackwardStep:
        """The tutorial's `out.backward(torch.randn(1, 10))`: backward from the output with a random gradient."""
        self._require(Move.BACKWARD_FROM_OUTPUT)
        self.backward_root = "output"
        self.graph = self._trace(self.output)
        gradient = torch.randn(self.output.shape, generator=self._backward_rng).to(self.output.device)
        self._run_backward_pass(self.output, gradient)
        return self._reveal_backward()

    def step_backward(self) -> BackwardStep:
        """Reveal the next autograd node; the first one runs the real backward pass."""
        self._require(Move.STEP_BACKWARD)
        if self.phase is Phase.LOSS_DONE:
            self._run_backward_pass(self.loss, None)
        return self._reveal_backward()

    def run_backward(self) -> None:
        self._require(Move.RUN_BACKWARD)
        if self.phase is Phase.LOSS_DONE:
            self._run_backward_pass(self.loss, None)
        self.backward_shown = len(self.backward_steps)
        self.phase = Phase.BACKWARD_DONE

    def _run_backward_pass(self, root: torch.Tensor, gradient: torch.Tensor | None) -> None:
        self._grads_before = {
            n: None if p.grad is None else p.grad.detach().clone() for n, p in self.model.named_parameters()
        }
        self.backward_steps = run_recorded_backward(self.graph, root, gradient, keep_saved=True)
        self.grads_after_backward = {  # what this pass left in .grad (the chain-rule view checks AccumulateGrad against it)
            n: None if p.grad is None else p.grad.detach().clone() for n, p in self.model.named_parameters()
        }
        self._accumulate_step = {s.param: s.index for s in self.backward_steps if s.param is not None}
        self.backward_shown = 0
        self.phase = Phase.BACKWARD

    def _reveal_backward(self) -> BackwardStep:
        step = self.backward_steps[self.backward_shown]
        self.backward_shown += 1
        if self.backward_shown == len(self.backward_steps):
            self.phase = Phase.BACKWARD_DONE
        return step

    def grad_before_backward(self, name: str) -> torch.Tensor | None:
        """The parameter's .grad just before this pass's backward ran."""
        return self._grads_before.get(name)

    def grad_of(self, name: str) -> torch.Tensor | None:
        """The parameter's .grad as it stands at the current backward step.

        Before its AccumulateGrad node has been revealed, that is the value from before backward (None, or
        the zeros zero_grad left, as the tutorial prints); after it, the gradient backward wrote.
        """
        param = self.named_parameters[name]
        if self.phase is Phase.BACKWARD:
            at = self._accumulate_step.get(name)
            if at is None or at >= self.backward_shown:
                return self._grads_before.get(name)
        return None if param.grad is None else param.grad.detach()

    def backward_rng_state(self) -> torch.Tensor:
        """The state of the generator the next *Backward from output* draws its random gradient from."""
        return self._backward_rng.get_state()

    # ----- zero_grad / update ------------------------------------------------------------------------
    def zero_grad(self) -> None:
        """net.zero_grad() as today's torch does it by default: every .grad becomes None (set_to_none=True since
        PyTorch 2.0; the page, written for an older one, printed zeros). The next backward writes fresh gradients."""
        self._require(Move.ZERO_GRAD)
        self.model.zero_grad()
        self.param_version += 1

    def update(self) -> UpdateRecord:
        """One optimizer step; keeps every parameter before and after so a view can show the change."""
        self._require(Move.UPDATE)
        before = {n: p.detach().clone() for n, p in self.model.named_parameters()}
        self.optimizer.step()
        self.param_version += 1
        after = {n: p.detach().clone() for n, p in self.model.named_parameters()}
        c = self.config
        self.history.stepped(self.optimizer, {"optimizer": self.optimizer_label, "lr": self.lr, "momentum": c.momentum,
                                              "batch_size": len(self.targets), "seed": c.seed},
                             getattr(self.data, "name", "your batches"), None if self.loss is None else float(self.loss.detach()))
        self.update_record = UpdateRecord(self.optimizer_label, self.lr, before, after)
        self.phase = Phase.UPDATED
        return self.update_record

    def next_batch(self) -> None:
        """Load the next mini-batch; what was computed for the old one is dropped (weights are kept)."""
        self._require(Move.NEXT_BATCH)
        self.batch = self.source.next()
        self.batch_index += 1
        self.update_record = None
        self._clear_pass()

    # ----- where we stand ----------------------------------------------------------------------------
    @property
    def current_forward_step(self) -> ForwardStep | None:
        return self.forward_steps[self.forward_shown - 1] if self.forward_shown else None

    @property
    def current_backward_step(self) -> BackwardStep | None:
        return self.backward_steps[self.backward_shown - 1] if self.backward_shown else None

    def status_phrase(self) -> Phrase:
        """Where the step stands, e.g. 'forward 4/12: conv2' or 'backward 12/26: AddmmBackward0 (fc2)'."""
        p = self.phase
        if p is Phase.READY:
            return Phrase("ready: batch no. {0} loaded, nothing computed yet", (self.batch_index + 1,))
        if p in (Phase.FORWARD, Phase.FORWARD_DONE):
            template = "forward {0}/{1}: {2} - forward done" if p is Phase.FORWARD_DONE else "forward {0}/{1}: {2}"
            return Phrase(template, (self.forward_shown, len(self.forward_steps), self.current_forward_step.title))
        if p is Phase.LOSS_DONE:
            return Phrase("loss = {0:.4f} ({1})", (float(self.loss.detach()), self.source.loss_name))
        if p in (Phase.BACKWARD, Phase.BACKWARD_DONE):
            template = "backward {0}/{1}: {2} - backward done" if p is Phase.BACKWARD_DONE else "backward {0}/{1}: {2}"
            return Phrase(template, (self.backward_shown, len(self.backward_steps), self.current_backward_step.title))
        return Phrase("weights updated ({0}, lr={1})", (self.optimizer_label, f"{self.lr:g}"))

    def status(self) -> str:
        return str(self.status_phrase())

    def __repr__(self) -> str:
        return f"StepSession({self.spec}, {self.source.name}, {self.status()!r})"
