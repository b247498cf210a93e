"""Graph, point-set and 3-D scene architectures: GCN, GAT, GraphSAGE, Graph Transformer, PointNet, NeRF."""

from typing import Self

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec


class GCNParams(Params):
    in_features: int = Field(16, ge=1, le=4096, description="node features F (1433 for Cora)")
    hidden: int = Field(16, ge=1, le=1024, description="hidden units (16)")
    num_classes: int = Field(7, ge=1, le=100, description="classes C (7 for Cora)")
    dropout: float = Field(0.5, ge=0.0, le=0.9, description="dropout (0.5)")


class GATParams(Params):
    in_features: int = Field(16, ge=1, le=4096, description="node features F")
    hidden: int = Field(8, ge=1, le=256, description="features per head F' (8)")
    heads: int = Field(8, ge=1, le=16, description="attention heads K (8)")
    num_classes: int = Field(7, ge=1, le=100, description="classes C")
    dropout: float = Field(0.6, ge=0.0, le=0.9, description="dropout on inputs and coefficients (0.6)")


class GraphSAGEParams(Params):
    in_features: int = Field(16, ge=1, le=4096, description="node features F")
    hidden: int = Field(32, ge=1, le=1024, description="embedding size per layer (256)")
    depth: int = Field(2, ge=1, le=4, description="search depth K (2)")


class GraphTransformerParams(Params):
    in_features: int = Field(16, ge=1, le=4096, description="node features F")
    dim: int = Field(32, ge=4, le=256, description="hidden size d (80)")
    heads: int = Field(4, ge=1, le=16, description="attention heads H (8)")
    layers: int = Field(2, ge=1, le=10, description="layers (10)")
    pe_dim: int = Field(4, ge=1, le=32, description="Laplacian eigenvectors k")
    num_classes: int = Field(7, ge=1, le=100, description="node classes C")

    @model_validator(mode="after")
    def _heads_divide(self) -> Self:
        if self.dim % self.heads:
            raise ValueError("dim must be divisible by heads")
        return self


class PointNetParams(Params):
    num_classes: int = Field(10, ge=1, le=100, description="classes k (40 for ModelNet40)")
    width_div: int = Field(8, ge=1, le=16, description="divides the widths 64..1024 (1 is the paper)")
    dropout: float = Field(0.3, ge=0.0, le=0.9, description="classifier dropout (0.3)")

    @model_validator(mode="after")
    def _divides(self) -> Self:
        if 64 % self.width_div:
            raise ValueError("width_div must divide 64")
        return self


class NeRFParams(Params):
    width: int = Field(32, ge=4, le=256, multiple_of=2, description="MLP width (256)")
    depth: int = Field(4, ge=2, le=8, description="density MLP layers (8)")
    skip: int = Field(2, ge=1, le=7, description="layer that re-reads gamma(x) (4)")
    pos_freqs: int = Field(10, ge=0, le=16, description="frequencies L for x (10)")
    dir_freqs: int = Field(4, ge=0, le=8, description="frequencies L for d (4)")
    samples: int = Field(16, ge=2, le=128, description="samples N per ray (64 coarse)")
    near: float = Field(2.0, ge=0.0, le=100.0, description="near bound t_n (2)")
    far: float = Field(6.0, gt=0.0, le=1000.0, description="far bound t_f (6)")

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.far <= self.near or self.skip >= self.depth:
            raise ValueError("far must exceed near and skip must be below depth")
        return self


_NODES = TensorSpec("x", (12, "in_features"), fixed=(1,), doc="node features [N, F]")
_ADJ = TensorSpec(
    "adj", (12, 12), dtype="bool", dist="bernoulli", high=0.3, doc="adjacency [N, N], made undirected"
)

ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="gcn",
        names=("GCN", "Graph Convolutional Network"),
        kind="model",
        paper="https://arxiv.org/abs/1609.02907",
        target="methods.impl.gcn:GCN",
        summary="Two layers of symmetric-normalized neighbour averaging: D^-1/2 (A + I) D^-1/2 H W.",
        params=GCNParams,
        inputs=(_NODES, _ADJ),
        outputs={"output": (12, 7)},
    ),
    MethodEntry(
        id="gat",
        names=("GAT", "Graph Attention Network"),
        kind="model",
        paper="https://arxiv.org/abs/1710.10903",
        target="methods.impl.gat:GAT",
        summary="Masked multi-head attention over each node's neighbours.",
        params=GATParams,
        inputs=(_NODES, _ADJ),
        outputs={"logits": (12, 7), "attention": (8, 12, 12)},
    ),
    MethodEntry(
        id="graphsage",
        names=("GraphSAGE",),
        kind="model",
        paper="https://arxiv.org/abs/1706.02216",
        target="methods.impl.graphsage:GraphSAGE",
        summary="Inductive embeddings from [self || mean of neighbours] layers, L2-normalized.",
        params=GraphSAGEParams,
        inputs=(_NODES, _ADJ),
        outputs={"output": (12, 32)},
    ),
    MethodEntry(
        id="graph-transformer",
        names=("Graph Transformer",),
        kind="model",
        paper="https://arxiv.org/abs/2012.09699",
        target="methods.impl.graph_transformer:GraphTransformer",
        summary="Neighbour-masked Transformer layers with BatchNorm and Laplacian eigenvector positions.",
        params=GraphTransformerParams,
        inputs=(_NODES, _ADJ),
        outputs={"output": (12, 7), "attention": (4, 12, 12)},
    ),
    MethodEntry(
        id="pointnet",
        names=("PointNet",),
        kind="model",
        paper="https://arxiv.org/abs/1612.00593",
        target="methods.impl.pointnet:PointNet",
        summary="Shared per-point MLPs, learned alignments and a max pool make a permutation-invariant classifier.",
        params=PointNetParams,
        inputs=(TensorSpec("points", (4, 3, 128), fixed=(1,), doc="point clouds [B, 3, n]"),),
        outputs={"logits": (4, 10), "global_feature": (4, 128), "reg_loss": ()},
    ),
    MethodEntry(
        id="nerf",
        names=("NeRF", "Neural Radiance Field"),
        kind="model",
        paper="https://arxiv.org/abs/2003.08934",
        target="methods.impl.nerf:NeRF",
        summary="Positionally encoded MLP field of density and colour, volume-rendered along rays.",
        params=NeRFParams,
        inputs=(
            TensorSpec("rays_o", (32, 3), fixed=(1,), doc="ray origins [R, 3]"),
            TensorSpec("rays_d", (32, 3), fixed=(1,), doc="ray directions [R, 3]"),
        ),
        outputs={"rgb": (32, 3), "depth": (32,), "weights": (32, 16), "sigma": (32, 16)},
    ),
)
