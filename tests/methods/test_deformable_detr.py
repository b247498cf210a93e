"""Deformable DETR: positional encoding, reference points, box parametrization and set prediction.

References: the sine encoding and reference points written per element from the DETR / Deformable
DETR definitions; Appendix A.3's box parametrization b = sigmoid(delta + [sigmoid^-1(p), 0, 0]);
and the permutation equivariance of the decoder over object queries.
"""

import math

import torch

from methods import registry
from methods.impl.deformable_detr import encoder_reference_points, sine_position_encoding
from methods.impl.multi_scale_deformable_attention import MSDeformAttn


def test_sine_encoding_matches_formula(device):
    """Reference: PE(y, 2i) = sin(y' / T^(2i / (C/2))), PE(y, 2i+1) = cos(same), y' = 2 pi (y + 1/2) / H."""
    height, width, d_model = 3, 4, 8
    got = sine_position_encoding(height, width, d_model, torch.zeros(1, device=device)).cpu()
    half = d_model // 2
    for y in range(height):
        for x in range(width):
            for c in range(d_model):
                coord, size = (y, height) if c < half else (x, width)
                i = c % half
                angle = (coord + 0.5) / size * 2 * math.pi / 10000 ** (2 * (i // 2) / half)
                want = math.sin(angle) if i % 2 == 0 else math.cos(angle)
                assert abs(float(got[y * width + x, c]) - want) < 1e-5, f"PE at y={y}, x={x}, channel {c}"


def test_encoder_reference_points_are_pixel_centres(device):
    """Reference: the encoder query of pixel (i, j) on level l has p = ((j + 1/2) / W_l, (i + 1/2) / H_l)."""
    shapes = [(2, 3), (1, 2)]
    got = encoder_reference_points(shapes, torch.zeros(1, device=device)).cpu()
    want = [((j + 0.5) / w, (i + 0.5) / h) for h, w in shapes for i in range(h) for j in range(w)]
    assert torch.allclose(got, torch.tensor(want)), f"reference points {got.tolist()} != {want}"


def _model(device, **overrides):
    torch.manual_seed(0)
    return registry.get("deformable-detr").build(**overrides).to(device).eval()


def test_boxes_are_predicted_relative_to_reference_points(device):
    """Reference: Appendix A.3; with a zero box MLP the box centre is the query's reference point p_q."""
    model = _model(device)
    with torch.no_grad():
        model.bbox_embed[-1].weight.zero_()
        model.bbox_embed[-1].bias.zero_()
        image = torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(0)).to(device)
        boxes = model(image)["boxes"][0]
        query_pos = model.query_embed.weight[:, : model.d_model]
        reference = model.reference_points(query_pos).sigmoid()
    assert torch.allclose(boxes[:, :2], reference, atol=1e-5), "box centres differ from the reference points"
    assert torch.allclose(boxes[:, 2:], torch.full_like(boxes[:, 2:], 0.5)), (
        "zero offsets should give w = h = 0.5"
    )


def test_decoder_is_equivariant_to_permuting_object_queries(device):
    """Property: DETR's set prediction; permuting the learned queries permutes the predictions."""
    model = _model(device)
    image = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(1)).to(device)
    order = torch.randperm(model.query_embed.num_embeddings, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        before = model(image)
        model.query_embed.weight.copy_(model.query_embed.weight[order.to(device)])
        after = model(image)
    for name in ("logits", "boxes"):
        assert torch.allclose(after[name], before[name][:, order.to(device)], atol=1e-5), (
            f"{name} are not permuted with the queries"
        )


def test_image_content_reaches_every_query(device):
    """Property: predictions depend on the image (through the deformable attention) and use MSDeformAttn."""
    model = _model(device)
    attention = [m for m in model.modules() if isinstance(m, MSDeformAttn)]
    assert len(attention) == 2, (
        f"expected one MSDeformAttn in the encoder and one in the decoder, got {len(attention)}"
    )
    generator = torch.Generator().manual_seed(3)
    first, second = (torch.randn(1, 3, 64, 64, generator=generator).to(device) for _ in range(2))
    with torch.no_grad():
        change = (model(first)["logits"] - model(second)["logits"]).abs().amax(-1)
    assert (change > 1e-4).all(), f"some queries ignore the image: {change.tolist()}"
