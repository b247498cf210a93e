"""Image architectures: residual identities, strides, concatenations, gates, windows, masking and losses."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from methods import registry
from methods.impl.mae import patchify
from methods.impl.swin_transformer import (
    relative_position_index,
    shift_mask,
    window_partition,
    window_reverse,
)


def _built(entry_id: str, **params):
    torch.manual_seed(0)
    return registry.get(entry_id).build(**params)


def _x(*shape, seed=1):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize(
    ("entry_id", "params"),
    [
        ("residual-block", {"in_channels": 16, "out_channels": 16}),
        ("bottleneck-residual-block", {"in_channels": 32, "width": 8}),
    ],
)
def test_zeroed_last_norm_makes_a_residual_block_the_identity(entry_id, params):
    """With gamma = 0 in the last BN, F(x) = 0 and y = ReLU(x + 0) = ReLU(x) (Goyal et al.'s init)."""
    block = _built(entry_id, zero_init_residual=True, **params).eval()
    x = _x(2, params["in_channels"], 8, 8)
    with torch.no_grad():
        assert torch.allclose(block(x), torch.relu(x)), f"{entry_id}: zero-initialized block is not ReLU(x)"
        block_default = _built(entry_id, **params).eval()
        assert not torch.allclose(block_default(x), torch.relu(x)), (
            f"{entry_id}: default block is the identity"
        )


def test_zero_init_resnet_blocks_pass_the_stem_through():
    """A whole ResNet with zeroed last BNs: stage outputs equal the shortcut path alone (same channels)."""
    model = _built("resnet", zero_init_residual=True, layers=(2,)).eval()
    x = _x(2, 3, 32, 32)
    with torch.no_grad():
        stem = model.stem(x)
        assert torch.allclose(model.features(x)[0], torch.relu(stem)), (
            "stage 1 of a zero-init ResNet altered the stem"
        )


STRIDED = [
    ("residual-block", {"in_channels": 8, "out_channels": 16, "stride": 2}, 8, 16),
    ("bottleneck-residual-block", {"in_channels": 16, "width": 8, "stride": 2}, 16, 32),
    ("resnext-block", {"in_channels": 16, "out_channels": 32, "stride": 2}, 16, 32),
    ("inverted-residual-block", {"in_channels": 8, "out_channels": 16, "stride": 2}, 8, 16),
]


@pytest.mark.parametrize(("entry_id", "params", "c_in", "c_out"), STRIDED, ids=[s[0] for s in STRIDED])
@pytest.mark.parametrize("side", [8, 15])
def test_blocks_halve_resolution_at_stride_two(entry_id, params, c_in, c_out, side):
    """Stride 2 maps [B, C_in, H, W] to [B, C_out, ceil(H / 2), ceil(W / 2)], odd sizes included."""
    out = _built(entry_id, **params)(_x(2, c_in, side, side))
    expected = (2, c_out, (side + 1) // 2, (side + 1) // 2)
    assert tuple(out.shape) == expected, f"{entry_id}: {tuple(out.shape)} != {expected}"


def test_resnext_grouped_convolution_equals_aggregated_branches():
    """The paper's equivalence: a grouped 3x3 is C separate 3x3 convolutions on channel slices, concatenated."""
    block = _built("resnext-block", cardinality=4, bottleneck_width=4)
    conv = block.grouped[0]
    h = _x(2, 16, 8, 8)
    branches = [
        F.conv2d(h[:, 4 * i : 4 * i + 4], conv.weight[4 * i : 4 * i + 4], padding=1) for i in range(4)
    ]
    assert torch.allclose(conv(h), torch.cat(branches, 1), atol=1e-5), "grouped conv != aggregated branches"


def test_squeeze_excitation_matches_its_formula():
    """Reference: s = sigmoid(W2 ReLU(W1 mean(x))) computed with plain matrix products, then x * s."""
    se = _built("squeeze-and-excitation-block", channels=32, reduction=8)
    x = _x(2, 32, 5, 5)
    z = x.mean(dim=(2, 3))
    w1, b1 = se.fc1.weight.flatten(1), se.fc1.bias
    w2, b2 = se.fc2.weight.flatten(1), se.fc2.bias
    s = torch.sigmoid(torch.relu(z @ w1.t() + b1) @ w2.t() + b2)
    assert se.fc1.weight.shape[0] == 4, "hidden width is not C / r"
    assert torch.allclose(se(x), x * s[:, :, None, None], atol=1e-6), "SE output != x * s"


def test_inverted_residual_keeps_a_shortcut_only_between_equal_bottlenecks():
    """Shortcut iff stride 1 and k = k'; the projection is linear, so outputs may be negative."""
    same = _built("inverted-residual-block", in_channels=8, out_channels=8)
    other = _built("inverted-residual-block", in_channels=8, out_channels=16)
    assert same.use_shortcut and not other.use_shortcut, "shortcut rule differs from the paper"
    assert (other(_x(2, 8, 8, 8)) < 0).any(), "the linear bottleneck produced no negative value"


def test_dense_block_concatenates_its_input_and_every_layer():
    """Output = [x, x_1, ..., x_L]: the first C channels are the input itself, then L groups of k."""
    block = _built("dense-block", in_channels=16, num_layers=3, growth_rate=8).eval()
    x = _x(2, 16, 6, 6)
    out = block(x)
    assert out.shape[1] == 16 + 3 * 8, f"channels {out.shape[1]} != C + L k"
    assert torch.equal(out[:, :16], x), "the block's input is not carried through unchanged"
    first = block.layers[0]([x])
    assert torch.allclose(out[:, 16:24], first), "layer 1's maps are not the next k channels"


def test_inception_module_concatenates_its_four_branches():
    """Channels = #1x1 + #3x3 + #5x5 + pool proj, and the first block is ReLU(1x1 conv(x))."""
    module = _built("inception-module")
    x = _x(2, 48, 8, 8)
    out = module(x)
    assert out.shape[1] == 16 + 32 + 8 + 8, f"output channels {out.shape[1]}"
    assert torch.allclose(out[:, :16], torch.relu(module.branch1[0](x))), "1x1 branch is not first"


def test_googlenet_loss_adds_weighted_auxiliary_losses():
    """L = CE(main) + 0.3 (CE(aux1) + CE(aux2)), the paper's training objective."""
    model = _built("googlenet")
    inputs = registry.get("googlenet").example_inputs()
    torch.manual_seed(0)
    out = model(**inputs)
    labels = inputs["labels"]
    expected = F.cross_entropy(out["logits"], labels) + 0.3 * (
        F.cross_entropy(out["aux1"], labels) + F.cross_entropy(out["aux2"], labels)
    )
    assert torch.allclose(out["loss"], expected), f"loss {out['loss']} != {expected}"


def test_alexnet_lrn_matches_the_paper_formula():
    """b_i = a_i / (k + alpha sum_{|j - i| <= n/2} a_j^2)^beta, as a naive loop over channels."""
    lrn = _built("alexnet").features[2]
    a = _x(1, 12, 3, 3)
    expected = torch.empty_like(a)
    for i in range(12):
        window = a[:, max(0, i - 2) : min(12, i + 3)]
        expected[:, i] = a[:, i] / (2.0 + 1e-4 * window.pow(2).sum(1)) ** 0.75
    assert isinstance(lrn, nn.LocalResponseNorm), "third AlexNet layer is not LRN"
    assert torch.allclose(lrn(a), expected, atol=1e-6), "LRN differs from the paper's formula"


def test_convnext_block_with_zero_layer_scale_is_the_identity():
    """gamma = 0 silences the residual branch: each block returns its input."""
    model = _built("convnext", layer_scale_init=0.0)
    block = model.features[2]
    x = _x(2, 8, 8, 8)
    assert torch.equal(block(x), x), "a ConvNeXt block with gamma = 0 changed its input"


def test_efficientnet_depth_multiplier_adds_blocks_and_widths_stay_multiples_of_8():
    """Compound scaling: a larger d gives more MBConv blocks; every conv width is a multiple of 8."""
    small, deep = _built("efficientnet", depth_mult=0.25), _built("efficientnet", depth_mult=1.0)
    count = [sum(type(m).__name__ == "MBConv" for m in model.modules()) for model in (small, deep)]
    assert count == [7, 16], f"MBConv counts {count} != [7, 16] (B0 has 16)"
    widths = {
        m.out_channels
        for m in deep.modules()
        if isinstance(m, nn.Conv2d) and m.groups == 1 and m.kernel_size != (1, 1)
    }
    assert all(w % 8 == 0 for w in widths), f"stem width not a multiple of 8: {widths}"


def test_vit_patch_embedding_is_a_linear_map_of_flattened_patches():
    """z = x_p E: the stride-P convolution equals a matrix product with the patchified image."""
    model = _built("vision-transformer")
    x = _x(2, 3, 32, 32)
    conv = model.patch_embed.projection
    weight = conv.weight.permute(0, 2, 3, 1).reshape(conv.out_channels, -1)
    expected = patchify(x, 8) @ weight.t() + conv.bias
    assert torch.allclose(model.patch_embed(x), expected, atol=1e-5), "patch embedding != x_p E"


def test_swin_windows_round_trip_and_shift_mask_separates_regions():
    """partition/reverse are inverse; the shifted-window mask forbids pairs from different regions."""
    x = _x(2, 8, 8, 4)
    assert torch.equal(window_reverse(window_partition(x, 4), 4, 8, 8), x), "window round trip changed x"
    mask = shift_mask(8, 8, 4, 2)
    assert mask.shape == (4, 16, 16), f"mask shape {tuple(mask.shape)}"
    assert mask[0].all(), "the top-left window holds only original neighbours and must be unmasked"
    assert not mask[-1].all(), "the wrapped bottom-right window must mask pairs from different regions"
    index = relative_position_index(4)
    assert torch.equal(torch.diagonal(index), torch.full((16,), index[0, 0].item())), (
        "zero offset not one index"
    )


def test_mae_masks_three_quarters_and_scores_only_masked_patches():
    """Exactly N r patches removed per sample; loss = mean over removed patches of normalized-pixel MSE."""
    model = _built("mae")
    x = _x(2, 3, 32, 32)
    torch.manual_seed(5)
    out = model(x)
    assert (out["mask"].sum(1) == 48).all(), f"removed patches {out['mask'].sum(1)} != 48 of 64"
    target = patchify(x, 4)
    target = (target - target.mean(-1, keepdim=True)) / (target.var(-1, keepdim=True) + 1e-6).sqrt()
    per_patch = ((out["pred"] - target) ** 2).mean(-1)
    expected = per_patch[out["mask"].bool()].mean()
    assert torch.allclose(out["loss"], expected, atol=1e-6), f"loss {out['loss']} != masked MSE {expected}"


def test_clip_logits_are_scaled_cosines_and_loss_is_symmetric():
    """logits_per_text = logits_per_image^T, |logits| <= 1 / 0.07, and the loss is the mean of both CEs."""
    model = _built("clip")
    inputs = registry.get("clip").example_inputs()
    out = model(**inputs)
    assert torch.equal(out["logits_per_text"], out["logits_per_image"].t()), (
        "text logits are not the transpose"
    )
    assert out["logits_per_image"].abs().max() <= 1 / 0.07 + 1e-4, "logits exceed the temperature bound"
    labels = torch.arange(4)
    expected = (
        F.cross_entropy(out["logits_per_image"], labels) + F.cross_entropy(out["logits_per_text"], labels)
    ) / 2
    assert torch.allclose(out["loss"], expected), "loss is not the symmetric cross-entropy"


def test_vgg_uses_only_3x3_convolutions():
    """VGG's design rule: every convolution is 3x3 with stride 1 and padding 1."""
    model = _built("vgg", config=(2, 2, 3, 3, 3))
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == 13, f"VGG-16 has 13 conv layers, found {len(convs)}"
    assert all(c.kernel_size == (3, 3) and c.stride == (1, 1) and c.padding == (1, 1) for c in convs), (
        "non-3x3 conv"
    )
