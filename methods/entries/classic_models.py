"""Models and procedures among the catalog's most-used methods: vision modules and models, language
models, tabular and routing networks, retrieval, evolutionary search, inference, active learning."""

from pydantic import Field

from methods.spec import MethodEntry, Params, TensorSpec


class RANParams(Params):
    channels: int = Field(16, ge=1, le=512, description="feature channels C")
    trunk_units: int = Field(2, ge=1, le=8, description="residual units t of the trunk branch (paper 2)")


class SPEEDParams(Params):
    width: int = Field(16, ge=4, le=128, description="stem width (encoder widths 2x and 4x)")


class HeatmapParams(Params):
    num_joints: int = Field(4, ge=1, le=64, description="keypoints J")
    width: int = Field(16, ge=1, le=256, description="channels of the network")
    sigma: float = Field(1.5, gt=0.0, le=32.0, description="target Gaussian standard deviation σ, pixels")


class InpaintingParams(Params):
    channels: int = Field(3, ge=1, le=16, description="image channels")
    width: int = Field(16, ge=1, le=256, description="encoder width")
    mask_fraction: float = Field(
        0.5, gt=0.0, lt=1.0, description="side of the central mask, fraction of the image"
    )


class SAMParams(Params):
    dim: int = Field(32, ge=8, le=256, description="embedding width (paper 256)")
    heads: int = Field(2, ge=1, le=16, description="attention heads")
    depth: int = Field(2, ge=1, le=12, description="image encoder layers")
    num_masks: int = Field(3, ge=1, le=8, description="mask tokens (paper 3 plus 1 single-mask)")


class SplattingParams(Params):
    num_gaussians: int = Field(16, ge=1, le=4096, description="Gaussians G")
    height: int = Field(24, ge=1, le=256, description="image height")
    width: int = Field(24, ge=1, le=256, description="image width")
    focal: float = Field(30.0, gt=0.0, le=1e4, description="focal length f, pixels")


class AEParams(Params):
    in_features: int = Field(64, ge=1, le=4096, description="input dimension D")
    hidden: int = Field(32, ge=1, le=4096, description="hidden units")
    code_dim: int = Field(8, ge=1, le=1024, description="code size K")


class SNNParams(Params):
    in_features: int = Field(16, ge=1, le=4096, description="input neurons")
    hidden: int = Field(32, ge=1, le=4096, description="hidden LIF neurons")
    num_classes: int = Field(4, ge=1, le=1000, description="output neurons")
    beta: float = Field(0.9, ge=0.0, le=1.0, description="membrane leak β")
    threshold: float = Field(1.0, gt=0.0, le=100.0, description="firing threshold ϑ")
    slope: float = Field(25.0, gt=0.0, le=1000.0, description="surrogate steepness k")


class OPTParams(Params):
    vocab_size: int = Field(1000, ge=2, le=100_000, description="vocabulary V (paper 50,272)")
    dim: int = Field(64, ge=8, le=1024, description="model width d (125M: 768)")
    heads: int = Field(4, ge=1, le=32, description="attention heads")
    layers: int = Field(2, ge=1, le=24, description="decoder layers")
    max_positions: int = Field(128, ge=1, le=2048, description="learned positions (paper 2048)")


class MBERTParams(Params):
    vocab_size: int = Field(1000, ge=4, le=200_000, description="shared WordPiece vocabulary (paper 119,547)")
    dim: int = Field(64, ge=8, le=1024, description="hidden size (paper 768)")
    heads: int = Field(4, ge=1, le=32, description="attention heads")
    layers: int = Field(2, ge=1, le=24, description="encoder layers (paper 12)")
    max_positions: int = Field(128, ge=1, le=512, description="positions (paper 512)")
    mask_prob: float = Field(0.15, gt=0.0, le=1.0, description="masking rate (paper 0.15)")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the masking draws")


class NONParams(Params):
    num_fields: int = Field(6, ge=1, le=256, description="fields F")
    field_vocab: int = Field(50, ge=1, le=100_000, description="values per field")
    dim: int = Field(8, ge=2, le=256, description="embedding size E (even, two attention heads)")
    hidden: int = Field(32, ge=1, le=1024, description="DNN width")


class AMParams(Params):
    dim: int = Field(32, ge=4, le=512, description="embedding width (paper 128)")
    heads: int = Field(4, ge=1, le=16, description="attention heads (paper 8)")
    layers: int = Field(2, ge=1, le=8, description="encoder layers N (paper 3)")
    clip: float = Field(10.0, gt=0.0, le=100.0, description="logit clipping C (paper 10)")


class RAGParams(Params):
    vocab_size: int = Field(500, ge=2, le=100_000, description="vocabulary")
    dim: int = Field(32, ge=1, le=1024, description="encoder and generator width")
    top_k: int = Field(3, ge=1, le=64, description="retrieved documents k (paper 5-10)")


class ALIGNParams(Params):
    vocab_size: int = Field(1000, ge=2, le=100_000, description="text vocabulary")
    dim: int = Field(32, ge=1, le=1024, description="embedding size (paper 640)")
    temperature: float = Field(0.1, gt=0.0, le=10.0, description="initial temperature σ (learned)")


class GAParams(Params):
    population: int = Field(32, ge=4, le=4096, description="population size P")
    generations: int = Field(30, ge=1, le=1000, description="generations")
    elite: int = Field(2, ge=0, le=64, description="best individuals kept unchanged")
    tournament: int = Field(3, ge=1, le=64, description="tournament size")
    mutation_rate: float = Field(0.2, ge=0.0, le=1.0, description="per-gene mutation probability p_m")
    mutation_scale: float = Field(0.3, ge=0.0, le=10.0, description="mutation noise σ")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the draws")


class VIParams(Params):
    in_features: int = Field(4, ge=1, le=1024, description="weights D")
    noise_std: float = Field(0.5, gt=0.0, le=100.0, description="likelihood noise σ")
    prior_precision: float = Field(1.0, gt=0.0, le=1e4, description="prior precision α")
    samples: int = Field(8, ge=1, le=1024, description="Monte-Carlo samples S")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of ε")


class BASEParams(Params):
    budget: int = Field(12, ge=1, le=10_000, description="queries b per round")


class GPSParams(Params):
    policy_size: int = Field(4, ge=1, le=64, description="sub-policies K in the learned policy")


class HOCParams(Params):
    num_classes: int = Field(3, ge=2, le=32, description="classes C")
    steps: int = Field(100, ge=1, le=5000, description="gradient steps")
    lr: float = Field(5.0, gt=0.0, le=100.0, description="step size")


class TSParams(Params):
    levels: int = Field(4, ge=2, le=256, description="quantization levels of the signal")


class FocusParams(Params):
    dim: int = Field(32, ge=1, le=1024, description="model width d")
    heads: int = Field(4, ge=1, le=32, description="attention heads (dim must divide by it)")
    chunk: int = Field(8, ge=1, le=256, description="chunk length of the filter coefficients and attention")


ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="ran",
        names=("RAN", "Residual Attention Network"),
        kind="module",
        paper="https://arxiv.org/abs/1704.06904",
        target="methods.impl.residual_attention_network:AttentionModule",
        summary="Trunk features gated by a bottom-up top-down soft mask, (1 + M) · T.",
        params=RANParams,
        inputs=(TensorSpec("x", (2, "channels", 16, 16), fixed=(1,), doc="[B, C, H, W]"),),
        outputs={"output": (2, 16, 16, 16), "mask": (2, 16, 16, 16)},
    ),
    MethodEntry(
        id="speed",
        names=("SPEED", "Separable Pyramidal Pooling EncodEr-Decoder"),
        kind="model",
        paper="https://doi.org/10.1109/ACCESS.2022.3225409",
        target="methods.impl.speed:SPEED",
        summary="Lightweight depth estimator with depthwise separable pyramidal pooling.",
        params=SPEEDParams,
        inputs=(
            TensorSpec(
                "image",
                (2, 3, 64, 64),
                fixed=(1,),
                doc="[B, 3, H, W], B > 1 (batch norm), H and W multiples of 8",
            ),
        ),
        outputs={"output": (2, 1, 32, 32)},
    ),
    MethodEntry(
        id="heatmap",
        names=("Heatmap", "Heatmap Regression"),
        kind="model",
        paper="https://arxiv.org/abs/1406.2984",
        target="methods.impl.heatmap_regression:HeatmapRegression",
        summary="Per-joint heatmaps regressed to Gaussian targets, decoded by their arg-max.",
        params=HeatmapParams,
        inputs=(
            TensorSpec("image", (2, 3, 24, 24), fixed=(1,), doc="[B, 3, H, W]"),
            TensorSpec(
                "keypoints", (2, "num_joints", 2), fixed=(2,), dist="uniform", doc="[B, J, 2] in [0, 1]"
            ),
        ),
        outputs={"heatmaps": (2, 4, 24, 24), "targets": (2, 4, 24, 24), "loss": (), "decoded": (2, 4, 2)},
    ),
    MethodEntry(
        id="inpainting",
        names=("Inpainting", "Context Encoders"),
        kind="model",
        paper="https://arxiv.org/abs/1604.07379",
        target="methods.impl.inpainting:ContextEncoder",
        summary="Self-supervision by predicting a masked central region from its context (masked L2).",
        params=InpaintingParams,
        inputs=(
            TensorSpec(
                "image", (2, "channels", 32, 32), fixed=(1,), doc="[B, C, H, W], H and W multiples of 4"
            ),
        ),
        outputs={"reconstruction": (2, 3, 32, 32), "mask": (1, 1, 32, 32), "loss": ()},
    ),
    MethodEntry(
        id="sam",
        names=("SAM", "Segment Anything Model", "Segment Anything"),
        kind="model",
        paper="https://arxiv.org/abs/2304.02643",
        target="methods.impl.segment_anything:SegmentAnything",
        summary="Promptable segmentation: ViT image encoder, point prompts, two-way mask decoder with IoU head.",
        params=SAMParams,
        inputs=(
            TensorSpec("image", (1, 3, 64, 64), fixed=(1, 2, 3), doc="[B, 3, 64, 64]"),
            TensorSpec("points", (1, 2, 2), fixed=(2,), dist="uniform", doc="[B, P, 2] in [0, 1]"),
            TensorSpec("labels", (1, 2), dtype="int64", dist="randint", high=2, doc="[B, P] 1 fg, 0 bg"),
        ),
        outputs={"masks": (1, 3, 16, 16), "iou_predictions": (1, 3)},
    ),
    MethodEntry(
        id="3d-gaussian-splatting",
        names=("3d gaussian splatting", "3D Gaussian Splatting"),
        kind="model",
        paper="https://arxiv.org/abs/2308.04079",
        target="methods.impl.gaussian_splatting:GaussianSplatting",
        summary="Anisotropic 3D Gaussians projected by EWA splatting and alpha-blended front to back.",
        params=SplattingParams,
        inputs=(
            TensorSpec(
                "points",
                ("num_gaussians", 3),
                fixed=(1,),
                dist="uniform",
                low=-1.0,
                high=1.0,
                doc="[G, 3] means",
            ),
        ),
        outputs={"image": (3, 24, 24), "alpha": (24, 24), "depth_order": (16,)},
    ),
    MethodEntry(
        id="ae",
        names=("AE", "Autoencoders"),
        kind="model",
        paper="https://doi.org/10.1126/science.1127647",
        target="methods.impl.deep_autoencoder:DeepAutoencoder",
        summary="Encoder to a narrow code and decoder back, trained on the reconstruction error.",
        params=AEParams,
        inputs=(TensorSpec("x", (8, "in_features"), fixed=(1,), doc="[B, D]"),),
        outputs={"code": (8, 8), "reconstruction": (8, 64), "loss": ()},
    ),
    MethodEntry(
        id="snn",
        names=("SNN", "Spiking Neural Networks", "Spiking Neural Network"),
        kind="model",
        paper="https://arxiv.org/abs/1901.09948",
        target="methods.impl.spiking_neural_network:SpikingNetwork",
        summary="Leaky integrate-and-fire layers over time, trained through a surrogate spike gradient.",
        params=SNNParams,
        inputs=(
            TensorSpec(
                "spikes",
                (20, 4, "in_features"),
                fixed=(2,),
                dist="bernoulli",
                high=0.3,
                dtype="float32",
                doc="[T, B, D] 0/1",
            ),
        ),
        outputs={"spike_counts": (4, 4), "membrane": (20, 4, 4), "output_spikes": (20, 4, 4)},
    ),
    MethodEntry(
        id="opt",
        names=("OPT", "Open Pre-trained Transformer"),
        kind="model",
        paper="https://arxiv.org/abs/2205.01068",
        target="methods.impl.opt:OPT",
        summary="Decoder-only pre-LN Transformer with offset learned positions, ReLU MLPs, tied output.",
        params=OPTParams,
        inputs=(
            TensorSpec("tokens", (2, 16), dtype="int64", dist="randint", high="vocab_size", doc="[B, T]"),
        ),
        outputs={"logits": (2, 16, 1000), "loss": ()},
    ),
    MethodEntry(
        id="mbert",
        names=("mBERT", "Multilingual BERT"),
        kind="model",
        paper="https://arxiv.org/abs/1810.04805",
        target="methods.impl.multilingual_bert:MultilingualBERT",
        summary="BERT encoder with a shared multilingual vocabulary, trained by masked language modelling.",
        params=MBERTParams,
        inputs=(
            TensorSpec(
                "tokens", (2, 16), dtype="int64", dist="randint", low=2, high="vocab_size", doc="[B, T]"
            ),
            TensorSpec("segments", (2, 16), dtype="int64", dist="randint", high=2, doc="[B, T] sentence A/B"),
        ),
        outputs={"logits": (2, 16, 1000), "loss": (), "masked": (2, 16)},
    ),
    MethodEntry(
        id="non",
        names=("NON", "Network On Network"),
        kind="model",
        paper="https://arxiv.org/abs/2005.10114",
        target="methods.impl.network_on_network:NetworkOnNetwork",
        summary="Field-wise networks, across-field DNN, FM and attention, fused by a DNN for tabular data.",
        params=NONParams,
        inputs=(
            TensorSpec(
                "fields",
                (8, "num_fields"),
                fixed=(1,),
                dtype="int64",
                dist="randint",
                high="field_vocab",
                doc="[B, F] ids",
            ),
        ),
        outputs={"logits": (8,), "field_outputs": (8, 6, 8)},
    ),
    MethodEntry(
        id="am",
        names=("AM", "Attention Model"),
        kind="model",
        paper="https://arxiv.org/abs/1803.08475",
        target="methods.impl.attention_model:AttentionModel",
        summary="Graph attention encoder and clipped pointer decoder that builds TSP tours greedily.",
        params=AMParams,
        inputs=(
            TensorSpec("coordinates", (2, 10, 2), fixed=(2,), dist="uniform", doc="[B, N, 2] in [0, 1]"),
        ),
        outputs={"tour": (2, 10), "log_likelihood": (2,), "length": (2,)},
    ),
    MethodEntry(
        id="rag",
        names=("RAG", "Retrieval-Augmented Generation", "Retriever-Augmented Generation"),
        kind="model",
        paper="https://arxiv.org/abs/2005.11401",
        target="methods.impl.retrieval_augmented_generation:RAGSequence",
        summary="Inner-product retrieval of top-k documents and a generator marginalized over them.",
        params=RAGParams,
        inputs=(
            TensorSpec("query", (2, 6), dtype="int64", dist="randint", high="vocab_size", doc="[B, Lq]"),
            TensorSpec(
                "documents", (20, 8), dtype="int64", dist="randint", high="vocab_size", doc="[K, Ld] index"
            ),
            TensorSpec("target", (2, 5), dtype="int64", dist="randint", high="vocab_size", doc="[B, Ly]"),
        ),
        outputs={"log_likelihood": (2,), "doc_scores": (2, 3), "retrieved": (2, 3)},
    ),
    MethodEntry(
        id="align",
        names=("ALIGN",),
        kind="model",
        paper="https://arxiv.org/abs/2102.05918",
        target="methods.impl.align:ALIGN",
        summary="Image and text dual encoder trained with a symmetric normalized softmax contrastive loss.",
        params=ALIGNParams,
        inputs=(
            TensorSpec("images", (4, 3, 32, 32), fixed=(1,), doc="[N, 3, H, W]"),
            TensorSpec(
                "texts", (4, 8), dtype="int64", dist="randint", high="vocab_size", doc="[N, L] alt-text ids"
            ),
        ),
        outputs={"loss": (), "logits": (4, 4), "temperature": ()},
    ),
    MethodEntry(
        id="ga",
        names=("GA", "Genetic Algorithms", "Genetic Algorithm"),
        kind="algorithm",
        paper="https://doi.org/10.1007/BFb0029787",
        target="methods.impl.genetic_algorithm:GeneticAlgorithm",
        summary="Elitist evolution by tournament selection, uniform crossover and Gaussian mutation.",
        params=GAParams,
        inputs=(
            TensorSpec(
                "optimum",
                (4,),
                dist="uniform",
                low=-2.0,
                high=2.0,
                doc="[d] optimum of the shifted Rastrigin",
            ),
        ),
        outputs={"best": (4,), "best_fitness": (30,), "population": (32, 4)},
    ),
    MethodEntry(
        id="variational-inference",
        names=("Variational Inference", "Mean-field Variational Inference"),
        kind="model",
        paper="https://doi.org/10.1023/A:1007665907178",
        target="methods.impl.variational_inference:MeanFieldVI",
        summary="Mean-field Gaussian posterior of a Bayesian linear regression; reparameterized ELBO.",
        params=VIParams,
        inputs=(
            TensorSpec("x", (32, "in_features"), fixed=(1,), doc="[N, D]"),
            TensorSpec("y", (32,), doc="[N]"),
        ),
        outputs={
            "elbo": (),
            "expected_log_likelihood": (),
            "kl": (),
            "posterior_mean": (4,),
            "posterior_std": (4,),
        },
    ),
    MethodEntry(
        id="base",
        names=("BASE", "Balanced Selection"),
        kind="algorithm",
        paper="https://arxiv.org/abs/2111.12880",
        target="methods.impl.balanced_selection:BalancedSelection",
        summary="Active learning queries balanced over classes, nearest each class's decision boundary.",
        params=BASEParams,
        inputs=(TensorSpec("logits", (64, 4), doc="[U, C] scores on the unlabeled pool"),),
        outputs={"selected": (12,), "query_class": (12,), "margins": (64, 4)},
    ),
    MethodEntry(
        id="gps",
        names=("GPS", "Greedy Policy Search"),
        kind="algorithm",
        paper="https://arxiv.org/abs/2002.09103",
        target="methods.impl.greedy_policy_search:GreedyPolicySearch",
        summary="Builds a test-time augmentation policy greedily by calibrated ensemble log-likelihood.",
        params=GPSParams,
        inputs=(
            TensorSpec("logits", (6, 40, 5), doc="[A, N, C] logits under each candidate augmentation"),
            TensorSpec("labels", (40,), dtype="int64", dist="randint", high=5, doc="[N] validation labels"),
        ),
        outputs={"policy": (4,), "log_likelihood": (4,), "temperatures": (6,)},
    ),
    MethodEntry(
        id="hoc",
        names=("HOC", "High-Order Consensuses"),
        kind="algorithm",
        paper="https://arxiv.org/abs/2102.05291",
        target="methods.impl.high_order_consensuses:HighOrderConsensuses",
        summary="Noise transition matrix from first- to third-order label consensuses of 2-NN triples.",
        params=HOCParams,
        inputs=(
            TensorSpec("features", (60, 4), doc="[N, D]"),
            TensorSpec("noisy_labels", (60,), dtype="int64", dist="randint", high="num_classes", doc="[N]"),
        ),
        outputs={"transition": (3, 3), "prior": (3,), "consensus_error": (100,)},
    ),
    MethodEntry(
        id="ts",
        names=("TS", "Spatio-temporal stability analysis"),
        kind="function",
        paper="https://doi.org/10.1109/PROC.1967.5493",
        target="methods.impl.spatio_temporal_stability:RunLengthStability",
        summary="Per-pixel stability of a video: runs of its quantized temporal signal (run-length encoding).",
        params=TSParams,
        inputs=(TensorSpec("video", (12, 16, 16), dist="uniform", doc="[T, H, W] in [0, 1]"),),
        outputs={"stability": (16, 16), "runs": (16, 16), "longest_run": (16, 16)},
    ),
    MethodEntry(
        id="focus",
        names=("Focus", "Focus Your Attention"),
        kind="module",
        paper="https://arxiv.org/abs/2305.14952",
        target="methods.impl.focus:Focus",
        summary="Input-dependent second-order IIR filters per chunk, then causal attention within chunks.",
        params=FocusParams,
        inputs=(TensorSpec("x", (2, 32, "dim"), fixed=(2,), doc="[B, T, d], T a multiple of chunk"),),
        outputs={"output": (2, 32, 32), "filtered": (2, 32, 32), "poles": (2, 4, 32)},
    ),
)
