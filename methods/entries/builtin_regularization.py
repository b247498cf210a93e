"""Regularizers, augmentations, normalizations and image operations written from their papers."""

from typing import Literal

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec, hand_written

_B = 4
_IMAGES = (TensorSpec("images", (_B, 3, 16, 16), dist="uniform", doc="[B, 3, H, W] RGB in [0, 1]"),)
_LABELED = (
    *_IMAGES,
    TensorSpec("labels", (_B,), dtype="int64", dist="randint", high="num_classes", doc="[B] classes"),
)


class StochasticDepthParams(Params):
    channels: int = Field(16, ge=1, le=512, description="channels C of the residual block")
    drop_prob: float = Field(
        0.5, ge=0.0, le=1.0, description="1 − p_ℓ, the block's drop rate (0.5 at the last block)"
    )
    mode: Literal["row", "batch"] = Field("row", description="one draw per example (row) or per batch")


class DropBlockParams(Params):
    keep_prob: float = Field(0.9, gt=0.0, le=1.0, description="keep_prob (0.9 in the paper)")
    block_size: int = Field(3, ge=1, le=15, description="block_size (7 in the paper)")


class MCDropoutParams(Params):
    in_features: int = Field(8, ge=1, le=1024, description="input width")
    hidden: int = Field(32, ge=1, le=1024, description="hidden units per layer")
    out_features: int = Field(2, ge=1, le=1024, description="output width")
    p: float = Field(0.2, ge=0.0, lt=1.0, description="dropout probability p")
    samples: int = Field(20, ge=1, le=1000, description="stochastic passes T")


class VariationalDropoutParams(Params):
    input_size: int = Field(8, ge=1, le=512, description="input features D")
    hidden_size: int = Field(16, ge=1, le=512, description="hidden units H")
    p_input: float = Field(0.25, ge=0.0, lt=1.0, description="dropout p_x on the inputs")
    p_hidden: float = Field(0.25, ge=0.0, lt=1.0, description="dropout p_h on the recurrent state")


class AdaINParams(Params):
    eps: float = Field(1e-5, gt=0.0, le=1e-1, description="ε added to the variances")


class CBNParams(Params):
    num_features: int = Field(16, ge=1, le=1024, description="channels C")
    condition_dim: int = Field(8, ge=1, le=1024, description="conditioning embedding width E")
    hidden: int = Field(32, ge=1, le=1024, description="hidden width of the Δγ, Δβ predictors")
    eps: float = Field(1e-5, gt=0.0, le=1e-1, description="ε added to the batch variance")


class NMSParams(Params):
    iou_threshold: float = Field(0.5, ge=0.0, le=1.0, description="IoU at or above which a box is suppressed")
    score_threshold: float = Field(0.0, ge=0.0, le=1.0, description="boxes scoring below are discarded first")


class DCTParams(Params):
    orthonormal: bool = Field(True, description="orthonormal scaling s_k (SciPy's norm='ortho')")


class TruncationParams(Params):
    threshold: float = Field(
        0.5, gt=0.0, le=10.0, description="truncation threshold ψ (BigGAN sweeps 0.04 to 2)"
    )


class DemodulationParams(Params):
    in_channels: int = Field(8, ge=1, le=256, description="input channels i")
    out_channels: int = Field(8, ge=1, le=256, description="output channels j")
    kernel_size: int = Field(3, ge=1, le=7, description="filter side k (3)")
    w_dim: int = Field(16, ge=1, le=512, description="latent width (512 in StyleGAN2)")
    demodulate: bool = Field(True, description="apply the demodulation (off: modulation only)")


class _MixParams(Params):
    num_classes: int = Field(10, ge=2, le=1000, description="classes K of the one-hot targets")
    label_smoothing: float = Field(0.0, ge=0.0, le=1.0, description="smoothing ε applied before mixing")


class MixupParams(_MixParams):
    alpha: float = Field(0.2, ge=0.0, le=10.0, description="α of λ ∼ Beta(α, α) (0.1 to 0.4 on ImageNet)")


class CutMixParams(_MixParams):
    alpha: float = Field(1.0, gt=0.0, le=10.0, description="α of λ ∼ Beta(α, α) (1: uniform)")


class RandomResizedCropParams(Params):
    size: int = Field(16, ge=1, le=512, description="output side S (224 on ImageNet)")
    scale_min: float = Field(0.08, gt=0.0, le=1.0, description="smallest area fraction (0.08)")
    scale_max: float = Field(1.0, gt=0.0, le=1.0, description="largest area fraction (1)")
    ratio_min: float = Field(0.75, gt=0.0, le=10.0, description="smallest aspect ratio (3/4)")
    ratio_max: float = Field(4 / 3, gt=0.0, le=10.0, description="largest aspect ratio (4/3)")

    @model_validator(mode="after")
    def _ordered(self) -> "RandomResizedCropParams":
        if self.scale_min > self.scale_max or self.ratio_min > self.ratio_max:
            raise ValueError("scale_min must not exceed scale_max, nor ratio_min ratio_max")
        return self


class ColorJitterParams(Params):
    brightness: float = Field(0.4, ge=0.0, le=1.0, description="brightness strength b")
    contrast: float = Field(0.4, ge=0.0, le=1.0, description="contrast strength")
    saturation: float = Field(0.4, ge=0.0, le=1.0, description="saturation strength")


class GaussianBlurParams(Params):
    kernel_size: int = Field(5, ge=1, le=31, description="odd kernel side (10% of the image side in SimCLR)")
    sigma_min: float = Field(0.1, gt=0.0, le=10.0, description="smallest σ (0.1)")
    sigma_max: float = Field(2.0, gt=0.0, le=10.0, description="largest σ (2.0)")
    p: float = Field(0.5, ge=0.0, le=1.0, description="probability of blurring an image (0.5)")

    @model_validator(mode="after")
    def _odd_and_ordered(self) -> "GaussianBlurParams":
        if self.kernel_size % 2 == 0:
            raise ValueError(f"kernel_size must be odd, got {self.kernel_size}")
        if self.sigma_min > self.sigma_max:
            raise ValueError("sigma_min must not exceed sigma_max")
        return self


ENTRIES: tuple[MethodEntry, ...] = (
    hand_written(
        "stochastic-depth",
        ("Stochastic Depth",),
        "module",
        "https://arxiv.org/abs/1603.09382",
        "stochastic_depth:StochasticDepthBlock",
        "Skips whole residual blocks at random while training: a shallower network per step.",
        StochasticDepthParams,
        (TensorSpec("x", (_B, "channels", 8, 8), fixed=(1,), doc="[B, C, H, W]"),),
        {"output": (_B, 16, 8, 8), "kept": (_B,)},
    ),
    hand_written(
        "dropblock",
        ("DropBlock",),
        "module",
        "https://arxiv.org/abs/1810.12890",
        "dropblock:DropBlock",
        "Drops contiguous square regions of feature maps instead of single units.",
        DropBlockParams,
        (TensorSpec("x", (_B, 8, 16, 16), doc="[B, C, H, W]"),),
        {"output": (_B, 8, 16, 16), "mask": (_B, 1, 16, 16)},
    ),
    hand_written(
        "monte-carlo-dropout",
        ("Monte Carlo Dropout", "MC Dropout"),
        "module",
        "https://arxiv.org/abs/1506.02142",
        "monte_carlo_dropout:MonteCarloDropout",
        "Dropout left on at test time: the spread of many passes estimates the model's uncertainty.",
        MCDropoutParams,
        (TensorSpec("x", (_B, "in_features"), fixed=(1,), doc="[B, in_features]"),),
        {"mean": (_B, 2), "variance": (_B, 2), "samples": (20, _B, 2)},
    ),
    hand_written(
        "variational-dropout",
        ("Variational Dropout",),
        "module",
        "https://arxiv.org/abs/1512.05287",
        "variational_dropout:VariationalDropoutLSTM",
        "RNN dropout with one mask per sequence on inputs and recurrent state, reused at every step.",
        VariationalDropoutParams,
        (TensorSpec("x", (_B, 8, "input_size"), fixed=(2,), doc="[B, T, D]"),),
        {"output": (_B, 8, 16), "input_mask": (_B, 8), "hidden_mask": (_B, 16)},
    ),
    hand_written(
        "adaptive-instance-normalization",
        ("Adaptive Instance Normalization", "AdaIN"),
        "module",
        "https://arxiv.org/abs/1703.06868",
        "adaptive_instance_normalization:AdaptiveInstanceNormalization",
        "Gives content features the per-channel mean and spread of style features: style transfer in one step.",
        AdaINParams,
        (
            TensorSpec("content", (2, 8, 16, 16), doc="[B, C, H, W]"),
            TensorSpec("style", (2, 8, 12, 12), doc="[B, C, H', W']"),
        ),
        {"output": (2, 8, 16, 16)},
    ),
    hand_written(
        "conditional-batch-normalization",
        ("Conditional Batch Normalization", "CBN"),
        "module",
        "https://arxiv.org/abs/1707.00683",
        "conditional_batch_normalization:ConditionalBatchNorm2d",
        "Batch normalization whose scale and shift are predicted from a conditioning embedding.",
        CBNParams,
        (
            TensorSpec("x", (_B, "num_features", 8, 8), fixed=(1,), doc="[B, C, H, W]"),
            TensorSpec("condition", (_B, "condition_dim"), fixed=(1,), doc="[B, E] conditioning embedding"),
        ),
        {"output": (_B, 16, 8, 8)},
    ),
    hand_written(
        "non-maximum-suppression",
        ("Non Maximum Suppression", "NMS", "Non-Maximum Suppression"),
        "algorithm",
        "https://doi.org/10.1109/ICPR.2006.479",
        "non_maximum_suppression:NonMaximumSuppression",
        "Keeps the best box and drops those overlapping it beyond an IoU threshold, repeatedly.",
        NMSParams,
        (
            TensorSpec("boxes", (16, 4), dist="uniform", high=32.0, doc="[N, 4] corners (x1, y1, x2, y2)"),
            TensorSpec("scores", (16,), dist="uniform", doc="[N] confidences"),
        ),
        {"keep": (16,), "kept_scores": (16,), "iou": (16, 16)},
    ),
    hand_written(
        "discrete-cosine-transform",
        ("Discrete Cosine Transform", "DCT", "DCT-II"),
        "function",
        "https://doi.org/10.1109/T-C.1974.223784",
        "discrete_cosine_transform:DiscreteCosineTransform",
        "Writes an image as a sum of cosines of growing frequency: its real spatial-frequency spectrum.",
        DCTParams,
        (TensorSpec("x", (2, 3, 8, 8), doc="[B, C, H, W] (8×8 blocks, as in JPEG)"),),
        {"coefficients": (2, 3, 8, 8), "reconstruction": (2, 3, 8, 8)},
    ),
    hand_written(
        "truncation-trick",
        ("Truncation Trick",),
        "algorithm",
        "https://arxiv.org/abs/1706.00082",
        "truncation_trick:TruncationTrick",
        "Resamples latent entries beyond a threshold ψ: a truncated normal trading variety for fidelity.",
        TruncationParams,
        (TensorSpec("z", (_B, 32), doc="[B, D] draws from N(0, I)"),),
        {"z": (_B, 32), "resampled": (_B, 32)},
    ),
    hand_written(
        "weight-demodulation",
        ("Weight Demodulation", "Modulated Convolution"),
        "module",
        "https://arxiv.org/abs/1912.04958",
        "weight_demodulation:ModulatedConv2d",
        "Scales conv weights by a style, then renormalises each output filter to unit norm (StyleGAN2).",
        DemodulationParams,
        (
            TensorSpec("x", (_B, "in_channels", 8, 8), fixed=(1,), doc="[B, C_in, H, W]"),
            TensorSpec("w", (_B, "w_dim"), fixed=(1,), doc="[B, w_dim] intermediate latents"),
        ),
        {"output": (_B, 8, 8, 8)},
    ),
    hand_written(
        "mixup",
        ("Mixup", "mixup"),
        "augmentation",
        "https://arxiv.org/abs/1710.09412",
        "mixup:Mixup",
        "Trains on convex combinations of image pairs and of their one-hot labels.",
        MixupParams,
        _LABELED,
        {"images": (_B, 3, 16, 16), "targets": (_B, 10), "lam": ()},
    ),
    hand_written(
        "cutmix",
        ("CutMix",),
        "augmentation",
        "https://arxiv.org/abs/1905.04899",
        "cutmix:CutMix",
        "Pastes a random box from another image; labels mixed in proportion to the pasted area.",
        CutMixParams,
        _LABELED,
        {"images": (_B, 3, 16, 16), "targets": (_B, 10), "lam": (), "box": (4,)},
    ),
    hand_written(
        "random-resized-crop",
        ("Random Resized Crop", "RandomResizedCrop", "Inception crop"),
        "augmentation",
        "https://arxiv.org/abs/1409.4842",
        "random_resized_crop:RandomResizedCrop",
        "Crops a random area fraction and aspect ratio, then resizes it to a fixed size.",
        RandomResizedCropParams,
        (TensorSpec("images", (_B, 3, 32, 32), dist="uniform", doc="[B, C, H, W] in [0, 1]"),),
        {"images": (_B, 3, 16, 16), "boxes": (_B, 4)},
    ),
    hand_written(
        "colorjitter",
        ("ColorJitter", "Color Jitter"),
        "augmentation",
        "https://papers.nips.cc/paper_files/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html",
        "color_jitter:ColorJitter",
        "Randomly changes brightness, contrast and saturation, in random order.",
        ColorJitterParams,
        _IMAGES,
        {"images": (_B, 3, 16, 16), "factors": (_B, 3)},
    ),
    hand_written(
        "random-gaussian-blur",
        ("Random Gaussian Blur", "Gaussian Blur augmentation"),
        "augmentation",
        "https://arxiv.org/abs/2002.05709",
        "random_gaussian_blur:RandomGaussianBlur",
        "Blurs an image, with some probability, by a Gaussian of random width.",
        GaussianBlurParams,
        _IMAGES,
        {"images": (_B, 3, 16, 16), "sigma": (_B,)},
    ),
)
