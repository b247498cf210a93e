"""More training methods written from their papers: early stopping, LARS, dropout variants, losses,
attention bands and image augmentations."""

from pydantic import Field

from methods.spec import MethodEntry, Params, TensorSpec, hand_written

_B, _N = 4, 8


class EarlyStoppingParams(Params):
    patience: int = Field(5, ge=1, le=1000, description="evaluations without improvement before stopping")
    min_delta: float = Field(0.0, ge=0.0, le=10.0, description="smallest decrease that counts as improvement")


class LARSParams(Params):
    lr: float = Field(1.0, gt=0.0, le=100.0, description="global learning rate γ")
    momentum: float = Field(0.9, ge=0.0, lt=1.0, description="momentum m")
    weight_decay: float = Field(5e-4, ge=0.0, le=1.0, description="weight decay β")
    trust_coefficient: float = Field(
        0.02, gt=0.0, le=1.0, description="trust coefficient η (0.001 in the paper)"
    )


class DiceParams(Params):
    smooth: float = Field(1.0, ge=0.0, le=100.0, description="smoothing s added to both sides")
    generalised: bool = Field(False, description="weight classes by 1/(Σ y)² (Sudre et al.)")


class SlidingWindowParams(Params):
    dim: int = Field(32, ge=1, le=512, description="model width d")
    num_heads: int = Field(4, ge=1, le=16, description="heads; must divide d")
    window: int = Field(4, ge=0, le=4096, description="window w (512 in Longformer)")
    causal: bool = Field(False, description="look left only (decoder form)")


class ArcFaceParams(Params):
    embedding_dim: int = Field(16, ge=1, le=1024, description="embedding width D (512 in the paper)")
    num_classes: int = Field(10, ge=2, le=100_000, description="identities K")
    scale: float = Field(64.0, gt=0.0, le=256.0, description="feature scale s (64)")
    margin: float = Field(0.5, ge=0.0, le=1.5, description="additive angular margin m in radians (0.5)")


class CBAMChannelParams(Params):
    channels: int = Field(32, ge=1, le=2048, description="channels C")
    reduction: int = Field(16, ge=1, le=256, description="reduction ratio r (16)")


class DropConnectParams(Params):
    in_features: int = Field(16, ge=1, le=512, description="input width")
    out_features: int = Field(8, ge=1, le=512, description="output width")
    p: float = Field(0.5, gt=0.0, le=1.0, description="keep probability p of each weight")


class FlipParams(Params):
    p: float = Field(0.5, ge=0.0, le=1.0, description="flip probability")


class CutoutParams(Params):
    length: int = Field(8, ge=1, le=64, description="side L of the square (16 on CIFAR-10)")
    n_holes: int = Field(1, ge=1, le=8, description="squares per image")


class L1Params(Params):
    strength: float = Field(1e-3, ge=0.0, le=10.0, description="penalty weight λ")


class SupConParams(Params):
    temperature: float = Field(0.1, gt=0.0, le=10.0, description="temperature τ (0.1)")


class WGANGPParams(Params):
    channels: int = Field(3, ge=1, le=4, description="image channels")
    hidden: int = Field(16, ge=1, le=128, description="critic channels")
    gp_weight: float = Field(10.0, ge=0.0, le=100.0, description="penalty weight λ (10)")


class EmbeddingDropoutParams(Params):
    num_embeddings: int = Field(50, ge=2, le=100_000, description="vocabulary size V")
    embedding_dim: int = Field(16, ge=1, le=1024, description="embedding width D")
    p: float = Field(0.1, ge=0.0, lt=1.0, description="word drop rate p_e (0.1 in AWD-LSTM)")


class MaxoutParams(Params):
    in_features: int = Field(16, ge=1, le=1024, description="input width")
    out_features: int = Field(8, ge=1, le=1024, description="maxout units")
    pieces: int = Field(3, ge=1, le=16, description="linear pieces k per unit")


class SparsemaxParams(Params):
    dim: int = Field(-1, ge=-2, le=1, description="dimension normalised onto the simplex")


class DropPathParams(Params):
    drop_prob: float = Field(0.15, ge=0.0, le=1.0, description="drop probability of each path (0.15 local)")


_IMAGES = (TensorSpec("images", (_B, 3, 16, 16), dist="uniform", doc="[B, C, H, W] in [0, 1]"),)

ENTRIES: tuple[MethodEntry, ...] = (
    hand_written(
        "early-stopping",
        ("Early Stopping",),
        "algorithm",
        "https://doi.org/10.1007/3-540-49430-8_3",
        "early_stopping:EarlyStopping",
        "Stops training once the validation loss has not improved for `patience` evaluations.",
        EarlyStoppingParams,
        (
            TensorSpec(
                "val_losses", (30,), dist="uniform", low=0.5, high=1.5, doc="[T] validation loss per epoch"
            ),
        ),
        {"stop_step": (), "best_step": (), "best_loss": (), "stopped": (30,)},
    ),
    MethodEntry(
        id="lars",
        names=("LARS", "Layer-wise Adaptive Rate Scaling"),
        kind="optimizer",
        paper="https://arxiv.org/abs/1708.03888",
        target="methods.impl.lars:LARS",
        summary="Momentum SGD with a per-layer rate proportional to ‖w‖/‖∇w‖, for very large batches.",
        params=LARSParams,
        inputs=(TensorSpec("weight", (8, 8), doc="initial parameter minimized on the toy objective"),),
    ),
    hand_written(
        "dice-loss",
        ("Dice Loss", "Soft Dice Loss"),
        "loss",
        "https://arxiv.org/abs/1707.03237",
        "dice_loss:DiceLoss",
        "One minus the soft Dice overlap of predicted and true masks: robust to class imbalance.",
        DiceParams,
        (
            TensorSpec("logits", (2, 3, 8, 8), doc="[B, C, H, W] scores"),
            TensorSpec("targets", (2, 3, 8, 8), dist="bernoulli", high=0.3, doc="[B, C, H, W] binary masks"),
        ),
        {"loss": (), "dice": (3,)},
    ),
    hand_written(
        "sliding-window-attention",
        ("Sliding Window Attention", "Local attention window"),
        "module",
        "https://arxiv.org/abs/2004.05150",
        "sliding_window_attention:SlidingWindowAttention",
        "Each token attends to a fixed window around it: linear cost in sequence length (Longformer).",
        SlidingWindowParams,
        (TensorSpec("x", (2, 16, "dim"), fixed=(2,), doc="[B, T, d]"),),
        {"output": (2, 16, 32), "mask": (16, 16)},
    ),
    hand_written(
        "arcface",
        ("ArcFace", "Additive Angular Margin Loss"),
        "loss",
        "https://arxiv.org/abs/1801.07698",
        "arcface:ArcFaceLoss",
        "Softmax over cosines to class centres with an angular margin m added for the true class.",
        ArcFaceParams,
        (
            TensorSpec("embeddings", (_N, "embedding_dim"), fixed=(1,), doc="[N, D] features"),
            TensorSpec(
                "labels", (_N,), dtype="int64", dist="randint", high="num_classes", doc="[N] identities"
            ),
        ),
        {"loss": (), "logits": (_N, 10)},
    ),
    hand_written(
        "channel-attention-module",
        ("Channel Attention Module", "CBAM channel attention"),
        "module",
        "https://arxiv.org/abs/1807.06521",
        "channel_attention_module:ChannelAttentionModule",
        "Channel weights σ(MLP(avg) + MLP(max)) from average- and max-pooled descriptors (CBAM).",
        CBAMChannelParams,
        (TensorSpec("x", (2, "channels", 8, 8), fixed=(1,), doc="[B, C, H, W]"),),
        {"output": (2, 32, 8, 8), "attention": (2, 32)},
    ),
    hand_written(
        "dropconnect",
        ("DropConnect",),
        "module",
        "https://proceedings.mlr.press/v28/wan13.html",
        "dropconnect:DropConnectLinear",
        "Drops individual weights of a layer at random, a fresh mask per example.",
        DropConnectParams,
        (TensorSpec("x", (_B, "in_features"), fixed=(1,), doc="[B, in_features]"),),
        {"output": (_B, 8), "kept": (_B,)},
    ),
    hand_written(
        "random-horizontal-flip",
        ("Random Horizontal Flip", "RandomHorizontalFlip"),
        "augmentation",
        "https://papers.nips.cc/paper_files/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html",
        "random_horizontal_flip:RandomHorizontalFlip",
        "Mirrors each image left to right with probability p.",
        FlipParams,
        _IMAGES,
        {"images": (_B, 3, 16, 16), "flipped": (_B,)},
    ),
    hand_written(
        "cutout",
        ("Cutout",),
        "augmentation",
        "https://arxiv.org/abs/1708.04552",
        "cutout:Cutout",
        "Zeroes a random square of each image, as if part of the object were occluded.",
        CutoutParams,
        _IMAGES,
        {"images": (_B, 3, 16, 16), "mask": (_B, 1, 16, 16)},
    ),
    hand_written(
        "l1-regularization",
        ("L1 Regularization", "Lasso penalty"),
        "loss",
        "https://doi.org/10.1111/j.2517-6161.1996.tb02080.x",
        "l1_regularization:L1Regularization",
        "λ‖w‖₁: a penalty whose constant-size pull drives unimportant weights to exactly zero.",
        L1Params,
        (TensorSpec("weight", (8, 16), requires_grad=True, doc="[*] a weight tensor"),),
        {"penalty": (), "subgradient": (8, 16)},
    ),
    hand_written(
        "supervised-contrastive-loss",
        ("Supervised Contrastive Loss", "SupCon"),
        "loss",
        "https://arxiv.org/abs/2004.11362",
        "supervised_contrastive_loss:SupervisedContrastiveLoss",
        "Contrastive loss whose positives are all other samples of the anchor's class.",
        SupConParams,
        (
            TensorSpec("features", (_N, 16), doc="[N, D] projections"),
            TensorSpec("labels", (_N,), dtype="int64", dist="randint", high=3, doc="[N] classes"),
        ),
        {"loss": (), "positives": (_N,)},
    ),
    hand_written(
        "wgan-gp-loss",
        ("WGAN-GP Loss", "Wasserstein Gradient Penalty Loss"),
        "loss",
        "https://arxiv.org/abs/1704.00028",
        "wgan_gp_loss:WGANGPLoss",
        "Wasserstein critic loss plus λ(‖∇D(x̂)‖ − 1)² on interpolates of real and fake samples.",
        WGANGPParams,
        tuple(
            TensorSpec(n, (_B, "channels", 16, 16), fixed=(1,), doc="[B, C, H, W]") for n in ("real", "fake")
        ),
        {"critic": (), "generator": (), "penalty": (), "gradient_norm": (_B,)},
    ),
    hand_written(
        "embedding-dropout",
        ("Embedding Dropout",),
        "module",
        "https://arxiv.org/abs/1512.05287",
        "embedding_dropout:EmbeddingDropout",
        "Drops whole word types from the embedding matrix, every occurrence at once.",
        EmbeddingDropoutParams,
        (
            TensorSpec(
                "tokens", (2, 12), dtype="int64", dist="randint", high="num_embeddings", doc="[B, T] ids"
            ),
        ),
        {"output": (2, 12, 16), "kept_words": (50,)},
    ),
    hand_written(
        "maxout",
        ("Maxout", "Maxout Unit"),
        "activation",
        "https://arxiv.org/abs/1302.4389",
        "maxout:Maxout",
        "The maximum of k learned linear functions: a learned convex piecewise-linear activation.",
        MaxoutParams,
        (TensorSpec("x", (_B, "in_features"), fixed=(1,), doc="[B, in_features]"),),
        {"output": (_B, 8)},
    ),
    hand_written(
        "sparsemax",
        ("Sparsemax",),
        "activation",
        "https://arxiv.org/abs/1602.02068",
        "sparsemax:Sparsemax",
        "Euclidean projection of scores onto the simplex: a softmax that outputs exact zeros.",
        SparsemaxParams,
        (TensorSpec("x", (_B, 10), doc="[*, K] scores"),),
        {"output": (_B, 10)},
    ),
    hand_written(
        "droppath",
        ("DropPath",),
        "module",
        "https://arxiv.org/abs/1605.07648",
        "drop_path:DropPathJoin",
        "Drops whole parallel paths at a join at random, keeping at least one (FractalNet).",
        DropPathParams,
        (TensorSpec("paths", (3, _B, 8), doc="[P, B, *] outputs of P parallel paths"),),
        {"output": (_B, 8), "kept": (3, _B)},
    ),
)
