"""Losses and regularizers: label smoothing and the triplet loss adapted from PyTorch, the rest from their papers."""

from typing import Literal

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec

_N, _K = 8, 10


class LabelSmoothingParams(Params):
    label_smoothing: float = Field(0.1, ge=0.0, le=1.0, description="smoothing ε (0.1 in Inception-v3)")


class TripletParams(Params):
    margin: float = Field(
        1.0, ge=0.0, le=100.0, description="margin α between positive and negative distances"
    )
    p: float = Field(2.0, ge=1.0, le=10.0, description="norm degree of the distance d")
    swap: bool = Field(False, description="use the closer of d(a, n), d(p, n) (distance swap)")


class HuberParams(Params):
    delta: float = Field(
        1.0, gt=0.0, le=100.0, description="threshold δ between the quadratic and linear parts"
    )


class CTCParams(Params):
    blank: int = Field(0, ge=0, le=0, description="index of the blank label (0)")
    zero_infinity: bool = Field(True, description="zero impossible alignments' infinite losses")


class AdaptiveSoftmaxParams(Params):
    in_features: int = Field(16, ge=1, le=1024, description="hidden width d")
    n_classes: int = Field(100, ge=4, le=100_000, description="vocabulary size |V|")
    cutoff1: int = Field(10, ge=1, le=100_000, description="size of the head's frequent words")
    cutoff2: int = Field(50, ge=2, le=100_000, description="end of the first tail cluster")
    div_value: float = Field(4.0, ge=1.0, le=16.0, description="width reduction k per tail cluster (4)")

    @model_validator(mode="after")
    def _cutoffs_increase(self) -> "AdaptiveSoftmaxParams":
        if not 0 < self.cutoff1 < self.cutoff2 < self.n_classes:
            raise ValueError("cutoffs must satisfy 0 < cutoff1 < cutoff2 < n_classes")
        return self


class FocalParams(Params):
    alpha: float = Field(0.25, ge=-1.0, le=1.0, description="positive-class weight α (−1: none)")
    gamma: float = Field(2.0, ge=0.0, le=10.0, description="focusing parameter γ (2 in the paper)")
    reduction: Literal["mean", "sum", "none"] = Field(
        "mean", description="how the per-element loss is reduced"
    )


class InfoNCEParams(Params):
    temperature: float = Field(0.1, gt=0.0, le=10.0, description="temperature τ of the scores")
    normalize: bool = Field(True, description="compare ℓ2-normalised vectors (cosine scores)")


class NTXentParams(Params):
    temperature: float = Field(0.5, gt=0.0, le=10.0, description="temperature τ (0.5 in SimCLR's ablations)")


class LSGANParams(Params):
    a: float = Field(0.0, ge=-10.0, le=10.0, description="target a of fakes for D")
    b: float = Field(1.0, ge=-10.0, le=10.0, description="target b of reals for D")
    c: float = Field(1.0, ge=-10.0, le=10.0, description="value c that G wants D to believe for fakes")


class HingeParams(Params):
    margin: float = Field(1.0, gt=0.0, le=10.0, description="SVM margin (1)")


class CycleParams(Params):
    channels: int = Field(3, ge=1, le=4, description="image channels C of both domains")
    hidden: int = Field(16, ge=1, le=128, description="hidden channels of G and F")
    weight: float = Field(10.0, ge=0.0, le=100.0, description="λ on the cycle loss (10 in CycleGAN)")


class EntropyParams(Params):
    beta: float = Field(0.01, ge=0.0, le=10.0, description="entropy weight β (0.01 in A3C)")


class R1Params(Params):
    channels: int = Field(3, ge=1, le=4, description="image channels C")
    hidden: int = Field(16, ge=1, le=128, description="channels of the small discriminator")
    gamma: float = Field(10.0, ge=0.0, le=1000.0, description="penalty weight γ (10 in StyleGAN)")


class PathLengthParams(Params):
    w_dim: int = Field(16, ge=1, le=512, description="latent width of W (512 in StyleGAN2)")
    channels: int = Field(3, ge=1, le=4, description="image channels")
    resolution: int = Field(8, ge=2, le=64, description="image side of the small generator")
    decay: float = Field(0.01, gt=0.0, le=1.0, description="update rate of the running mean a (0.01)")


class OffDiagonalParams(Params):
    beta: float = Field(1e-4, ge=0.0, le=10.0, description="strength β (10⁻⁴ in BigGAN)")


ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="label-smoothing",
        names=("Label Smoothing",),
        kind="loss",
        paper="https://arxiv.org/abs/1512.00567",
        target="methods.adapters.losses:label_smoothing",
        summary="Cross-entropy against targets mixed with the uniform distribution, discouraging overconfidence.",
        params=LabelSmoothingParams,
        inputs=(
            TensorSpec("input", (_N, _K), doc="[N, K] logits"),
            TensorSpec("target", (_N,), dtype="int64", dist="randint", high=_K, doc="[N] classes in [0, K)"),
        ),
        outputs={"output": ()},
        adapts="torch.nn.CrossEntropyLoss",
    ),
    MethodEntry(
        id="triplet-loss",
        names=("Triplet Loss", "Triplet Margin Loss"),
        kind="loss",
        paper="https://arxiv.org/abs/1503.03832",
        target="methods.adapters.losses:TripletMarginLoss",
        summary="max(d(a, p) − d(a, n) + α, 0): an anchor closer to its positive than its negative by a margin.",
        params=TripletParams,
        inputs=tuple(
            TensorSpec(n, (_N, 16), doc="[N, D] embeddings") for n in ("anchor", "positive", "negative")
        ),
        outputs={"output": ()},
        adapts="torch.nn.TripletMarginLoss",
    ),
    MethodEntry(
        id="huber-loss",
        names=("Huber loss", "Smooth L1 Loss"),
        kind="loss",
        paper="https://doi.org/10.1214/aoms/1177703732",
        target="methods.adapters.losses:HuberLoss",
        summary="Squared error for small residuals, absolute error beyond δ: robust to outliers.",
        params=HuberParams,
        inputs=(
            TensorSpec("input", (_N, 4), doc="[N, *] predictions"),
            TensorSpec("target", (_N, 4), doc="[N, *]"),
        ),
        outputs={"output": ()},
        adapts="torch.nn.HuberLoss",
    ),
    MethodEntry(
        id="ctc-loss",
        names=("CTC Loss", "Connectionist Temporal Classification"),
        kind="loss",
        paper="https://doi.org/10.1145/1143844.1143891",
        target="methods.adapters.losses:CTCFromLogits",
        summary="Negative log-probability of a label sequence summed over all its frame alignments.",
        params=CTCParams,
        inputs=(
            TensorSpec("logits", (20, 2, 6), doc="[T, N, C] per-frame scores; class 0 is the blank"),
            TensorSpec(
                "targets", (2, 5), dtype="int64", dist="randint", low=1, high=6, doc="[N, S] labels ≥ 1"
            ),
        ),
        outputs={"output": ()},
        adapts="torch.nn.CTCLoss",
    ),
    MethodEntry(
        id="adaptive-softmax",
        names=("Adaptive Softmax",),
        kind="loss",
        paper="https://arxiv.org/abs/1609.04309",
        target="methods.adapters.losses:AdaptiveSoftmax",
        summary="A softmax over frequent words plus narrower clusters for rare ones: fast large vocabularies.",
        params=AdaptiveSoftmaxParams,
        inputs=(
            TensorSpec("input", (_N, "in_features"), fixed=(1,), doc="[N, d] hidden states"),
            TensorSpec("target", (_N,), dtype="int64", dist="randint", high="n_classes", doc="[N] word ids"),
        ),
        outputs={"target_log_prob": (_N,), "loss": ()},
        adapts="torch.nn.AdaptiveLogSoftmaxWithLoss",
    ),
    MethodEntry(
        id="focal-loss",
        names=("Focal Loss",),
        kind="loss",
        paper="https://arxiv.org/abs/1708.02002",
        target="methods.impl.focal_loss:FocalLoss",
        summary="Cross-entropy scaled by (1 − p_t)^γ so easy examples stop dominating dense detection.",
        params=FocalParams,
        inputs=(
            TensorSpec("logits", (_N, _K), doc="[N, K] per-class scores"),
            TensorSpec("targets", (_N, _K), dist="bernoulli", high=0.2, doc="[N, K] binary labels"),
        ),
        outputs={"output": ()},
    ),
    MethodEntry(
        id="infonce",
        names=("InfoNCE", "Noise Contrastive Estimation loss of CPC"),
        kind="loss",
        paper="https://arxiv.org/abs/1807.03748",
        target="methods.impl.infonce:InfoNCE",
        summary="Cross-entropy of picking each query's positive among the batch's keys: a mutual-information bound.",
        params=InfoNCEParams,
        inputs=(
            TensorSpec("query", (_N, 16), doc="[N, D] contexts"),
            TensorSpec("key", (_N, 16), doc="[N, D] samples; key i is query i's positive"),
        ),
        outputs={"loss": (), "logits": (_N, _N)},
    ),
    MethodEntry(
        id="nt-xent",
        names=("NT-Xent", "Normalized Temperature-scaled Cross Entropy Loss"),
        kind="loss",
        paper="https://arxiv.org/abs/2002.05709",
        target="methods.impl.nt_xent:NTXent",
        summary="SimCLR's loss: each view must pick its partner view among 2N − 1 by cosine similarity / τ.",
        params=NTXentParams,
        inputs=(
            TensorSpec("z1", (_N, 16), doc="[N, D] first views"),
            TensorSpec("z2", (_N, 16), doc="[N, D] second views"),
        ),
        outputs={"loss": (), "similarity": (2 * _N, 2 * _N)},
    ),
    MethodEntry(
        id="gan-least-squares-loss",
        names=("GAN Least Squares Loss", "LSGAN loss"),
        kind="loss",
        paper="https://arxiv.org/abs/1611.04076",
        target="methods.impl.gan_least_squares_loss:GANLeastSquaresLoss",
        summary="Squared distance of the critic's outputs to target codes, for the discriminator and the generator.",
        params=LSGANParams,
        inputs=(
            TensorSpec("real_scores", (_N,), doc="[N] D(x)"),
            TensorSpec("fake_scores", (_N,), doc="[N] D(G(z))"),
        ),
        outputs={"discriminator": (), "generator": ()},
    ),
    MethodEntry(
        id="gan-hinge-loss",
        names=("GAN Hinge Loss",),
        kind="loss",
        paper="https://arxiv.org/abs/1705.02894",
        target="methods.impl.gan_hinge_loss:GANHingeLoss",
        summary="SVM margin loss for the critic, ReLU(1 − D(x)) + ReLU(1 + D(G(z))); −D(G(z)) for the generator.",
        params=HingeParams,
        inputs=(
            TensorSpec("real_scores", (_N,), doc="[N] D(x)"),
            TensorSpec("fake_scores", (_N,), doc="[N] D(G(z))"),
        ),
        outputs={"discriminator": (), "generator": ()},
    ),
    MethodEntry(
        id="cycle-consistency-loss",
        names=("Cycle Consistency Loss",),
        kind="loss",
        paper="https://arxiv.org/abs/1703.10593",
        target="methods.impl.cycle_consistency_loss:CycleConsistencyLoss",
        summary="‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁: translating to the other domain and back must return the input.",
        params=CycleParams,
        inputs=tuple(
            TensorSpec(
                n,
                (2, "channels", 16, 16),
                dist="uniform",
                low=-1.0,
                fixed=(1,),
                doc="[B, C, H, W] in [−1, 1]",
            )
            for n in ("x", "y")
        ),
        outputs={"loss": (), "forward_cycle": (), "backward_cycle": (), "reconstructed_x": (2, 3, 16, 16)},
    ),
    MethodEntry(
        id="entropy-regularization",
        names=("Entropy Regularization", "Entropy bonus"),
        kind="loss",
        paper="https://arxiv.org/abs/1602.01783",
        target="methods.impl.entropy_regularization:EntropyRegularization",
        summary="−β·H(π): rewards spread-out policies so an actor keeps exploring (A3C).",
        params=EntropyParams,
        inputs=(TensorSpec("logits", (_N, 6), doc="[B, A] action logits of the policy"),),
        outputs={"loss": (), "entropy": (_N,)},
    ),
    MethodEntry(
        id="r1-regularization",
        names=("R1 Regularization", "R1 gradient penalty"),
        kind="loss",
        paper="https://arxiv.org/abs/1801.04406",
        target="methods.impl.r1_regularization:R1Regularization",
        summary="(γ/2)‖∇ₓD(x)‖² at real data: the discriminator's gradient penalty that makes GANs converge.",
        params=R1Params,
        inputs=(TensorSpec("real", (4, "channels", 16, 16), fixed=(1,), doc="[B, C, H, W] real images"),),
        outputs={"penalty": (), "gradient_norm": (4,), "scores": (4,)},
    ),
    MethodEntry(
        id="path-length-regularization",
        names=("Path Length Regularization",),
        kind="loss",
        paper="https://arxiv.org/abs/1912.04958",
        target="methods.impl.path_length_regularization:PathLengthRegularization",
        summary="(‖J_wᵀy‖ − a)²: a fixed step in latent space should move the image by a fixed amount (StyleGAN2).",
        params=PathLengthParams,
        inputs=(TensorSpec("w", (4, "w_dim"), fixed=(1,), doc="[B, w_dim] intermediate latents"),),
        outputs={"penalty": (), "path_lengths": (4,), "mean_path_length": (), "images": (4, 3, 8, 8)},
    ),
    MethodEntry(
        id="off-diagonal-orthogonal-regularization",
        names=("Off-Diagonal Orthogonal Regularization",),
        kind="loss",
        paper="https://arxiv.org/abs/1809.11096",
        target="methods.impl.off_diagonal_orthogonal_regularization:OffDiagonalOrthogonalRegularization",
        summary="β‖WᵀW ⊙ (1 − I)‖²_F: filters pushed to be pairwise orthogonal, norms left free (BigGAN).",
        params=OffDiagonalParams,
        inputs=(TensorSpec("weight", (8, 4, 3, 3), requires_grad=True, doc="[out, *] one filter per row"),),
        outputs={"output": ()},
    ),
)
