"""Detection and segmentation: anchors, NMS, pyramids' information flow, priors, decoding and identities."""

import math

import pytest
import torch
import torch.nn.functional as F

from methods import registry
from methods.impl.anchors import box_iou, greedy_nms, grid_anchors


def _built(entry_id: str, **params):
    torch.manual_seed(0)
    return registry.get(entry_id).build(**params)


def _inputs(entry_id: str, **params):
    return registry.get(entry_id).example_inputs(params)


def test_grid_anchors_have_the_requested_areas_ratios_and_centres():
    """w h = scale^2, h / w = r, centred at ((x + 1/2) s, (y + 1/2) s), position-major."""
    anchors = grid_anchors(2, 3, 8, (16.0, 32.0), (0.5, 2.0))
    assert anchors.shape == (2 * 3 * 4, 4), f"anchor count {anchors.shape}"
    w, h = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    first = slice(0, 4)
    assert torch.allclose((w * h)[first], torch.tensor([256.0, 256.0, 1024.0, 1024.0])), "areas != scale^2"
    assert torch.allclose((h / w)[first], torch.tensor([0.5, 2.0, 0.5, 2.0])), "ratios h / w differ"
    centres = (anchors[:, :2] + anchors[:, 2:]) / 2
    assert torch.allclose(centres[4], torch.tensor([12.0, 4.0])), "cell (0, 1) is not centred at (12, 4)"


def test_greedy_nms_keeps_separated_boxes_and_suppresses_by_a_better_one():
    """Survivors pairwise overlap <= t; every dropped box overlaps a higher-scoring survivor > t."""
    g = torch.Generator().manual_seed(0)
    corners = torch.rand(40, 2, generator=g) * 50
    boxes = torch.cat((corners, corners + 10 + torch.rand(40, 2, generator=g) * 20), 1)
    scores = torch.rand(40, generator=g)
    keep = greedy_nms(boxes, scores, 0.5)
    iou = box_iou(boxes[keep], boxes[keep]).fill_diagonal_(0)
    assert iou.max() <= 0.5, f"two survivors overlap with IoU {iou.max()}"
    assert torch.all(scores[keep][:-1] >= scores[keep][1:]), "survivors are not in decreasing score order"
    for i in set(range(40)) - set(keep.tolist()):
        better = keep[scores[keep] > scores[i]]
        assert (box_iou(boxes[i : i + 1], boxes[better]) > 0.5).any(), f"box {i} was dropped without cause"


def test_rpn_proposals_are_a_fixed_count_inside_the_image():
    """Clipped proposals, N per image, scored in decreasing order among the NMS survivors."""
    out = _built("rpn")(**_inputs("rpn"))
    proposals = out["proposals"]
    assert proposals.shape == (2, 16, 4), f"proposal shape {tuple(proposals.shape)}"
    assert proposals.min() >= 0 and proposals.max() <= 64, "a proposal leaves the 64-pixel image"
    assert (proposals[..., 2:] >= proposals[..., :2]).all(), "a proposal has negative size"


def test_mask_branch_leaves_the_box_outputs_unchanged():
    """Mask R-CNN's masks and boxes are decoupled: same seed, same box head outputs as Faster R-CNN."""
    image = _inputs("faster-r-cnn")["image"]
    faster, mask = _built("faster-r-cnn").eval(), _built("mask-r-cnn").eval()
    with torch.no_grad():
        a, b = faster(image), mask(image)
    for name in ("proposals", "class_logits", "box_deltas"):
        assert torch.allclose(a[name], b[name], atol=1e-6), f"the mask branch changed {name}"
    assert b["mask_logits"].shape[-2:] == (14, 14), "masks are not 2 P_m on a side"


def test_fpn_flows_top_down_only():
    """Changing C5 changes every P_i; changing C3 leaves P4 and P5 unchanged."""
    fpn, inputs = _built("fpn"), _inputs("fpn")
    base = fpn(**inputs)
    top = fpn(**dict(inputs, c5=inputs["c5"] + 1))
    bottom = fpn(**dict(inputs, c3=inputs["c3"] + 1))
    assert not torch.allclose(base["p3"], top["p3"]), "C5 did not reach P3 through the top-down path"
    assert torch.equal(base["p4"], bottom["p4"]) and torch.equal(base["p5"], bottom["p5"]), "C3 leaked upward"


def test_bottom_up_path_starts_at_p2_and_flows_upward():
    """N_2 = P_2; P_2 reaches N_5 through the short path; P_5 does not reach N_2..N_4."""
    module, inputs = _built("bottom-up-path-augmentation"), _inputs("bottom-up-path-augmentation")
    base = module(**inputs)
    assert torch.equal(base["n2"], inputs["p2"]), "N_2 is not P_2"
    low = module(**dict(inputs, p2=inputs["p2"] + 1))
    high = module(**dict(inputs, p5=inputs["p5"] + 1))
    assert not torch.allclose(base["n5"], low["n5"]), "P_2 does not reach N_5"
    assert all(torch.equal(base[n], high[n]) for n in ("n2", "n3", "n4")), "P_5 leaked downward"


def test_pafpn_is_fpn_then_bottom_up_augmentation():
    """PAFPN(C) = BottomUp(FPN(C)), composed from the two separately registered modules."""
    pafpn, inputs = _built("pafpn"), _inputs("pafpn")
    out = pafpn(**inputs)
    expected = pafpn.bottom_up.augment(pafpn.fpn.pyramid([inputs[f"c{i}"] for i in range(2, 6)]))
    assert all(torch.equal(out[f"n{i + 2}"], e) for i, e in enumerate(expected)), "PAFPN != BottomUp(FPN)"


def test_retinanet_starts_with_rare_foreground():
    """The prior bias gives sigmoid(logit) ~ pi = 0.01 for every anchor at initialization."""
    out = _built("retinanet").eval()(**_inputs("retinanet"))
    probability = out["cls_logits"].sigmoid()
    assert abs(probability.mean().item() - 0.01) < 0.002, f"mean foreground probability {probability.mean()}"
    assert out["anchors"].shape[0] == out["cls_logits"].shape[1], "anchors and predictions differ in count"


def test_ssd_default_box_scales_follow_the_linear_rule():
    """s_k = s_min + (s_max - s_min)(k - 1)/(m - 1): the first box of map 1 is s_min, of map m s_max."""
    out = _built("ssd", maps=3)(**_inputs("ssd"))
    priors = out["default_boxes"]
    sizes = [8, 4, 2]
    starts = [0, 8 * 8 * 4, 8 * 8 * 4 + 4 * 4 * 4]
    assert priors.shape[0] == sum(f * f * 4 for f in sizes), f"{priors.shape[0]} default boxes"
    for start, s in zip(starts, (0.2, 0.55, 0.9), strict=True):
        assert torch.allclose(priors[start, 2:], torch.tensor([s, s])), (
            f"box at {start} has scale {priors[start, 2:]}"
        )
    assert torch.allclose(priors[1, 2:], torch.full((2,), math.sqrt(0.2 * 0.55))), (
        "extra square box != sqrt(s_k s_k+1)"
    )


def test_yolov3_decodes_zero_offsets_to_cell_centres_and_priors():
    """t = 0: b_x = (sigma(0) + c_x) * stride = (c_x + 1/2) * stride; b_w = p_w e^0 = p_w."""
    model = _built("yolov3")
    raw = torch.zeros(1, 3, 2, 2, 9)
    boxes, scores = model.decode(raw, 16, model.anchors[1])
    assert torch.allclose(boxes[0, 1, :2], torch.tensor([24.0, 8.0])), f"cell (0, 1) centre {boxes[0, 1, :2]}"
    assert torch.allclose(boxes[0, 0, 2:], model.anchors[1, 0]), "zero t_w, t_h did not give the prior"
    assert torch.allclose(scores, torch.full_like(scores, 0.25)), "score != sigma(obj) sigma(cls) = 1/4"


def test_darknet_53_features_have_strides_8_16_32():
    features = _built("darknet-53").features(torch.randn(1, 3, 64, 64))
    assert [f.shape[-1] for f in features] == [8, 4, 2], f"feature sides {[f.shape[-1] for f in features]}"


def test_detr_object_queries_are_permutation_equivariant():
    """No positions among queries besides their embeddings: permuting them permutes the predictions."""
    model = _built("detr").eval()
    image = _inputs("detr")["image"]
    order = torch.tensor([3, 1, 7, 0, 2, 6, 5, 4])
    with torch.no_grad():
        base = model(image)
        model.query_embed.weight.copy_(model.query_embed.weight[order])
        permuted = model(image)
    for name in ("pred_logits", "pred_boxes"):
        assert torch.allclose(base[name][:, order], permuted[name], atol=1e-5), f"{name} not equivariant"


@pytest.mark.parametrize("side", [32, 64])
def test_unet_and_fcn_keep_the_input_resolution(side):
    """Per-pixel outputs at the input's size, for more than one size."""
    x = torch.randn(1, 3, side, side)
    assert _built("u-net")(x).shape == (1, 2, side, side), "U-Net changed the resolution"
    assert _built("fcn")(x).shape == (1, 4, side, side), "FCN changed the resolution"


def test_fcn_upsampling_starts_bilinear():
    """The 2x deconvolution initialized to bilinear interpolation keeps a constant map constant inside."""
    up = _built("fcn").up32
    out = up(torch.full((1, 4, 6, 6), 3.0))
    assert torch.allclose(out[..., 1:-1, 1:-1], torch.tensor(3.0)), (
        "bilinear init does not preserve constants"
    )


def test_spatial_transformer_starts_as_the_identity():
    """theta = [[1, 0, 0], [0, 1, 0]] at initialization: the sampled output is the input."""
    out = _built("spatial-transformer")(**_inputs("spatial-transformer"))
    x = _inputs("spatial-transformer")["x"]
    assert torch.allclose(out["output"], x, atol=1e-5), "identity transformation altered the image"
    out_theta = out["theta"].detach()
    assert torch.allclose(out_theta, torch.tensor([[1.0, 0, 0], [0, 1, 0]]).expand(2, 2, 3)), (
        "theta != identity"
    )


def test_embedded_gaussian_non_local_is_softmax_attention():
    """Reference: F.scaled_dot_product_attention(theta, phi, g) with scale 1 (no 1/sqrt(d))."""
    op = _built("non-local-operation")
    x = _inputs("non-local-operation")["x"]
    q = op.theta(x).flatten(2).transpose(1, 2)
    k = op.phi(x).flatten(2).transpose(1, 2)
    v = op.g(x).flatten(2).transpose(1, 2)
    expected = F.scaled_dot_product_attention(q, k, v, scale=1.0).transpose(1, 2).reshape(2, 8, 8, 8)
    assert torch.allclose(op(x), expected, atol=1e-5), "embedded Gaussian != softmax attention"
    dot = _built("non-local-operation", mode="dot_product")
    q = dot.theta(x).flatten(2).transpose(1, 2)
    k = dot.phi(x).flatten(2)
    v = dot.g(x).flatten(2).transpose(1, 2)
    expected = ((q @ k) / 64 @ v).transpose(1, 2).reshape(2, 8, 8, 8)
    assert torch.allclose(dot(x), expected, atol=1e-5), "dot product != scores / N"


@pytest.mark.parametrize("entry_id", ["non-local-block", "sagan-self-attention-module"])
def test_attention_blocks_start_as_the_identity(entry_id):
    """Zero-initialized BN gamma (non-local) or gate gamma (SAGAN): output equals input at first."""
    module = _built(entry_id).eval()
    x = _inputs(entry_id)["x"]
    out = module(x)
    out = out if isinstance(out, torch.Tensor) else out["output"]
    assert torch.equal(out, x), f"{entry_id} is not the identity at initialization"


def test_sagan_attention_matches_a_naive_loop():
    """o_j = v(sum_i beta_{j,i} h(x_i)), beta_{j,.} = softmax_i f(x_i)^T g(x_j), y = gamma o + x."""
    module = _built("sagan-self-attention-module")
    with torch.no_grad():
        module.gamma.fill_(0.5)
    x = torch.randn(1, 32, 3, 3)
    out = module(x)
    f, g, h = module.f(x).flatten(2)[0], module.g(x).flatten(2)[0], module.h(x).flatten(2)[0]
    mixed = torch.zeros_like(h)
    for j in range(9):
        beta = torch.softmax(torch.stack([f[:, i] @ g[:, j] for i in range(9)]), 0)
        assert torch.allclose(out["attention"][0, j], beta, atol=1e-6), f"attention row {j} differs"
        mixed[:, j] = sum(beta[i] * h[:, i] for i in range(9))
    o = module.v(mixed.view(1, -1, 3, 3))
    assert torch.allclose(out["output"], 0.5 * o + x, atol=1e-5), "output != gamma o + x"
