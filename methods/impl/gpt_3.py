"""GPT-3: the GPT-2 architecture at 175B parameters, with alternating dense and banded attention.

Paper: Language Models are Few-Shot Learners - https://arxiv.org/abs/2005.14165

"We use the same model and architecture as GPT-2 ... with the exception that we use alternating
dense and locally banded sparse attention patterns in the layers of the transformer, similar to
the Sparse Transformer" (Section 2.1). This is that published architecture at toy size: pre-norm
causal layers, a final LayerNorm, GPT-2's scaled initialization, and every odd layer restricted
to a band of the last `local_window` positions, $\\{s : t - w < s \\le t\\}$. The trained 175B
model (96 layers, $d_{model}$ = 12,288, 96 heads, context 2,048) is not reproduced; no weights
are loaded. The band width is not published; 256 is the Sparse Transformer's local stride.

Shapes: `forward(input_ids: [B, L])` -> `logits: [B, L, V]`.

Hyperparameters: `vocab_size` $V$ (50,257; 64 here), `d_model` (12,288; 32 here), `layers`
$n_{layers}$ (96; 4 here), `heads` (96; 4), `max_positions` $n_{ctx}$ (2,048; 64),
`local_window` $w$ (4 here), `dropout` (0.1).
"""

from __future__ import annotations

from methods.impl.gpt import DecoderOnlyLM
from methods.impl.gpt_2 import gpt2_init


class GPT3(DecoderOnlyLM):
    """GPT-2 layers alternating dense and locally banded causal attention."""

    def __init__(
        self,
        vocab_size: int = 64,
        d_model: int = 32,
        layers: int = 4,
        heads: int = 4,
        max_positions: int = 64,
        local_window: int = 4,
        dropout: float = 0.1,
    ) -> None:
        super().__init__(
            vocab_size,
            d_model,
            layers,
            heads,
            max_positions,
            dropout,
            norm_first=True,
            local_window=local_window,
        )
        gpt2_init(self)
