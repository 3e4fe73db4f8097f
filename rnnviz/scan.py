"""The LSTM cell recurrence c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t over a whole sequence at once.

A two-level scan: time is cut into chunks of about √(T/2) steps; one loop runs along the
chunks' positions for all chunks at once (within a chunk, c = scale·c_in + shift), a second
carries the state from chunk to chunk. About 3√T whole-tensor ops instead of T small ones;
no division, so a forget gate of exactly 0 is safe.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor


def scan_shape(steps: int) -> tuple[int, int]:
    """(chunk width, chunk count) of the two-level scan over `steps` steps: ~3√T ops."""
    width = max(1, math.isqrt(steps // 2))
    return width, -(-steps // width)


def cell_recurrence(forget: Tensor, update: Tensor, c0: Tensor, width: int | None = None) -> Tensor:
    """c_t = forget_t ⊙ c_{t-1} + update_t for all t, from c_{-1} = c0: (T, ...).

    `forget`, `update`: (T, ...) with c0's shape after the first dimension. `width`: the chunk
    width, when the caller already padded T to whole chunks with (forget, update) = (1, 0)."""
    steps = update.shape[0]
    if width is None:
        width = scan_shape(steps)[0]
    chunks = -(-steps // width)
    padding = chunks * width - steps
    if padding:  # (f, u) = (1, 0) leaves c unchanged
        forget = torch.cat([forget, forget.new_ones((padding,) + forget.shape[1:])])
        update = torch.cat([update, update.new_zeros((padding,) + update.shape[1:])])
    forget = forget.unflatten(0, (chunks, width))
    update = update.unflatten(0, (chunks, width))
    scale, shift = torch.empty_like(update), torch.empty_like(update)
    # views made once: indexing inside the loops costs more than the small ops themselves
    f, u, a, b = forget.unbind(1), update.unbind(1), scale.unbind(1), shift.unbind(1)
    a[0].copy_(f[0])
    b[0].copy_(u[0])
    for k in range(1, width):
        torch.mul(f[k], a[k - 1], out=a[k])
        torch.addcmul(u[k], f[k], b[k - 1], out=b[k])
    carry = torch.empty_like(update[:, 0])  # the state each chunk starts from
    starts, last_scale, last_shift = carry.unbind(0), a[-1].unbind(0), b[-1].unbind(0)
    starts[0].copy_(c0)
    for chunk in range(1, chunks):
        torch.addcmul(last_shift[chunk - 1], last_scale[chunk - 1], starts[chunk - 1],
                      out=starts[chunk])
    cells = torch.addcmul(shift, scale, carry[:, None])
    return cells.flatten(0, 1)[:steps]
