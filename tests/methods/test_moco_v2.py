"""MoCo v2 against the paper's update rules written out by hand.

References: the momentum update theta_k <- m theta_k + (1 - m) theta_q recomputed from saved copies of
both encoders; the InfoNCE logits [q.k+, q.queue] / tau recomputed with explicit per-sample dot
products and the loss with an explicit -log softmax; the FIFO queue's pointer arithmetic
(ptr <- (ptr + N) mod K) checked step by step.
"""

import copy

import torch

from methods import registry


def _model(device, **params):
    torch.manual_seed(0)
    return registry.get("moco-v2").build(**params).to(device)


def _views(device, batch=4, seed=1):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(batch, 3, 16, 16, generator=g).to(device), torch.randn(
        batch, 3, 16, 16, generator=g
    ).to(device)


def test_momentum_update_follows_the_ema_formula(device):
    """Reference: theta_k' = m theta_k + (1 - m) theta_q from copies taken before the update."""
    model = _model(device, momentum=0.9)
    with torch.no_grad():
        for p in model.encoder_q.parameters():
            p.add_(torch.randn_like(p))
    q_before = copy.deepcopy(model.encoder_q.state_dict())
    k_before = copy.deepcopy(model.encoder_k.state_dict())
    model.momentum_update()
    for name, param in model.encoder_k.named_parameters():
        want = 0.9 * k_before[name] + 0.1 * q_before[name]
        assert torch.allclose(param, want, atol=1e-6), (
            f"key parameter {name} is not m theta_k + (1 - m) theta_q"
        )
        assert not param.requires_grad, f"key parameter {name} is trainable"
    for name, param in model.encoder_q.named_parameters():
        assert torch.equal(param, q_before[name]), f"momentum update changed query parameter {name}"


def test_logits_labels_and_loss_match_explicit_infonce(device):
    """Reference: per-sample dot products q.k+ and q.queue_j over tau, -log softmax at column 0."""
    model = _model(device, momentum=0.5, temperature=0.2).eval()
    im_q, im_k = _views(device)
    queue_before = model.queue.clone()
    with torch.no_grad():
        q = torch.nn.functional.normalize(model.encoder_q(im_q), dim=1)
        reference = copy.deepcopy(model)
        reference.momentum_update()
        k = torch.nn.functional.normalize(reference.encoder_k(im_k), dim=1)
        out = model(im_q, im_k)
    rows = []
    for i in range(4):
        negatives = [torch.dot(q[i], queue_before[:, j]) for j in range(queue_before.shape[1])]
        rows.append(torch.stack([torch.dot(q[i], k[i]), *negatives]) / 0.2)
    want = torch.stack(rows)
    assert torch.allclose(out["logits"], want, atol=1e-5), "logits differ from [q.k+, q.queue] / tau"
    assert out["logits"].shape == (4, 1 + 64), "logits are not [B, 1 + K]"
    assert out["labels"].tolist() == [0, 0, 0, 0], "labels do not point at the positive column 0"
    want_loss = -(want[:, 0] - want.logsumexp(dim=1)).mean()
    assert torch.allclose(out["loss"], want_loss, atol=1e-5), "loss is not the InfoNCE -log softmax"
    assert torch.allclose(model.queue[:, :4], k.t(), atol=1e-6), "this batch's keys were not enqueued"
    assert torch.equal(model.queue[:, 4:], queue_before[:, 4:]), "enqueue touched columns beyond the batch"


def test_queue_pointer_advances_and_wraps_around(device):
    """Reference: FIFO arithmetic ptr <- (ptr + N) mod K; keys land in columns ptr..ptr+N-1 mod K."""
    model = _model(device, queue_size=12, feature_dim=3)
    pointers = []
    for step in range(3):
        keys = torch.full((4, 3), float(step + 1), device=device)
        model.dequeue_and_enqueue(keys)
        pointers.append(int(model.queue_ptr))
    assert pointers == [4, 8, 0], f"pointer went {pointers}, expected [4, 8, 0]"
    assert torch.equal(model.queue[0], torch.tensor([1.0] * 4 + [2.0] * 4 + [3.0] * 4, device=device)), (
        "queue columns do not hold the batches in FIFO order"
    )
    model.dequeue_and_enqueue(torch.full((5, 3), 9.0, device=device))
    model.dequeue_and_enqueue(torch.full((5, 3), 7.0, device=device))
    assert int(model.queue_ptr) == 10, f"pointer {int(model.queue_ptr)} != (0 + 5 + 5) mod 12"
    model.dequeue_and_enqueue(torch.arange(5.0, device=device)[:, None].expand(5, 3) + 100)
    assert int(model.queue_ptr) == 3, f"pointer {int(model.queue_ptr)} != (10 + 5) mod 12 after wrapping"
    want_row = [102.0, 103.0, 104.0, 9.0, 9.0, 7.0, 7.0, 7.0, 7.0, 7.0, 100.0, 101.0]
    assert model.queue[0].tolist() == want_row, f"wrapped enqueue wrote {model.queue[0].tolist()}"


def test_only_the_query_encoder_receives_gradients(device):
    """Property: the loss backpropagates into the query encoder only; the key encoder and queue are
    not trained by gradients."""
    model = _model(device)
    im_q, im_k = _views(device)
    model(im_q, im_k)["loss"].backward()
    missing = [n for n, p in model.encoder_q.named_parameters() if p.grad is None]
    assert not missing, f"query parameters without gradient: {missing}"
    leaked = [n for n, p in model.encoder_k.named_parameters() if p.grad is not None]
    assert not leaked, f"key encoder parameters received gradients: {leaked}"
    assert not model.queue.requires_grad, "queue is trainable"
