"""Immutable, torch-free pictures of a stepping session, for views on another thread.

The engine thread builds these (all torch work happens there) and hands them to the GUI, which only reads
numpy arrays, floats and strings. Big things go by request: a snapshot carries what every view needs after
each move; `inspect()` builds the detail of one tensor or node when the user asks for it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import torch

from explorer.core.chain_rule.explanation import NodeExplanation
from explorer.core.chain_rule.session_nodes import explain_session_node
from explorer.core.edge_gradients import EdgeGradient, EdgeGradients
from explorer.core.layout import layered_layout_with_bends
from explorer.core.moves import Move
from explorer.core.session import StepSession
from explorer.core.wording import Phrase, node_title

HISTOGRAM_BINS = 40
MAX_ACTIVATION_CHANNELS = 64  # feature maps beyond this many are not sent to the activations view
_serials = itertools.count(1)  # shared by all snapshotters, so a new session's snapshots still count up


@dataclass(frozen=True)
class TensorStats:
    shape: tuple[int, ...]
    min: float
    max: float
    mean: float
    std: float
    norm: float
    zero_fraction: float
    nonfinite: int  # count of NaN/Inf entries

    def __str__(self) -> str:
        return (f"shape {list(self.shape)}  min {self.min:.4g}  max {self.max:.4g}  mean {self.mean:.4g}  "
                f"std {self.std:.4g}  norm {self.norm:.4g}  zeros {self.zero_fraction:.1%}")


@dataclass(frozen=True)
class TensorView:
    """One tensor as a view needs it: values (float32 numpy, read-only), stats and a histogram."""

    label: str
    values: np.ndarray
    stats: TensorStats
    hist_counts: np.ndarray
    hist_edges: np.ndarray
    caption: Phrase | None = None  # the label as a phrase a window translates (None: the label is a name)

    def __repr__(self) -> str:
        return f"TensorView({self.label!r}, {self.stats})"


@dataclass(frozen=True)
class ModuleRow:
    """One line of the model tree, as print(net) would show it."""

    name: str  # qualified name, "" for the model itself
    depth: int
    text: str  # "(conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))"
    params: tuple[tuple[str, tuple[int, ...], int], ...]  # (parameter name, shape, count) owned directly


@dataclass(frozen=True)
class ModelInfo:
    """The model's structure; changes only when the model does."""

    class_name: str
    text: str  # print(model)
    rows: tuple[ModuleRow, ...]
    param_names: tuple[str, ...]
    param_shapes: tuple[tuple[int, ...], ...]
    total_params: int


@dataclass(frozen=True)
class GraphPicture:
    """The grad_fn graph with its layered layout: node ids, attributes, positions and edges."""

    node_ids: tuple[str, ...]
    attrs: dict[str, dict]  # node id -> plain attributes (cls, label, module, param, saved)
    positions: dict[str, tuple[float, float]]
    edges: tuple[tuple[str, str], ...]  # u -> v: v is in u.next_functions (gradient flow)
    root: str  # "loss" or "output"
    # (u, v) -> the points, one per layer passed, that an edge longer than one layer is drawn through
    bends: dict[tuple[str, str], tuple[tuple[float, float], ...]] = field(default_factory=dict)
    module_classes: dict[str, str] = field(default_factory=dict)  # qualified module name -> class name

    def __repr__(self) -> str:
        return f"GraphPicture({len(self.node_ids)} nodes, {len(self.edges)} edges, root {self.root!r})"


@dataclass(frozen=True)
class ForwardStepPicture:
    index: int
    title: str
    name: str
    kind: str
    op: str
    owner: str
    output: TensorView | None  # first sample of the batch; channels capped at MAX_ACTIVATION_CHANNELS


@dataclass(frozen=True)
class SessionSnapshot:
    """Everything the views redraw from after one move."""

    serial: int  # grows with every snapshot; views skip stale ones
    phase: str
    status: Phrase
    legal_moves: frozenset[Move]
    batch_index: int
    input: TensorView  # first sample of the batch
    target: Phrase
    target_values: tuple[float, ...]  # first sample's target: its class index, or the values to regress to
    task: str  # "classification" or "regression"
    class_names: tuple[str, ...]
    forward: tuple[ForwardStepPicture, ...]  # the revealed steps
    forward_total: int
    current_module: str | None  # module of the current forward or backward step, for highlighting
    output_probs: np.ndarray | None  # first sample's output (softmax for classification, raw otherwise)
    prediction: Phrase | None  # None until the forward pass has finished
    loss: float | None
    loss_name: str  # the loss function's class, e.g. "MSELoss"
    graph: GraphPicture | None
    backward_done_ids: tuple[str, ...]  # nodes already run, in order
    backward_total: int
    current_node: str | None
    updated: bool
    param_version: int  # changes with update, zero_grad and reset (backward shows through its steps)
    config: dict = field(default_factory=dict)
    batch_size: int = 0  # the batch the session steps: config["batch_size"] unless the batch rule changed it
    live: bool = False  # a user's model object (explorer.show): the menus that build explorer's own models don't apply
    model_training: bool = True  # the model's train/eval mode
    input_tokens: tuple[int, ...] = ()  # the first sample's token ids, when the input is integer ids
    # (u, v) -> the gradient u sent to v, for every node that has run (explorer.core.edge_gradients)
    edge_gradients: dict[tuple[str, str], EdgeGradient] = field(default_factory=dict)


def tensor_view(label: str | Phrase, t: torch.Tensor | np.ndarray) -> TensorView:
    """Numbers of one tensor, computed where the tensor lives (the engine thread). A Phrase label is kept as the
    view's caption too, for a window to show in its own language."""
    a = t.detach().to("cpu", torch.float32).numpy() if isinstance(t, torch.Tensor) else np.asarray(t, np.float32)
    a = np.array(a, dtype=np.float32, copy=True)
    a.setflags(write=False)
    finite = a[np.isfinite(a)]
    if finite.size:
        lo, hi = float(finite.min()), float(finite.max())
        # float64 bins: float32 values a few ulps apart (MobileNetV3 has such activations) leave no room in float32
        # for 40 distinct edges, and numpy refuses
        counts, edges = np.histogram(finite.astype(np.float64), bins=HISTOGRAM_BINS,
                                     range=(lo, hi) if hi > lo else (lo - 0.5, hi + 0.5))
        # std as tensor.std() prints it: the sample value (correction=1, torch's default), NaN for one value as torch gives
        mean, norm = float(finite.mean()), float(np.linalg.norm(finite))
        std = float(finite.std(ddof=1)) if finite.size > 1 else float("nan")
    else:
        lo = hi = mean = std = norm = float("nan")
        counts, edges = np.zeros(HISTOGRAM_BINS, np.int64), np.linspace(0, 1, HISTOGRAM_BINS + 1)
    stats = TensorStats(
        tuple(a.shape), lo, hi, mean, std, norm,
        float((a == 0).mean()) if a.size else 0.0, int(a.size - finite.size),
    )
    caption = label if isinstance(label, Phrase) else None
    return TensorView(str(label), a, stats, counts, edges, caption)


def model_info(session: StepSession) -> ModelInfo:
    model = session.model
    rows = []
    for name, module in model.named_modules():
        depth = 0 if not name else name.count(".") + 1
        head = type(module).__name__ if not name else f"({name.rsplit('.', 1)[-1]}): "
        extra = module.extra_repr()
        text = head + (f"{type(module).__name__}({extra})" if name else (f"({extra})" if extra else ""))
        params = tuple(
            (f"{name}.{pn}" if name else pn, tuple(p.shape), p.numel())
            for pn, p in module.named_parameters(recurse=False)
        )
        rows.append(ModuleRow(name, depth, text, params))
    named = list(model.named_parameters())
    return ModelInfo(
        type(model).__name__, str(model), tuple(rows), tuple(n for n, _ in named),
        tuple(tuple(p.shape) for _, p in named), sum(p.numel() for _, p in named),
    )


def graph_picture(session: StepSession) -> GraphPicture | None:
    if session.graph is None:
        return None
    g = session.graph.graph
    pos, bends = layered_layout_with_bends(g)
    ids = tuple(g.nodes)
    return GraphPicture(
        ids, {n: dict(g.nodes[n]) for n in ids}, {n: (float(pos[n][0]), float(pos[n][1])) for n in ids},
        tuple(g.edges), session.backward_root,
        bends={edge: tuple((float(x), float(y)) for x, y in points) for edge, points in bends.items()},
        module_classes={name: type(module).__name__ for name, module in session.model.named_modules()},
    )


def _first_sample(t: torch.Tensor) -> torch.Tensor:
    t = t.detach()
    if t.dim() >= 2:
        t = t[0]
    if t.dim() == 3 and t.shape[0] > MAX_ACTIVATION_CHANNELS:
        t = t[:MAX_ACTIVATION_CHANNELS]
    return t


def _token_ids(t: torch.Tensor) -> tuple[int, ...]:
    """The first sample of an integer input (token ids, e.g. a tokenizer's input_ids), at most 512 of them."""
    if t.is_floating_point() or t.is_complex() or t.dtype == torch.bool or t.dim() not in (1, 2):
        return ()
    return tuple(int(v) for v in (t[0] if t.dim() == 2 else t)[:512].tolist())


class Snapshotter:
    """Builds snapshots for one session, reusing what has not changed since the last one."""

    def __init__(self, session: StepSession):
        self.session = session
        self._forward_cache: dict[int, ForwardStepPicture] = {}
        self._forward_key = None
        self._graph_cache: tuple[object, GraphPicture | None] = (None, None)
        self._edge_gradients = EdgeGradients()

    def snapshot(self) -> SessionSnapshot:
        s = self.session
        if self._forward_key is not s.forward_steps:
            self._forward_key, self._forward_cache = s.forward_steps, {}
        forward = tuple(self._forward_picture(step) for step in s.forward_steps[: s.forward_shown])
        if self._graph_cache[0] is not s.graph:
            self._graph_cache = (s.graph, graph_picture(s))
        graph = self._graph_cache[1]
        bstep = s.current_backward_step
        fstep = s.current_forward_step
        in_backward = s.phase.value.startswith("backward")
        current_module = (bstep.module if (in_backward and bstep) else (fstep.owner if fstep and fstep.kind == "function" else fstep.name if fstep else None))
        probs, prediction = self._prediction()
        return SessionSnapshot(
            serial=next(_serials),
            phase=s.phase.value,
            status=s.status_phrase(),
            legal_moves=frozenset(s.legal_moves()),
            batch_index=s.batch_index,
            input=tensor_view(s.batch.tensors()[0][0], _first_sample(s.batch.first_tensor)),
            target=self._target(),
            target_values=tuple(float(v) for v in self._first_target().tolist()[:16]),
            task=s.source.task,
            class_names=tuple(s.source.class_names),
            forward=forward,
            forward_total=len(s.forward_steps),
            current_module=current_module,
            output_probs=probs,
            prediction=prediction,
            loss=None if s.loss is None else float(s.loss.detach()),
            loss_name=s.source.loss_name,
            graph=graph,
            backward_done_ids=tuple(st.node_id for st in s.backward_steps[: s.backward_shown]),
            backward_total=len(s.backward_steps),
            current_node=bstep.node_id if (bstep and in_backward) else None,
            updated=s.update_record is not None,
            param_version=s.param_version,
            config=dict(vars(s.config)),
            batch_size=s.batch_size,
            live=s.ownership is not None,
            model_training=s.model.training,
            input_tokens=_token_ids(s.batch.first_tensor),
            edge_gradients=self._edge_gradients.of(s),
        )

    def _forward_picture(self, step) -> ForwardStepPicture:
        pic = self._forward_cache.get(step.index)
        if pic is None:
            out = step.output
            view = tensor_view(step.title, _first_sample(out)) if out is not None else None
            pic = ForwardStepPicture(step.index, step.title, step.name, step.kind, step.op, step.owner, view)
            self._forward_cache[step.index] = pic
        return pic

    def _first_target(self) -> torch.Tensor:
        if self.session.targets is None:  # a user's loss that needs no target
            return torch.zeros(0)
        y = self.session.targets.detach().to("cpu")
        return y.reshape(-1)[:1] if self.session.source.task == "classification" else (y[0] if y.dim() > 1 else y).reshape(-1)

    def _target(self) -> Phrase:
        s = self.session
        values = self._first_target().tolist()
        if not values:
            return Phrase("no target")
        if s.source.task == "classification":
            label = int(values[0])
            names = s.source.class_names
            return Phrase("target: {0}", (names[label] if label < len(names) else label,))
        return Phrase("target: {0}", (" ".join(f"{v:g}" for v in values[:16]),))

    def _prediction(self) -> tuple[np.ndarray | None, Phrase | None]:
        s = self.session
        if s.output is None or s.forward_shown < len(s.forward_steps):
            return None, None
        out = s.output.detach()[0].reshape(-1).to("cpu", torch.float32)
        if s.source.task == "classification":
            probs = torch.softmax(out, dim=0)
            k = int(probs.argmax())
            names = s.source.class_names
            return probs.numpy().copy(), Phrase("prediction: {0} ({1:.0%})", (names[k] if k < len(names) else k, float(probs[k])))
        return out.numpy().copy(), Phrase("output: {0}", (" ".join(f"{v:.3f}" for v in out.tolist()[:16]),))


# ----- on-demand detail ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Inspection:
    """What the inspector shows for one target; `views` are side by side (e.g. weight | gradient)."""

    target: tuple[str, str]
    title: str
    views: tuple[TensorView | None, ...]
    notes: tuple[Phrase, ...] = ()  # remarks about the target, e.g. "saved mat2: 84×10"
    # for a node that has run: the chain rule at it, its largest element worked (NodeExplanation, no numeric check)
    explanation: NodeExplanation | None = None
    heading: Phrase | None = None  # the title as a phrase a window translates (None: the title is a name)


def inspect(session: StepSession, kind: str, key: str) -> Inspection:
    """Detail for ("param", name), ("activation", index), ("node", node_id), ("input", "")."""
    if kind == "param":
        p = session.named_parameters[key]
        grad = session.grad_of(key)
        views: list[TensorView | None] = [tensor_view(f"{key}", p),
                                          None if grad is None else tensor_view(Phrase("{0}.grad", (key,)), grad)]
        notes = [Phrase("{0}.grad is None (no backward has written it since the start or zero_grad)", (key,))] if grad is None else []
        rec = session.update_record
        if rec is not None and key in rec.before:
            views += [tensor_view(Phrase("{0} before update", (key,)), rec.before[key]),
                      tensor_view(Phrase("{0} after - before", (key,)), rec.delta(key))]
            notes.append(Phrase("updated by {0} with lr={1}", (rec.optimizer, f"{rec.lr:g}")))
        return Inspection((kind, key), key, tuple(views), tuple(notes))
    if kind == "activation":
        step = session.forward_steps[int(key)]
        views = tuple(tensor_view(Phrase("{0} input {1}", (step.title, i)), t) for i, t in enumerate(step.inputs[:2]))
        views += tuple(tensor_view(Phrase("{0} output", (step.title,)), t) for t in step.outputs[:1])
        heading = Phrase("forward {0}: {1}", (step.index + 1, step.title))
        return Inspection((kind, key), str(heading), views, heading=heading)
    if kind == "node":
        return _inspect_node(session, key)
    if kind == "input":
        return Inspection((kind, key), "input", tuple(tensor_view(Phrase(name) if name == "input" else name, t)
                                                             for name, t in session.batch.tensors()),
                          heading=Phrase("input"))
    raise KeyError(f"nothing to inspect for {kind!r}")


def _inspect_node(session: StepSession, node_id: str) -> Inspection:
    attrs = session.graph.graph.nodes[node_id]
    notes = [Phrase("saved {0}: {1}", (name, shape)) for name, shape in attrs.get("saved") or ()]
    ran = {s.node_id: s for s in session.backward_steps[: session.backward_shown]}
    step = ran.get(node_id)
    views: list[TensorView | None] = []
    explanation = None
    if step is None:
        notes.append(Phrase("not run yet at this step of the backward pass"))
    else:
        # torch's own names (Node hooks): grad_outputs flow into a node from the loss side, grad_inputs out of it
        views += [None if g is None else tensor_view(Phrase("grad_outputs[{0}] (in, from the loss side)", (i,)), g)
                  for i, g in enumerate(step.grad_in)]
        views += [None if g is None else tensor_view(Phrase("grad_inputs[{0}] (out, towards the inputs)", (i,)), g)
                  for i, g in enumerate(step.grad_out)]
        notes.append(Phrase("ran as backward step {0}", (step.index + 1,)))
        try:
            explanation = explain_session_node(session, node_id, numeric=False)
            notes = [n for n in notes if n.template != "saved {0}: {1}"]  # the explanation lists them, with sources
        except Exception as exc:  # a user's op the rules trip over: the gradients are still worth showing
            notes.append(Phrase("the chain rule could not be worked here: {0}", (f"{type(exc).__name__}: {exc}",)))
    title = node_title(attrs.get("cls") or node_id, attrs.get("module"), attrs.get("param"))
    return Inspection(("node", node_id), title, tuple(views), tuple(notes), explanation)

