"""Classical methods against independent computations: numpy's linear algebra, brute force over
every tag path, optimality conditions and invariants stated in their papers."""

import itertools
import math

import numpy as np
import torch

from methods import registry

g = torch.Generator().manual_seed(7)


def _randn(*shape):
    return torch.randn(*shape, generator=g, dtype=torch.float64)


def test_pca_matches_the_covariance_eigendecomposition():
    x = _randn(50, 5) @ _randn(5, 5)
    out = registry.get("PCA").build(n_components=3).double()(x)
    cov = np.cov(x.numpy(), rowvar=False)
    values, vectors = np.linalg.eigh(cov)
    assert np.allclose(out["explained_variance"].numpy(), values[::-1][:3]), "variances are not eigenvalues"
    for j in range(3):
        v = vectors[:, -1 - j]
        assert math.isclose(abs(float(out["components"][j].numpy() @ v)), 1.0, rel_tol=1e-8), f"axis {j}"
    xc = x - x.mean(0)
    assert torch.allclose(out["scores"], xc @ out["components"].T), "scores are not the projections"


def test_k_means_is_a_fixed_point_of_lloyd_and_finds_separated_blobs():
    centers = torch.tensor([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]], dtype=torch.float64)
    x = torch.cat([c + 0.5 * _randn(20, 2) for c in centers])
    out = registry.get("k-Means Clustering").build(n_clusters=3)(x)
    a, c = out["assignments"], out["centroids"]
    assert torch.equal(a, torch.cdist(x, c).argmin(1)), "a point is not assigned to its nearest centroid"
    for j in range(3):
        assert torch.allclose(c[j], x[a == j].mean(0)), f"centroid {j} is not its cluster's mean"
    assert len({tuple(a[i * 20 : (i + 1) * 20].unique().tolist()) for i in range(3)}) == 3, "blobs split"
    assert math.isclose(float(out["inertia"]), float(((x - c[a]) ** 2).sum())), "inertia"


def test_svm_separates_separable_data_and_lowers_the_hinge_objective():
    x = torch.cat([_randn(30, 2) + 4, _randn(30, 2) - 4]).float()
    labels = torch.cat([torch.ones(30), torch.zeros(30)]).long()
    out = registry.get("SVM").build(lam=0.01, steps=200)(x, labels)
    assert (out["margins"] > 0).all(), "a training point is misclassified"
    obj = out["objective"]
    assert obj[-1] < obj[0], f"objective did not fall: {obj[0]} -> {obj[-1]}"
    y = 2.0 * labels - 1
    naive = (
        0.005 * out["weight"].square().sum() + (1 - y * (x @ out["weight"] + out["bias"])).clamp(min=0).mean()
    )
    assert torch.isclose(obj[-1], naive), "reported objective differs from F(w, b)"


def test_logistic_regression_gradient_is_the_closed_form():
    module = registry.get("Logistic Regression").build(in_features=4, num_classes=3).double()
    x, labels = _randn(10, 4), torch.randint(0, 3, (10,), generator=g)
    out = module(x, labels)
    out["loss"].backward()
    p = out["probabilities"].detach()
    expected = (p - torch.nn.functional.one_hot(labels, 3)).T @ x / 10
    assert torch.allclose(module.linear.weight.grad, expected), "∇W ≠ (P − Y)ᵀX / N"


def test_linear_regression_matches_numpy_lstsq_and_ridge_normal_equations():
    x, y = _randn(40, 3), _randn(40)
    out = registry.get("Linear Regression").build().double()(x, y)
    design = np.c_[np.ones(40), x.numpy()]
    beta = np.linalg.lstsq(design, y.numpy(), rcond=None)[0]
    assert np.allclose([float(out["bias"]), *out["weight"].tolist()], beta), "OLS differs from numpy"
    ridge = registry.get("Linear Regression").build(alpha=5.0).double()(x, y)
    i0 = np.diag([0.0, 1, 1, 1])
    beta = np.linalg.solve(design.T @ design + 5.0 * i0, design.T @ y.numpy())
    assert np.allclose([float(ridge["bias"]), *ridge["weight"].tolist()], beta), "ridge differs"


def test_gaussian_process_posterior_matches_the_explicit_inverse():
    gp = registry.get("Gaussian Process").build(lengthscale=0.7, signal_std=1.3, noise_std=0.2).double()
    xt, yt, xs = _randn(8, 2), _randn(8), _randn(5, 2)
    out = gp(xt, yt, xs)

    def k(a, b):
        d2 = ((a.numpy()[:, None] - b.numpy()[None]) ** 2).sum(-1)
        return 1.3**2 * np.exp(-d2 / (2 * 0.7**2))

    kk = k(xt, xt) + 0.04 * np.eye(8)
    inv = np.linalg.inv(kk)
    ks = k(xt, xs)
    assert np.allclose(out["mean"].detach().numpy(), ks.T @ inv @ yt.numpy()), "posterior mean"
    var = np.diag(k(xs, xs) - ks.T @ inv @ ks)
    assert np.allclose(out["variance"].detach().numpy(), var), "posterior variance"
    lml = -0.5 * yt.numpy() @ inv @ yt.numpy() - 0.5 * np.linalg.slogdet(kk)[1] - 4 * math.log(2 * math.pi)
    assert math.isclose(float(out["log_marginal_likelihood"].detach()), lml, rel_tol=1e-6), (
        "log marginal likelihood"
    )


def test_lda_directions_solve_the_generalized_eigenproblem():
    labels = torch.arange(60) % 3
    x = _randn(60, 4) + 3 * torch.nn.functional.one_hot(labels, 4).double()
    out = registry.get("LDA").build(shrinkage=1e-8).double()(x, labels)
    means = torch.stack([x[labels == c].mean(0) for c in range(3)])
    sw = sum((x[labels == c] - means[c]).T @ (x[labels == c] - means[c]) for c in range(3))
    sb = sum(20 * torch.outer(means[c] - x.mean(0), means[c] - x.mean(0)) for c in range(3))
    for j in range(2):
        w, lam = out["directions"][:, j], out["eigenvalues"][j]
        assert torch.allclose(sb @ w, lam * sw @ w, atol=1e-6), f"direction {j}: S_B w ≠ λ S_W w"
        assert math.isclose(float(w @ sb @ w / (w @ sw @ w)), float(lam), rel_tol=1e-6), "Rayleigh quotient"


def test_fast_ica_recovers_independent_sources_up_to_order_and_sign():
    n = 2000
    t = torch.linspace(0, 8, n, dtype=torch.float64)
    sources = torch.stack(
        [
            torch.sin(3 * t),
            torch.sign(torch.sin(5 * t)),
            torch.rand(n, generator=g, dtype=torch.float64) * 2 - 1,
        ],
        1,
    )
    mixed = sources @ torch.tensor([[1.0, 0.5, 0.2], [0.3, 1.0, 0.6], [0.4, 0.2, 1.0]], dtype=torch.float64).T
    out = registry.get("ICA").build(n_components=3).double()(mixed)
    corr = np.abs(np.corrcoef(out["sources"].T.numpy(), sources.T.numpy())[:3, 3:])
    assert (corr.max(axis=0) > 0.98).all(), f"sources not recovered, |corr| max per source {corr.max(axis=0)}"


def test_spectral_clustering_separates_concentric_rings_that_k_means_cannot():
    angle = torch.rand(120, generator=g, dtype=torch.float64) * 2 * math.pi
    radius = torch.cat([torch.full((60,), 1.0), torch.full((60,), 4.0)]).double()
    x = torch.stack([radius * angle.cos(), radius * angle.sin()], 1) + 0.05 * _randn(120, 2)
    a = registry.get("Spectral Clustering").build(n_clusters=2, sigma=0.5)(x)["assignments"]
    assert a[:60].unique().numel() == 1 and a[60:].unique().numel() == 1 and a[0] != a[60], "rings mixed"
    km = registry.get("k-Means Clustering").build(n_clusters=2)(x)["assignments"]
    assert km[60:].unique().numel() == 2, "k-means was expected to cut the outer ring"


def test_crf_forward_and_viterbi_equal_brute_force_over_every_path():
    crf = registry.get("CRF").build(num_tags=3).double()
    emissions, tags = _randn(2, 4, 3), torch.randint(0, 3, (2, 4), generator=g)
    out = crf(emissions, tags)
    for b in range(2):
        scores = {}
        for path in itertools.product(range(3), repeat=4):
            p = torch.tensor(path)
            scores[path] = float(crf.score(emissions[b : b + 1], p[None]))
        log_z = math.log(sum(math.exp(s) for s in scores.values()))
        gold = scores[tuple(tags[b].tolist())]
        assert math.isclose(float(out["log_likelihood"][b]), gold - log_z, rel_tol=1e-9), "log-likelihood"
        best = max(scores, key=scores.get)
        assert tuple(out["best_path"][b].tolist()) == best, f"Viterbi {out['best_path'][b]} vs {best}"
        assert math.isclose(float(out["best_score"][b]), scores[best], rel_tol=1e-9), "best score"


def test_admm_lasso_satisfies_the_kkt_conditions():
    a, b = _randn(30, 10), _randn(30)
    out = registry.get("ADMM").build(lam=2.0, iterations=500).double()(a, b)
    z = out["solution"]
    grad = a.T @ (a @ z - b)
    on = z != 0
    assert torch.allclose(grad[on], -2.0 * torch.sign(z[on]), atol=1e-4), "active set: ∇ ≠ −λ sign(z)"
    assert (grad[~on].abs() <= 2.0 + 1e-4).all(), "inactive set: |∇| > λ"
    assert on.sum() < 10, "no coordinate is exactly zero"


def test_feature_selection_finds_the_informative_features_greedily():
    x = _randn(80, 6)
    y = 3 * x[:, 4] - 2 * x[:, 1] + 0.5 * x[:, 2] + 0.01 * _randn(80)
    out = registry.get("Feature Selection").build(n_features=3).double()(x, y)
    assert out["selected"].tolist() == [4, 1, 2], f"selected {out['selected'].tolist()}"
    assert (out["rss"][1:] <= out["rss"][:-1]).all(), "RSS grew as features were added"


def test_random_search_keeps_the_best_trial_of_uniform_draws():
    out = registry.get("Random Search").build(n_trials=500, seed=3)(torch.tensor([0.2, 0.9, 0.5]))
    trials, losses = out["trials"], out["losses"]
    assert ((trials >= 0) & (trials <= 1)).all(), "a trial left the unit cube"
    assert torch.equal(out["best"], trials[losses.argmin()]), "best is not the argmin trial"
    assert abs(float(trials[:, 0].mean()) - 0.5) < 0.05, "draws are not uniform"
    assert (out["best_so_far"].diff() <= 0).all(), "the running minimum rose"
