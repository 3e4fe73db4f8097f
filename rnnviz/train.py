"""Train a real recurrent layer on a small task, and keep what a learner wants to look at.

`train(config)` builds the layer from a LayerSpec (every constructor argument), adds a linear
readout (on the last step, or on every step for prediction tasks) and trains it with Adam,
clipping the gradient norm if asked. It records, per step, the training loss and the gradient
norm before clipping; every `eval_every` steps the loss (and accuracy) on a fixed validation
batch; and at about twelve log-spaced steps a copy of the parameters (a checkpoint). The same
seed gives the same curve on CPU. `progress` (called after every step) and `should_stop` let a
caller show the run live and stop it; `max_seconds` bounds its time.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import Tensor, nn

from rnnviz.messages import say
from rnnviz.readers import MAX_INPUT_VALUES
from rnnviz.spec import LayerSpec
from rnnviz.tasks import Task, TaskError, batch

VALIDATION = 256  # sequences in the fixed validation batch


@dataclass(frozen=True)
class TrainConfig:
    spec: LayerSpec  # the layer; its input_size must be the task's features
    task: Task
    seq_len: int = 20
    batch_size: int = 64
    steps: int = 600
    lr: float = 0.01
    clip: float = 0.0  # max gradient norm; 0 = no clipping
    seed: int = 0
    eval_every: int = 25  # validation every 10 steps cost 7% of the training time, every 25 under 3%
    checkpoints: int = 12
    max_seconds: float = 60.0
    forget_bias: float | None = None  # LSTM forget / GRU update gate bias at the start (None: torch's init)


@dataclass
class History:
    """What a run recorded; lists grow while it runs (a reader may look at them meanwhile)."""

    step: list = field(default_factory=list)  # 1, 2, ... after each optimizer step
    loss: list = field(default_factory=list)
    grad_norm: list = field(default_factory=list)  # before clipping
    val_step: list = field(default_factory=list)  # steps at which the validation batch was scored
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)  # classes only
    checkpoints: list = field(default_factory=list)  # (step, state_dict copy), step 0 = the start
    stopped: str = ""  # "", "done", "stopped", "time"

    def snapshot(self) -> dict:
        """Copies of the curves, each pair the same length, even while the run appends to them."""
        n = min(len(self.step), len(self.loss), len(self.grad_norm))
        v = min(len(self.val_step), len(self.val_loss), len(self.val_accuracy))
        return {"step": self.step[:n], "train": self.loss[:n], "grad_norm": self.grad_norm[:n],
                "val_step": self.val_step[:v], "val": self.val_loss[:v], "accuracy": self.val_accuracy[:v]}


class Readout(nn.Module):
    """The recurrent layer followed by a linear map of its output to the task's outputs."""

    def __init__(self, rnn: nn.Module, task: Task):
        super().__init__()
        self.rnn = rnn
        directions = 2 if rnn.bidirectional else 1
        width = directions * (getattr(rnn, "proj_size", 0) or rnn.hidden_size)
        self.head = nn.Linear(width, task.outputs)
        self.every_step = task.every_step

    def forward(self, x: Tensor) -> Tensor:
        """x time-major (T, N, features) -> (N, outputs), or (T, N, outputs) at every step."""
        layout = x.transpose(0, 1) if self.rnn.batch_first else x
        out, _ = self.rnn(layout)
        out = out.transpose(0, 1) if self.rnn.batch_first else out
        return self.head(out if self.every_step else out[-1])


def config_problems(config: TrainConfig) -> None:
    """Raise TaskError for a configuration that cannot teach what it seems to, or would not fit."""
    if config.task.every_step and config.spec.bidirectional:  # the reverse direction reads x[t+1]: the answer
        raise TaskError(say("train_peeks"))
    values = max(config.batch_size, VALIDATION) * (config.seq_len + 1) * config.task.features
    if values > MAX_INPUT_VALUES:
        raise TaskError(say("train_too_big", values=values, top=MAX_INPUT_VALUES))


def build_model(config: TrainConfig) -> Readout:
    """The layer (seeded by spec.seed) and its readout (seeded by config.seed), on spec.device."""
    rnn = config.spec.replace(input_size=config.task.features).build()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        model = Readout(rnn, config.task)
    if config.forget_bias is not None:
        keep_gate_bias(rnn, config.forget_bias)
    return model.to(device=config.spec.device, dtype=rnn.weight_ih_l0.dtype)


def keep_gate_bias(rnn: nn.Module, value: float) -> None:
    """Start the gate that keeps the state with total bias `value` (b_ih + b_hh of that gate's block):
    the LSTM's forget gate f (rows H:2H of i, f, g, o) or the GRU's update gate z (rows H:2H of r, z, n;
    z near 1 keeps h, as h' = (1 - z) * n + z * h). bias_hh's block holds `value`, bias_ih's 0, in
    every layer and direction; a tanh or relu RNN has no gate and a layer without bias nothing to set."""
    if not isinstance(rnn, (nn.LSTM, nn.GRU)) or not rnn.bias:
        return
    h = rnn.hidden_size
    with torch.no_grad():
        for name, parameter in rnn.named_parameters():
            if name.startswith("bias_hh"):
                parameter[h:2 * h] = value
            elif name.startswith("bias_ih"):
                parameter[h:2 * h] = 0.0


def checkpoint_steps(steps: int, count: int = 12) -> list[int]:
    """About `count` log-spaced steps from 0 to `steps` (0 is the untrained layer, `steps` the last)."""
    if steps < 1:
        return [0]
    if count <= 2:
        return [0, steps]
    marks = np.unique(np.round(np.logspace(0, math.log10(steps), max(count - 1, 1))).astype(int))
    return [0, *[int(m) for m in marks]]


def _score(task: Task, prediction: Tensor, target: Tensor) -> tuple[Tensor, float | None]:
    if task.classes:
        logits = prediction.reshape(-1, task.outputs)
        labels = target.reshape(-1).to(prediction.device)
        accuracy = (logits.argmax(-1) == labels).double().mean().item()
        return nn.functional.cross_entropy(logits, labels), accuracy
    return nn.functional.mse_loss(prediction, target.to(prediction)), None


def _copy(model: nn.Module) -> dict:
    return {name: value.detach().to("cpu", copy=True) for name, value in model.state_dict().items()}


def train(
    config: TrainConfig,
    history: History | None = None,
    progress: Callable | None = None,
    should_stop: Callable[[], bool] | None = None,
    model: Readout | None = None,
) -> History:
    """Train; returns (and fills, if given) the History. See the module docstring."""
    history = history if history is not None else History()
    model = model if model is not None else build_model(config)
    task, device = config.task, config.spec.device
    dtype = model.head.weight.dtype
    generator = torch.Generator().manual_seed(config.seed)
    val_x, val_y = batch(task, config.seq_len, VALIDATION, torch.Generator().manual_seed(config.seed + 1))
    val_x = val_x.to(device=device, dtype=dtype)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    keep = set(checkpoint_steps(config.steps, config.checkpoints))
    history.checkpoints.append((0, _copy(model)))
    start = time.monotonic()
    for step in range(1, config.steps + 1):
        x, y = batch(task, config.seq_len, config.batch_size, generator)
        loss, _ = _score(task, model(x.to(device=device, dtype=dtype)), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        grads = [p.grad for p in model.parameters() if p.grad is not None]
        norm = nn.utils.get_total_norm(grads)  # plotted before clipping, so students see what is clipped
        if config.clip > 0:
            nn.utils.clip_grads_with_norm_(model.parameters(), config.clip, norm)
        optimizer.step()
        history.loss.append(loss.item())
        history.grad_norm.append(float(norm))
        history.step.append(step)
        if step % config.eval_every == 0 or step == config.steps:
            with torch.no_grad():
                val_loss, accuracy = _score(task, model(val_x), val_y)
            history.val_step.append(step)
            history.val_loss.append(val_loss.item())
            history.val_accuracy.append(accuracy)
        if step in keep:
            history.checkpoints.append((step, _copy(model)))
        if progress is not None:
            progress(history)
        if should_stop is not None and should_stop():
            history.stopped = "stopped"
            break
        if time.monotonic() - start > config.max_seconds:
            history.stopped = "time"
            break
    else:
        history.stopped = "done"
    return history


def load_checkpoint(config: TrainConfig, state: dict) -> Readout:
    """A model holding a checkpoint's parameters."""
    model = build_model(config)
    model.load_state_dict(state)
    return model.eval()


def probe(config: TrainConfig, seed: int = 12345) -> Tensor:
    """A fixed sequence of the task (batch of one) for looking inside a checkpoint, in the layer's layout."""
    x, _ = batch(config.task, config.seq_len, 1, torch.Generator().manual_seed(seed))
    x = x.to(
        device=config.spec.device, dtype=torch.float64 if config.spec.dtype == "float64" else torch.float32
    )
    return x.transpose(0, 1) if config.spec.batch_first else x
