"""The vector space unmatched questions are clustered in.

Raw e5 vectors are all close to each other (cosines of 0.8 and more between unrelated
questions), so they are centred on the mean question first. Two optional blocks help: a
linear projection learnt from questions already linked to an FAQ (linear discriminant
analysis: it keeps the directions that tell one FAQ's questions from another's), and the
question's profile over the published FAQ (a softmax of its fused match scores: two
questions near the same FAQs are about the same thing, even when no FAQ answers them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)).astype(np.float32)


class QuestionSpace:
    """``vectors(e5, fused)``: unit vectors whose cosine says how alike two questions are."""

    def __init__(self, center: np.ndarray, projection: np.ndarray | None = None, profile_weight: float = 0.0,
                 temperature: float = 0.3) -> None:
        self.center, self.projection = np.asarray(center, np.float32), projection
        self.profile_weight, self.temperature = profile_weight, temperature

    @classmethod
    def fit(cls, e5: np.ndarray, labels: Sequence[str] | None = None, dims: int = 50, shrinkage: float = 0.5,
            profile_weight: float = 0.0, temperature: float = 0.3) -> QuestionSpace:
        """Centre on ``e5``; with ``labels`` (the FAQ each question is linked to), learn the projection."""
        center = e5.mean(axis=0)
        projection = None
        if labels is not None:  # FAQ with a single linked question say nothing about spread: left out
            names = np.asarray(labels)
            values, counts = np.unique(names, return_counts=True)
            keep = np.isin(names, values[counts >= 2])
            lda = LinearDiscriminantAnalysis(solver="eigen", shrinkage=shrinkage).fit(unit(e5[keep] - center), names[keep])
            projection = lda.scalings_[:, :dims].astype(np.float32)
        return cls(center, projection, profile_weight, temperature)

    def profile(self, fused: np.ndarray) -> np.ndarray:
        p = np.exp((fused - fused.max(axis=1, keepdims=True)) / self.temperature)
        return unit(p)

    def vectors(self, e5: np.ndarray, fused: np.ndarray | None = None) -> np.ndarray:
        x = unit(e5 - self.center)
        if self.projection is not None:
            x = unit(x @ self.projection)
        if self.profile_weight and fused is not None:
            x = unit(np.hstack([x, self.profile_weight * self.profile(fused)]))
        return x


BACKGROUND = Path(__file__).with_name("data") / "background_questions.txt"


def background_questions() -> list[str]:
    """Questions of every kind, shipped with smista: their mean is a fixed centre for the space."""
    lines = BACKGROUND.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
