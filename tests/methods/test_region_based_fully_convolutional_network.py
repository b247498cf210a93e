"""R-FCN: position-sensitive RoI pooling and average voting.

References: a naive per-bin loop written from eq. 1 of the paper with the bin boundaries of the
authors' released PSROIPooling layer (corners rounded to pixels, end inclusive, floor/ceil bins
clipped to the map, empty bins 0); and the voting rule r_c = mean_{i,j} r_c(i, j).
"""

import math

import torch

from methods import registry
from methods.impl.region_based_fully_convolutional_network import position_sensitive_roi_pool


def _naive_ps_pool(maps, boxes, k, scale):
    batch, channels, height, width = maps.shape
    groups = channels // (k * k)
    out = torch.zeros(batch, boxes.shape[1], groups, k, k)
    for b in range(batch):
        for r in range(boxes.shape[1]):
            x1, y1, x2, y2 = (math.floor(float(v) + 0.5) for v in boxes[b, r])
            start_w, start_h = x1 * scale, y1 * scale
            bin_w = max((x2 + 1) * scale - start_w, 0.1) / k
            bin_h = max((y2 + 1) * scale - start_h, 0.1) / k
            for d in range(groups):
                for i in range(k):
                    for j in range(k):
                        h0 = min(max(math.floor(i * bin_h + start_h), 0), height)
                        h1 = min(max(math.ceil((i + 1) * bin_h + start_h), 0), height)
                        w0 = min(max(math.floor(j * bin_w + start_w), 0), width)
                        w1 = min(max(math.ceil((j + 1) * bin_w + start_w), 0), width)
                        if h1 > h0 and w1 > w0:
                            # bin (i, j) reads only map z_{i,j,d}, channel (d k + i) k + j
                            out[b, r, d, i, j] = maps[b, (d * k + i) * k + j, h0:h1, w0:w1].mean()
    return out


def test_position_sensitive_pooling_matches_naive_loop(device):
    """Reference: eq. 1 per bin, with the released code's quantization (boxes near and past the border, tiny boxes)."""
    generator = torch.Generator().manual_seed(0)
    maps = torch.randn(2, 2 * 9, 10, 12, generator=generator)
    boxes = torch.tensor(
        [
            [[3.2, 5.7, 30.4, 33.1], [0.0, 0.0, 47.9, 39.9], [20.0, 20.0, 21.0, 20.4]],
            [[40.6, 2.2, 47.0, 38.5], [1.4, 30.5, 45.5, 39.0], [10.0, 12.0, 18.0, 13.0]],
        ]
    )
    got = position_sensitive_roi_pool(maps.to(device), boxes.to(device), 3, 0.25).cpu()
    want = _naive_ps_pool(maps, boxes, 3, 0.25)
    assert torch.allclose(got, want, atol=1e-5), (
        f"PS RoI pooling differs from the naive loop by {(got - want).abs().max():.2e}"
    )


def test_each_bin_reads_only_its_own_score_maps(device):
    """Property: with map bank (i, j) constant at 10 i + j, bin (i, j) pools exactly 10 i + j for every RoI."""
    k = 3
    values = torch.tensor([10.0 * i + j for i in range(k) for j in range(k)])
    maps = values[:, None, None].expand(k * k, 16, 16)[None].to(device)
    boxes = torch.tensor([[[4.0, 4.0, 60.0, 60.0], [10.0, 30.0, 40.0, 50.0]]], device=device)
    got = position_sensitive_roi_pool(maps, boxes, k, 0.25)
    want = values.view(1, 1, 1, k, k).expand(1, 2, 1, k, k).to(device)
    assert torch.allclose(got, want, atol=1e-5), f"bins mix score-map banks: {got[0, :, 0].tolist()}"


def test_scores_are_average_votes_and_probs_their_softmax(device):
    """Reference: r_c = (1 / k^2) sum_{i,j} r_c(i, j) over the pooled score maps, s = softmax(r)."""
    torch.manual_seed(0)
    entry = registry.get("R-FCN")
    model = entry.build().to(device).eval()
    inputs = {k: v.to(device) for k, v in entry.example_inputs(seed=2).items()}
    with torch.no_grad():
        out = model(**inputs)
        maps = model.score_maps(model.backbone(inputs["image"]))
    boxes, k = out["boxes"], model.group_size
    samples = inputs["proposals"]
    xs, ys = samples[..., 0::2].sort(-1).values * 64, samples[..., 1::2].sort(-1).values * 64
    proposals = torch.stack((xs[..., 0], ys[..., 0], xs[..., 1], ys[..., 1]), dim=-1)
    pooled = _naive_ps_pool(maps.cpu(), proposals.cpu(), k, 0.25)
    votes = pooled.sum((-2, -1)) / k**2
    assert torch.allclose(out["scores"].cpu(), votes, atol=1e-5), (
        "scores are not the average vote of the bins"
    )
    assert torch.allclose(out["probs"].cpu(), votes.softmax(-1), atol=1e-5), "probs are not softmax(r_c)"
    assert boxes.shape == (2, 8, 4), f"boxes shape {tuple(boxes.shape)}"
