"""The trained model: two calibrated linear heads over shared sparse features, plus the safety
layer, entities and explanations that turn probabilities into a result operators can trust."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import sklearn
from scipy import sparse
from scipy.special import expit
from spacy.lang.it.stop_words import STOP_WORDS
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import FeatureUnion
from spacy.language import Language

from classifier import entities, safety
from classifier.features import WORD_VIEWS, Message, Prepared, prepare
from classifier.labels import TYPES, URGENCIES

HEADS = {"type": TYPES, "urgency": URGENCIES}


@dataclass
class FastHead:
    """A calibrated head flattened into one weight matrix: the same probabilities as
    ``CalibratedClassifierCV(LinearSVC, method="sigmoid").predict_proba``, without the input
    validation that costs milliseconds per call on a single message."""

    weights: np.ndarray    # (n_features, folds * classes), float32
    intercept: np.ndarray  # (folds * classes,)
    a: np.ndarray          # sigmoid slope per fold and class
    b: np.ndarray          # sigmoid offset per fold and class
    folds: int
    classes: int

    @classmethod
    def of(cls, clf: CalibratedClassifierCV) -> FastHead:
        parts = clf.calibrated_classifiers_
        if len(clf.classes_) < 3 or any(len(p.calibrators) != len(clf.classes_) for p in parts):
            raise ValueError("fast heads need a multiclass sigmoid-calibrated linear model")
        weights = np.vstack([p.estimator.coef_ for p in parts]).T.astype(np.float32)
        intercept = np.concatenate([p.estimator.intercept_ for p in parts])
        a = np.array([c.a_ for p in parts for c in p.calibrators], dtype=float)
        b = np.array([c.b_ for p in parts for c in p.calibrators], dtype=float)
        return cls(np.ascontiguousarray(weights), intercept, a, b, len(parts), len(clf.classes_))

    def predict_proba(self, X: sparse.csr_matrix) -> np.ndarray:
        decision = np.asarray(X @ self.weights, dtype=float) + self.intercept
        proba = expit(-(self.a * decision + self.b)).reshape(X.shape[0], self.folds, self.classes)
        total = proba.sum(axis=2, keepdims=True)
        proba = np.divide(proba, total, out=np.full_like(proba, 1 / self.classes), where=total != 0)
        return np.minimum(proba.mean(axis=1), 1.0)


def _only_stopwords(ngram: str) -> bool:
    """Explanations name content words: 'lampione spento', not 'il' or 'di la'."""
    return all(w in STOP_WORDS or len(w) < 3 for w in ngram.split())


@dataclass
class Result:
    """One classification, as stored, exported and returned by the API."""

    type: str
    type_confidence: float
    urgency: str
    urgency_confidence: float
    probabilities: dict[str, dict[str, float]]
    needs_review: bool
    explanation: dict[str, list[str]]
    entities: dict
    model_version: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TriageModel:
    """Everything that is pickled into ``model.joblib``; the spaCy pipeline is loaded apart."""

    features: FeatureUnion
    heads: dict[str, CalibratedClassifierCV]
    thresholds: dict[str, float]
    spacy_pipeline: str
    version: str
    weights_: dict[str, np.ndarray] = field(default_factory=dict)  # mean linear weights, for explanations
    word_names_: np.ndarray | None = None                         # feature index -> word n-gram ('' if not a word)
    fast_: dict[str, FastHead] = field(default_factory=dict)

    def finish(self) -> TriageModel:
        """Derive the explanation tables and fast heads once after fitting, so predictions stay cheap."""
        for head, clf in self.heads.items():
            self.weights_[head] = np.mean([c.estimator.coef_ for c in clf.calibrated_classifiers_], axis=0)
            self.fast_[head] = FastHead.of(clf)
        names: list[str] = []
        for view, pipe in self.features.transformer_list:
            vocab = pipe.named_steps["tfidf"].get_feature_names_out()
            names += [n if view in WORD_VIEWS and not _only_stopwords(n) else "" for n in vocab]
        self.word_names_ = np.array(names, dtype=object)
        return self

    def transform(self, prepared: list[Prepared]) -> sparse.csr_matrix:
        """``features.transform`` without the per-call machinery of FeatureUnion (same result)."""
        weights = self.features.transformer_weights or {}
        # Inputs are our own strings: scikit-learn's per-call validation is pure overhead here.
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            blocks = [pipe.named_steps["tfidf"].transform([getattr(p, pipe.named_steps["field"].name) for p in prepared])
                      * weights.get(name, 1.0) for name, pipe in self.features.transformer_list]
        return sparse.hstack(blocks, format="csr", dtype=np.float32)

    def probabilities(self, prepared: list[Prepared]) -> tuple[sparse.csr_matrix, dict[str, np.ndarray]]:
        X = self.transform(prepared)
        return X, {head: self._ordered(head, self.fast_[head].predict_proba(X)) for head in self.heads}

    def _ordered(self, head: str, proba: np.ndarray) -> np.ndarray:
        """Columns in taxonomy order, zeros for labels absent from training."""
        out = np.zeros((proba.shape[0], len(HEADS[head])))
        for j, label in enumerate(self.heads[head].classes_):
            out[:, HEADS[head].index(label)] = proba[:, j]
        return out

    def explain(self, X: sparse.csr_matrix, row: int, head: str, label: str, top: int = 5) -> list[str]:
        """The word n-grams that pushed ``label`` up the most for this message."""
        classes = list(self.heads[head].classes_)
        weights = self.weights_[head]
        w = weights[classes.index(label)] if weights.shape[0] > 1 else weights[0] * (1 if classes.index(label) else -1)
        x = X.getrow(row)
        contrib = x.data * w[x.indices]
        order = np.argsort(-contrib)
        words = [self.word_names_[x.indices[i]] for i in order if contrib[i] > 0 and self.word_names_[x.indices[i]]]
        return list(dict.fromkeys(words))[:top]

    def predict(self, messages: list[Message], nlp: Language) -> list[Result]:
        prepared = prepare(messages, nlp)
        X, proba = self.probabilities(prepared)
        return [self._result(X, i, msg, prep, proba["type"][i], proba["urgency"][i])
                for i, (msg, prep) in enumerate(zip(messages, prepared))]

    def _result(self, X: sparse.csr_matrix, i: int, msg: Message, prep: Prepared,
                p_type: np.ndarray, p_urg: np.ndarray) -> Result:
        mtype, type_conf = TYPES[int(p_type.argmax())], float(p_type.max())
        urgency = URGENCIES[int(p_urg.argmax())]
        confident_other = mtype == "other" and type_conf >= self.thresholds["type"]
        if mtype == "other":  # LABELS.md: every message of type other is low; the type decides
            urgency, p_urg = "low", np.eye(len(URGENCIES))[URGENCIES.index("low")] * type_conf
        # Danger cues are trusted over the model unless it is sure the mail is not a request at all
        # (an out-of-office reply that mentions "fughe di gas" must not page the on-call operator).
        fired = [] if confident_other else safety.check(prep.folded)
        raised = safety.raise_urgency(urgency, fired)
        urgency_conf = float(p_urg[URGENCIES.index(raised)])  # the model's own belief, even when a rule overrode it
        needs_review = (type_conf < self.thresholds["type"] or (raised == urgency and urgency_conf < self.thresholds["urgency"])
                        or (mtype == "other" and raised != "low"))
        explanation = {
            "type": self.explain(X, i, "type", mtype),
            "urgency": self.explain(X, i, "urgency", urgency),
            "rules": [f"{f.rule}: '{f.match}' -> {f.urgency}" for f in fired if f.urgency == raised and raised != urgency],
        }
        return Result(
            type=mtype, type_confidence=round(type_conf, 4), urgency=raised, urgency_confidence=round(urgency_conf, 4),
            probabilities={"type": {t: round(float(p), 4) for t, p in zip(TYPES, p_type)},
                           "urgency": {u: round(float(p), 4) for u, p in zip(URGENCIES, p_urg)}},
            needs_review=bool(needs_review), explanation=explanation,
            entities=entities.extract(prep.text, prep.subject, msg.sender, prep.signature),
            model_version=self.version,
        )
