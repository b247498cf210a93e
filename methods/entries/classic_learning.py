"""Classical machine learning: decompositions, clustering, linear models, kernels, structured prediction, search."""

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec


class PCAParams(Params):
    n_components: int = Field(2, ge=1, le=256, description="number of principal axes k")


class KMeansParams(Params):
    n_clusters: int = Field(3, ge=1, le=256, description="number of clusters k")
    max_iter: int = Field(50, ge=1, le=1000, description="cap on Lloyd iterations")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the k-means++ draws")


class SVMParams(Params):
    lam: float = Field(0.01, gt=0.0, le=100.0, description="regularization λ (C = 1 / (λN))")
    steps: int = Field(100, ge=1, le=5000, description="Pegasos iterations T")


class LogisticRegressionParams(Params):
    in_features: int = Field(8, ge=1, le=4096, description="input dimension D")
    num_classes: int = Field(3, ge=2, le=1000, description="number of classes C")
    l2: float = Field(0.0, ge=0.0, le=100.0, description="L2 penalty λ on W")


class LinearRegressionParams(Params):
    alpha: float = Field(0.0, ge=0.0, le=1e6, description="ridge penalty α (0: ordinary least squares)")


class GaussianProcessParams(Params):
    lengthscale: float = Field(1.0, gt=0.0, le=1e3, description="RBF lengthscale ℓ")
    signal_std: float = Field(1.0, gt=0.0, le=1e3, description="signal standard deviation σ_f")
    noise_std: float = Field(0.1, ge=1e-3, le=1e3, description="observation noise standard deviation σ_n")


class LDAParams(Params):
    num_classes: int = Field(3, ge=2, le=100, description="number of classes C")
    n_components: int = Field(2, ge=1, le=99, description="discriminant directions k ≤ C − 1")
    shrinkage: float = Field(1e-4, ge=1e-8, le=1e3, description="ridge ε added to S_W")

    @model_validator(mode="after")
    def _at_most_c_minus_one(self) -> "LDAParams":
        if self.n_components > self.num_classes - 1:
            raise ValueError(f"n_components must be at most num_classes - 1 = {self.num_classes - 1}")
        return self


class FastICAParams(Params):
    n_components: int = Field(3, ge=1, le=64, description="number of sources k")
    alpha: float = Field(1.0, ge=1.0, le=2.0, description="log-cosh constant a in g(u) = tanh(a u)")
    max_iter: int = Field(200, ge=1, le=2000, description="cap on fixed-point iterations")
    tol: float = Field(1e-4, gt=0.0, le=1.0, description="convergence tolerance on |w⁺ᵀw| − 1")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the random orthogonal start W₀")


class SpectralClusteringParams(Params):
    n_clusters: int = Field(2, ge=1, le=64, description="number of clusters k")
    sigma: float = Field(1.0, gt=0.0, le=1e3, description="affinity bandwidth σ")
    max_iter: int = Field(50, ge=1, le=1000, description="cap on k-means iterations")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the k-means++ draws")


class CRFParams(Params):
    num_tags: int = Field(5, ge=1, le=256, description="number of tags K")


class ADMMParams(Params):
    lam: float = Field(0.1, ge=0.0, le=1e3, description="L1 weight λ of the lasso")
    rho: float = Field(1.0, gt=0.0, le=1e3, description="augmented Lagrangian penalty ρ")
    iterations: int = Field(50, ge=1, le=2000, description="ADMM iterations k")


class FeatureSelectionParams(Params):
    n_features: int = Field(3, ge=1, le=64, description="number of features k to select")


class RandomSearchParams(Params):
    n_trials: int = Field(32, ge=1, le=4096, description="number of random trials n")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="seed of the draws")


_N, _D = 64, 8
_X = TensorSpec("x", (_N, _D), doc="[N, D] data")

ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="pca",
        names=("PCA", "Principal Components Analysis", "Principal Component Analysis"),
        kind="algorithm",
        paper="https://doi.org/10.1080/14786440109462720",
        target="methods.impl.principal_components_analysis:PCA",
        summary="Projects centered data onto its orthogonal directions of largest variance (thin SVD).",
        params=PCAParams,
        inputs=(_X,),
        outputs={"scores": (_N, 2), "components": (2, _D), "explained_variance": (2,)},
    ),
    MethodEntry(
        id="k-means-clustering",
        names=("k-Means Clustering", "k-Means", "K-means"),
        kind="algorithm",
        paper="https://doi.org/10.1109/TIT.1982.1056489",
        target="methods.impl.k_means_clustering:KMeans",
        summary="Lloyd's alternation of nearest-centroid assignment and mean update, from a k-means++ start.",
        params=KMeansParams,
        inputs=(_X,),
        outputs={"assignments": (_N,), "centroids": (3, _D), "inertia": ()},
    ),
    MethodEntry(
        id="svm",
        names=("SVM", "Support Vector Machine", "Linear SVM"),
        kind="algorithm",
        paper="https://doi.org/10.1007/BF00994018",
        target="methods.impl.support_vector_machine:LinearSVM",
        summary="Linear soft-margin SVM fitted by Pegasos subgradient steps on the regularized hinge loss.",
        params=SVMParams,
        inputs=(_X, TensorSpec("labels", (_N,), dtype="int64", dist="randint", high=2, doc="[N] in {0, 1}")),
        outputs={"weight": (_D,), "bias": (), "margins": (_N,), "objective": (100,)},
    ),
    MethodEntry(
        id="logistic-regression",
        names=("Logistic Regression", "Multinomial Logistic Regression"),
        kind="model",
        paper="https://doi.org/10.1111/j.2517-6161.1958.tb00292.x",
        target="methods.impl.logistic_regression:LogisticRegression",
        summary="Softmax of a linear map as class probabilities, with the penalized negative log-likelihood.",
        params=LogisticRegressionParams,
        inputs=(
            TensorSpec("x", (_N, "in_features"), fixed=(1,), doc="[N, D] features"),
            TensorSpec("labels", (_N,), dtype="int64", dist="randint", high="num_classes", doc="[N] classes"),
        ),
        outputs={"probabilities": (_N, 3), "loss": ()},
    ),
    MethodEntry(
        id="linear-regression",
        names=("Linear Regression", "Ordinary Least Squares"),
        kind="algorithm",
        paper="https://archive.org/details/nouvellesmthode00legegoog",
        target="methods.impl.linear_regression:LinearRegression",
        summary="Closed-form least-squares (optionally ridge) fit of a linear model with intercept.",
        params=LinearRegressionParams,
        inputs=(_X, TensorSpec("y", (_N,), doc="[N] targets")),
        outputs={"weight": (_D,), "bias": (), "predictions": (_N,), "r2": ()},
    ),
    MethodEntry(
        id="gaussian-process",
        names=("Gaussian Process", "Gaussian Process Regression", "GP"),
        kind="model",
        paper="https://gaussianprocess.org/gpml/chapters/RW2.pdf",
        target="methods.impl.gaussian_process:GaussianProcessRegression",
        summary="Exact GP regression posterior mean, variance and marginal likelihood with an RBF kernel.",
        params=GaussianProcessParams,
        inputs=(
            TensorSpec("x_train", (16, 2), doc="[N, D] training inputs"),
            TensorSpec("y_train", (16,), doc="[N] noisy targets"),
            TensorSpec("x_test", (32, 2), doc="[M, D] test inputs"),
        ),
        outputs={"mean": (32,), "variance": (32,), "log_marginal_likelihood": ()},
    ),
    MethodEntry(
        id="lda",
        names=("LDA", "Linear Discriminant Analysis", "Fisher's Linear Discriminant"),
        kind="algorithm",
        paper="https://doi.org/10.1111/j.1469-1809.1936.tb02137.x",
        target="methods.impl.linear_discriminant_analysis:LinearDiscriminantAnalysis",
        summary="Fisher's directions maximizing between- over within-class scatter (S_B w = λ S_W w).",
        params=LDAParams,
        inputs=(
            _X,
            TensorSpec("labels", (_N,), dtype="int64", dist="randint", high="num_classes", doc="[N]"),
        ),
        outputs={"projected": (_N, 2), "directions": (_D, 2), "eigenvalues": (2,)},
    ),
    MethodEntry(
        id="ica",
        names=("ICA", "Independent Component Analysis", "FastICA"),
        kind="algorithm",
        paper="https://doi.org/10.1109/72.761722",
        target="methods.impl.fast_ica:FastICA",
        summary="FastICA: whitening, then the log-cosh fixed point with symmetric decorrelation.",
        params=FastICAParams,
        inputs=(TensorSpec("x", (256, 4), dist="uniform", low=-1.0, high=1.0, doc="[N, D] mixed signals"),),
        outputs={"sources": (256, 3), "unmixing": (3, 4), "iterations": ()},
    ),
    MethodEntry(
        id="spectral-clustering",
        names=("Spectral Clustering",),
        kind="algorithm",
        paper="https://proceedings.neurips.cc/paper/2001/hash/801272ee79cfde7fa5960571fee36b9b-Abstract.html",
        target="methods.impl.spectral_clustering:SpectralClustering",
        summary="k-means on row-normalized leading eigenvectors of the normalized affinity (Ng-Jordan-Weiss).",
        params=SpectralClusteringParams,
        inputs=(TensorSpec("x", (48, 2), doc="[N, D] points"),),
        outputs={"assignments": (48,), "embedding": (48, 2), "eigenvalues": (2,)},
    ),
    MethodEntry(
        id="crf",
        names=("CRF", "Conditional Random Field", "Linear-chain CRF"),
        kind="module",
        paper="https://repository.upenn.edu/cis_papers/159/",
        target="methods.impl.conditional_random_field:LinearChainCRF",
        summary="Linear-chain CRF: sequence log-likelihood by the forward algorithm, Viterbi decoding.",
        params=CRFParams,
        inputs=(
            TensorSpec("emissions", (2, 6, "num_tags"), fixed=(2,), doc="[B, T, K] emission scores"),
            TensorSpec(
                "tags", (2, 6), dtype="int64", dist="randint", high="num_tags", doc="[B, T] gold tags"
            ),
        ),
        outputs={"log_likelihood": (2,), "best_path": (2, 6), "best_score": (2,)},
    ),
    MethodEntry(
        id="admm",
        names=("ADMM", "Alternating Direction Method of Multipliers"),
        kind="algorithm",
        paper="https://doi.org/10.1561/2200000016",
        target="methods.impl.admm:LassoADMM",
        summary="Scaled-form ADMM on the lasso: ridge solve, soft threshold, dual update.",
        params=ADMMParams,
        inputs=(
            TensorSpec("a", (32, 16), doc="[M, N] design A"),
            TensorSpec("b", (32,), doc="[M] targets b"),
        ),
        outputs={"solution": (16,), "objective": (50,), "primal_residual": (50,)},
    ),
    MethodEntry(
        id="feature-selection",
        names=("Feature Selection", "Sequential Forward Selection"),
        kind="algorithm",
        paper="https://arxiv.org/abs/1905.02845",
        target="methods.impl.feature_selection:SequentialForwardSelection",
        summary="Sequential forward selection: add the feature that most lowers a least-squares fit's error.",
        params=FeatureSelectionParams,
        inputs=(_X, TensorSpec("y", (_N,), doc="[N] targets")),
        outputs={"selected": (3,), "rss": (3,), "mask": (_D,)},
    ),
    MethodEntry(
        id="random-search",
        names=("Random Search", "Random Hyperparameter Search"),
        kind="algorithm",
        paper="https://jmlr.org/papers/v13/bergstra12a.html",
        target="methods.impl.random_search:RandomSearch",
        summary="Draws hyperparameters uniformly at random and keeps the trial with the lowest loss.",
        params=RandomSearchParams,
        inputs=(
            TensorSpec("optimum", (4,), dist="uniform", doc="[d] optimum λ* of the toy loss, in [0, 1]"),
        ),
        outputs={"trials": (32, 4), "losses": (32,), "best": (4,), "best_so_far": (32,)},
    ),
)
