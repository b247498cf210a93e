"""Recurrent layers that PyTorch implements, adapted to the registry.

Reference: PyTorch recurrent layers - https://docs.pytorch.org/docs/stable/nn.html#recurrent-layers

Batch-first: `input: [B, T, D] -> output [B, T, H·directions]`, with the final
hidden state `h_n: [layers·directions, B, H]` (and, for the LSTM, the cell
state `c_n`). The library returns tuples; `Named` names them.
"""

from __future__ import annotations

from torch import nn

from methods.adapters.named import Named


def lstm(input_size: int, hidden_size: int, num_layers: int, dropout: float) -> Named:
    """Long Short-Term Memory: gated cell state c_t carried across steps."""
    return Named(
        nn.LSTM(input_size, hidden_size, num_layers, batch_first=True, dropout=dropout),
        ("output", "h_n", "c_n"),
    )


def bilstm(input_size: int, hidden_size: int, num_layers: int, dropout: float) -> Named:
    """Two LSTMs, one reading forwards and one backwards, their outputs concatenated."""
    return Named(
        nn.LSTM(input_size, hidden_size, num_layers, batch_first=True, dropout=dropout, bidirectional=True),
        ("output", "h_n", "c_n"),
    )


def gru(input_size: int, hidden_size: int, num_layers: int, dropout: float) -> Named:
    """Gated Recurrent Unit: update and reset gates, no separate cell state."""
    return Named(
        nn.GRU(input_size, hidden_size, num_layers, batch_first=True, dropout=dropout), ("output", "h_n")
    )


def bigru(input_size: int, hidden_size: int, num_layers: int, dropout: float) -> Named:
    """Two GRUs, one reading forwards and one backwards, their outputs concatenated."""
    return Named(
        nn.GRU(input_size, hidden_size, num_layers, batch_first=True, dropout=dropout, bidirectional=True),
        ("output", "h_n"),
    )
