"""The PyTorch code behind a page: `layer_code` writes plain torch that builds the page's layer,
makes the page's input from the same seed (or loads the learner's own file), calls the layer and
prints the sizes and the last layer's final state, so a notebook gives the numbers on screen.
`LayerSpec.code()` is the way in."""

from __future__ import annotations

from dataclasses import replace

from rnnviz.inputs import InputSource
from rnnviz.readers import text_table
from rnnviz.spec import LayerSpec, state_shapes

FILE_PLACEHOLDER = "my_layer"  # the path the learner replaces with their own file's


def layer_code(spec: LayerSpec, seq_len: int, batch_size: int, with_h0: bool, batched: bool, source=None,
               layer_file=None) -> str:
    """See LayerSpec.code()."""
    spec.validate()
    if source is None:
        source = InputSource(kind="random", seq_len=seq_len, batch_size=batch_size, batched=batched,
                             initial_state="random" if with_h0 else "zeros", seed=spec.seed)
    if source.kind == "text":  # the text decides the extent: a sequence a line, padded to the longest
        lines, _ = text_table(source.text)
        lengths = [len(line) for line in lines]
        source = replace(source, seq_len=max(lengths), batch_size=len(lines), batched=True,
                         lengths=tuple(lengths) if len(set(lengths)) > 1 else None)
    seq_len, batch_size, batched = source.seq_len, source.batch_size, source.batched
    d, layers = spec.num_directions, spec.num_layers
    args = [str(spec.input_size), str(spec.hidden_size), str(layers)]
    defaults = LayerSpec()
    extra = [
        f"{name}={value!r}"
        for name, value in spec.constructor_kwargs().items()
        if name not in ("input_size", "hidden_size", "num_layers")
        and value != getattr(defaults, name)
        and not (name == "proj_size" and value == 0)
        and not (name == "nonlinearity" and value == "tanh")
    ]
    wide = ", dtype=torch.float64"
    dtype = "" if spec.dtype == "float32" else wide
    cast = ".float()" if spec.dtype == "float32" else ""
    ctor = f"nn.{spec.kind}({', '.join(args + extra)})"
    lines = ["import math" if source.kind == "sine" else None, "import torch", "import torch.nn as nn", ""]
    lines = [line for line in lines if line is not None]
    if layer_file is None:
        lines.append(f"torch.manual_seed({spec.seed})  # the page's seed: the same weights")
    lines.append(f"rnn = {ctor}  # (input_size, hidden_size, num_layers)")
    if layer_file is not None:
        lines += _load_lines(layer_file)
    if spec.dtype != "float32":
        lines.append("rnn = rnn.double()")
    lines.append("rnn.train()" if spec.train else "rnn.eval()")
    lines += _input_lines(spec, source, dtype, cast)
    state, cell = state_shapes(layers, d, batch_size if batched else None, spec.hidden_size, spec.proj_size)
    state_comment = "(num_layers * num_directions, " + ("batch, " if batched else "")
    with_h0 = source.initial_state == "random"
    if with_h0:  # drawn from the same generator, after the input, as the page does
        feature = "proj_size" if spec.proj_size else "hidden_size"
        size = ", ".join(map(str, state))
        lines.append(f"h0 = torch.randn({size}, generator=g{dtype})  # {state_comment}{feature})")
        if spec.kind == "LSTM":
            size = ", ".join(map(str, cell))
            lines.append(f"c0 = torch.randn({size}, generator=g{dtype})  # {state_comment}hidden_size)")
    packed = source.lengths is not None and batched
    sizes = "output.data.size()" if packed else "output.size()"
    if spec.kind == "LSTM":
        call = "rnn(input, (h0, c0))" if with_h0 else "rnn(input)"
        lines.append(f"output, (hn, cn) = {call}")
        lines.append(f"print({sizes}, hn.size(), cn.size())")
    else:
        call = "rnn(input, h0)" if with_h0 else "rnn(input)"
        lines.append(f"output, hn = {call}")
        lines.append(f"print({sizes}, hn.size())")
    last = "hn[-1, 0, :3]" if batched else "hn[-1, :3]"
    where = "first sequence, " if batched else ""
    lines.append(f"print({last}.tolist())  # the last layer's final state: {where}first units")
    return "\n".join(lines) + "\n"


def _input_lines(spec: LayerSpec, source, dtype: str, cast: str) -> list[str]:
    """The page's input (rnnviz.inputs.make_input) as plain torch: the same draws from the same seed."""
    steps, features = source.seq_len, spec.input_size
    batch = source.batch_size if source.batched else 1
    size = f"{steps}, {batch}, {features}"
    wide = ", dtype=torch.float64"
    lines = []
    if source.kind in ("random", "sine") or source.initial_state == "random":
        lines.append(f"g = torch.Generator().manual_seed({source.seed})  # the page's seed: the same input")
    if source.kind == "random":
        lines.append(f"input = torch.randn({size}, generator=g{wide}){cast}  # (seq_len, batch, input_size)")
    elif source.kind == "sine":
        lines += [
            f"t = torch.arange({steps}{wide})[:, None, None]",
            f"freq = 1 + torch.arange({features}{wide})  # feature j: frequency j + 1, its own phase",
            f"phase = 2 * math.pi * torch.rand(1, {batch}, {features}, generator=g{wide})",
            f"angle = 2 * math.pi * freq * t / {max(steps, 2)} + phase",
            f"odd = torch.arange({features}) % 2 == 1  # odd features are cosines",
            f"input = torch.where(odd, torch.cos(angle), torch.sin(angle)){cast}  # (seq_len, batch, H_in)",
        ]
    elif source.kind == "text":  # as rnnviz.readers.text_sequences: one-hot over the sorted characters
        lines += [f"text = {source.text!r}",
                  "lines = [line for line in text.splitlines() if line]  # a sequence a line",
                  "vocab = sorted(set(''.join(lines)))  # input_size: one feature a distinct character",
                  "index = {ch: j for j, ch in enumerate(vocab)}",
                  "seqs = [nn.functional.one_hot(torch.tensor([index[ch] for ch in line]), len(vocab)) "
                  "for line in lines]",
                  f"input = nn.utils.rnn.pad_sequence(seqs).double(){cast}  # (seq_len, batch, input_size)"]
    elif source.kind in ("step", "impulse"):
        onset = steps // 4
        rows = f"{onset}:" if source.kind == "step" else f"{onset}"
        lines += [f"input = torch.zeros({size}{dtype})  # (seq_len, batch, input_size)",
                  f"input[{rows}] = 1  # the {source.kind} at t = {onset}"]
    else:
        raise ValueError(f"code() makes signal and text inputs (random, sine, step, impulse, text), "
                         f"not {source.kind!r}")
    if not source.batched:
        lines.append("input = input[:, 0]  # (seq_len, input_size): unbatched")
        return lines
    if source.lengths is not None:
        lines += [f"lengths = torch.tensor({list(source.lengths)})",
                  f"alive = torch.arange({steps})[:, None] < lengths",
                  "input = input * alive[..., None]  # zeros past each sequence's end"]
    if spec.batch_first:
        lines.append("input = input.transpose(0, 1)  # (batch, seq_len, input_size)")
    if source.lengths is not None:
        lines.append(f"input = nn.utils.rnn.pack_padded_sequence(input, lengths, "
                     f"batch_first={spec.batch_first}, enforce_sorted={source.enforce_sorted})")
    return lines


def _load_lines(layer_file) -> list[str]:
    """Lines that put the learner's own weights into `rnn` (the path is a placeholder to replace)."""
    lines = [f'state = torch.load("{FILE_PLACEHOLDER}.pt", weights_only=True)  # your file\'s path here']
    prefix = layer_file.prefix
    if prefix:  # the layer sits inside a larger model or checkpoint: its entries, named as in the layer
        lines += [
            "",
            "def flat(tree, prefix=''):  # nested dicts (a checkpoint) as one dict of dotted names",
            "    out = {}",
            "    for key, value in tree.items():",
            "        inner = isinstance(value, dict)",
            "        out.update(flat(value, f'{prefix}{key}.') if inner else {prefix + key: value})",
            "    return out",
            "",
            "",
            f"state = {{k.removeprefix({prefix!r}): v for k, v in flat(state).items()",
            f"         if k.startswith({prefix!r})}}",
        ]
    if layer_file.cell:
        lines.append("state = {k + '_l0': v for k, v in state.items()}  # a cell's names, as layer 0's")
    lines.append("rnn.load_state_dict(state)")
    return lines
