"""Registry entry metadata: what a method implementation is, without importing torch.

A `MethodEntry` names the catalog method(s) it implements, its kind, its paper,
where its builder lives (a ``"module:attribute"`` path imported on first use),
its hyperparameters (a `Params` model with bounds) and its example inputs
(named `TensorSpec`s). Browsing and search read these fields; only `build` and
`example_inputs` import torch. `resolve_request` turns a caller's
hyperparameters and input shapes into validated ones, deriving a hyperparameter
from the input dimension it sizes.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, ValidationError

from methods.slugs import slugify

Kind = Literal[
    "module",
    "activation",
    "optimizer",
    "loss",
    "function",
    "model",
    "schedule",
    "initialization",
    "tokenizer",
    "augmentation",
    "algorithm",
]
KINDS: tuple[str, ...] = get_args(Kind)
Dtype = Literal["float32", "int64", "bool"]
Dist = Literal["normal", "uniform", "randint", "bernoulli"]
Dim = int | str

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TORCH_DOCS = "https://docs.pytorch.org/docs/stable/generated/"
"""Where PyTorch documents an object: `TORCH_DOCS + "torch.nn.LayerNorm.html"`."""
MAX_ELEMENTS = 2**22
"""Default cap on the number of elements of one example tensor."""


class Params(BaseModel):
    """Base of every entry's hyperparameters: an unknown field is refused, never ignored."""

    model_config = ConfigDict(extra="forbid")

    def settable(self) -> dict[str, Any]:
        """The values a caller may set, computed fields left out: what `build` and requests take."""
        return self.model_dump(include=set(type(self).model_fields))


class NoParams(Params):
    """Hyperparameters of an entry that has none."""


class InputError(ValueError):
    """A caller's inputs or hyperparameters are out of bounds; `field` names which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class TensorSpec:
    """One named example input.

    A dimension is an int or the name of a hyperparameter whose value it takes
    (`("B", "channels", 32, 32)` is not allowed; write `(2, "channels", 32, 32)`).
    A named dimension follows the caller: a request that overrides the shape
    without giving the hyperparameter sets the hyperparameter from it (see
    `MethodEntry.resolve_request`). `fixed` lists dimension indices (0-based, as
    Python indexes `shape`) a caller may not change at all. `low`/`high` bound
    `uniform` and `randint` samples; `high` may also name a hyperparameter (a
    vocabulary size). Messages count dimensions from 1, "dimension 2 of 4", as
    the demo form's help text does.
    """

    name: str
    shape: tuple[Dim, ...]
    dtype: Dtype = "float32"
    dist: Dist = "normal"
    low: float = 0.0
    high: float | str = 1.0
    fixed: tuple[int, ...] = ()
    requires_grad: bool = False
    doc: str = ""

    def dimension(self, index: int) -> str:
        """How messages name dimension `index` (0-based): counted from 1, "dimension 2 of 4"."""
        return f"dimension {index + 1} of {len(self.shape)}"

    def named_dimensions(self) -> tuple[tuple[int, str], ...]:
        """(index, hyperparameter) for every dimension a hyperparameter sets."""
        return tuple((i, d) for i, d in enumerate(self.shape) if isinstance(d, str))

    def check(self, override: Any) -> tuple[int, ...]:
        """A caller's shape for this input: a list of positive integers of this input's rank."""
        shape = _as_shape(self.name, override)
        if len(shape) != len(self.shape):
            like = ", ".join(str(d) for d in self.shape)
            raise InputError(
                f"inputs.{self.name}",
                f"expected rank {len(self.shape)} (shape like [{like}]), got rank {len(shape)}",
            )
        return shape

    def resolve(self, params: dict[str, Any], override: Any = None) -> tuple[int, ...]:
        """The concrete shape for `params`, with a caller's `override` checked against it."""
        default = tuple(int(params[d]) if isinstance(d, str) else int(d) for d in self.shape)
        if override is None:
            return default
        shape = self.check(override)
        for i, d in enumerate(self.shape):
            if shape[i] == default[i] or (i not in self.fixed and not isinstance(d, str)):
                continue
            why = f"it is params.{d}" if isinstance(d, str) else "fixed by this method"
            raise InputError(
                f"inputs.{self.name}", f"{self.dimension(i)} must be {default[i]} ({why}), got {shape[i]}"
            )
        return shape

    def upper(self, params: dict[str, Any]) -> float:
        return float(params[self.high]) if isinstance(self.high, str) else float(self.high)


def _as_shape(name: str, value: Any) -> tuple[int, ...]:
    if not isinstance(value, (list, tuple)) or not value:
        raise InputError(f"inputs.{name}", "a shape is a non-empty list of positive integers")
    dims = []
    for d in value:
        if isinstance(d, bool) or not isinstance(d, int) or d <= 0:
            raise InputError(f"inputs.{name}", f"dimensions must be positive integers, got {d!r}")
        dims.append(d)
    return tuple(dims)


def _resolve(path: str) -> Any:
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)


class Described:
    """What an entry says about itself in plain fields: shared by `MethodEntry` and its light `EntryInfo`."""

    id: str
    names: tuple[str, ...]
    target: str
    adapts: str

    @property
    def method(self) -> str:
        """The catalog method this entry implements, by its name in the documents (the first name)."""
        return self.names[0]

    @property
    def adapter(self) -> bool:
        return bool(self.adapts)

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(slugify(n) for n in (self.id, *self.names)))

    @property
    def module(self) -> str:
        return self.target.partition(":")[0]

    @property
    def source_path(self) -> str:
        """The implementation's file, relative to the project root."""
        return self.module.replace(".", "/") + ".py"

    @property
    def has_source(self) -> bool:
        """Whether the target lives in this project; an adapter may target the library object itself."""
        return (PROJECT_ROOT / self.source_path).is_file()

    def source(self) -> str:
        """The implementation file's text; empty for an adapter whose target is the library object."""
        return (PROJECT_ROOT / self.source_path).read_text(encoding="utf-8") if self.has_source else ""


@dataclass(frozen=True)
class EntryInfo(Described):
    """An entry's plain metadata, read from `methods/manifest.json` without importing its module.

    Matching methods to entries, provenance and search facets read only this;
    `declared_in` names the `methods.entries` module whose `ENTRIES` hold the full
    `MethodEntry` (hyperparameters, inputs, outputs), imported on first use.
    """

    id: str
    names: tuple[str, ...]
    kind: Kind
    paper: str
    target: str
    summary: str
    adapts: str = ""
    docs_url: str = ""
    alternative: bool = False
    declared_in: str = ""


@dataclass(frozen=True)
class MethodEntry(Described):
    """A registered implementation and everything a caller needs to know to run it."""

    id: str
    names: tuple[str, ...]
    kind: Kind
    paper: str
    target: str
    summary: str
    params: type[Params] = NoParams
    inputs: tuple[TensorSpec, ...] = ()
    outputs: dict[str, tuple[int, ...]] = field(default_factory=dict)
    max_elements: int = MAX_ELEMENTS
    adapts: str = ""
    """For an adapter, the library object it adapts ("torch.nn.LayerNorm"); empty when hand-written."""
    docs_url: str = ""
    """For an adapter, the library's own documentation page of `adapts`; a PyTorch object's page when
    left empty (`TORCH_DOCS`)."""
    alternative: bool = False
    """True when another entry already claims `method` and this one is a second implementation."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.id}: unknown kind {self.kind!r}; expected one of {KINDS}")
        if not self.names:
            raise ValueError(f"{self.id}: names must start with the catalog method's name")
        if self.adapts.startswith("torch.") and not self.docs_url:
            object.__setattr__(self, "docs_url", f"{TORCH_DOCS}{self.adapts}.html")
        if self.adapts and not self.docs_url.startswith("https://"):
            raise ValueError(f"{self.id}: an adapter of {self.adapts!r} needs its docs_url")
        if ":" not in self.target:
            raise ValueError(f"{self.id}: target must be 'module:attribute', got {self.target!r}")

    def describe(self, declared_in: str = "") -> EntryInfo:
        """This entry's plain metadata, as `methods/manifest.json` keeps it."""
        return EntryInfo(
            id=self.id,
            names=self.names,
            kind=self.kind,
            paper=self.paper,
            target=self.target,
            summary=self.summary,
            adapts=self.adapts,
            docs_url=self.docs_url,
            alternative=self.alternative,
            declared_in=declared_in,
        )

    def hyperparameters(self, **overrides: Any) -> Params:
        """Validated hyperparameters; an out-of-bounds value raises `InputError` naming it."""
        try:
            return self.params(**overrides)
        except ValidationError as error:
            raise self._params_error(error.errors()[0], {}) from None
        except TypeError as error:
            raise InputError("params", str(error)) from None

    def resolve_request(
        self, params: dict[str, Any] | None = None, inputs: dict[str, Any] | None = None
    ) -> tuple[Params, dict[str, tuple[int, ...]]]:
        """The hyperparameters and input shapes a request means, validated before any tensor exists.

        A hyperparameter that sizes an input follows it: when `inputs` overrides a shape and
        `params` does not give the hyperparameter a dimension names, its value is read from that
        dimension and then checked against its bounds, so BAM takes `x` of `[4, 64, 56, 56]` with
        `channels` 64. When `params` gives it too and the two disagree, the error names both.
        Build with the returned hyperparameters: `build(**params.settable())`.
        """
        given = dict(params or {})
        shapes_given = self._checked_overrides(dict(inputs or {}))
        derived = self._derived(given, shapes_given)
        try:
            validated = self.params(**{**given, **{k: v for k, (v, _, _) in derived.items()}})
        except ValidationError as error:
            raise self._params_error(error.errors()[0], derived) from None
        except TypeError as error:
            raise InputError("params", str(error)) from None
        values = validated.model_dump()
        for name, shape in shapes_given.items():
            spec = self._input(name)
            for i, hyperparameter in spec.named_dimensions():
                if hyperparameter in given and values[hyperparameter] != shape[i]:
                    raise InputError(
                        f"inputs.{name}",
                        f"{spec.dimension(i)} is {shape[i]} but params.{hyperparameter} is "
                        f"{values[hyperparameter]!r}; give one of them, or the same value in both",
                    )
        shapes = {}
        for spec in self.inputs:
            shape = spec.resolve(values, shapes_given.get(spec.name))
            if math.prod(shape) > self.max_elements:
                raise InputError(
                    f"inputs.{spec.name}",
                    f"{math.prod(shape):,} elements exceed the cap of {self.max_elements:,}",
                )
            shapes[spec.name] = shape
        return validated, shapes

    def input_shapes(
        self, params: dict[str, Any] | None = None, **overrides: Any
    ) -> dict[str, tuple[int, ...]]:
        """Concrete input shapes, validated before any tensor is allocated (see `resolve_request`)."""
        return self.resolve_request(params, overrides)[1]

    def _input(self, name: str) -> TensorSpec:
        return next(spec for spec in self.inputs if spec.name == name)

    def _checked_overrides(self, overrides: dict[str, Any]) -> dict[str, tuple[int, ...]]:
        known = {spec.name for spec in self.inputs}
        for name in overrides:
            if name not in known:
                raise InputError(
                    f"inputs.{name}", f"unknown input; expected one of {sorted(known) or 'none'}"
                )
        return {name: self._input(name).check(shape) for name, shape in overrides.items()}

    def _derived(
        self, given: dict[str, Any], shapes: dict[str, tuple[int, ...]]
    ) -> dict[str, tuple[int, str, int]]:
        """Settable hyperparameters read from overridden shapes: name -> (value, input, dimension index)."""
        derived: dict[str, tuple[int, str, int]] = {}
        for spec in self.inputs:
            if spec.name not in shapes:
                continue
            shape = shapes[spec.name]
            for i, hyperparameter in spec.named_dimensions():
                # a computed hyperparameter (a sum of level sizes) is checked by `resolve`, never set
                if hyperparameter in given or hyperparameter not in self.params.model_fields:
                    continue
                if hyperparameter not in derived:
                    derived[hyperparameter] = (shape[i], spec.name, i)
                    continue
                value, other, j = derived[hyperparameter]
                if value != shape[i]:
                    raise InputError(
                        f"inputs.{spec.name}",
                        f"{spec.dimension(i)} is {shape[i]} but inputs.{other} "
                        f"{self._input(other).dimension(j)} is {value}; both are params.{hyperparameter}",
                    )
        return derived

    def _params_error(self, problem: Any, derived: dict[str, tuple[int, str, int]]) -> InputError:
        """The `InputError` for a hyperparameter validation problem, blaming an input when one set it."""
        where = ".".join(str(p) for p in problem["loc"])
        if where in derived:
            value, name, i = derived[where]
            return InputError(
                f"inputs.{name}",
                f"{self._input(name).dimension(i)} sets params.{where} to {value}: {problem['msg']}",
            )
        if where:
            return InputError(f"params.{where}", problem["msg"])
        read = "; ".join(
            f"params.{k} = {v} from inputs.{name} {self._input(name).dimension(i)}"
            for k, (v, name, i) in derived.items()
        )
        return InputError("params", f"{problem['msg']} ({read})" if read else problem["msg"])

    def build(self, *args: Any, **hyperparameters: Any) -> Any:
        """The module, function or (given `params` first) optimizer, built with validated hyperparameters."""
        values = self.hyperparameters(**hyperparameters).model_dump()
        return _resolve(self.target)(*args, **values)

    def example_inputs(
        self, params: dict[str, Any] | None = None, seed: int = 0, **shape_overrides: Any
    ) -> dict[str, Any]:
        """Named CPU tensors drawn from a fixed seed, ready to pass as keyword arguments.

        Shapes and hyperparameters are resolved as `resolve_request` does, so an overridden shape
        and the hyperparameters it sets agree (a vocabulary size bounds token ids).
        """
        import torch

        resolved, shapes = self.resolve_request(params, shape_overrides)
        values = resolved.model_dump()
        generator = torch.Generator().manual_seed(seed)
        tensors = {}
        for spec in self.inputs:
            shape, high = shapes[spec.name], spec.upper(values)
            if spec.dist == "randint":
                t = torch.randint(int(spec.low), int(high), shape, generator=generator)
            elif spec.dist == "bernoulli":
                t = torch.rand(shape, generator=generator) < high
            elif spec.dist == "uniform":
                t = spec.low + (high - spec.low) * torch.rand(shape, generator=generator)
            else:
                t = torch.randn(shape, generator=generator)
            t = t.to(getattr(torch, spec.dtype))
            if spec.requires_grad:
                t.requires_grad_(True)
            tensors[spec.name] = t
        return tensors


def hand_written(
    id_: str,
    names: tuple[str, ...],
    kind: Kind,
    paper: str,
    target: str,
    summary: str,
    params: type[Params],
    inputs: tuple[TensorSpec, ...],
    outputs: dict[str, tuple[int, ...]],
) -> MethodEntry:
    """An entry whose implementation is `methods.impl.<target>` ("module:Class"), written by hand."""
    return MethodEntry(
        id=id_,
        names=names,
        kind=kind,
        paper=paper,
        target=f"methods.impl.{target}",
        summary=summary,
        params=params,
        inputs=inputs,
        outputs=outputs,
    )


def adapted(
    id_: str,
    names: tuple[str, ...],
    kind: Kind,
    paper: str,
    target: str,
    adapts: str,
    summary: str,
    params: type[Params],
    inputs: tuple[TensorSpec, ...] = (),
    outputs: dict[str, tuple[int, ...]] | None = None,
) -> MethodEntry:
    """An entry adapting the PyTorch object `adapts` through the builder `methods.adapters.<target>`."""
    return MethodEntry(
        id=id_,
        names=names,
        kind=kind,
        paper=paper,
        target=f"methods.adapters.{target}",
        summary=summary,
        params=params,
        inputs=inputs,
        outputs=outputs or {},
        adapts=adapts,
    )
