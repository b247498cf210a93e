"""Multi-scale deformable attention (Deformable DETR, eq. 3).

References: a direct loop over heads, levels and points that interpolates the four neighbouring
pixels by hand (no grid_sample), with grid_sample's align_corners=False, zero-padding convention;
and the closed form the equation reduces to when every sampling point sits on a pixel centre.
"""

import math

import pytest
import torch

from methods import registry
from methods.impl.multi_scale_deformable_attention import MSDeformAttn, ms_deform_attn_core, pyramid_shapes


def _sample(plane: torch.Tensor, x: float, y: float) -> torch.Tensor:
    """Bilinear sample of plane [H, W, D] at normalized (x, y); pixel i's centre is (i + 1/2) / W; zeros outside."""
    height, width = plane.shape[:2]
    px, py = x * width - 0.5, y * height - 0.5
    x0, y0 = math.floor(px), math.floor(py)
    out = plane.new_zeros(plane.shape[-1])
    for yy, wy in ((y0, 1 - (py - y0)), (y0 + 1, py - y0)):
        for xx, wx in ((x0, 1 - (px - x0)), (x0 + 1, px - x0)):
            if 0 <= yy < height and 0 <= xx < width:
                out = out + wy * wx * plane[yy, xx]
    return out


def _naive_core(value, shapes, locations, weights):
    batch, _, heads, dim = value.shape
    queries, points = locations.shape[1], locations.shape[4]
    starts = [0]
    for h, w in shapes:
        starts.append(starts[-1] + h * w)
    out = value.new_zeros(batch, queries, heads, dim)
    for b in range(batch):
        for q in range(queries):
            for m in range(heads):
                for level, (h, w) in enumerate(shapes):
                    plane = value[b, starts[level] : starts[level + 1], m].view(h, w, dim)
                    for k in range(points):
                        x, y = (float(v) for v in locations[b, q, m, level, k])
                        out[b, q, m] += weights[b, q, m, level, k] * _sample(plane, x, y)
    return out.flatten(2)


def test_core_matches_direct_bilinear_loop(device):
    """Reference: explicit four-neighbour interpolation per head/level/point, locations partly outside [0, 1]."""
    generator = torch.Generator().manual_seed(0)
    shapes = [(5, 4), (3, 2)]
    value = torch.randn(2, 26, 2, 3, generator=generator)
    locations = torch.rand(2, 3, 2, 2, 3, 2, generator=generator) * 1.4 - 0.2
    weights = torch.rand(2, 3, 2, 2, 3, generator=generator)
    got = ms_deform_attn_core(value.to(device), shapes, locations.to(device), weights.to(device))
    want = _naive_core(value, shapes, locations, weights)
    assert torch.allclose(got.cpu(), want, atol=1e-5), (
        f"deformable sampling differs from the direct loop by {(got.cpu() - want).abs().max():.2e}"
    )


def test_module_matches_equation_3(device):
    """Reference: eq. 3 composed by hand from the module's own projections and the direct sampling loop."""
    torch.manual_seed(0)
    attn = MSDeformAttn(d_model=8, n_levels=2, n_heads=2, n_points=3)
    with torch.no_grad():
        for p in attn.parameters():
            p.add_(0.3 * torch.randn_like(p))
    shapes = pyramid_shapes(4, 6, 2)
    query, value = torch.randn(1, 5, 8), torch.randn(1, sum(h * w for h, w in shapes), 8)
    reference = torch.rand(1, 5, 2, 2)
    got = attn.to(device)(query.to(device), reference.to(device), value.to(device), shapes).cpu()
    attn = attn.cpu()
    with torch.no_grad():
        offsets = attn.sampling_offsets(query).view(1, 5, 2, 2, 3, 2)
        normalizer = torch.tensor([[float(w), float(h)] for h, w in shapes])
        locations = reference[:, :, None, :, None, :] + offsets / normalizer[None, None, None, :, None, :]
        weights = attn.attention_weights(query).view(1, 5, 2, 6).softmax(-1).view(1, 5, 2, 2, 3)
        heads = attn.value_proj(value).view(1, -1, 2, 4)
        want = attn.output_proj(_naive_core(heads, shapes, locations, weights))
    assert torch.allclose(got, want, atol=1e-5), (
        f"module differs from eq. 3 by {(got - want).abs().max():.2e}"
    )


def test_points_on_pixel_centres_read_that_pixel(device):
    """Property: zero offsets and a reference point on a pixel centre give W_m W'_m x(p) whatever A is."""
    torch.manual_seed(1)
    attn = MSDeformAttn(d_model=8, n_levels=1, n_heads=2, n_points=4).to(device)
    with torch.no_grad():
        attn.sampling_offsets.weight.zero_()
        attn.sampling_offsets.bias.zero_()
        attn.attention_weights.weight.normal_()
    height, width = 3, 5
    value = torch.randn(1, height * width, 8, device=device)
    rows, cols = torch.tensor([0, 2, 1]), torch.tensor([4, 0, 2])
    reference = torch.stack(((cols + 0.5) / width, (rows + 0.5) / height), dim=-1)[None, :, None, :]
    query = torch.randn(1, 3, 8, device=device)
    got = attn(query, reference.to(device), value, [(height, width)])
    want = attn.output_proj(attn.value_proj(value[0, rows * width + cols]))[None]
    assert torch.allclose(got, want, atol=1e-5), "a point on a pixel centre should read exactly that pixel"


def test_registry_entry_rejects_wrong_value_length(device):
    """Property: the entry's value length follows its pyramid hyperparameters (7 x 5 over 3 levels -> 35 + 12 + 4)."""
    entry = registry.get("MSDeformAttn")
    inputs = entry.example_inputs({"height": 7, "width": 5, "n_levels": 3})
    assert inputs["value"].shape[1] == 7 * 5 + 4 * 3 + 2 * 2, f"value length {inputs['value'].shape[1]}"
    module = entry.build(height=7, width=5, n_levels=3).to(device)
    out = module(**{k: v.to(device) for k, v in inputs.items()})
    assert out.shape == (2, 16, 32), f"output shape {tuple(out.shape)}"
    with pytest.raises(ValueError, match="positions"):
        module(
            inputs["query"].to(device),
            inputs["reference_points"].to(device),
            inputs["value"][:, 1:].to(device),
        )
