"""Logistic-regression models over named features, stored as plain JSON weights.

scikit-learn fits them (``fit``, needed only to train); applying one is a dot product over the
features an example has, in pure Python, so the shipped model loads without running any code
and extraction needs neither scikit-learn nor pickle.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Features = Mapping[str, float]
PRUNE_BELOW = 1e-4  # weights this small change no probability; the JSON leaves them out


@dataclass(frozen=True)
class LinearModel:
    """A binary or multinomial logistic regression: one weight per class and feature."""

    classes: tuple[str, ...]
    weights: Mapping[str, tuple[float, ...]]  # feature -> a weight per row of ``intercept``
    intercept: tuple[float, ...]  # one value (binary: the score of classes[1]) or one per class

    def probabilities(self, features: Features) -> dict[str, float]:
        """Return the probability of each class for an example's features."""
        scores = list(self.intercept)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None and value:
                for k, weight in enumerate(row):
                    scores[k] += weight * value
        if len(scores) == 1:
            positive = _sigmoid(scores[0])
            return {self.classes[0]: 1 - positive, self.classes[1]: positive}
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.classes, exps, strict=True)}

    def probability(self, features: Features, label: str) -> float:
        """Return the probability of one class."""
        return self.probabilities(features)[label]

    def as_dict(self) -> dict[str, Any]:
        """Return the model as a JSON-ready dict."""
        return {
            "classes": list(self.classes),
            "intercept": list(self.intercept),
            "weights": {name: list(row) for name, row in sorted(self.weights.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinearModel:
        """Build a model from ``as_dict()`` output."""
        return cls(
            classes=tuple(str(label) for label in data["classes"]),
            weights={
                str(name): tuple(float(w) for w in row) for name, row in data["weights"].items()
            },
            intercept=tuple(float(b) for b in data["intercept"]),
        )


def _sigmoid(score: float) -> float:
    if score >= 0:
        return 1 / (1 + math.exp(-score))
    e = math.exp(score)
    return e / (1 + e)


def fit(
    examples: Sequence[Features],
    labels: Sequence[str],
    sample_weights: Sequence[float] | None = None,
    c: float = 1.0,
) -> LinearModel:
    """Fit an L2-regularised logistic regression (scikit-learn's lbfgs, deterministic)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sparse=True)
    matrix = vectorizer.fit_transform([dict(example) for example in examples])
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise ValueError(f"cannot fit a classifier on one class: {classes}")
    model = LogisticRegression(C=c, max_iter=3000, solver="lbfgs")
    model.fit(matrix, list(labels), sample_weight=sample_weights)
    names = vectorizer.get_feature_names_out()
    coef = model.coef_
    weights: dict[str, tuple[float, ...]] = {}
    for j, name in enumerate(names):
        row = tuple(round(float(coef[k, j]), 6) for k in range(coef.shape[0]))
        if any(abs(w) >= PRUNE_BELOW for w in row):
            weights[str(name)] = row
    intercept = tuple(round(float(b), 6) for b in model.intercept_)
    return LinearModel(tuple(str(c_) for c_ in model.classes_), weights, intercept)
