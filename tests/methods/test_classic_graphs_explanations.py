"""Region pooling, graph methods and explanations against loops over their definitions and the
properties their papers state (Shapley efficiency, Laplacian eigen-equations, causality of CAM)."""

import math

import torch

from methods import registry
from methods.impl.roi_pooling import boxes_from_uniform

g = torch.Generator().manual_seed(5)


def _randn(*shape):
    return torch.randn(*shape, generator=g, dtype=torch.float64)


def _graph(n=7):
    a = (torch.rand(n, n, generator=g) < 0.4).long()
    return ((a + a.T) > 0).long().fill_diagonal_(0)


def test_roipool_is_the_max_over_each_quantized_bin():
    features, samples = _randn(1, 2, 8, 8), torch.rand(1, 2, 4, generator=g, dtype=torch.float64)
    out = registry.get("RoIPool").build(output_size=2, spatial_scale=0.5)(features, samples)
    boxes = boxes_from_uniform(samples, 16, 16) * 0.5
    for r in range(2):
        x1, y1, x2, y2 = boxes[0, r].tolist()
        bw, bh = max(x2 - x1, 0.1) / 2, max(y2 - y1, 0.1) / 2
        for p in range(2):
            for q in range(2):
                h0, h1 = max(0, math.floor(y1 + p * bh)), min(8, math.ceil(y1 + (p + 1) * bh))
                w0, w1 = max(0, math.floor(x1 + q * bw)), min(8, math.ceil(x1 + (q + 1) * bw))
                expected = features[0, :, h0:h1, w0:w1].amax(dim=(1, 2)) if h1 > h0 and w1 > w0 else 0
                assert torch.allclose(out[0, r, :, p, q], torch.as_tensor(expected, dtype=torch.float64)), (
                    f"box {r} bin ({p}, {q})"
                )


def test_roialign_of_a_constant_map_is_that_constant_and_a_ramp_is_sampled_exactly():
    samples = torch.tensor([[[0.2, 0.25, 0.7, 0.75]]], dtype=torch.float64)
    ones = registry.get("RoIAlign").build(output_size=3, spatial_scale=1.0)(
        torch.full((1, 1, 16, 16), 2.0, dtype=torch.float64), samples
    )
    assert torch.allclose(ones, torch.full_like(ones, 2.0)), "a constant map is not preserved"
    ramp = torch.arange(16.0, dtype=torch.float64).repeat(16, 1)[
        None, None
    ]  # value = x + 0 at pixel centre x + 0.5
    out = registry.get("RoIAlign").build(output_size=2, spatial_scale=1.0, sampling_ratio=2)(ramp, samples)
    x1, x2 = 0.2 * 16, 0.7 * 16
    centres = [x1 + (q + 0.5) * (x2 - x1) / 2 - 0.5 for q in range(2)]
    assert torch.allclose(out[0, 0, 0, 0], torch.tensor(centres, dtype=torch.float64)), (
        "bilinear ramp sampling"
    )


def test_gnn_is_permutation_equivariant_and_its_readout_invariant():
    model = registry.get("Graph Neural Network").build(in_features=3).double()
    x, a = _randn(7, 3), _graph()
    perm = torch.randperm(7, generator=g)
    out, permuted = model(x, a), model(x[perm], a[perm][:, perm])
    assert torch.allclose(out["nodes"][perm], permuted["nodes"]), (
        "node states are not permutation-equivariant"
    )
    assert torch.allclose(out["graph"], permuted["graph"]), "the readout depends on node order"


def test_dcnn_matches_a_loop_over_hops_nodes_and_features():
    model = registry.get("DCNN").build(in_features=3, hops=2).double().requires_grad_(False)
    x, a = _randn(5, 3), _graph(5).double()
    z = model(x, a)["representation"]
    p = a / a.sum(1, keepdim=True).clamp(min=1)
    for j in range(3):
        pj = torch.linalg.matrix_power(p, j)
        for i in range(5):
            for k in range(3):
                expected = math.tanh(
                    float(model.weight[j, k]) * sum(float(pj[i, m] * x[m, k]) for m in range(5))
                )
                assert math.isclose(float(z[i, j, k]), expected, rel_tol=1e-9, abs_tol=1e-12), (
                    f"Z[{i},{j},{k}]"
                )


def test_aware_graph_embedding_is_invariant_to_node_order():
    model = registry.get("AWARE").build(in_features=3).double()
    x, a = _randn(7, 3), _graph()
    perm = torch.randperm(7, generator=g)
    assert torch.allclose(model(x, a)["graph"], model(x[perm], a[perm][:, perm])["graph"]), "order matters"


def test_laplacian_eigenmaps_solve_the_generalized_eigenproblem():
    x = _randn(30, 3)
    module = registry.get("LapEigen").build(n_components=2, n_neighbors=6, t=2.0)
    out = module(x)
    d2 = torch.cdist(x, x) ** 2
    nearest = d2.topk(7, largest=False).indices[:, 1:]
    knn = torch.zeros(30, 30, dtype=torch.bool).scatter_(1, nearest, True)
    w = torch.exp(-d2 / 2.0) * (knn | knn.T)
    lap, deg = torch.diag(w.sum(1)) - w, torch.diag(w.sum(1))
    for j in range(2):
        f, lam = out["embedding"][:, j], out["eigenvalues"][j]
        assert torch.allclose(lap @ f, lam * deg @ f, atol=1e-8), f"L f ≠ λ D f for component {j}"
    assert float(out["eigenvalues"][0]) > 1e-9, "the trivial constant eigenvector was kept"


def test_laplacian_pe_of_a_cycle_is_its_fourier_basis():
    n = 8
    a = torch.zeros(n, n, dtype=torch.long)
    for i in range(n):
        a[i, (i + 1) % n] = a[(i + 1) % n, i] = 1
    pe = registry.get("Laplacian PE").build(in_features=2, k=2, random_sign=False)(a, torch.zeros(n, 2))[
        "encoding"
    ]
    angles = 2 * math.pi * torch.arange(n) / n
    basis = torch.stack([angles.cos(), angles.sin()], 1)
    # the first two non-trivial eigenvectors span the lowest frequency: cos and sin of one turn
    projection = basis @ torch.linalg.lstsq(basis, pe).solution
    assert torch.allclose(projection, pe, atol=1e-5), "the encodings are not the cycle's first harmonic"


def test_shap_values_are_efficient_and_zero_for_an_unused_feature():
    module = registry.get("SHAP").build(num_features=4).double()
    with torch.no_grad():
        module.model[0].weight[:, 2] = 0.0  # feature 2 is never used
    x, background = _randn(4), _randn(16, 4)
    out = module(x, background)
    assert torch.isclose(out["base_value"] + out["shap_values"].sum(), out["prediction"]), "φ₀ + Σφ ≠ f(x)"
    assert abs(float(out["shap_values"][2])) < 1e-12, "an unused feature got credit"
    linear = registry.get("SHAP").build(num_features=3).double()
    linear.model = torch.nn.Linear(3, 1).double()
    xl, bl = _randn(3), _randn(16, 3)
    phi = linear(xl, bl)["shap_values"]
    expected = linear.model.weight[0] * (xl - bl.mean(0))
    assert torch.allclose(phi, expected), "a linear model's Shapley values are not w_i (x_i − E[x_i])"


def test_lime_recovers_the_coefficients_of_a_linear_model():
    module = registry.get("LIME").build(num_features=3, ridge=0.0).double()
    module.model = torch.nn.Linear(3, 1).double()
    x = _randn(3)
    out = module(x)
    assert torch.allclose(out["weights"], module.model.weight[0]), "surrogate weights ≠ the linear model's"
    assert math.isclose(float(out["local_fidelity"]), 1.0, rel_tol=1e-9), (
        "a linear model is not fitted exactly"
    )


def test_counterfactual_moves_the_prediction_toward_the_target():
    module = registry.get("Counterfactuals").build(target=0.95, steps=40, lr=0.1, lam=50.0).double()
    x, data = _randn(6), _randn(32, 6)
    out = module(x, data)
    assert abs(float(out["prediction"]) - 0.95) < abs(float(out["original_prediction"]) - 0.95), "no progress"
    mad = (data - data.median(0).values).abs().median(0).values
    assert math.isclose(
        float(out["distance"]), float(((out["counterfactual"] - x).abs() / mad).sum()), rel_tol=1e-9
    )


def test_cam_averages_to_the_class_score():
    model = registry.get("CAM").build().double()
    x = _randn(2, 3, 16, 16)
    out = model(x)
    f = model.features(x)
    maps = torch.einsum("bkhw,bk->bhw", f, model.classifier.weight[out["classes"]])
    score = out["logits"].gather(1, out["classes"][:, None])[:, 0]
    assert torch.allclose(maps.mean(dim=(1, 2)) + model.classifier.bias[out["classes"]], score), (
        "S_c ≠ mean M_c + b_c"
    )


def test_ntk_equals_the_inner_product_of_autograd_gradients():
    module = registry.get("NTK").build(in_features=2, width=8).double()
    x1, x2 = _randn(3, 2), _randn(2, 2)
    kernel = module(x1, x2)["kernel"]

    def grad(row):
        return torch.cat(
            [
                gr.flatten()
                for gr in torch.autograd.grad(module.network(row[None]).sum(), list(module.parameters()))
            ]
        )

    for i in range(3):
        for j in range(2):
            assert math.isclose(float(kernel[i, j]), float(grad(x1[i]) @ grad(x2[j])), rel_tol=1e-9), (
                f"Θ[{i},{j}]"
            )
