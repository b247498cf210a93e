"""Early stopping, ending training when the validation loss stops improving.

Paper: Early Stopping — But When? (Prechelt, 1998) - https://doi.org/10.1007/3-540-49430-8_3

Training error keeps falling while validation error eventually rises as the
network overfits. Early stopping keeps the parameters of the best validation
score seen so far and stops once `patience` evaluations in a row have failed to
improve on it by more than `min_delta` (Prechelt's criteria family; the
"patience" form is the one Keras and PyTorch Lightning implement). The demo
runs the rule over a given validation curve and reports where it stops and
which evaluation's parameters it restores.

Shapes: `forward(val_losses: [T]) -> {"stop_step": [], "best_step": [], "best_loss": [], "stopped": [T] bool}`.
"""

from __future__ import annotations

import torch
from torch import nn


class EarlyStopping(nn.Module):
    """Stops after `patience` evaluations without an improvement larger than `min_delta`."""

    def __init__(self, patience: int = 5, min_delta: float = 0.0) -> None:
        super().__init__()
        self.patience, self.min_delta = patience, min_delta

    def forward(self, val_losses: torch.Tensor) -> dict[str, torch.Tensor]:
        """val_losses: [T] validation loss after each epoch -> where training stops and the best epoch."""
        losses = val_losses.detach().tolist()
        best, best_step, waited, stop = float("inf"), 0, 0, len(losses) - 1
        for step, loss in enumerate(losses):
            if loss < best - self.min_delta:
                # an improvement: remember these parameters, reset the counter
                best, best_step, waited = loss, step, 0
            else:
                waited += 1
                if waited >= self.patience:
                    stop = step
                    break
        stopped = torch.arange(len(losses), device=val_losses.device) > stop
        return {
            "stop_step": torch.tensor(stop),
            "best_step": torch.tensor(best_step),
            "best_loss": val_losses[best_step],
            "stopped": stopped,
        }
