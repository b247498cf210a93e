"""Reinforcement learning, training procedures, self-supervision and word representations."""

from typing import Literal

from pydantic import Field

from methods.spec import MethodEntry, Params, TensorSpec


class QLearningParams(Params):
    episodes: int = Field(200, ge=1, le=5000, description="training episodes")
    alpha: float = Field(0.5, gt=0.0, le=1.0, description="step size α")
    gamma: float = Field(0.9, ge=0.0, lt=1.0, description="discount γ")
    epsilon: float = Field(0.2, ge=0.0, le=1.0, description="exploration rate ε of the ε-greedy policy")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the exploration draws")


class DQNParams(Params):
    state_dim: int = Field(8, ge=1, le=4096, description="state dimension")
    num_actions: int = Field(4, ge=2, le=1024, description="number of actions |A|")
    hidden: int = Field(64, ge=1, le=1024, description="hidden units of the Q-network")
    gamma: float = Field(0.99, ge=0.0, le=1.0, description="discount γ")


class PPOParams(Params):
    clip_epsilon: float = Field(0.2, gt=0.0, le=1.0, description="clipping range ε (paper 0.2)")
    value_coef: float = Field(0.5, ge=0.0, le=10.0, description="value loss coefficient c₁")
    entropy_coef: float = Field(0.01, ge=0.0, le=10.0, description="entropy bonus coefficient c₂")


class ReplayParams(Params):
    capacity: int = Field(32, ge=1, le=100_000, description="memory capacity N")
    batch_size: int = Field(8, ge=1, le=4096, description="minibatch size")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the uniform draws")


class DDPGParams(Params):
    state_dim: int = Field(8, ge=1, le=4096, description="state dimension")
    action_dim: int = Field(2, ge=1, le=256, description="action dimension")
    hidden: int = Field(64, ge=1, le=1024, description="hidden units of actor and critic (paper 400, 300)")
    gamma: float = Field(0.99, ge=0.0, le=1.0, description="discount γ")
    tau: float = Field(0.005, gt=0.0, le=1.0, description="soft target update rate τ (paper 0.001)")
    max_action: float = Field(1.0, gt=0.0, le=1e3, description="action bound of the tanh output")


class DistillationParams(Params):
    temperature: float = Field(4.0, gt=0.0, le=100.0, description="softmax temperature T")
    alpha: float = Field(0.9, ge=0.0, le=1.0, description="weight α of the soft-target term")


class PruningParams(Params):
    in_channels: int = Field(8, ge=1, le=1024, description="input channels")
    out_channels: int = Field(16, ge=1, le=1024, description="filters of the pruned convolution")
    amount: float = Field(0.5, ge=0.0, le=1.0, description="fraction of filters (or weights) pruned")
    criterion: Literal["filter_l1", "weight_magnitude"] = Field(
        "filter_l1", description="filters by L1 norm Σ|K| (Li et al.) or single weights by magnitude"
    )


class DiscriminativeParams(Params):
    in_features: int = Field(16, ge=1, le=4096, description="input dimension")
    num_classes: int = Field(4, ge=2, le=1000, description="number of classes")
    num_layers: int = Field(3, ge=1, le=12, description="number of layers L")
    lr: float = Field(0.1, gt=0.0, le=10.0, description="learning rate η^L of the last layer")
    factor: float = Field(2.6, ge=1.0, le=100.0, description="decay η^{l−1} = η^l / factor (paper 2.6)")


class MAMLParams(Params):
    in_features: int = Field(1, ge=1, le=1024, description="input dimension of the regressor")
    hidden: int = Field(40, ge=1, le=1024, description="hidden units (paper 40)")
    inner_lr: float = Field(0.01, gt=0.0, le=10.0, description="inner step size α (paper 0.01)")
    inner_steps: int = Field(1, ge=1, le=10, description="inner gradient steps")
    first_order: bool = Field(False, description="drop second-order terms (first-order MAML)")


class ContrastiveParams(Params):
    in_features: int = Field(16, ge=1, le=4096, description="input dimension")
    embedding_dim: int = Field(8, ge=1, le=1024, description="embedding dimension of G_W")
    hidden: int = Field(32, ge=1, le=1024, description="hidden units of the encoder")
    margin: float = Field(1.0, gt=0.0, le=100.0, description="margin m")


class PseudoLabelParams(Params):
    in_features: int = Field(16, ge=1, le=4096, description="input dimension")
    num_classes: int = Field(4, ge=2, le=1000, description="number of classes")
    hidden: int = Field(32, ge=1, le=1024, description="hidden units of the classifier")
    alpha: float = Field(1.0, ge=0.0, le=100.0, description="weight α(t) of the pseudo-label loss")
    threshold: float = Field(0.0, ge=0.0, le=1.0, description="confidence threshold τ (0: the paper's rule)")


class SimCLRParams(Params):
    in_channels: int = Field(3, ge=1, le=64, description="image channels")
    feature_dim: int = Field(32, ge=1, le=2048, description="representation size of h")
    projection_dim: int = Field(16, ge=1, le=1024, description="projection size of z (paper 128)")
    temperature: float = Field(0.5, gt=0.0, le=10.0, description="temperature τ")


class GloVeParams(Params):
    vocab_size: int = Field(32, ge=1, le=10_000, description="vocabulary size V")
    dim: int = Field(16, ge=1, le=1024, description="vector dimension d (paper 300)")
    x_max: float = Field(100.0, gt=0.0, le=1e6, description="cutoff x_max of the weighting f (paper 100)")
    alpha: float = Field(0.75, gt=0.0, le=2.0, description="exponent α of the weighting f (paper 3/4)")


class FastTextParams(Params):
    vocab_size: int = Field(1000, ge=2, le=100_000, description="word vocabulary size")
    buckets: int = Field(2048, ge=1, le=1_000_000, description="hash buckets for bigrams (paper 10M)")
    dim: int = Field(16, ge=1, le=1024, description="embedding dimension (paper 10)")
    num_classes: int = Field(4, ge=2, le=1000, description="number of classes")


class ELMoParams(Params):
    vocab_size: int = Field(1000, ge=2, le=100_000, description="vocabulary size")
    hidden: int = Field(32, ge=1, le=1024, description="LSTM and token dimension (paper 4096 -> 512)")
    num_layers: int = Field(2, ge=1, le=4, description="biLM layers L (paper 2)")


class Node2VecParams(Params):
    num_nodes: int = Field(16, ge=2, le=1000, description="nodes N")
    dim: int = Field(16, ge=1, le=1024, description="embedding size d (paper 128)")
    walks_per_node: int = Field(2, ge=1, le=20, description="walks per node r (paper 10)")
    walk_length: int = Field(8, ge=2, le=100, description="walk length l (paper 80)")
    window: int = Field(2, ge=1, le=20, description="context size k (paper 10)")
    p: float = Field(1.0, gt=0.0, le=100.0, description="return parameter p")
    q: float = Field(0.5, gt=0.0, le=100.0, description="in-out parameter q")
    negatives: int = Field(3, ge=1, le=50, description="negative samples per pair")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of walks and negatives")


class Word2VecParams(Params):
    vocab_size: int = Field(200, ge=2, le=100_000, description="vocabulary V")
    dim: int = Field(16, ge=1, le=1024, description="vector size d (paper 300)")
    window: int = Field(2, ge=1, le=10, description="window radius m")
    negatives: int = Field(5, ge=1, le=50, description="negative samples K (paper 5-20)")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the negatives")


class SkipGramParams(Word2VecParams):
    mode: Literal["skip-gram"] = Field("skip-gram", description="predict the context from the centre word")


class CBOWParams(Word2VecParams):
    mode: Literal["cbow"] = Field("cbow", description="predict the centre word from its context")


_B = 16


def _transitions(state: str, action: TensorSpec) -> tuple[TensorSpec, ...]:
    return (
        TensorSpec("states", (_B, state), fixed=(1,), doc="[B, S] s"),
        action,
        TensorSpec("rewards", (_B,), doc="[B] r"),
        TensorSpec("next_states", (_B, state), fixed=(1,), doc="[B, S] s'"),
        TensorSpec("dones", (_B,), dtype="bool", dist="bernoulli", high=0.1, doc="[B] s' is terminal"),
    )


ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="q-learning",
        names=("Q-Learning", "Tabular Q-learning"),
        kind="algorithm",
        paper="https://doi.org/10.1007/BF00992698",
        target="methods.impl.q_learning:TabularQLearning",
        summary="Tabular off-policy TD control toward r + γ max Q(s', ·), on a small chain MDP.",
        params=QLearningParams,
        inputs=(
            TensorSpec(
                "rewards", (6,), dist="uniform", low=-0.1, high=1.0, doc="[S] reward for entering each state"
            ),
        ),
        outputs={"q_values": (6, 2), "policy": (6,), "returns": (200,)},
    ),
    MethodEntry(
        id="dqn",
        names=("DQN", "Deep Q-Network"),
        kind="model",
        paper="https://doi.org/10.1038/nature14236",
        target="methods.impl.deep_q_network:DQN",
        summary="Q-network regressed with a Huber loss on a frozen target network's one-step TD target.",
        params=DQNParams,
        inputs=_transitions(
            "state_dim",
            TensorSpec("actions", (_B,), dtype="int64", dist="randint", high="num_actions", doc="[B] a"),
        ),
        outputs={"q_values": (_B, 4), "targets": (_B,), "loss": ()},
    ),
    MethodEntry(
        id="ppo",
        names=("PPO", "Proximal Policy Optimization"),
        kind="loss",
        paper="https://arxiv.org/abs/1707.06347",
        target="methods.impl.proximal_policy_optimization:PPOClipLoss",
        summary="Clipped surrogate policy objective with value loss and entropy bonus.",
        params=PPOParams,
        inputs=(
            TensorSpec("log_probs", (_B,), requires_grad=True, doc="[B] log π_θ(a|s)"),
            TensorSpec("old_log_probs", (_B,), doc="[B] log π_old(a|s)"),
            TensorSpec("advantages", (_B,), doc="[B] Â_t"),
            TensorSpec("values", (_B,), requires_grad=True, doc="[B] V_θ(s)"),
            TensorSpec("returns", (_B,), doc="[B] value targets"),
            TensorSpec("entropy", (_B,), dist="uniform", high=1.4, requires_grad=True, doc="[B] S[π_θ](s)"),
        ),
        outputs={"loss": (), "policy_loss": (), "ratio": (_B,), "clip_fraction": ()},
    ),
    MethodEntry(
        id="experience-replay",
        names=("Experience Replay", "Replay Buffer", "Replay Memory"),
        kind="algorithm",
        paper="https://doi.org/10.1007/BF00992699",
        target="methods.impl.experience_replay:ReplayMemory",
        summary="Ring-buffer memory of transitions, sampled uniformly into minibatches.",
        params=ReplayParams,
        inputs=(TensorSpec("transitions", (48, 10), doc="[T, F] transitions (s, a, r, s') in order"),),
        outputs={"memory": (32, 10), "batch": (8, 10), "indices": (8,), "size": ()},
    ),
    MethodEntry(
        id="ddpg",
        names=("DDPG", "Deep Deterministic Policy Gradient"),
        kind="model",
        paper="https://arxiv.org/abs/1509.02971",
        target="methods.impl.ddpg:DDPG",
        summary="Deterministic actor and Q critic with soft-updated target networks; both losses.",
        params=DDPGParams,
        inputs=_transitions(
            "state_dim",
            TensorSpec(
                "actions", (_B, "action_dim"), fixed=(1,), dist="uniform", low=-1.0, high=1.0, doc="[B, A] a"
            ),
        ),
        outputs={"actor_actions": (_B, 2), "targets": (_B,), "critic_loss": (), "actor_loss": ()},
    ),
    MethodEntry(
        id="knowledge-distillation",
        names=("Knowledge Distillation", "Distillation loss"),
        kind="loss",
        paper="https://arxiv.org/abs/1503.02531",
        target="methods.impl.knowledge_distillation:DistillationLoss",
        summary="T²-scaled KL to the teacher's softened outputs plus cross-entropy to the labels.",
        params=DistillationParams,
        inputs=(
            TensorSpec("student_logits", (_B, 10), requires_grad=True, doc="[B, C] z"),
            TensorSpec("teacher_logits", (_B, 10), doc="[B, C] v"),
            TensorSpec("labels", (_B,), dtype="int64", dist="randint", high=10, doc="[B] hard labels"),
        ),
        outputs={"loss": (), "soft_loss": (), "hard_loss": ()},
    ),
    MethodEntry(
        id="pruning",
        names=("Pruning", "Filter Pruning", "Magnitude Pruning"),
        kind="module",
        paper="https://arxiv.org/abs/1608.08710",
        target="methods.adapters.pruning:pruned_conv",
        summary="Removes the convolution filters of smallest L1 norm (or the smallest weights) with a mask.",
        params=PruningParams,
        inputs=(TensorSpec("x", (2, "in_channels", 16, 16), fixed=(1,), doc="[B, C_in, H, W]"),),
        outputs={"output": (2, 16, 16, 16), "mask": (16, 8, 3, 3), "sparsity": ()},
        adapts="torch.nn.utils.prune.ln_structured",
    ),
    MethodEntry(
        id="discriminative-fine-tuning",
        names=("Discriminative Fine-Tuning",),
        kind="algorithm",
        paper="https://arxiv.org/abs/1801.06146",
        target="methods.impl.discriminative_fine_tuning:DiscriminativeFineTuning",
        summary="Fine-tunes each layer with its own learning rate, divided by 2.6 per layer toward the input.",
        params=DiscriminativeParams,
        inputs=(
            TensorSpec("x", (_B, "in_features"), fixed=(1,), doc="[B, D]"),
            TensorSpec("labels", (_B,), dtype="int64", dist="randint", high="num_classes", doc="[B]"),
        ),
        outputs={"layer_lrs": (3,), "update_norms": (3,), "loss": (), "loss_after": ()},
    ),
    MethodEntry(
        id="maml",
        names=("MAML", "Model-Agnostic Meta-Learning"),
        kind="algorithm",
        paper="https://arxiv.org/abs/1703.03400",
        target="methods.impl.maml:MAML",
        summary="Meta-learns an initialization through per-task inner gradient steps (second order).",
        params=MAMLParams,
        inputs=(
            TensorSpec(
                "support_x",
                (4, 5, "in_features"),
                fixed=(2,),
                dist="uniform",
                low=-5.0,
                high=5.0,
                doc="[T, K, D]",
            ),
            TensorSpec("support_y", (4, 5), doc="[T, K]"),
            TensorSpec(
                "query_x",
                (4, 10, "in_features"),
                fixed=(2,),
                dist="uniform",
                low=-5.0,
                high=5.0,
                doc="[T, Q, D]",
            ),
            TensorSpec("query_y", (4, 10), doc="[T, Q]"),
        ),
        outputs={"meta_loss": (), "inner_losses": (4,), "query_losses": (4,)},
    ),
    MethodEntry(
        id="contrastive-learning",
        names=("Contrastive Learning", "Contrastive Loss", "Margin Contrastive Loss"),
        kind="loss",
        paper="https://doi.org/10.1109/CVPR.2006.100",
        target="methods.impl.contrastive_loss:ContrastiveLoss",
        summary="Siamese encoder; similar pairs pulled together, dissimilar pushed beyond a margin.",
        params=ContrastiveParams,
        inputs=(
            TensorSpec("x1", (_B, "in_features"), fixed=(1,), doc="[B, D]"),
            TensorSpec("x2", (_B, "in_features"), fixed=(1,), doc="[B, D]"),
            TensorSpec(
                "dissimilar", (_B,), dtype="int64", dist="randint", high=2, doc="[B] Y, 1 for negatives"
            ),
        ),
        outputs={"loss": (), "distances": (_B,), "embeddings": (_B, 8)},
    ),
    MethodEntry(
        id="self-learning",
        names=("Self-Learning", "Pseudo-Label", "Pseudo-Labeling", "Self-Training"),
        kind="loss",
        paper="https://www.researchgate.net/publication/280581078",
        target="methods.impl.pseudo_labeling:PseudoLabeling",
        summary="Supervised loss plus a weighted loss on the model's own confident predictions of unlabeled data.",
        params=PseudoLabelParams,
        inputs=(
            TensorSpec("labeled_x", (_B, "in_features"), fixed=(1,), doc="[B, D]"),
            TensorSpec("labels", (_B,), dtype="int64", dist="randint", high="num_classes", doc="[B]"),
            TensorSpec("unlabeled_x", (32, "in_features"), fixed=(1,), doc="[U, D]"),
        ),
        outputs={"loss": (), "pseudo_labels": (32,), "mask": (32,)},
    ),
    MethodEntry(
        id="simclr",
        names=("SimCLR",),
        kind="model",
        paper="https://arxiv.org/abs/2002.05709",
        target="methods.impl.simclr:SimCLR",
        summary="Encoder and projection head trained with NT-Xent on two augmented views of each image.",
        params=SimCLRParams,
        inputs=(
            TensorSpec("view1", (8, "in_channels", 16, 16), fixed=(1,), doc="[N, C, H, W] first views"),
            TensorSpec("view2", (8, "in_channels", 16, 16), fixed=(1,), doc="[N, C, H, W] second views"),
        ),
        outputs={"loss": (), "representations": (8, 32), "projections": (16, 16)},
    ),
    MethodEntry(
        id="glove",
        names=("GloVe", "GloVe Embeddings", "Global Vectors"),
        kind="loss",
        paper="https://aclanthology.org/D14-1162/",
        target="methods.impl.glove:GloVe",
        summary="Word vectors fitted by weighted least squares to log co-occurrence counts.",
        params=GloVeParams,
        inputs=(
            TensorSpec(
                "cooccurrence",
                ("vocab_size", "vocab_size"),
                dist="randint",
                high=200,
                doc="[V, V] counts X_ij",
            ),
        ),
        outputs={"loss": (), "weights": (32, 32), "embeddings": (32, 16)},
    ),
    MethodEntry(
        id="fasttext",
        names=("fastText",),
        kind="model",
        paper="https://arxiv.org/abs/1607.01759",
        target="methods.impl.fasttext:FastText",
        summary="Averaged embeddings of words and hashed bigrams fed to a linear classifier.",
        params=FastTextParams,
        inputs=(
            TensorSpec(
                "tokens", (4, 12), dtype="int64", dist="randint", high="vocab_size", doc="[B, T] word ids"
            ),
        ),
        outputs={"logits": (4, 4), "features": (4, 23)},
    ),
    MethodEntry(
        id="elmo",
        names=("ELMo", "Embeddings from Language Models"),
        kind="model",
        paper="https://arxiv.org/abs/1802.05365",
        target="methods.impl.elmo:ELMo",
        summary="Bidirectional LSTM language model whose layers are mixed by learned softmax weights.",
        params=ELMoParams,
        inputs=(
            TensorSpec(
                "tokens", (2, 10), dtype="int64", dist="randint", high="vocab_size", doc="[B, T] token ids"
            ),
        ),
        outputs={"elmo": (2, 10, 64), "lm_loss": (), "layer_weights": (3,)},
    ),
    MethodEntry(
        id="node2vec",
        names=("node2vec",),
        kind="model",
        paper="https://arxiv.org/abs/1607.00653",
        target="methods.impl.node2vec:Node2Vec",
        summary="Skip-gram with negative sampling on second-order random walks biased by p and q.",
        params=Node2VecParams,
        inputs=(
            TensorSpec(
                "adjacency",
                ("num_nodes", "num_nodes"),
                dtype="int64",
                dist="randint",
                high=2,
                doc="[N, N] 0/1",
            ),
        ),
        outputs={"walks": (32, 8), "loss": (), "embeddings": (16, 16)},
    ),
    MethodEntry(
        id="skip-gram-word2vec",
        names=("Skip-gram Word2Vec", "Skip-gram"),
        kind="model",
        paper="https://arxiv.org/abs/1301.3781",
        target="methods.impl.word2vec:Word2Vec",
        summary="Word vectors trained to predict each context word from the centre word, with negative sampling.",
        params=SkipGramParams,
        inputs=(
            TensorSpec(
                "tokens", (4, 12), dtype="int64", dist="randint", high="vocab_size", doc="[B, T] word ids"
            ),
        ),
        outputs={"loss": (), "embeddings": (200, 16), "noise_distribution": (200,)},
    ),
    MethodEntry(
        id="cbow-word2vec",
        names=("CBoW Word2Vec", "Continuous Bag-of-Words Word2Vec"),
        kind="model",
        paper="https://arxiv.org/abs/1301.3781",
        target="methods.impl.word2vec:Word2Vec",
        summary="Word vectors trained to predict the centre word from its averaged context, with negative sampling.",
        params=CBOWParams,
        inputs=(
            TensorSpec(
                "tokens", (4, 12), dtype="int64", dist="randint", high="vocab_size", doc="[B, T] word ids"
            ),
        ),
        outputs={"loss": (), "embeddings": (200, 16), "noise_distribution": (200,)},
    ),
)
