"""Graph, point-set and radiance-field models against their formulas written as loops."""

import torch

from methods import registry
from methods.impl.gcn import undirected
from methods.impl.graph_transformer import laplacian_positional_encoding
from methods.impl.nerf import positional_encoding, render_weights


def _built(entry_id: str, **params):
    torch.manual_seed(0)
    return registry.get(entry_id).build(**params).eval()


def _graph(entry_id: str):
    inputs = registry.get(entry_id).example_inputs()
    return inputs["x"], inputs["adj"]


def test_gcn_matches_the_dense_propagation_rule():
    """Reference: A_hat = D~^-1/2 (A + I) D~^-1/2 built entry by entry; Z = A_hat ReLU(A_hat X W0) W1."""
    model = _built("gcn")
    x, adj = _graph("gcn")
    a = undirected(adj) + torch.eye(12)
    degree = a.sum(1)
    a_hat = torch.empty(12, 12)
    for i in range(12):
        for j in range(12):
            a_hat[i, j] = a[i, j] / (degree[i] * degree[j]).sqrt()
    expected = a_hat @ model.w1(torch.relu(a_hat @ model.w0(x)))
    assert torch.allclose(model(x, adj), expected, atol=1e-5), "GCN != D^-1/2 (A+I) D^-1/2 X W"


def test_gat_coefficients_match_a_loop_over_neighbours():
    """alpha_ij = softmax over N_i of LeakyReLU(a^T [W h_i || W h_j]), zero outside the neighbourhood."""
    model = _built("gat")
    x, adj = _graph("gat")
    alpha = model(x, adj)["attention"]
    layer = model.layer1
    wh = layer.w(x).view(12, 8, 8)
    neighbours = (undirected(adj) + torch.eye(12)) > 0
    for k in (0, 5):
        for i in (0, 7):
            js = neighbours[i].nonzero().flatten()
            e = torch.stack([layer.a_src[k] @ wh[i, k] + layer.a_dst[k] @ wh[j, k] for j in js])
            expected = torch.softmax(torch.nn.functional.leaky_relu(e, 0.2), 0)
            assert torch.allclose(alpha[k, i, js], expected, atol=1e-5), f"alpha[{k}, {i}] differs"
            assert alpha[k, i, ~neighbours[i]].abs().max() == 0, "attention leaked outside the neighbourhood"


def test_graphsage_layer_is_self_concat_neighbour_mean():
    """h_v = normalize(ReLU(W [h_v || mean_{u in N(v)} h_u])), computed node by node."""
    model = _built("graphsage", depth=1)
    x, adj = _graph("graphsage")
    a = undirected(adj)
    out = model(x, adj)
    for v in range(12):
        neighbours = a[v].nonzero().flatten()
        mean = x[neighbours].mean(0) if len(neighbours) else torch.zeros(16)
        h = torch.relu(model.layers[0](torch.cat((x[v], mean))))
        assert torch.allclose(out[v], h / h.norm().clamp(min=1e-12), atol=1e-5), f"node {v} embedding differs"


def test_graph_transformer_attends_to_neighbours_with_laplacian_positions():
    """Attention weights vanish off the neighbourhood; the PE columns are Laplacian eigenvectors."""
    model = _built("graph-transformer")
    x, adj = _graph("graph-transformer")
    out = model(x, adj)
    a = undirected(adj)
    allowed = (a + torch.eye(12)) > 0
    assert out["attention"][:, ~allowed].abs().max() < 1e-12, "a node attended to a non-neighbour"
    pe = laplacian_positional_encoding(a, 4)
    degree = a.sum(1).clamp(min=1).rsqrt()
    laplacian = torch.eye(12) - degree[:, None] * a * degree[None, :]
    values = (pe * (laplacian @ pe)).sum(0)
    assert torch.allclose(laplacian @ pe, pe * values, atol=1e-4), "PE columns are not eigenvectors of L"


def test_pointnet_is_permutation_invariant_and_starts_orthogonal():
    """Shuffling the points leaves the logits unchanged; identity T-nets give L_reg = 0 at initialization."""
    model = _built("pointnet")
    points = registry.get("pointnet").example_inputs()["points"]
    shuffled = points[:, :, torch.randperm(128, generator=torch.Generator().manual_seed(0))]
    a, b = model(points), model(shuffled)
    assert torch.allclose(a["logits"], b["logits"], atol=1e-5), "point order changed the logits"
    assert a["reg_loss"].abs() < 1e-8, f"L_reg {a['reg_loss']} at identity transforms"


def test_nerf_rendering_weights_match_the_quadrature_loop():
    """w_i = exp(-sum_{j<i} sigma_j delta_j) (1 - exp(-sigma_i delta_i)), written as a loop."""
    g = torch.Generator().manual_seed(0)
    sigma = torch.rand(3, 6, generator=g) * 2
    t = torch.sort(torch.rand(3, 6, generator=g) * 4 + 2).values
    weights = render_weights(sigma, t)
    for r in range(3):
        accumulated = 0.0
        for i in range(6):
            delta = (t[r, i + 1] - t[r, i]) if i < 5 else torch.tensor(1e10)
            expected = torch.exp(torch.tensor(-accumulated)) * (1 - torch.exp(-sigma[r, i] * delta))
            assert torch.allclose(weights[r, i], expected, atol=1e-5), f"weight ({r}, {i}) differs"
            accumulated += float(sigma[r, i] * delta)


def test_nerf_positional_encoding_and_rendered_colour():
    """gamma(p) has D (1 + 2L) features; the rendered colour is the weight-averaged sample colour."""
    assert positional_encoding(torch.zeros(5, 3), 10).shape == (5, 63), "gamma(x) size != 3 + 60"
    model = _built("nerf")
    inputs = registry.get("nerf").example_inputs()
    torch.manual_seed(0)
    out = model(**inputs)
    assert (out["weights"].sum(1) <= 1 + 1e-5).all(), "rendering weights sum above 1"
    assert (out["rgb"] >= 0).all() and (out["rgb"] <= out["weights"].sum(1, keepdim=True) + 1e-5).all(), (
        "rendered colour outside [0, sum of weights]"
    )
