"""Reinforcement learning: off-policy return targets, ensemble policy gradient, rejection sampling."""

from pydantic import Field

from methods.spec import MethodEntry, Params, TensorSpec


class VTraceParams(Params):
    clip_rho_threshold: float = Field(
        1.0, ge=0.0, le=100.0, description="truncation level rho-bar of the importance weights rho_t"
    )
    clip_c_threshold: float = Field(
        1.0, ge=0.0, le=100.0, description="truncation level c-bar of the trace coefficients c_i"
    )
    num_actions: int = Field(4, ge=2, le=1024, description="size A of the discrete action set")


class RetraceParams(Params):
    trace_lambda: float = Field(
        1.0, ge=0.0, le=1.0, description="trace decay lambda in c_s = lambda min(1, pi/mu)"
    )
    num_actions: int = Field(4, ge=2, le=1024, description="size A of the discrete action set")


class NStepReturnsParams(Params):
    n: int = Field(3, ge=1, le=1000, description="number of reward steps n before bootstrapping")
    gamma: float = Field(0.99, ge=0.0, le=1.0, description="discount factor gamma")


class UmbrellaParams(Params):
    gamma: float = Field(0.95, ge=0.01, le=0.9999, description="discount gamma per unit time")
    entropy_coef: float = Field(
        0.01, ge=0.0, le=10.0, description="weight alpha of the ensemble and policy entropy terms"
    )


class DartParams(Params):
    budget: int = Field(
        64, ge=1, le=100_000, description="total correct responses N (dataset size; sets k_u and k_p)"
    )
    max_trials: int = Field(2048, ge=1, le=8192, description="cap n_max on raw samples drawn per query")


_T, _B, _N = 8, 4, 64

ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="v-trace",
        names=("V-trace", "V-trace targets", "IMPALA V-trace"),
        kind="function",
        paper="https://arxiv.org/abs/1802.01561",
        target="methods.impl.v_trace:VTrace",
        summary="Off-policy n-step value targets with truncated importance weights, from IMPALA.",
        params=VTraceParams,
        inputs=(
            TensorSpec(
                "target_logits", (_T, _B, "num_actions"), fixed=(2,), doc="learner policy pi, [T, B, A]"
            ),
            TensorSpec(
                "behaviour_logits", (_T, _B, "num_actions"), fixed=(2,), doc="actor policy mu, [T, B, A]"
            ),
            TensorSpec("actions", (_T, _B), dtype="int64", dist="randint", high="num_actions", doc="a_t"),
            TensorSpec("rewards", (_T, _B), doc="r_t"),
            TensorSpec(
                "discounts", (_T, _B), dist="uniform", low=0.8, high=1.0, doc="gamma_t, 0 at episode end"
            ),
            TensorSpec("values", (_T, _B), doc="V(x_t)"),
            TensorSpec("bootstrap_value", (_B,), doc="V(x_T)"),
        ),
        outputs={"vs": (_T, _B), "pg_advantages": (_T, _B)},
    ),
    MethodEntry(
        id="retrace",
        names=("Retrace", "Retrace(λ)", "Retrace lambda"),
        kind="function",
        paper="https://arxiv.org/abs/1606.02647",
        target="methods.impl.retrace:Retrace",
        summary="Off-policy Q-value targets whose traces are importance ratios truncated at one.",
        params=RetraceParams,
        inputs=(
            TensorSpec("q_values", (_T, _B, "num_actions"), fixed=(2,), doc="Q(x_t, .), [T, B, A]"),
            TensorSpec(
                "target_logits",
                (_T, _B, "num_actions"),
                fixed=(2,),
                doc="target policy pi (softmax), [T, B, A]",
            ),
            TensorSpec("actions", (_T, _B), dtype="int64", dist="randint", high="num_actions", doc="a_t"),
            TensorSpec(
                "behaviour_probs", (_T, _B), dist="uniform", low=0.1, high=1.0, doc="mu(a_t|x_t) in (0, 1]"
            ),
            TensorSpec("rewards", (_T, _B), doc="r_t"),
            TensorSpec(
                "discounts", (_T, _B), dist="uniform", low=0.8, high=1.0, doc="gamma_t, 0 at episode end"
            ),
            TensorSpec("bootstrap_value", (_B,), doc="E_pi Q(x_T, .)"),
        ),
        outputs={"output": (_T, _B)},
    ),
    MethodEntry(
        id="n-step-returns",
        names=("N-step Returns", "n-step Returns", "Multi-step Returns"),
        kind="function",
        paper="https://incompleteideas.net/book/the-book-2nd.html",
        target="methods.impl.n_step_returns:NStepReturns",
        summary="Discounted sum of the next n rewards plus the discounted value n steps ahead.",
        params=NStepReturnsParams,
        inputs=(
            TensorSpec("rewards", (_T, _B), doc="rewards[t] = r_{t+1}"),
            TensorSpec("values", (_T, _B), doc="V(s_t)"),
            TensorSpec(
                "dones", (_T, _B), dtype="bool", dist="bernoulli", high=0.1, doc="s_{t+1} is terminal"
            ),
            TensorSpec("bootstrap_value", (_B,), doc="V(s_T)"),
        ),
        outputs={"output": (_T, _B)},
    ),
    MethodEntry(
        id="umbrella-reinforcement-learning",
        names=("Umbrella Reinforcement Learning", "Umbrella RL", "Umbrella Reinforce"),
        kind="loss",
        paper="https://arxiv.org/abs/2411.14117",
        target="methods.impl.umbrella_reinforcement_learning:UmbrellaLoss",
        summary="Policy gradient for an ensemble of agents whose reward includes the ensemble entropy.",
        params=UmbrellaParams,
        inputs=(
            TensorSpec("value", (_N,), requires_grad=True, doc="V(s) at N sampled states"),
            TensorSpec("value_grad", (_N, 2), doc="grad_s V(s), [N, D]"),
            TensorSpec("log_density", (_N,), requires_grad=True, doc="ensemble log-density ln p(s)"),
            TensorSpec("log_density_grad", (_N, 2), doc="grad_s ln p(s), [N, D]"),
            TensorSpec("log_policy", (_N,), requires_grad=True, doc="ln pi(a|s) of the sampled action"),
            TensorSpec("log_policy_grad", (_N, 2), doc="grad_s ln pi(a|s), [N, D]"),
            TensorSpec("reward", (_N,), doc="reward rate r(s, a)"),
            TensorSpec("velocity", (_N, 2), doc="dynamics ds/dt = v(s, a), [N, D]"),
            TensorSpec("velocity_divergence", (_N,), doc="div_s v(s, a)"),
            TensorSpec("initial_density", (_N,), dist="uniform", low=0.1, high=1.0, doc="p_0(s) > 0"),
        ),
        outputs={
            "loss": (),
            "value_loss": (),
            "policy_loss": (),
            "density_loss": (),
            "advantage": (_N,),
            "growth_rate": (_N,),
        },
    ),
    MethodEntry(
        id="difficulty-aware-rejection-tuning",
        names=(
            "Difficulty-Aware Rejection Tuning",
            "DART",
            "DART-Math",
            "DARS",
            "Difficulty-Aware Rejection Sampling",
        ),
        kind="function",
        paper="https://arxiv.org/abs/2407.13690",
        target="methods.impl.difficulty_aware_rejection_tuning:DifficultyAwareRejectionSampling",
        summary="Allocates correct synthetic responses per query uniformly or in proportion to difficulty.",
        params=DartParams,
        inputs=(
            TensorSpec(
                "fail_rate",
                (16,),
                dist="uniform",
                low=0.0,
                high=1.0,
                doc="difficulty d_i: fail rate per query",
            ),
        ),
        outputs={
            "uniform_counts": (16,),
            "prop2diff_counts": (16,),
            "uniform_expected_samples": (16,),
            "prop2diff_expected_samples": (16,),
        },
    ),
)
