"""Self-supervised and generative training objectives, two-time-scale GAN updates and tree search."""

from pydantic import Field

from methods.spec import MethodEntry, Params, TensorSpec


class ColorizationParams(Params):
    grid: int = Field(5, ge=2, le=32, description="ab bins per axis (Q = grid²; paper 313 in-gamut bins)")
    width: int = Field(16, ge=1, le=256, description="network width")
    sigma: float = Field(0.2, gt=0.0, le=2.0, description="soft-encoding Gaussian σ, in ab units")
    neighbours: int = Field(5, ge=1, le=64, description="nearest bins of the soft encoding (paper 5)")
    rebalance: float = Field(0.5, ge=0.0, le=1.0, description="class rebalancing mix λ (paper 1/2)")
    temperature: float = Field(0.38, gt=0.0, le=1.0, description="annealed-mean temperature T (paper 0.38)")


class JigsawParams(Params):
    channels: int = Field(3, ge=1, le=16, description="image channels")
    num_permutations: int = Field(24, ge=2, le=200, description="permutation classes P (paper 1000)")
    feature_dim: int = Field(32, ge=1, le=512, description="tile feature size")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the permutation pool")


class MoCoParams(Params):
    channels: int = Field(3, ge=1, le=16, description="image channels")
    dim: int = Field(32, ge=1, le=1024, description="embedding size (paper 128)")
    queue_size: int = Field(64, ge=1, le=65_536, description="queue of negatives K (paper 65,536)")
    momentum: float = Field(0.999, ge=0.0, le=1.0, description="key encoder momentum m")
    temperature: float = Field(0.07, gt=0.0, le=10.0, description="temperature τ (paper 0.07)")


class BYOLParams(Params):
    channels: int = Field(3, ge=1, le=16, description="image channels")
    feature_dim: int = Field(32, ge=1, le=2048, description="representation size")
    projection_dim: int = Field(16, ge=1, le=1024, description="projection size (paper 256)")
    hidden: int = Field(64, ge=1, le=8192, description="MLP hidden size (paper 4096)")
    tau: float = Field(0.99, ge=0.0, le=1.0, description="target EMA rate τ (paper 0.996)")


class DINOParams(Params):
    channels: int = Field(3, ge=1, le=16, description="image channels")
    out_dim: int = Field(64, ge=2, le=65_536, description="output dimension K (paper 65,536)")
    student_temperature: float = Field(0.1, gt=0.0, le=10.0, description="τ_s (paper 0.1)")
    teacher_temperature: float = Field(0.04, gt=0.0, le=10.0, description="τ_t (paper 0.04-0.07)")
    center_momentum: float = Field(0.9, ge=0.0, le=1.0, description="centre EMA rate m (paper 0.9)")


class CPCParams(Params):
    latent_dim: int = Field(32, ge=1, le=1024, description="latent size of z (paper 512)")
    context_dim: int = Field(32, ge=1, le=1024, description="context size of c (paper 256)")
    prediction_steps: int = Field(3, ge=1, le=16, description="steps ahead K (paper 12)")


class FlowMatchingParams(Params):
    dim: int = Field(2, ge=1, le=1024, description="data dimension")
    hidden: int = Field(64, ge=1, le=1024, description="velocity MLP width")
    sigma_min: float = Field(0.0, ge=0.0, lt=1.0, description="σ_min of the OT path (0: rectified flow)")
    euler_steps: int = Field(8, ge=1, le=1000, description="Euler steps of the sampler")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of t, x0 and the sampler's noise")


class TTURParams(Params):
    data_dim: int = Field(2, ge=1, le=1024, description="data dimension")
    noise_dim: int = Field(4, ge=1, le=1024, description="latent dimension")
    hidden: int = Field(32, ge=1, le=1024, description="hidden units")
    lr_discriminator: float = Field(4e-4, gt=0.0, le=1.0, description="discriminator rate b (fast)")
    lr_generator: float = Field(1e-4, gt=0.0, le=1.0, description="generator rate a (slow)")


class MCTSParams(Params):
    iterations: int = Field(400, ge=1, le=100_000, description="simulations")
    exploration: float = Field(1.4, ge=0.0, le=10.0, description="UCB constant c (√2 in UCB1)")
    max_take: int = Field(3, ge=1, le=16, description="most stones one move may take")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the rollouts")


_IMAGES = (
    TensorSpec("view1", (4, 3, 16, 16), fixed=(1,), doc="[N, C, H, W] first views"),
    TensorSpec("view2", (4, 3, 16, 16), fixed=(1,), doc="[N, C, H, W] second views"),
)

ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="colorization",
        names=("Colorization", "Colorful Image Colorization"),
        kind="model",
        paper="https://arxiv.org/abs/1603.08511",
        target="methods.impl.colorization:Colorization",
        summary="Predicts a distribution over quantized colours from lightness, with rebalanced soft targets.",
        params=ColorizationParams,
        inputs=(
            TensorSpec("lightness", (2, 1, 16, 16), fixed=(1,), doc="[B, 1, H, W] L channel"),
            TensorSpec(
                "ab", (2, 2, 16, 16), fixed=(1,), dist="uniform", low=-1.0, high=1.0, doc="[B, 2, H, W]"
            ),
        ),
        outputs={"logits": (2, 25, 16, 16), "loss": (), "colours": (2, 2, 16, 16)},
    ),
    MethodEntry(
        id="jigsaw",
        names=("Jigsaw", "Jigsaw Puzzles"),
        kind="model",
        paper="https://arxiv.org/abs/1603.09246",
        target="methods.impl.jigsaw:JigsawPuzzle",
        summary="Classifies which of a set of maximally distant permutations shuffled the 3x3 tiles.",
        params=JigsawParams,
        inputs=(
            TensorSpec("image", (2, "channels", 24, 24), fixed=(1,), doc="[B, C, 3t, 3t]"),
            TensorSpec(
                "permutation", (2,), dtype="int64", dist="randint", high="num_permutations", doc="[B]"
            ),
        ),
        outputs={"logits": (2, 24), "loss": (), "permutations": (24, 9)},
    ),
    MethodEntry(
        id="moco",
        names=("MoCo", "Momentum Contrast"),
        kind="model",
        paper="https://arxiv.org/abs/1911.05722",
        target="methods.impl.moco:MoCo",
        summary="InfoNCE against a queue of keys from a momentum-updated key encoder (MoCo v1).",
        params=MoCoParams,
        inputs=(
            TensorSpec("query_view", (4, "channels", 16, 16), fixed=(1,), doc="[N, C, H, W]"),
            TensorSpec("key_view", (4, "channels", 16, 16), fixed=(1,), doc="[N, C, H, W]"),
        ),
        outputs={"loss": (), "logits": (4, 65), "queue": (64, 32)},
    ),
    MethodEntry(
        id="byol",
        names=("BYOL", "Bootstrap Your Own Latent"),
        kind="model",
        paper="https://arxiv.org/abs/2006.07733",
        target="methods.impl.byol:BYOL",
        summary="Online network predicts an EMA target's projection of another view; no negatives.",
        params=BYOLParams,
        inputs=_IMAGES,
        outputs={"loss": (), "representations": (4, 32)},
    ),
    MethodEntry(
        id="dino",
        names=("DINO", "self-DIstillation with NO labels"),
        kind="model",
        paper="https://arxiv.org/abs/2104.14294",
        target="methods.impl.dino:DINO",
        summary="Student matches a centred, sharpened EMA teacher across views: self-distillation.",
        params=DINOParams,
        inputs=_IMAGES,
        outputs={"loss": (), "center": (64,), "teacher_probabilities": (8, 64)},
    ),
    MethodEntry(
        id="contrastive-predictive-coding",
        names=("Contrastive Predictive Coding", "CPC"),
        kind="model",
        paper="https://arxiv.org/abs/1807.03748",
        target="methods.impl.contrastive_predictive_coding:CPC",
        summary="Autoregressive context predicts future latents, scored by InfoNCE against batch negatives.",
        params=CPCParams,
        inputs=(TensorSpec("waveform", (4, 1, 256), fixed=(1,), doc="[B, 1, L] raw signal"),),
        outputs={"loss": (), "context": (4, 16, 32), "accuracy": ()},
    ),
    MethodEntry(
        id="flow-matching",
        names=("Flow Matching", "Conditional Flow Matching", "Rectified Flow"),
        kind="model",
        paper="https://arxiv.org/abs/2210.02747",
        target="methods.impl.flow_matching:FlowMatching",
        summary="Regresses a velocity field on straight noise-to-data paths; samples by integrating it.",
        params=FlowMatchingParams,
        inputs=(TensorSpec("data", (32, "dim"), fixed=(1,), doc="[B, D] data x1"),),
        outputs={"loss": (), "velocity": (32, 2), "samples": (32, 2)},
    ),
    MethodEntry(
        id="ttur",
        names=("TTUR", "Two Time-scale Update Rule"),
        kind="algorithm",
        paper="https://arxiv.org/abs/1706.08500",
        target="methods.impl.two_time_scale_update_rule:TTUR",
        summary="GAN steps with a faster discriminator learning rate than the generator's.",
        params=TTURParams,
        inputs=(
            TensorSpec("real", (16, "data_dim"), fixed=(1,), doc="[B, D] real samples"),
            TensorSpec("noise", (16, "noise_dim"), fixed=(1,), doc="[B, Z] latents"),
        ),
        outputs={"d_loss": (), "g_loss": (), "d_update": (), "g_update": (), "g_loss_after": ()},
    ),
    MethodEntry(
        id="monte-carlo-tree-search",
        names=("Monte-Carlo Tree Search", "MCTS", "UCT"),
        kind="algorithm",
        paper="https://doi.org/10.1007/11871842_29",
        target="methods.impl.monte_carlo_tree_search:MonteCarloTreeSearch",
        summary="UCT: upper-confidence tree descent, expansion, random rollouts and backups, on Nim.",
        params=MCTSParams,
        inputs=(
            TensorSpec("stones", (1,), dtype="int64", dist="randint", low=5, high=14, doc="[1] heap size"),
        ),
        outputs={"visits": (3,), "values": (3,), "best_move": ()},
    ),
)
