"""CoOp (learned prompt context on a frozen CLIP) against a handcrafted-prompt CLIP computation.

Reference: CLIP zero-shot classification run directly on token ids. If the context vectors are set
to the frozen embeddings of some words, CoOp's assembled prompt must equal the tokenized prompt
"[SOS] w_1..w_M [CLASS] . [EOS]" fed through CLIP's text tower, and its logits must equal
100 * cos(image feature, text feature) computed by hand. Property tests check that only the
context vectors are trainable and receive gradients.
"""

import torch
import torch.nn.functional as F

from methods import registry


def _model(device, **params):
    torch.manual_seed(0)
    return registry.get("coop").build(**params).to(device)


def _image(device, batch=3):
    return torch.randn(batch, 3, 16, 16, generator=torch.Generator().manual_seed(1)).to(device)


def test_only_context_vectors_train_and_get_gradients(device):
    """Property: every CLIP weight is frozen; a cross-entropy step reaches the context only."""
    model = _model(device)
    trainable = [name for name, p in model.named_parameters() if p.requires_grad]
    assert trainable == ["prompt_learner.ctx"], f"trainable parameters are {trainable}, expected only ctx"
    assert model.prompt_learner.ctx.shape == (4, 32), "unified context is not [M, D]"
    logits = model(_image(device))
    assert logits.shape == (3, 5), f"logits shape {tuple(logits.shape)} != [B, n_classes]"
    F.cross_entropy(logits, torch.tensor([0, 3, 4], device=device)).backward()
    frozen_with_grad = [
        n for n, p in model.named_parameters() if n != "prompt_learner.ctx" and p.grad is not None
    ]
    assert not frozen_with_grad, f"frozen parameters received gradients: {frozen_with_grad}"
    grad = model.prompt_learner.ctx.grad
    assert grad is not None and grad.abs().sum() > 0, "context vectors received no gradient"


def test_context_set_to_word_embeddings_reproduces_handcrafted_clip_prompt(device):
    """Reference: CLIP on the token ids of "[SOS] w_1..w_M [CLASS] . [EOS]" and cosine logits by hand."""
    model = _model(device).eval()
    words = torch.tensor([7, 12, 20, 33], device=device)
    clip_text, clip_image = model.text_encoder, model.image_encoder
    with torch.no_grad():
        model.prompt_learner.ctx.copy_(clip_text.token_embedding(words))
        tokens = model.tokenized_prompts.clone()
        tokens[:, 1:5] = words
        text = F.normalize(clip_text(clip_text.token_embedding(tokens), tokens), dim=-1)
        image = _image(device)
        image_features = F.normalize(clip_image(image), dim=-1)
        want = torch.stack([torch.stack([100.0 * torch.dot(f, t) for t in text]) for f in image_features])
        got = model(image)
    assert torch.allclose(got, want, atol=1e-4), "CoOp logits differ from CLIP on the handcrafted prompt"


def test_prompts_keep_frozen_class_name_embeddings(device):
    """Property: each prompt is [SOS] then the M context vectors then the class name's frozen token
    embeddings, and the EOS token (largest id) follows the name and period."""
    model = _model(device)
    prompts = model.prompt_learner()
    tokens = model.tokenized_prompts
    embedded = model.text_encoder.token_embedding(tokens)
    assert torch.equal(prompts[:, 1:5], model.prompt_learner.ctx.expand(5, -1, -1)), "context not at 1..M"
    assert torch.equal(prompts[:, :1], embedded[:, :1]), "prompt does not start with the SOS embedding"
    assert torch.equal(prompts[:, 5:], embedded[:, 5:]), "class-name/period/EOS embeddings were altered"
    eos = tokens.argmax(-1)
    assert (tokens[torch.arange(5), eos - 1] == 64 - 3).all(), "EOS does not follow the period token"


def test_class_specific_context_has_one_set_per_class(device):
    """Property: with class-specific context the ctx is [K, M, D] and class i's logits depend only
    on ctx[i]."""
    model = _model(device, class_specific_context=True)
    assert model.prompt_learner.ctx.shape == (5, 4, 32), "class-specific context is not [K, M, D]"
    logits = model(_image(device))
    logits[:, 2].sum().backward()
    per_class = model.prompt_learner.ctx.grad.abs().sum(dim=(1, 2))
    assert per_class[2] > 0, "class 2's logits do not depend on its own context"
    assert torch.all(per_class[[0, 1, 3, 4]] == 0), "class 2's logits depend on other classes' contexts"
