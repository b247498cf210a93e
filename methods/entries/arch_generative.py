"""Generative and density models: autoencoders, GANs, flows, diffusion; plus hypernetworks, experts and adapters."""

from typing import Annotated, Self

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec


class AutoEncoderParams(Params):
    input_dim: int = Field(64, ge=2, le=4096, description="input size D (784 for MNIST)")
    hidden: tuple[Annotated[int, Field(ge=1, le=2048)], ...] = Field(
        (32, 16), min_length=0, max_length=4, description="encoder widths ((1000, 500, 250))"
    )
    code_dim: int = Field(4, ge=1, le=512, description="code size d (30)")


class DAEParams(Params):
    input_dim: int = Field(64, ge=2, le=4096, description="input size D (784)")
    hidden_dim: int = Field(32, ge=1, le=2048, description="hidden units d (500)")
    corruption: float = Field(0.25, ge=0.0, le=1.0, description="destroyed fraction nu (0.1 to 0.5)")


class VAEParams(Params):
    input_dim: int = Field(64, ge=2, le=4096, description="input size D (784)")
    hidden_dim: int = Field(32, ge=1, le=2048, description="hidden units (500)")
    latent_dim: int = Field(4, ge=1, le=256, description="latent size J (2 to 200)")


class GANParams(Params):
    latent_dim: int = Field(16, ge=1, le=512, description="noise size of z (100)")
    data_dim: int = Field(64, ge=2, le=4096, description="data size (784)")
    hidden_dim: int = Field(64, ge=4, le=2048, description="hidden units of both MLPs (240 to 1200)")


class RBMParams(Params):
    n_visible: int = Field(64, ge=1, le=4096, description="visible units (784)")
    n_hidden: int = Field(16, ge=1, le=2048, description="hidden units (500)")
    k: int = Field(1, ge=1, le=50, description="Gibbs steps of CD-k (1)")


class FlowParams(Params):
    dim: int = Field(2, ge=1, le=256, description="dimension D (2 for the toy densities)")
    num_flows: int = Field(8, ge=1, le=80, description="planar flows K (up to 80)")


class CouplingParams(Params):
    dim: int = Field(8, ge=2, le=1024, description="dimension D")
    hidden: int = Field(32, ge=4, le=1024, description="width of the s and t networks")
    parity: int = Field(0, ge=0, le=1, description="which half stays fixed (0: even indices)")


class DDPMParams(Params):
    channels: int = Field(3, ge=1, le=4, description="image channels C")
    hidden: int = Field(16, ge=4, le=256, multiple_of=4, description="denoiser width (128)")
    timesteps: int = Field(1000, ge=2, le=4000, description="diffusion steps T (1000)")
    beta_start: float = Field(1e-4, gt=0.0, lt=1.0, description="beta_1 (1e-4)")
    beta_end: float = Field(0.02, gt=0.0, lt=1.0, description="beta_T (0.02)")

    @model_validator(mode="after")
    def _increasing(self) -> Self:
        if self.beta_end < self.beta_start:
            raise ValueError("beta_end must be at least beta_start")
        return self


class LDMParams(Params):
    latent_channels: int = Field(4, ge=1, le=16, description="latent channels c (3 or 4)")
    hidden: int = Field(16, ge=4, le=256, multiple_of=4, description="denoiser width")
    num_classes: int = Field(10, ge=1, le=1000, description="conditioning classes for tau_theta")
    context_dim: int = Field(16, ge=2, le=512, description="conditioning embedding width")
    timesteps: int = Field(1000, ge=2, le=4000, description="diffusion steps T (1000)")


class PatchGANParams(Params):
    in_channels: int = Field(3, ge=1, le=8, description="input channels (6 for a conditional pair)")
    ndf: int = Field(8, ge=1, le=64, description="first layer filters (64)")
    n_layers: int = Field(3, ge=1, le=5, description="stride-2 layers (3: 70x70 patches)")


class CycleGANParams(Params):
    ngf: int = Field(8, ge=1, le=64, description="generator base filters (64)")
    ndf: int = Field(8, ge=1, le=64, description="discriminator base filters (64)")
    n_blocks: int = Field(2, ge=1, le=9, description="generator residual blocks (9 at 256x256)")
    lambda_cycle: float = Field(10.0, ge=0.0, le=100.0, description="cycle loss weight lambda (10)")
    lambda_identity: float = Field(
        0.0,
        ge=0.0,
        le=10.0,
        description="identity loss weight, a fraction of lambda (0.5 for paintings to photos)",
    )


class Pix2PixParams(Params):
    ngf: int = Field(8, ge=1, le=64, description="generator base filters (64)")
    ndf: int = Field(8, ge=1, le=64, description="discriminator base filters (64)")
    depth: int = Field(4, ge=2, le=8, description="U-Net downsamplings (8 at 256x256)")
    lambda_l1: float = Field(100.0, ge=0.0, le=1000.0, description="L1 weight lambda (100)")
    dropout: float = Field(0.5, ge=0.0, le=0.9, description="decoder dropout (0.5)")


class StyleGANParams(Params):
    z_dim: int = Field(32, ge=1, le=512, description="latent z size (512)")
    w_dim: int = Field(32, ge=1, le=512, description="intermediate latent w size (512)")
    mapping_layers: int = Field(4, ge=1, le=8, description="mapping network layers (8)")
    channels: int = Field(32, ge=1, le=512, description="synthesis width (512)")
    resolution: int = Field(16, ge=4, le=128, description="output side S = 4 * 2^n (1024)")

    @model_validator(mode="after")
    def _power_of_two(self) -> Self:
        if self.resolution & (self.resolution - 1):
            raise ValueError("resolution must be 4 * 2^n")
        return self


class HyperNetworkParams(Params):
    channels: int = Field(16, ge=1, le=64, description="kernel tile width N_in = N_out (16)")
    layers: int = Field(3, ge=1, le=16, description="generated conv layers L")
    z_dim: int = Field(4, ge=1, le=64, description="layer embedding size N_z (64)")
    kernel_size: int = Field(3, ge=1, le=7, description="kernel side f (3)")
    num_classes: int = Field(10, ge=1, le=1000, description="classes")


class MoEParams(Params):
    dim: int = Field(16, ge=1, le=1024, description="token width D")
    hidden: int = Field(64, ge=1, le=4096, description="expert hidden width")
    num_experts: int = Field(4, ge=1, le=64, description="experts n")
    k: int = Field(2, ge=1, le=64, description="experts per token k (2 or 4)")
    importance_weight: float = Field(0.1, ge=0.0, le=10.0, description="w_importance (0.1)")

    @model_validator(mode="after")
    def _k_fits(self) -> Self:
        if self.k > self.num_experts:
            raise ValueError("k cannot exceed num_experts")
        return self


class AdapterParams(Params):
    dim: int = Field(32, ge=4, le=1024, description="hidden size d (768)")
    bottleneck: int = Field(8, ge=1, le=512, description="adapter size m (8 to 256)")
    heads: int = Field(4, ge=1, le=16, description="attention heads of the frozen layer")
    init_std: float = Field(1e-2, ge=0.0, le=1.0, description="near-identity init std (1e-2)")

    @model_validator(mode="after")
    def _heads_divide(self) -> Self:
        if self.dim % self.heads:
            raise ValueError("dim must be divisible by heads")
        return self


class BigGANParams(Params):
    z_dim: int = Field(32, ge=2, le=512, description="latent z size, split into blocks + 1 chunks (120)")
    num_classes: int = Field(10, ge=1, le=1000, description="classes (1000)")
    shared_dim: int = Field(16, ge=1, le=256, description="shared class embedding size (128)")
    channels: int = Field(32, ge=8, le=512, description="block width (ch multiplier; 96)")
    blocks: int = Field(3, ge=1, le=6, description="up-sampling blocks n (5 at 128x128)")
    attention_block: int = Field(1, ge=0, le=5, description="block after which self-attention runs")
    truncation: float = Field(0.0, ge=0.0, le=4.0, description="truncation threshold (0: off)")

    @model_validator(mode="after")
    def _fits(self) -> Self:
        if self.z_dim % (self.blocks + 1) or self.attention_block >= self.blocks:
            raise ValueError("z_dim must split into blocks + 1 chunks and attention_block must be < blocks")
        return self


def _vector(name: str, size: str, dist: str = "uniform", doc: str = "") -> TensorSpec:
    return TensorSpec(name, (4, size), dist=dist, fixed=(1,), doc=doc)


def _images(name: str, channels: int | str = 3, side: int = 32) -> TensorSpec:
    return TensorSpec(
        name,
        (2, channels, side, side),
        dist="uniform",
        low=-1.0,
        fixed=(1,),
        doc=f"images {name} [B, C, H, W]",
    )


_PIX2PIX = "https://arxiv.org/abs/1611.07004"

ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="autoencoder",
        names=("AutoEncoder",),
        kind="model",
        paper="https://www.science.org/doi/10.1126/science.1127647",
        target="methods.impl.autoencoder:AutoEncoder",
        summary="Deep logistic encoder to a small linear code and a mirrored decoder, trained on reconstruction.",
        params=AutoEncoderParams,
        inputs=(_vector("x", "input_dim", doc="data in [0, 1] [B, D]"),),
        outputs={"recon": (4, 64), "code": (4, 4), "loss": ()},
    ),
    MethodEntry(
        id="denoising-autoencoder",
        names=("Denoising Autoencoder",),
        kind="model",
        paper="https://www.cs.toronto.edu/~larocheh/publications/icml-2008-denoising-autoencoders.pdf",
        target="methods.impl.denoising_autoencoder:DenoisingAutoencoder",
        summary="Reconstructs the clean input from a copy with a fraction of its components zeroed.",
        params=DAEParams,
        inputs=(_vector("x", "input_dim", doc="data in [0, 1] [B, D]"),),
        outputs={"recon": (4, 64), "hidden": (4, 32), "corrupted": (4, 64), "loss": ()},
    ),
    MethodEntry(
        id="vae",
        names=("VAE", "Variational Autoencoder"),
        kind="model",
        paper="https://arxiv.org/abs/1312.6114",
        target="methods.impl.vae:VAE",
        summary="Gaussian encoder, reparameterized sample and Bernoulli decoder trained on the ELBO.",
        params=VAEParams,
        inputs=(_vector("x", "input_dim", doc="data in [0, 1] [B, D]"),),
        outputs={"recon": (4, 64), "mu": (4, 4), "logvar": (4, 4), "loss": (), "kl": (), "recon_loss": ()},
    ),
    MethodEntry(
        id="gan",
        names=("GAN", "Generative Adversarial Network"),
        kind="model",
        paper="https://arxiv.org/abs/1406.2661",
        target="methods.impl.gan:GAN",
        summary="A generator and a discriminator play a minimax game; both losses in one step.",
        params=GANParams,
        inputs=(
            _vector("z", "latent_dim", dist="normal", doc="noise z ~ N(0, I) [B, Z]"),
            _vector("real", "data_dim", doc="data samples in [0, 1] [B, D]"),
        ),
        outputs={"fake": (4, 64), "d_real": (4,), "d_fake": (4,), "d_loss": (), "g_loss": ()},
    ),
    MethodEntry(
        id="restricted-boltzmann-machine",
        names=("Restricted Boltzmann Machine", "RBM"),
        kind="model",
        paper="https://www.cs.toronto.edu/~hinton/absps/tr00-004.pdf",
        target="methods.impl.restricted_boltzmann_machine:RBM",
        summary="Bipartite binary energy model trained by contrastive divergence on the free energy.",
        params=RBMParams,
        inputs=(
            TensorSpec(
                "v", (4, "n_visible"), dist="bernoulli", high=0.5, fixed=(1,), doc="binary data [B, n_v]"
            ),
        ),
        outputs={"loss": (), "hidden_probs": (4, 16), "recon_probs": (4, 64), "free_energy": (4,)},
    ),
    MethodEntry(
        id="normalizing-flows",
        names=("Normalizing Flows", "Planar Flow"),
        kind="model",
        paper="https://arxiv.org/abs/1505.05770",
        target="methods.impl.normalizing_flows:NormalizingFlow",
        summary="A chain of invertible planar maps transforms a Gaussian; densities follow by change of variables.",
        params=FlowParams,
        inputs=(TensorSpec("z0", (64, "dim"), fixed=(1,), doc="base samples z_0 ~ N(0, I) [B, D]"),),
        outputs={"z": (64, 2), "log_det": (64,), "log_prob": (64,)},
    ),
    MethodEntry(
        id="affine-coupling",
        names=("Affine Coupling", "Affine Coupling Layer"),
        kind="module",
        paper="https://arxiv.org/abs/1605.08803",
        target="methods.impl.affine_coupling:AffineCoupling",
        summary="Half the dimensions pass through and set a scale and shift for the other half; log-det is sum s.",
        params=CouplingParams,
        inputs=(TensorSpec("x", (16, "dim"), fixed=(1,), doc="inputs [B, D]"),),
        outputs={"y": (16, 8), "log_det": (16,)},
    ),
    MethodEntry(
        id="diffusion",
        names=("Diffusion", "DDPM", "Denoising Diffusion Probabilistic Models"),
        kind="model",
        paper="https://arxiv.org/abs/2006.11239",
        target="methods.impl.diffusion:DDPM",
        summary="Closed-form forward noising to a random step and the noise-prediction loss L_simple.",
        params=DDPMParams,
        inputs=(_images("x0", "channels", 16),),
        outputs={"loss": (), "x_t": (2, 3, 16, 16), "eps_pred": (2, 3, 16, 16), "t": (2,)},
    ),
    MethodEntry(
        id="latent-diffusion-model",
        names=("Latent Diffusion Model", "LDM"),
        kind="model",
        paper="https://arxiv.org/abs/2112.10752",
        target="methods.impl.latent_diffusion_model:LatentDiffusionModel",
        summary="Diffusion in a frozen autoencoder's latent space, conditioned through cross-attention.",
        params=LDMParams,
        inputs=(
            _images("x"),
            TensorSpec(
                "labels",
                (2,),
                dtype="int64",
                dist="randint",
                high="num_classes",
                doc="conditioning classes [B]",
            ),
        ),
        outputs={"loss": (), "z": (2, 4, 8, 8), "eps_pred": (2, 4, 8, 8), "recon": (2, 3, 32, 32)},
    ),
    MethodEntry(
        id="patchgan",
        names=("PatchGAN",),
        kind="module",
        paper=_PIX2PIX,
        target="methods.impl.patchgan:PatchGAN",
        summary="Fully convolutional discriminator giving one real/fake logit per image patch.",
        params=PatchGANParams,
        inputs=(TensorSpec("x", (2, "in_channels", 64, 64), fixed=(1,), doc="images [B, C, H, W]"),),
        outputs={"output": (2, 1, 6, 6)},
    ),
    MethodEntry(
        id="cyclegan",
        names=("CycleGAN",),
        kind="model",
        paper="https://arxiv.org/abs/1703.10593",
        target="methods.impl.cyclegan:CycleGAN",
        summary="Two ResNet generators and two PatchGANs with adversarial, cycle and identity losses.",
        params=CycleGANParams,
        inputs=(_images("real_x"), _images("real_y")),
        outputs={
            "fake_y": (2, 3, 32, 32),
            "fake_x": (2, 3, 32, 32),
            "rec_x": (2, 3, 32, 32),
            "rec_y": (2, 3, 32, 32),
            "g_loss": (),
            "d_loss": (),
            "cycle_loss": (),
        },
    ),
    MethodEntry(
        id="pix2pix",
        names=("Pix2Pix",),
        kind="model",
        paper=_PIX2PIX,
        target="methods.impl.pix2pix:Pix2Pix",
        summary="Conditional GAN: U-Net generator, PatchGAN on (input, output) pairs, plus lambda L1.",
        params=Pix2PixParams,
        inputs=(_images("x"), _images("y")),
        outputs={
            "fake": (2, 3, 32, 32),
            "d_real": (2, 1, 2, 2),
            "d_fake": (2, 1, 2, 2),
            "g_loss": (),
            "d_loss": (),
        },
    ),
    MethodEntry(
        id="stylegan",
        names=("StyleGAN",),
        kind="model",
        paper="https://arxiv.org/abs/1812.04948",
        target="methods.impl.stylegan:StyleGAN",
        summary="Mapping network z -> w; synthesis from a constant with per-layer noise and AdaIN styles.",
        params=StyleGANParams,
        inputs=(TensorSpec("z", (2, "z_dim"), fixed=(1,), doc="latents z ~ N(0, I) [B, Z]"),),
        outputs={"image": (2, 3, 16, 16), "w": (2, 32)},
    ),
    MethodEntry(
        id="hypernetwork",
        names=("HyperNetwork",),
        kind="model",
        paper="https://arxiv.org/abs/1609.09106",
        target="methods.impl.hypernetwork:HyperNetwork",
        summary="A shared two-layer generator turns per-layer embeddings into a conv net's kernels.",
        params=HyperNetworkParams,
        inputs=(TensorSpec("x", (2, 3, 16, 16), fixed=(1,), doc="images [B, 3, H, W]"),),
        outputs={"logits": (2, 10), "kernels": (3, 16, 16, 3, 3)},
    ),
    MethodEntry(
        id="mixture-of-experts",
        names=("MoE", "Mixture of Experts", "Sparsely-Gated Mixture-of-Experts"),
        kind="module",
        paper="https://arxiv.org/abs/1701.06538",
        target="methods.impl.mixture_of_experts:MixtureOfExperts",
        summary="Noisy top-k gating routes each token to k of n expert networks; a balancing loss.",
        params=MoEParams,
        inputs=(TensorSpec("x", (2, 8, "dim"), fixed=(2,), doc="tokens [B, T, D]"),),
        outputs={"output": (2, 8, 16), "gates": (2, 8, 4), "balance_loss": ()},
    ),
    MethodEntry(
        id="adapter",
        names=("Adapter", "Houlsby Adapter"),
        kind="module",
        paper="https://arxiv.org/abs/1902.00751",
        target="methods.impl.adapter:AdaptedTransformerLayer",
        summary="Bottleneck residual modules trained inside a frozen Transformer layer.",
        params=AdapterParams,
        inputs=(TensorSpec("x", (2, 8, "dim"), fixed=(2,), doc="hidden states [B, L, d]"),),
        outputs={"output": (2, 8, 32)},
    ),
    MethodEntry(
        id="biggan",
        names=("BigGAN",),
        kind="model",
        paper="https://arxiv.org/abs/1809.11096",
        target="methods.impl.biggan:BigGAN",
        summary="Class-conditional generator: shared embedding, hierarchical latents, CBN residual blocks, attention.",
        params=BigGANParams,
        inputs=(
            TensorSpec("z", (2, "z_dim"), fixed=(1,), doc="latents [B, Z]"),
            TensorSpec("labels", (2,), dtype="int64", dist="randint", high="num_classes", doc="classes [B]"),
        ),
        outputs={"output": (2, 3, 32, 32)},
    ),
)
