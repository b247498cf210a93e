"""Graph methods (message passing, diffusion convolution, walk aggregation, Laplacian embeddings),
region pooling, and explanations of a model's predictions (Shapley values, local surrogates,
counterfactuals, class activation maps, the neural tangent kernel)."""

from pydantic import Field

from methods.spec import MethodEntry, Params, TensorSpec


class RoIPoolParams(Params):
    output_size: int = Field(7, ge=1, le=14, description="output grid P x P (paper 7)")
    spatial_scale: float = Field(
        0.25, gt=0.0, le=1.0, description="feature pixels per image pixel, 1 / stride"
    )


class RoIAlignParams(RoIPoolParams):
    sampling_ratio: int = Field(2, ge=1, le=4, description="bilinear samples s per bin side (paper 2)")


class GNNParams(Params):
    in_features: int = Field(8, ge=1, le=1024, description="node feature size F")
    hidden: int = Field(16, ge=1, le=1024, description="node state size H")
    out_features: int = Field(4, ge=1, le=1024, description="graph output size O")
    rounds: int = Field(3, ge=1, le=16, description="message-passing rounds K")


class DCNNParams(Params):
    in_features: int = Field(8, ge=1, le=1024, description="node feature size F")
    hops: int = Field(2, ge=1, le=10, description="diffusion hops K (powers P^0..P^K)")
    num_classes: int = Field(3, ge=2, le=1000, description="node classes C")


class AWAREParams(Params):
    in_features: int = Field(8, ge=1, le=1024, description="vertex feature size")
    hidden: int = Field(16, ge=1, le=1024, description="walk embedding size H")
    walk_length: int = Field(3, ge=1, le=8, description="longest walk T")
    out_features: int = Field(1, ge=1, le=1024, description="prediction size O")


class LapEigenParams(Params):
    n_components: int = Field(2, ge=1, le=64, description="embedding dimension m")
    n_neighbors: int = Field(8, ge=1, le=256, description="nearest neighbours k of the graph")
    t: float = Field(1.0, gt=0.0, le=1e4, description="heat kernel parameter t")


class LaplacianPEParams(Params):
    in_features: int = Field(8, ge=1, le=1024, description="node feature size")
    k: int = Field(4, ge=1, le=64, description="eigenvectors k per node")
    hidden: int = Field(16, ge=1, le=1024, description="embedding size H")
    random_sign: bool = Field(True, description="flip eigenvector signs at random (training augmentation)")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the sign flips")


class SHAPParams(Params):
    num_features: int = Field(6, ge=1, le=12, description="features M (2^M coalitions are enumerated)")
    hidden: int = Field(16, ge=1, le=256, description="hidden units of the explained MLP")


class LIMEParams(Params):
    num_features: int = Field(6, ge=1, le=256, description="features D")
    hidden: int = Field(16, ge=1, le=256, description="hidden units of the explained MLP")
    num_samples: int = Field(256, ge=8, le=10_000, description="perturbations drawn")
    scale: float = Field(0.5, gt=0.0, le=100.0, description="perturbation standard deviation")
    kernel_width: float = Field(1.0, gt=0.0, le=100.0, description="proximity kernel width σ")
    ridge: float = Field(1e-3, ge=0.0, le=100.0, description="ridge penalty λ (the complexity Ω(g))")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the perturbations")


class CounterfactualParams(Params):
    num_features: int = Field(6, ge=1, le=256, description="features D")
    hidden: int = Field(16, ge=1, le=256, description="hidden units of the explained MLP")
    target: float = Field(0.9, ge=0.0, le=1.0, description="desired output y'")
    steps: int = Field(10, ge=1, le=1000, description="gradient steps per λ")
    lr: float = Field(0.05, gt=0.0, le=10.0, description="step size on x'")
    rounds: int = Field(4, ge=1, le=20, description="λ doublings")
    lam: float = Field(10.0, gt=0.0, le=1e5, description="initial λ")


class CAMParams(Params):
    in_channels: int = Field(3, ge=1, le=64, description="image channels")
    channels: int = Field(32, ge=1, le=512, description="channels K of the last feature maps f_k")
    num_classes: int = Field(10, ge=2, le=1000, description="classes")


class NTKParams(Params):
    in_features: int = Field(4, ge=1, le=256, description="input dimension")
    width: int = Field(64, ge=1, le=1024, description="hidden width n")
    depth: int = Field(2, ge=1, le=6, description="hidden layers")
    beta: float = Field(0.1, ge=0.0, le=10.0, description="bias scale β of the NTK parametrization")


_N = 12
_GRAPH = (
    TensorSpec("x", (_N, "in_features"), fixed=(1,), doc="[N, F] node features"),
    TensorSpec("adjacency", (_N, _N), dtype="int64", dist="randint", high=2, doc="[N, N] 0/1 adjacency"),
)
_ROI = (
    TensorSpec("features", (1, 8, 16, 16), doc="[B, C, H, W] feature map"),
    TensorSpec("boxes", (1, 3, 4), dist="uniform", doc="[B, R, 4] samples in [0, 1], made into boxes"),
)

ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="roipool",
        names=("RoIPool", "Region of Interest Pooling"),
        kind="function",
        paper="https://arxiv.org/abs/1504.08083",
        target="methods.impl.roi_pool:RoIPool",
        summary="Max pooling of each box over a P x P grid of bins snapped to the feature grid.",
        params=RoIPoolParams,
        inputs=_ROI,
        outputs={"output": (1, 3, 8, 7, 7)},
    ),
    MethodEntry(
        id="roialign",
        names=("RoIAlign", "Region of Interest Align"),
        kind="function",
        paper="https://arxiv.org/abs/1703.06870",
        target="methods.impl.roi_align:RoIAlign",
        summary="Averages bilinear samples in each bin of a box, with no quantization of coordinates.",
        params=RoIAlignParams,
        inputs=_ROI,
        outputs={"output": (1, 3, 8, 7, 7)},
    ),
    MethodEntry(
        id="graph-neural-network",
        names=("Graph Neural Network", "Message Passing Neural Network"),
        kind="model",
        paper="https://arxiv.org/abs/1812.08434",
        target="methods.impl.graph_neural_network:MessagePassingGNN",
        summary="Rounds of neighbour message sums and GRU state updates, then a sum readout.",
        params=GNNParams,
        inputs=_GRAPH,
        outputs={"nodes": (_N, 16), "graph": (4,)},
    ),
    MethodEntry(
        id="dcnn",
        names=("DCNN", "Diffusion-Convolutional Neural Networks", "Diffusion-Convolutional Neural Network"),
        kind="model",
        paper="https://arxiv.org/abs/1511.02136",
        target="methods.impl.diffusion_convolutional_neural_network:DiffusionConvolution",
        summary="Node features diffused over powers of the transition matrix, weighted per hop and feature.",
        params=DCNNParams,
        inputs=_GRAPH,
        outputs={"representation": (_N, 3, 8), "logits": (_N, 3)},
    ),
    MethodEntry(
        id="aware",
        names=("AWARE", "Attentive Walk-Aggregating Graph Neural Network"),
        kind="model",
        paper="https://arxiv.org/abs/2110.02667",
        target="methods.impl.aware:AWARE",
        summary="Walk embeddings weighted at vertex, walk and graph level, pooled into a graph prediction.",
        params=AWAREParams,
        inputs=_GRAPH,
        outputs={"graph": (48,), "prediction": (1,)},
    ),
    MethodEntry(
        id="lapeigen",
        names=("LapEigen", "Laplacian EigenMap", "Laplacian Eigenmaps"),
        kind="algorithm",
        paper="https://proceedings.neurips.cc/paper/2001/hash/f106b7f99d2cb30c3db1c3cc0fde9ccb-Abstract.html",
        target="methods.impl.laplacian_eigenmaps:LaplacianEigenmaps",
        summary="Embeds points by the smallest non-trivial solutions of L f = λ D f on a heat-kernel graph.",
        params=LapEigenParams,
        inputs=(TensorSpec("x", (40, 3), doc="[N, D] points"),),
        outputs={"embedding": (40, 2), "eigenvalues": (2,)},
    ),
    MethodEntry(
        id="laplacian-pe",
        names=("Laplacian PE", "Laplacian Positional Encodings"),
        kind="module",
        paper="https://arxiv.org/abs/2003.00982",
        target="methods.impl.laplacian_positional_encoding:LaplacianPositionalEncoding",
        summary="Normalized-Laplacian eigenvectors as node positions, sign-flipped at random, added to features.",
        params=LaplacianPEParams,
        inputs=(_GRAPH[1], _GRAPH[0]),
        outputs={"encoding": (_N, 4), "output": (_N, 16)},
    ),
    MethodEntry(
        id="shap",
        names=("SHAP", "Shapley Additive Explanations"),
        kind="algorithm",
        paper="https://arxiv.org/abs/1705.07874",
        target="methods.impl.shapley_additive_explanations:SHAP",
        summary="Exact Shapley values of each feature for one prediction, absent features from a background.",
        params=SHAPParams,
        inputs=(
            TensorSpec("x", ("num_features",), doc="[M] the instance explained"),
            TensorSpec("background", (16, "num_features"), doc="[K, M] background samples"),
        ),
        outputs={"shap_values": (6,), "base_value": (), "prediction": ()},
    ),
    MethodEntry(
        id="lime",
        names=("LIME", "Local Interpretable Model-Agnostic Explanations"),
        kind="algorithm",
        paper="https://arxiv.org/abs/1602.04938",
        target="methods.impl.lime:LIME",
        summary="Fits a proximity-weighted ridge regression to the model's outputs on perturbations of x.",
        params=LIMEParams,
        inputs=(TensorSpec("x", ("num_features",), doc="[D] the instance explained"),),
        outputs={"weights": (6,), "intercept": (), "local_fidelity": (), "prediction": ()},
    ),
    MethodEntry(
        id="counterfactuals",
        names=("Counterfactuals", "Counterfactuals Explanations", "Counterfactual Explanations"),
        kind="algorithm",
        paper="https://arxiv.org/abs/1711.00399",
        target="methods.impl.counterfactual_explanations:CounterfactualExplanation",
        summary="The nearest input, in MAD-scaled L1 distance, for which the model gives the desired output.",
        params=CounterfactualParams,
        inputs=(
            TensorSpec("x", ("num_features",), doc="[D] the instance"),
            TensorSpec("data", (32, "num_features"), doc="[N, D] data for the median absolute deviations"),
        ),
        outputs={"counterfactual": (6,), "prediction": (), "distance": (), "original_prediction": ()},
    ),
    MethodEntry(
        id="cam",
        names=("CAM", "Class-activation map", "Class Activation Mapping"),
        kind="model",
        paper="https://arxiv.org/abs/1512.04150",
        target="methods.impl.class_activation_map:ClassActivationMap",
        summary="Class-weighted sum of the last feature maps of a GAP classifier: where the class was seen.",
        params=CAMParams,
        inputs=(TensorSpec("x", (2, "in_channels", 32, 32), fixed=(1,), doc="[B, C, H, W] images"),),
        outputs={"logits": (2, 10), "cam": (2, 32, 32), "classes": (2,)},
    ),
    MethodEntry(
        id="ntk",
        names=("NTK", "Neural Tangent Kernel"),
        kind="function",
        paper="https://arxiv.org/abs/1806.07572",
        target="methods.impl.neural_tangent_kernel:EmpiricalNTK",
        summary="Inner products of parameter gradients of an NTK-parametrized MLP: the empirical NTK.",
        params=NTKParams,
        inputs=(
            TensorSpec("x1", (6, "in_features"), fixed=(1,), doc="[N, D]"),
            TensorSpec("x2", (5, "in_features"), fixed=(1,), doc="[M, D]"),
        ),
        outputs={"kernel": (6, 5), "outputs1": (6,)},
    ),
)
