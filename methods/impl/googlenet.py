"""GoogLeNet: a 22-layer network of stacked Inception modules with two auxiliary classifiers.

Paper: Going Deeper with Convolutions - https://arxiv.org/abs/1409.4842

Stem: 7x7/2 convolution, 3x3/2 max pool, LRN, 1x1 and 3x3 convolutions, LRN, 3x3/2 max pool.
Then inception 3a, 3b, max pool, 4a-4e, max pool, 5a, 5b (Table 1 of the paper), global average
pooling, dropout 0.4 and a linear classifier. Auxiliary classifiers on 4a and 4d add
$0.3 \\cdot$ their cross-entropy to the training loss. The widths here are the paper's Table 1
divided by `width_div`; the stem's LRN is kept. Follows torchvision's `GoogLeNet` layout.

Shapes: `forward(x: [B, 3, H, W])` -> `{"logits": [B, K], "aux1": [B, K], "aux2": [B, K]}`;
with `labels: [B]` also `"loss": []` = CE(logits) + 0.3 (CE(aux1) + CE(aux2)).

Hyperparameters: `width_div` (1 is the paper; 8 here), `num_classes` $K$ (1000; 10),
`aux_weight` (0.3), `dropout` (0.4).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.auxiliary_classifier import AuxiliaryClassifier
from methods.impl.inception_module import InceptionModule

# Table 1: (#1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj) for 3a, 3b | 4a..4e | 5a, 5b
TABLE = {
    "3a": (64, 96, 128, 16, 32, 32),
    "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64),
    "4b": (160, 112, 224, 24, 64, 64),
    "4c": (128, 128, 256, 24, 64, 64),
    "4d": (112, 144, 288, 32, 64, 64),
    "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128),
    "5b": (384, 192, 384, 48, 128, 128),
}


class GoogLeNet(nn.Module):
    """Stem, nine Inception modules in three groups, auxiliary heads on 4a and 4d, pooled classifier."""

    def __init__(
        self, width_div: int = 8, num_classes: int = 10, aux_weight: float = 0.3, dropout: float = 0.4
    ) -> None:
        super().__init__()
        self.aux_weight = aux_weight
        c1, c2, c3 = 64 // width_div, 64 // width_div, 192 // width_div
        self.stem = nn.Sequential(
            nn.Conv2d(3, c1, 7, 2, 3),
            nn.ReLU(),
            nn.MaxPool2d(3, 2, 1),
            nn.LocalResponseNorm(5, 5e-4, 0.75, 2.0),
            nn.Conv2d(c1, c2, 1),
            nn.ReLU(),
            nn.Conv2d(c2, c3, 3, padding=1),
            nn.ReLU(),
            nn.LocalResponseNorm(5, 5e-4, 0.75, 2.0),
            nn.MaxPool2d(3, 2, 1),
        )
        self.inception = nn.ModuleDict()
        channels = c3
        outputs: dict[str, int] = {}
        for name, widths in TABLE.items():
            w = [max(1, c // width_div) for c in widths]
            self.inception[name] = InceptionModule(channels, *w)
            channels = w[0] + w[2] + w[4] + w[5]
            outputs[name] = channels
        self.pool = nn.MaxPool2d(3, 2, 1)
        hidden = 1024 // width_div
        self.aux1 = AuxiliaryClassifier(outputs["4a"], 128 // width_div, hidden, 4, num_classes)
        self.aux2 = AuxiliaryClassifier(outputs["4d"], 128 // width_div, hidden, 4, num_classes)
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(channels, num_classes))

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """x: [B, 3, H, W], labels: [B] (optional) -> logits, aux1, aux2 [B, K] and, with labels, loss."""
        x = self.stem(x)
        out: dict[str, torch.Tensor] = {}
        for name, module in self.inception.items():
            if name in ("4a", "5a"):
                x = self.pool(x)
            x = module(x)
            if name == "4a":
                out["aux1"] = self.aux1(x)
            elif name == "4d":
                out["aux2"] = self.aux2(x)
        out = {"logits": self.classifier(x.mean(dim=(2, 3))), **out}
        if labels is not None:
            # L = CE(main) + 0.3 (CE(aux1) + CE(aux2))
            aux = F.cross_entropy(out["aux1"], labels) + F.cross_entropy(out["aux2"], labels)
            out["loss"] = F.cross_entropy(out["logits"], labels) + self.aux_weight * aux
        return out
