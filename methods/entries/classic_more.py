"""More classical and reinforcement-learning methods: nearest neighbours, policy gradients, sequence
alignment, over-sampling, ensembles, certified smoothing, double and clipped value targets, replay."""

from pydantic import Field

from methods.spec import MethodEntry, Params, TensorSpec


class KNNParams(Params):
    k: int = Field(5, ge=1, le=1024, description="neighbours k")
    num_classes: int = Field(3, ge=2, le=1000, description="classes C")


class REINFORCEParams(Params):
    state_dim: int = Field(4, ge=1, le=4096, description="state dimension")
    num_actions: int = Field(2, ge=2, le=1024, description="actions")
    hidden: int = Field(32, ge=1, le=1024, description="policy hidden units")
    gamma: float = Field(0.99, ge=0.0, le=1.0, description="discount γ")
    baseline: bool = Field(True, description="subtract the batch mean return b")


class DTWParams(Params):
    window: int = Field(0, ge=0, le=10_000, description="Sakoe-Chiba band w (0: none)")


class SMOTEParams(Params):
    n_synthetic: int = Field(32, ge=1, le=100_000, description="synthetic examples S")
    k: int = Field(5, ge=1, le=100, description="nearest minority neighbours k (paper 5)")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the draws")


class DeepEnsembleParams(Params):
    in_features: int = Field(4, ge=1, le=4096, description="input dimension")
    hidden: int = Field(32, ge=1, le=1024, description="hidden units per member")
    members: int = Field(5, ge=1, le=32, description="ensemble size M (paper 5)")


class SmoothingParams(Params):
    in_features: int = Field(8, ge=1, le=4096, description="input dimension")
    num_classes: int = Field(3, ge=2, le=1000, description="classes")
    hidden: int = Field(32, ge=1, le=1024, description="hidden units of the base classifier")
    sigma: float = Field(0.5, gt=0.0, le=10.0, description="noise level σ")
    samples: int = Field(200, ge=1, le=100_000, description="Monte-Carlo samples n")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the noise")


class DoubleQParams(Params):
    episodes: int = Field(300, ge=1, le=10_000, description="episodes")
    alpha: float = Field(0.1, gt=0.0, le=1.0, description="step size α")
    gamma: float = Field(1.0, ge=0.0, le=1.0, description="discount γ")
    epsilon: float = Field(0.1, ge=0.0, le=1.0, description="exploration ε")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of exploration and rewards")


class TD3Params(Params):
    state_dim: int = Field(8, ge=1, le=4096, description="state dimension")
    action_dim: int = Field(2, ge=1, le=256, description="action dimension")
    hidden: int = Field(64, ge=1, le=1024, description="hidden units (paper 400, 300)")
    gamma: float = Field(0.99, ge=0.0, le=1.0, description="discount γ")
    policy_noise: float = Field(0.2, ge=0.0, le=10.0, description="target smoothing noise σ̃ (paper 0.2)")
    noise_clip: float = Field(0.5, ge=0.0, le=10.0, description="noise clip c (paper 0.5)")
    max_action: float = Field(1.0, gt=0.0, le=1e3, description="action bound")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the smoothing noise")


class ClippedTargetParams(Params):
    gamma: float = Field(0.99, ge=0.0, le=1.0, description="discount γ")


class SmoothingNoiseParams(Params):
    sigma: float = Field(0.2, ge=0.0, le=10.0, description="noise standard deviation σ (paper 0.2)")
    noise_clip: float = Field(0.5, ge=0.0, le=10.0, description="noise clip c (paper 0.5)")
    max_action: float = Field(1.0, gt=0.0, le=1e3, description="action bound")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the noise")


class PERParams(Params):
    alpha: float = Field(0.6, ge=0.0, le=1.0, description="prioritization exponent α (paper 0.6)")
    beta: float = Field(0.4, ge=0.0, le=1.0, description="importance-sampling exponent β (paper 0.4 -> 1)")
    epsilon: float = Field(1e-6, gt=0.0, le=1.0, description="priority floor ε")
    batch_size: int = Field(8, ge=1, le=4096, description="minibatch size")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the draws")


class SACParams(Params):
    state_dim: int = Field(8, ge=1, le=4096, description="state dimension")
    action_dim: int = Field(2, ge=1, le=256, description="action dimension |A|")
    hidden: int = Field(64, ge=1, le=1024, description="hidden units (paper 256)")
    gamma: float = Field(0.99, ge=0.0, le=1.0, description="discount γ")
    alpha: float = Field(0.2, gt=0.0, le=100.0, description="temperature α (initial value when autotuned)")
    autotune: bool = Field(False, description="learn α toward the target entropy −|A|")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the policy noise")


class AutotunedSACParams(SACParams):
    autotune: bool = Field(True, description="learn α toward the target entropy −|A|")


_B = 16


def _transitions() -> tuple[TensorSpec, ...]:
    return (
        TensorSpec("states", (_B, "state_dim"), fixed=(1,), doc="[B, S] s"),
        TensorSpec(
            "actions", (_B, "action_dim"), fixed=(1,), dist="uniform", low=-1.0, high=1.0, doc="[B, A] a"
        ),
        TensorSpec("rewards", (_B,), doc="[B] r"),
        TensorSpec("next_states", (_B, "state_dim"), fixed=(1,), doc="[B, S] s'"),
        TensorSpec("dones", (_B,), dtype="bool", dist="bernoulli", high=0.1, doc="[B] s' is terminal"),
    )


ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="k-nn",
        names=("k-NN", "k-Nearest Neighbors", "KNN classifier"),
        kind="algorithm",
        paper="https://doi.org/10.1109/TIT.1967.1053964",
        target="methods.impl.k_nearest_neighbors:KNearestNeighbors",
        summary="Majority label of the k nearest training points.",
        params=KNNParams,
        inputs=(
            TensorSpec("train_x", (48, 4), doc="[N, D]"),
            TensorSpec("train_y", (48,), dtype="int64", dist="randint", high="num_classes", doc="[N]"),
            TensorSpec("query", (8, 4), doc="[M, D]"),
        ),
        outputs={"predictions": (8,), "probabilities": (8, 3), "neighbors": (8, 5)},
    ),
    MethodEntry(
        id="reinforce",
        names=("REINFORCE",),
        kind="loss",
        paper="https://doi.org/10.1007/BF00992696",
        target="methods.impl.reinforce:REINFORCE",
        summary="Monte-Carlo policy gradient: log-probabilities weighted by the return minus a baseline.",
        params=REINFORCEParams,
        inputs=(
            TensorSpec("states", (4, 10, "state_dim"), fixed=(2,), doc="[B, T, S]"),
            TensorSpec("actions", (4, 10), dtype="int64", dist="randint", high="num_actions", doc="[B, T]"),
            TensorSpec("rewards", (4, 10), doc="[B, T] r_{t+1}"),
        ),
        outputs={"loss": (), "returns": (4, 10), "log_probs": (4, 10)},
    ),
    MethodEntry(
        id="dtw",
        names=("DTW", "Dynamic Time Warping"),
        kind="function",
        paper="https://doi.org/10.1109/TASSP.1978.1163055",
        target="methods.impl.dynamic_time_warping:DynamicTimeWarping",
        summary="Cheapest monotone alignment of two sequences by dynamic programming, and its path.",
        params=DTWParams,
        inputs=(
            TensorSpec("x", (12, 2), requires_grad=True, doc="[N, D]"),
            TensorSpec("y", (10, 2), doc="[M, D]"),
        ),
        outputs={"distance": (), "cost": (12, 10), "path": (22, 2)},
    ),
    MethodEntry(
        id="smote",
        names=("SMOTE", "Synthetic Minority Over-sampling Technique"),
        kind="augmentation",
        paper="https://arxiv.org/abs/1106.1813",
        target="methods.impl.smote:SMOTE",
        summary="New minority examples interpolated between minority points and their nearest neighbours.",
        params=SMOTEParams,
        inputs=(TensorSpec("minority", (12, 3), doc="[N, D] minority-class examples"),),
        outputs={"synthetic": (32, 3), "sources": (32,), "neighbors": (32,), "gaps": (32,)},
    ),
    MethodEntry(
        id="deep-ensembles",
        names=("Deep Ensembles", "Deep Ensemble"),
        kind="model",
        paper="https://arxiv.org/abs/1612.01474",
        target="methods.impl.deep_ensembles:DeepEnsemble",
        summary="Independently initialized Gaussian-output networks combined as a mixture for uncertainty.",
        params=DeepEnsembleParams,
        inputs=(
            TensorSpec("x", (16, "in_features"), fixed=(1,), doc="[B, D]"),
            TensorSpec("y", (16,), doc="[B]"),
        ),
        outputs={"mean": (16,), "variance": (16,), "member_means": (5, 16), "loss": ()},
    ),
    MethodEntry(
        id="randomized-smoothing",
        names=("Randomized Smoothing",),
        kind="algorithm",
        paper="https://arxiv.org/abs/1902.02918",
        target="methods.impl.randomized_smoothing:RandomizedSmoothing",
        summary="Majority vote of a classifier under Gaussian noise, with its certified L2 radius.",
        params=SmoothingParams,
        inputs=(TensorSpec("x", (4, "in_features"), fixed=(1,), doc="[B, D]"),),
        outputs={"prediction": (4,), "radius": (4,), "counts": (4, 3), "probabilities": (4, 3)},
    ),
    MethodEntry(
        id="double-q-learning",
        names=("Double Q-learning",),
        kind="algorithm",
        paper="https://papers.nips.cc/paper/2010/hash/091d584fced301b442654dd8c23b3fc9-Abstract.html",
        target="methods.impl.double_q_learning:DoubleQLearning",
        summary="Two Q tables, each evaluating the other's greedy action, against Q-learning's maximization bias.",
        params=DoubleQParams,
        inputs=(
            TensorSpec(
                "arm_means", (8,), dist="uniform", low=-0.1, high=-0.1, doc="[n] mean rewards in state B"
            ),
        ),
        outputs={
            "double_q": (2,),
            "single_q": (2,),
            "left_share_double": (300,),
            "left_share_single": (300,),
        },
    ),
    MethodEntry(
        id="td3",
        names=("TD3", "Twin Delayed Deep Deterministic", "Twin Delayed DDPG"),
        kind="model",
        paper="https://arxiv.org/abs/1802.09477",
        target="methods.impl.td3:TD3",
        summary="DDPG with clipped double-Q targets, target policy smoothing and delayed actor updates.",
        params=TD3Params,
        inputs=_transitions(),
        outputs={"targets": (_B,), "critic_loss": (), "actor_loss": (), "smoothed_actions": (_B, 2)},
    ),
    MethodEntry(
        id="clipped-double-q-learning",
        names=("Clipped Double Q-learning",),
        kind="function",
        paper="https://arxiv.org/abs/1802.09477",
        target="methods.impl.clipped_double_q_learning:ClippedDoubleQTarget",
        summary="Bootstrap target from the smaller of two critics, against overestimation.",
        params=ClippedTargetParams,
        inputs=(
            TensorSpec("rewards", (_B,), doc="[B] r"),
            TensorSpec("next_q1", (_B,), requires_grad=True, doc="[B] Q'_1(s', a')"),
            TensorSpec("next_q2", (_B,), requires_grad=True, doc="[B] Q'_2(s', a')"),
            TensorSpec("dones", (_B,), dtype="bool", dist="bernoulli", high=0.1, doc="[B]"),
        ),
        outputs={"targets": (_B,), "overestimation": (_B,)},
    ),
    MethodEntry(
        id="target-policy-smoothing",
        names=("Target Policy Smoothing",),
        kind="function",
        paper="https://arxiv.org/abs/1802.09477",
        target="methods.impl.target_policy_smoothing:TargetPolicySmoothing",
        summary="Clipped Gaussian noise on the target action, clipped to the action bounds.",
        params=SmoothingNoiseParams,
        inputs=(
            TensorSpec("target_actions", (_B, 2), dist="uniform", low=-1.0, high=1.0, doc="[B, A] μ'(s')"),
        ),
        outputs={"smoothed": (_B, 2), "noise": (_B, 2)},
    ),
    MethodEntry(
        id="prioritized-experience-replay",
        names=("Prioritized Experience Replay", "PER"),
        kind="algorithm",
        paper="https://arxiv.org/abs/1511.05952",
        target="methods.impl.prioritized_experience_replay:PrioritizedReplay",
        summary="Replays transitions in proportion to TD-error priorities, with importance-sampling weights.",
        params=PERParams,
        inputs=(
            TensorSpec("td_errors", (64,), requires_grad=True, doc="[N] TD errors of the stored transitions"),
        ),
        outputs={"probabilities": (64,), "indices": (8,), "weights": (8,)},
    ),
    MethodEntry(
        id="soft-actor-critic",
        names=("Soft Actor Critic", "SAC (Soft Actor-Critic)"),
        kind="model",
        paper="https://arxiv.org/abs/1801.01290",
        target="methods.impl.soft_actor_critic:SoftActorCritic",
        summary="Maximum-entropy actor-critic: squashed Gaussian policy, twin soft Q critics, fixed temperature.",
        params=SACParams,
        inputs=_transitions(),
        outputs={"targets": (_B,), "critic_loss": (), "actor_loss": (), "alpha_loss": (), "log_probs": (_B,)},
    ),
    MethodEntry(
        id="soft-actor-critic-autotuned-temperature",
        names=("Soft Actor-Critic (Autotuned Temperature)",),
        kind="model",
        paper="https://arxiv.org/abs/1812.05905",
        target="methods.impl.soft_actor_critic:SoftActorCritic",
        summary="Soft actor-critic whose temperature α is learned toward a target entropy.",
        params=AutotunedSACParams,
        inputs=_transitions(),
        outputs={"targets": (_B,), "critic_loss": (), "actor_loss": (), "alpha_loss": (), "log_probs": (_B,)},
    ),
)
