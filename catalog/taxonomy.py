"""Inferring Papers with Code collections for a method known only from its text.

A method read from a plain document has a name and a description but no
collections. `classify` gives it up to three, each with its area, from `RULES`:
an ordered table tying a collection of the Papers with Code taxonomy to the
words that are evidence for it. A rule is one regular expression, matched
case-insensitively; an acronym that must keep its case is written `(?-i:GAN)`.

Where the words stand decides how much they count, because a description says
what a method *is* before it says what the method uses:

- in the definition, the words after "is"/"are" in the first sentence up to
  "that", "for", "used", "which"… ("InfoGAN is a type of generative
  adversarial network"): 4;
- in a name, full name or alias ("Coordinate attention"): 3;
- elsewhere in the first sentence: 2;
- later in the description: 1.

A collection scores the sum, over its rules, of each rule's best place. The
strongest collections win (rule order breaks ties); those under half the best
score are dropped, and a lone passing mention (under `MIN_SCORE`) is not
evidence. Without evidence, the method's vocabulary picks a broad collection of
its area (`AREA_FALLBACKS`), and failing that the export's own catch-all,
`FALLBACK`. `explain` lists which rule fired on which words; `agreement`
measures the rules against known collections (tests/catalog/test_taxonomy.py
prints the figures with `pytest -s`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from catalog.entry import CollectionRef, ParsedEntry
from catalog.regex_literals import Literals, may_match, required_literals

AREAS = (
    "General",
    "Computer Vision",
    "Natural Language Processing",
    "Reinforcement Learning",
    "Audio",
    "Sequential",
    "Graphs",
)
G, CV, NLP, RL, AU, SEQ, GR = AREAS
WEIGHTS = {"definition": 4, "name": 3, "first sentence": 2, "description": 1}
"""What a match is worth by where it stands, in the order places are tried."""
MIN_SCORE = 2
KEEP_FRACTION = 0.5
MAX_COLLECTIONS = 3
FALLBACK = CollectionRef("Miscellaneous Components", G)


@dataclass(frozen=True)
class Rule:
    """`pattern`, found in a method's names or description, is evidence for `collection`."""

    collection: str
    area: str
    pattern: str
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    literals: Literals | None = field(init=False, repr=False, compare=False)
    """Strings one of which every match holds: a text without any of them is not tried."""

    def __post_init__(self) -> None:
        if self.area not in AREAS:
            raise ValueError(f"rule for {self.collection!r}: unknown area {self.area!r}")
        object.__setattr__(self, "regex", re.compile(self.pattern, re.I))
        object.__setattr__(self, "literals", required_literals(self.pattern, re.I))

    @property
    def ref(self) -> CollectionRef:
        return CollectionRef(self.collection, self.area)


# Ordered: on equal scores the earlier rule wins, so a method's domain (graphs,
# RL, audio, a vision task) comes before the components its text mentions, and a
# broad collection before the refinement that the export files beside it.
# fmt: off
RULES: tuple[Rule, ...] = (
    # Generative models
    Rule("Generative Adversarial Networks", CV, r"generative adversarial|(?-i:GAN)s?\b"),
    Rule("Text-to-Speech Models", AU, r"text[- ]to[- ]speech|\b(?-i:TTS)\b|speech synthesis"),
    Rule("Generative Audio Models", AU, r"\b(?:speech|audio|waveform|music)\b.{0,40}\b(?:synthesis|generat)|(?:synthesis|generation) of (?:[\w-]+ ){0,3}(?:speech|audio|waveform|music)|vocoder"),
    Rule("Image Generation Models", CV, r"diffusion model|image (?:generation|synthesis)|text-to-image|image editing"),
    Rule("Generative Models", CV, r"\bgenerative\b|auto-?encoder|\bdiffusion\b|boltzmann|belief network|densit(?:y|ies)"),
    Rule("Likelihood-Based Generative Models", CV, r"variational auto-?encoder|\b(?-i:VAE)s?\b|normali[sz]ing flows?|flow-based|likelihood|invertible"),
    # Graphs
    Rule("Graph Embeddings", GR, r"graph embedding|knowledge (?:graph|base)|node embedding|network embedding|relation prediction|\bentit(?:y|ies)\b.{0,40}\brelations?\b"),
    Rule("Graph Models", GR, r"graph(?:[- ]\w+)? (?:neural )?networks?|graph convolution|\b(?-i:GNN|GCN)s?\b|\bgraphs?\b|\bnodes\b"),
    # Reinforcement learning
    Rule("Q-Learning Networks", RL, r"q-network|\b(?-i:DQN)\b|deep q"),
    Rule("Off-Policy TD Control", RL, r"q-learning|off-policy td|\bsarsa\b"),
    Rule("Value Function Estimation", RL, r"value function|value estimation|(?:n|multi)-step returns?|discounted return|off-policy|temporal[- ]difference|\b(?-i:TD)\b|q-value"),
    Rule("Policy Gradient Methods", RL, r"policy gradient|actor-critic|trust region|(?<!learning rate )\bpolic(?:y|ies)\b"),
    Rule("Imitation Learning Methods", RL, r"imitation learning|demonstrations?\b|behaviou?ral cloning"),
    Rule("Replay Memory", RL, r"replay (?:buffer|memory)|experience replay"),
    Rule("Eligibility Traces", RL, r"eligibility trace"),
    Rule("Reinforcement Learning Frameworks", RL, r"reinforcement learning|\b(?-i:RL)\b|\bagents?\b|\breward"),
    # Audio
    Rule("Speech Separation Models", AU, r"speech separation|source separation|speech enhancement"),
    Rule("Speech Recognition", AU, r"speech recognition|\b(?-i:ASR)\b"),
    Rule("Audio Artifact Removal", AU, r"artifacts?\b.{0,80}\baudio|audio.{0,40}artifacts?"),
    Rule("Audio Model Blocks", AU, r"\b(?:audio|speech|waveform|spectrogram|pitch)"),
    # Sequential
    Rule("Temporal Convolutions", SEQ, r"(?:temporal|causal|dilated causal) convolution"),
    Rule("Temporal Convolutions", SEQ, r"convolutions?.{0,30}temporal (?:data|sequences?|dimension)"),
    Rule("Bidirectional Recurrent Neural Networks", SEQ, r"bidirectional (?:lstm|rnn|recurrent|gru)"),
    Rule("Recurrent Neural Networks", SEQ, r"recurrent|\b(?-i:RNN|LSTM|GRU)s?\b|hidden state"),
    Rule("Sequence To Sequence Models", SEQ, r"sequence[- ]to[- ]sequence|seq2seq|encoder-decoder"),
    Rule("Time Series Analysis", SEQ, r"time[- ]series|forecast"),
    # Attention, transformers and language
    Rule("Attention Patterns", NLP, r"(?:sparse|local|sliding[- ]window|dilated|strided|global) (?:self-)?attention (?:pattern|mechanism)|attention pattern"),
    Rule("Attention Modules", G, r"attention (?:module|block|layer|unit)|multi-head(?:ed)? (?:self-)?attention"),
    Rule("Attention Mechanisms", G, r"attention mechanism|\b(?:self|channel|spatial|cross|soft|additive|dot-product)[- ]attention|\battention\b|excitation|recalibrat"),
    Rule("Vision Transformers", CV, r"vision transformer|\b(?-i:ViT)s?\b|(?:image|visual|vision)\w*[- ](?:\w+[- ]){0,2}transformer|transformer.{0,40}\b(?:images?|visual|vision|segmentation|detection|pixels?|patch(?:es)?)\b"),
    Rule("Vision and Language Pre-Trained Models", CV, r"vision[- ](?:and[- ])?language|visio-linguistic|image[- ]text|cross-modal pre-?train|multi-?modal pre-?train"),
    Rule("Multi-Modal Methods", CV, r"multi-?modal|cross-modal|text-guided"),
    Rule("Autoencoding Transformers", NLP, r"masked language model|\bbidirectional (?:encoder|transformer)|(?-i:BERT)"),
    Rule("Transformers", NLP, r"\btransformers?\b"),
    Rule("Autoregressive Transformers", NLP, r"autoregressive (?:transformer|language model)|decoder-only|left-to-right language"),
    Rule("Language Models", NLP, r"language model|\b(?-i:LLM)s?\b|multilingual|language (?:generation|understanding)|next token|text-to-text|corpus|corpora"),
    Rule("Position Embeddings", G, r"position(?:al)? (?:embedding|encoding)"),
    Rule("Word Embeddings", NLP, r"word (?:embedding|vector|representation)s?"),
    Rule("Sentence Embeddings", NLP, r"sentence (?:embedding|representation|encoder)s?"),
    Rule("VQA Models", CV, r"visual question answering|\b(?-i:VQA)\b"),
    Rule("Question Answering Models", NLP, r"question answering"),
    Rule("Subword Segmentation", NLP, r"subword|byte[- ]pair|tokeni[sz]ation"),
    Rule("Text Data Augmentation", NLP, r"(?:text|textual) (?:data )?augmentation|instruction[- ]tuning data"),
    # Vision tasks
    Rule("3D Object Detection Models", CV, r"3d (?:object )?detect"),
    Rule("Object Detection Models", CV, r"object detect|\bdetector\b|bounding[- ]box|region[- ]based"),
    Rule("One-Stage Object Detection Models", CV, r"(?:one|single)[- ]stage (?:object )?detect|single[- ]shot (?:object )?detect|anchor-free"),
    Rule("Instance Segmentation Models", CV, r"instance segmentation"),
    Rule("Semantic Segmentation Modules", CV, r"(?:module|block|layer) (?:for|used in) (?:semantic |image )?segmentation|segmentation (?:module|building block)"),
    Rule("Semantic Segmentation Models", CV, r"semantic segmentation|scene parsing|\bsegmentation (?:model|network|architecture)"),
    Rule("Region Proposal", CV, r"region proposal|object proposals?|bounding box proposals?"),
    Rule("RoI Feature Extractors", CV, r"\broi (?:pool|align|feature|extractor)|regions? of interest"),
    Rule("Proposal Filtering", CV, r"non-maximum suppression|\b(?-i:NMS)\b"),
    Rule("Feature Pyramid Blocks", CV, r"feature pyramid|pyramid(?:al)? feature"),
    Rule("Pose Estimation Models", CV, r"pose estimation|keypoint"),
    Rule("Face Recognition Models", CV, r"face (?:recognition|verification)"),
    Rule("Face Restoration Models", CV, r"face restoration"),
    Rule("Image Super-Resolution Models", CV, r"super-?resolution"),
    Rule("Multi-Object Tracking Models", CV, r"object tracking|\btracker\b|\btracking\b"),
    Rule("Point Cloud Models", CV, r"point clouds?"),
    Rule("3D Reconstruction", CV, r"3d reconstruction|\b(?-i:SLAM)\b|radiance field"),
    Rule("Stereo Depth Estimation Models", CV, r"stereo|depth estimation"),
    Rule("Video-Text Retrieval Models", CV, r"video-text|text-video|video retrieval"),
    Rule("Video Frame Interpolation", CV, r"frame interpolation"),
    Rule("Action Recognition Models", CV, r"action (?:recognition|detection)"),
    Rule("Scene Text Models", CV, r"scene text|text recognition|\b(?-i:OCR)\b"),
    Rule("Unpaired Image-to-Image Translation", CV, r"image-to-image translation|image translation"),
    Rule("Image Data Augmentation", CV, r"(?:data |image )augmentation|augmentation (?:technique|method|strategy|policy)"),
    # Vision architectures and blocks
    Rule("Light-weight neural networks", CV, r"mobile (?:devices|network)|light-?weight|resource[- ]constrained"),
    Rule("Skip Connection Blocks", G, r"residual(?:[- ]based)? (?:block|unit|module|connection)s?|skip[- ]connection|shortcut connection"),
    Rule("Image Model Blocks", CV, r"image model block|\bblocks?\b(?!-)|\bmodule for (?:convolutional|cnn)|architectural unit"),
    Rule("Convolutions", CV, r"\bconvolutions?\b(?! ?(?:al|neural))|\bconv\b|convolutional (?:operator|operation|layer)"),
    Rule("Convolutional Neural Networks", CV, r"convolutional (?:neural )?network|\b(?-i:CNN|ConvNet)s?\b|residual (?:neural )?networks?"),
    Rule("Backbone Architectures", CV, r"\bbackbone"),
    Rule("Image Models", CV, r"image classifi|image recognition|visual recognition|image model(?! block)|image architecture"),
    Rule("Feature Extractors", CV, r"feature extract|feature fusion|multi-scale feature"),
    Rule("Pooling Operations", CV, r"\bpooling\b"),
    # Training: optimization, regularization, layers, losses
    Rule("Large Batch Optimization", G, r"large[- ]batch|adaptive (?:learning rate|moment)"),
    Rule("Stochastic Optimization", G, r"\boptimi[sz]ers?\b|\bmomentum\b(?! contrast| encoder)|stochastic (?:gradient|optimi[sz]ation)|\b(?-i:SGD)\b|gradient descent"),
    Rule("Learning Rate Schedules", G, r"learning rate (?:schedul|warm-?up|decay|annealing|polic)|cyclical learning rate|warm-?up|cosine annealing"),
    Rule("Optimization", G, r"\boptimi[sz]ation (?:algorithm|method|problem|technique)|convex|evolutionary|swarm|metaheuristic|minimi[sz]ation|update rule"),
    Rule("Regularization", G, r"\bregulari[sz]"),
    Rule("Regularization", G, r"dropout|overfitting|weight decay|label smoothing|lipschitz"),
    Rule("Normalization", G, r"normali[sz]ation(?! flow)|\bnorm\b"),
    Rule("Activation Functions", G, r"activation function|\bnon-?linearity|linear units?\b|\b(?-i:ReLU|GLU)"),
    Rule("Adaptive Activation Functions", G, r"(?:adaptive|learnable|trainable|parametric) activation"),
    Rule("Output Functions", G, r"\bsoftmax\b|output (?:function|layer)|open[- ]set"),
    Rule("Initialization", G, r"\binitiali[sz]ation"),
    Rule("Loss Functions", G, r"loss function|\bloss\b"),
    Rule("Feedforward Networks", G, r"feed-?forward|multi-?layer perceptron|\b(?-i:MLP)s?\b|fully[- ]connected|linear (?:layer|projection)"),
    Rule("Discriminators", G, r"\bdiscriminators?\b"),
    Rule("Working Memory Models", G, r"external memory|memory-augmented|neural turing|long-term memory"),
    # Learning settings
    Rule("Self-Supervised Learning", G, r"self-supervis|contrastive|unsupervised (?:representation|pre-?train|feature)"),
    Rule("Semi-Supervised Learning Methods", G, r"semi-supervised|pseudo-?label"),
    Rule("Knowledge Distillation", G, r"distillation|teacher[- ]student|student (?:model|network)"),
    Rule("Fine-Tuning", G, r"fine-?tun|parameter-efficient|low-rank adaptation|adapter"),
    Rule("Prompt Engineering", G, r"\bprompt"),
    Rule("Adversarial Attacks", G, r"adversarial (?:attack|example|perturbation)"),
    Rule("Adversarial Training", G, r"adversarial(?:ly)? (?:training|robust|adaptation|learning|method)"),
    Rule("Domain Adaptation", G, r"domain (?:adaptation|shift|generali[sz]ation)|target domain|cross-domain"),
    Rule("Meta-Learning Algorithms", G, r"meta-learn|few-shot|learning to learn"),
    Rule("Neural Architecture Search", G, r"architecture search|\b(?-i:NAS)\b"),
    Rule("AutoML", G, r"\bauto-?ml\b|hyper-?parameter (?:optimi[sz]ation|tuning|search)|model selection"),
    Rule("Model Compression", G, r"quantiz|compression|binari[sz]"),
    Rule("Pruning", G, r"\bprun(?:e|ing)\b"),
    Rule("Interpretability", G, r"interpretab|explainab|saliency|attribution|explanations?"),
    Rule("Prioritized Sampling", G, r"hard (?:example )?mining|sample selection|prioriti[sz]ed sampling"),
    Rule("Latent Variable Sampling", G, r"latent (?:variable )?sampling|latent optimi[sz]ation"),
    # Systems and classic learning
    Rule("Data Parallel Methods", G, r"data[- ]parallel"),
    Rule("Model Parallel Methods", G, r"model[- ]parallel|pipeline[- ]parallel|tensor[- ]parallel|intra-layer parallel"),
    Rule("Distributed Methods", G, r"distributed (?!representation)|parallelism|hybrid parallel|communication|\bworkers?\b|\b(?-i:GPUs)\b"),
    Rule("Deep Tabular Learning", G, r"tabular|structured data|\btables?\b|feature interactions?"),
    Rule("Clustering", G, r"\bclusters\b|clustering"),
    Rule("Dimensionality Reduction", G, r"dimensionality reduction|principal component|discriminant analysis|low-dimensional embedding"),
    Rule("Non-Parametric Regression", G, r"non-?parametric|gaussian process|support vector|regression\b"),
    Rule("Markov Chain Monte Carlo", G, r"markov chain monte carlo|\b(?-i:MCMC)\b|langevin"),
)

# Consulted only when no rule reaches MIN_SCORE: the method's vocabulary names
# its area, and the area's broadest collection stands in.
AREA_FALLBACKS: tuple[Rule, ...] = (
    Rule("Image Models", CV, r"\b(?:images?|video|visual|vision|pixels?|photo\w*|faces?|3d|scenes?|camera|rgb)\b"),
    Rule("Language Models", NLP, r"\b(?:text|textual|language|words?|sentences?|documents?|dialog(?:ue)?|nlp|parser|tokens)\b"),
)
# fmt: on

_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP_RE = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\\\[.*?\\\]|[*_`#]+", re.S)
_SENTENCE_END_RE = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bet al)(?<!\bvs)[.!?](?:\s|$)")
_COPULA_RE = re.compile(r"\b(?:is|are|was|were)\b\s+")
_DEFINITION_END_RE = re.compile(
    r"(?<![\w-])(?:that|which|who|whose|where|when|used|for|to|in|on|with|by|based|designed|proposed|"
    r"introduced|and)(?![\w-])|[,;:(]"
)


@dataclass(frozen=True)
class Match:
    """One rule that fired: at which place, on which words, and what that is worth."""

    rule: Rule
    place: str
    words: tuple[str, ...]

    @property
    def weight(self) -> int:
        return WEIGHTS[self.place]


def _places(entry: ParsedEntry) -> dict[str, str]:
    """The texts rules are matched against, keyed by the places of `WEIGHTS`."""
    # markdown to plain words: link texts kept; URLs, math and emphasis dropped
    text = " ".join(_MARKUP_RE.sub(" ", _LINK_RE.sub(r"\1", entry.description)).split())
    end = _SENTENCE_END_RE.search(text)
    first, rest = (text[: end.start()], text[end.end() :]) if end else (text, "")
    definition = ""
    if copula := _COPULA_RE.search(first):
        clause = first[copula.end() :]
        stop = _DEFINITION_END_RE.search(clause, 1)
        definition = clause[: stop.start()] if stop else clause
    names = " | ".join(entry.names())
    return {"definition": definition, "name": names, "first sentence": first, "description": rest}


def matches(entry: ParsedEntry, rules: Sequence[Rule] | None = None) -> list[Match]:
    """Each rule of `rules` (default `RULES`) that fires, at its best place, in rule order."""
    places = _places(entry)
    # most rules fire on no text; a substring test rules them out without running them
    lowered = "\n".join(places.values()).lower()
    found = []
    for rule in RULES if rules is None else rules:
        if lowered.isascii() and not may_match(rule.literals, lowered):
            continue
        for place, text in places.items():
            if words := tuple(dict.fromkeys(hit.group(0) for hit in rule.regex.finditer(text))):
                found.append(Match(rule, place, words))
                break
    return found


def _ranked(found: Sequence[Match]) -> list[tuple[CollectionRef, int]]:
    scores: dict[CollectionRef, int] = {}
    for match in found:
        scores[match.rule.ref] = scores.get(match.rule.ref, 0) + match.weight
    return sorted(scores.items(), key=lambda item: -item[1])  # stable: ties keep rule order


def _decide(entry: ParsedEntry) -> tuple[list[CollectionRef], list[Match], str]:
    """The collections, the matches behind them, and the fallback that gave them, if one did."""
    found = matches(entry)
    ranked = _ranked(found)
    if ranked and ranked[0][1] >= MIN_SCORE:
        floor = max(MIN_SCORE, ranked[0][1] * KEEP_FRACTION)
        return [ref for ref, score in ranked[:MAX_COLLECTIONS] if score >= floor], found, ""
    if domain := matches(entry, AREA_FALLBACKS):
        return [_ranked(domain)[0][0]], found + domain, "area fallback"
    return [FALLBACK], found, "fallback"


def classify(entry: ParsedEntry) -> list[CollectionRef]:
    """One to `MAX_COLLECTIONS` collections, strongest first."""
    return _decide(entry)[0]


def explain(entry: ParsedEntry) -> list[str]:
    """One line per rule that fired (collection, words, place, weight), then the outcome."""
    refs, found, fallback = _decide(entry)
    lines = [
        f"{m.rule.collection} ({m.rule.area}): {', '.join(map(repr, m.words))} in the {m.place} (+{m.weight})"
        for m in found
    ]
    chosen = ", ".join(f"{ref.name} ({ref.area})" for ref in refs)
    reason = f"no rule reached {MIN_SCORE}; {fallback}" if fallback else "strongest"
    return [*lines, f"-> {chosen} [{reason}]"]


def agreement(entries_with_truth: Iterable[tuple[ParsedEntry, Sequence[CollectionRef]]]) -> dict:
    """How `classify` agrees with known collections; methods with none known are skipped.

    `top1`: the first inferred collection is a real one; `any_overlap`: some
    inferred collection is; `area`: the first inferred collection's area is
    one of the real areas. `rows`: (name, inferred names, real names) per method.
    """
    rows, top1, overlap, area = [], 0, 0, 0
    for entry, truth in entries_with_truth:
        if not truth:
            continue
        inferred = classify(entry)
        real = {ref.name for ref in truth}
        top1 += inferred[0].name in real
        overlap += any(ref.name in real for ref in inferred)
        area += inferred[0].area in {ref.area for ref in truth}
        rows.append((entry.name, [ref.name for ref in inferred], sorted(real)))
    n = len(rows)

    def rate(count: int) -> float:
        return round(count / n, 3) if n else 0.0

    return {"n": n, "top1": rate(top1), "any_overlap": rate(overlap), "area": rate(area), "rows": rows}
