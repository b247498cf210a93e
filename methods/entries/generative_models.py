"""Generative models: GANs, VAEs and diffusion models."""

import math
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec


class InfoGANParams(Params):
    noise_dim: int = Field(16, ge=1, le=256, description="size of the incompressible noise z (62 on MNIST)")
    n_categories: int = Field(10, ge=2, le=100, description="categories K of the categorical code c_1")
    n_continuous: int = Field(2, ge=1, le=16, description="number L of continuous codes c_2..c_{L+1}")
    image_channels: int = Field(1, ge=1, le=4, description="image channels")
    image_size: int = Field(16, ge=8, le=64, multiple_of=4, description="image side S (28 on MNIST)")
    base_channels: int = Field(8, ge=1, le=128, description="first convolution width (64 in the paper)")
    hidden_dim: int = Field(
        64, ge=8, le=1024, multiple_of=8, description="fully connected width (1024); Q's hidden is 1/8"
    )


class HiFiGANParams(Params):
    n_mels: int = Field(16, ge=4, le=128, description="mel bands of the input spectrogram (80)")
    sample_rate: int = Field(8000, ge=1000, le=48000, description="audio sample rate (22050)")
    upsample_rates: tuple[Annotated[int, Field(ge=2, le=16, multiple_of=2)], ...] = Field(
        (4, 4), min_length=1, max_length=5, description="upsampling rates k_u / 2 ((8, 8, 2, 2) in V1)"
    )
    upsample_initial_channel: int = Field(32, ge=4, le=512, description="hidden dimension h_u (512 in V1)")
    resblock_kernel_sizes: tuple[Annotated[int, Field(ge=1, le=15)], ...] = Field(
        (3, 7, 11), min_length=1, max_length=4, description="MRF kernel sizes k_r"
    )
    resblock_dilations: tuple[Annotated[int, Field(ge=1, le=9)], ...] = Field(
        (1, 3, 5), min_length=1, max_length=4, description="MRF dilation rates D_r of each residual block"
    )
    periods: tuple[Annotated[int, Field(ge=1, le=16)], ...] = Field(
        (2, 3, 5, 7, 11), min_length=1, max_length=6, description="MPD periods p"
    )
    mpd_channels: int = Field(2, ge=1, le=32, description="first MPD convolution width (32)")
    msd_channels: int = Field(
        16, ge=16, le=128, multiple_of=16, description="first MSD convolution width (128)"
    )
    segment_size: int = Field(
        256, ge=32, le=16384, description="audio segment length in samples (8192 in training)"
    )
    lambda_fm: float = Field(2.0, ge=0.0, le=100.0, description="feature matching weight lambda_fm")
    lambda_mel: float = Field(45.0, ge=0.0, le=100.0, description="mel-spectrogram loss weight lambda_mel")

    @model_validator(mode="after")
    def _channels_halve(self) -> Self:
        if self.upsample_initial_channel % 2 ** len(self.upsample_rates):
            raise ValueError("upsample_initial_channel must be divisible by 2**len(upsample_rates)")
        hop = math.prod(self.upsample_rates)
        if self.segment_size % hop or self.segment_size < 2 * hop:
            raise ValueError(
                f"segment_size must be a multiple of prod(upsample_rates) = {hop}, at least 2x it"
            )
        return self


class WaveGANParams(Params):
    latent_dim: int = Field(16, ge=1, le=256, description="size of the latent z ~ U(-1, 1) (100)")
    model_size: int = Field(4, ge=1, le=64, description="model size d (64)")
    num_samples: Literal[64, 256, 1024, 4096, 16384] = Field(
        1024, description="audio length 16 * 4^L, which sets the L (transposed) convolutions (16384: L = 5)"
    )
    channels: int = Field(1, ge=1, le=2, description="audio channels c")
    shift_factor: int = Field(2, ge=0, le=4, description="phase shuffle maximum shift n")
    gp_weight: float = Field(10.0, ge=0.0, le=100.0, description="WGAN-GP penalty weight lambda")


class GLIDEParams(Params):
    in_channels: int = Field(3, ge=1, le=4, description="image channels")
    image_size: int = Field(16, ge=8, le=64, multiple_of=8, description="image side (64 for the base model)")
    model_channels: int = Field(16, ge=8, le=128, multiple_of=8, description="U-Net base width (192)")
    channel_mult: tuple[Annotated[int, Field(ge=1, le=4)], ...] = Field(
        (1, 2), min_length=1, max_length=4, description="width multiplier of each U-Net level ((1, 2, 3, 4))"
    )
    num_res_blocks: int = Field(1, ge=1, le=3, description="residual blocks per level (3)")
    attention_resolutions: tuple[Annotated[int, Field(ge=1, le=8)], ...] = Field(
        (2,), max_length=4, description="downsampling factors that get text-attention blocks ((2, 4, 8))"
    )
    head_channels: int = Field(8, ge=8, le=64, multiple_of=8, description="channels per attention head (64)")
    dropout: float = Field(0.0, ge=0.0, le=0.5, description="residual block dropout")
    vocab_size: int = Field(64, ge=2, le=50257, description="caption vocabulary; token 0 is padding")
    text_ctx: int = Field(8, ge=1, le=128, description="caption length K (128)")
    xf_width: int = Field(32, ge=8, le=512, multiple_of=8, description="text transformer width (2048)")
    xf_layers: int = Field(2, ge=1, le=8, description="text transformer layers (16)")
    xf_heads: int = Field(4, ge=1, le=16, description="text transformer heads (32)")
    num_timesteps: int = Field(1000, ge=1, le=4000, description="diffusion steps T")
    guidance_scale: float = Field(3.0, ge=0.0, le=20.0, description="classifier-free guidance scale s")

    @model_validator(mode="after")
    def _shapes_divide(self) -> Self:
        if self.image_size % 2 ** (len(self.channel_mult) - 1):
            raise ValueError("image_size must be divisible by 2**(len(channel_mult) - 1)")
        if self.model_channels % self.head_channels or self.xf_width % self.xf_heads:
            raise ValueError("model_channels and xf_width must be divisible by the head sizes")
        return self


class BetaVAEParams(Params):
    in_channels: int = Field(1, ge=1, le=4, description="image channels")
    image_size: int = Field(16, ge=4, le=128, description="image side S (64 in the paper)")
    channels: int = Field(16, ge=1, le=128, description="convolution width (32 / 64)")
    n_layers: int = Field(2, ge=1, le=5, description="stride-2 convolutions (4 in the paper)")
    hidden_dim: int = Field(32, ge=1, le=1024, description="fully connected width (256)")
    latent_dim: int = Field(4, ge=1, le=128, description="latent size of z (10 on dSprites)")
    beta: float = Field(4.0, ge=0.0, le=250.0, description="KL weight beta (beta = 1 is the VAE)")

    @model_validator(mode="after")
    def _size_divides(self) -> Self:
        if self.image_size % 2**self.n_layers:
            raise ValueError("image_size must be divisible by 2**n_layers")
        return self


ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="infogan",
        names=(
            "InfoGAN",
            "Information Maximizing GAN",
            "Information Maximizing Generative Adversarial Network",
        ),
        kind="model",
        paper="https://arxiv.org/abs/1606.03657",
        target="methods.impl.infogan:InfoGAN",
        summary="A GAN whose generator maximises a variational lower bound on I(c; G(z, c)) via a Q head on D.",
        params=InfoGANParams,
        inputs=(
            TensorSpec("z", (4, "noise_dim"), fixed=(1,), doc="noise z ~ N(0, I)"),
            TensorSpec("c_cat", (4,), dtype="int64", dist="randint", high="n_categories", doc="category ids"),
            TensorSpec(
                "c_cont", (4, "n_continuous"), dist="uniform", low=-1.0, fixed=(1,), doc="codes ~ U(-1, 1)"
            ),
            TensorSpec(
                "x_real",
                (4, "image_channels", "image_size", "image_size"),
                dist="uniform",
                fixed=(1, 2, 3),
                doc="real images in [0, 1]",
            ),
        ),
        outputs={
            "fake": (4, 1, 16, 16),
            "real_logits": (4,),
            "fake_logits": (4,),
            "cat_logits": (4, 10),
            "cont_mean": (4, 2),
            "cont_log_std": (4, 2),
            "info_loss": (),
        },
    ),
    MethodEntry(
        id="hifi-gan",
        names=("HiFi-GAN", "HiFiGAN"),
        kind="model",
        paper="https://arxiv.org/abs/2010.05646",
        target="methods.impl.hifi_gan:HiFiGAN",
        summary="A GAN vocoder: transposed convolutions with MRF blocks, judged by multi-period and multi-scale Ds.",
        params=HiFiGANParams,
        inputs=(
            TensorSpec(
                "audio",
                (2, 1, "segment_size"),
                dist="uniform",
                low=-1.0,
                fixed=(1,),
                doc="real waveform in [-1, 1]; length a multiple of prod(upsample_rates), at least twice it",
            ),
        ),
        outputs={
            "waveform": (2, 1, 256),
            "mpd_real_logits": (2, 33),
            "mpd_fake_logits": (2, 33),
            "msd_real_logits": (2, 9),
            "msd_fake_logits": (2, 9),
            "generator_loss": (),
            "discriminator_loss": (),
        },
    ),
    MethodEntry(
        id="wavegan",
        names=("WaveGAN",),
        kind="model",
        paper="https://arxiv.org/abs/1802.04208",
        target="methods.impl.wavegan:WaveGAN",
        summary="DCGAN flattened to 1-D (25-tap filters, stride 4) with phase shuffle, trained with WGAN-GP.",
        params=WaveGANParams,
        inputs=(
            TensorSpec(
                "z", (2, "latent_dim"), dist="uniform", low=-1.0, fixed=(1,), doc="latent z ~ U(-1, 1)"
            ),
            TensorSpec(
                "x_real",
                (2, "channels", "num_samples"),
                dist="uniform",
                low=-1.0,
                fixed=(1, 2),
                doc="real audio in [-1, 1]",
            ),
        ),
        outputs={
            "fake": (2, 1, 1024),
            "real_scores": (2,),
            "fake_scores": (2,),
            "generator_loss": (),
            "discriminator_loss": (),
        },
    ),
    MethodEntry(
        id="glide",
        names=("Guided Language to Image Diffusion for Generation and Editing", "GLIDE"),
        kind="model",
        paper="https://arxiv.org/abs/2112.10741",
        target="methods.impl.glide:GLIDE",
        summary="Text-conditional diffusion U-Net sampled with classifier-free guidance against the empty caption.",
        params=GLIDEParams,
        inputs=(
            TensorSpec(
                "x_t",
                (2, "in_channels", "image_size", "image_size"),
                fixed=(1,),
                doc="noisy image x_t; sides divisible by 2**(len(channel_mult) - 1)",
            ),
            TensorSpec(
                "timesteps", (2,), dtype="int64", dist="randint", high="num_timesteps", doc="diffusion step t"
            ),
            TensorSpec(
                "tokens",
                (2, "text_ctx"),
                dtype="int64",
                dist="randint",
                high="vocab_size",
                fixed=(1,),
                doc="caption token ids, 0 = padding",
            ),
        ),
        outputs={"output": (2, 3, 16, 16)},
    ),
    MethodEntry(
        id="beta-vae",
        names=("Beta-VAE", "beta VAE"),
        kind="model",
        paper="https://openreview.net/forum?id=Sy2fzU9gl",
        target="methods.impl.beta_vae:BetaVAE",
        summary="A VAE whose KL term is weighted by beta > 1 to favour disentangled latent factors.",
        params=BetaVAEParams,
        inputs=(
            TensorSpec(
                "x",
                (4, "in_channels", "image_size", "image_size"),
                dist="uniform",
                fixed=(1, 2, 3),
                doc="images in [0, 1]",
            ),
        ),
        outputs={
            "recon": (4, 1, 16, 16),
            "mu": (4, 4),
            "logvar": (4, 4),
            "loss": (),
            "recon_loss": (),
            "kl": (),
        },
    ),
)
