"""The trained model: two calibrated linear heads over shared sparse features, plus the safety
layer, entities and explanations that turn probabilities into a result operators can trust."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse
from spacy.lang.it.stop_words import STOP_WORDS
from spacy.language import Language

from classifier import entities, safety
from classifier.fast import FastFeatures, FastHead
from classifier import nlp as nlp_mod
from classifier.features import LEMMA_VIEWS, WORD_VIEWS, Message, Prepared, prepare
from classifier.textprep import fold_accents
from classifier.labels import ALLOWED_URGENCIES, TYPES, URGENCIES

if TYPE_CHECKING:  # fitted in training, not pickled: see TriageModel.__getstate__
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.pipeline import FeatureUnion

HEADS = {"type": TYPES, "urgency": URGENCIES}


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
    entities: dict[str, Any]
    model_version: str

    def to_dict(self) -> dict[str, Any]:
        """A shallow copy: the nested dicts are built fresh for each result and never changed."""
        return dict(vars(self))


@dataclass
class TriageModel:
    """Everything that is pickled into ``model.joblib``; the spaCy pipeline is loaded apart."""

    features: FeatureUnion | None
    heads: dict[str, CalibratedClassifierCV]
    thresholds: dict[str, float]
    spacy_pipeline: str
    version: str
    weights_: dict[str, np.ndarray] = field(default_factory=dict)  # mean linear weights, for explanations
    word_names_: np.ndarray | None = None                         # feature index -> word n-gram ('' if not a word)
    fast_: dict[str, FastHead] = field(default_factory=dict)
    fast_features_: FastFeatures | None = None
    classes_: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lemmas_: dict[str, str] | None = None  # the lookup lemmatizer's forms this model reads (blank pipeline)
    named_: np.ndarray | None = field(default=None, repr=False)  # word_names_ != "": derived, not pickled

    def __getstate__(self) -> dict[str, Any]:
        """The fitted scikit-learn union and heads are not pickled: the fast tables give the same
        features and probabilities in a third of the memory, a smaller bundle loads faster, and a
        process that only classifies never imports scikit-learn."""
        state = dict(self.__dict__)
        if self.fast_ and self.fast_features_ is not None:
            state["heads"], state["features"] = {}, None
        state["named_"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._derive()

    def _derive(self) -> None:
        """What explanations read per call, computed once (comparing the object array per
        message cost more than the rest of the explanation)."""
        self.named_ = None if self.word_names_ is None else self.word_names_ != ""

    def finish(self) -> TriageModel:
        """Derive the explanation tables and fast heads once after fitting, so predictions stay cheap."""
        for head, clf in self.heads.items():
            self.weights_[head] = np.mean([c.estimator.coef_ for c in clf.calibrated_classifiers_], axis=0).astype(np.float32)
            self.fast_[head] = FastHead.of(clf)
            self.classes_[head] = tuple(clf.classes_)
        assert self.features is not None  # fitted, not loaded
        self.fast_features_ = FastFeatures.of(self.features)
        if self.spacy_pipeline == nlp_mod.BLANK:
            self.lemmas_ = self._lemmas_read(self.fast_features_)
        names: list[str] = []
        for view, pipe in self.features.transformer_list:
            vocab = pipe.named_steps["tfidf"].get_feature_names_out()
            names += [n if view in WORD_VIEWS and not _only_stopwords(n) else "" for n in vocab]
        self.word_names_ = np.array(names, dtype=object)
        self._derive()
        return self

    @staticmethod
    def _lemmas_read(fast: FastFeatures) -> dict[str, str]:
        """The lookup entries that can change a feature: a form whose form and lemma both make
        only tokens outside every lemma block's vocabulary yields no feature either way."""
        blocks = [b for b in fast.blocks if b.field in LEMMA_VIEWS]
        words = {part for b in blocks for gram in b.vocabulary for part in gram.split()}
        patterns = {b.pattern for b in blocks}

        def read(text: str) -> bool:
            folded = fold_accents(text).lower()
            return any(token in words for p in patterns for token in p.findall(folded))
        return {form: lemma for form, lemma in nlp_mod.lookup_lemmas().items() if read(form) or read(lemma)}

    def transform(self, prepared: list[Prepared]) -> sparse.csr_matrix:
        """The feature matrix: ``features.transform`` through the fast tables once they exist."""
        if self.fast_features_ is not None:
            return self.fast_features_.transform(prepared)
        assert self.features is not None  # fitted, not loaded: loaded models have the fast tables
        return sparse.csr_matrix(self.features.transform(prepared), dtype=np.float32)

    def probabilities(self, prepared: list[Prepared]) -> tuple[sparse.csr_matrix, dict[str, np.ndarray]]:
        X = self.transform(prepared)
        return X, {head: self._ordered(head, self.fast_[head].predict_proba(X)) for head in self.fast_}

    def _ordered(self, head: str, proba: np.ndarray) -> np.ndarray:
        """Columns in taxonomy order, zeros for labels absent from training."""
        out = np.zeros((proba.shape[0], len(HEADS[head])))
        for j, label in enumerate(self.classes_[head]):
            out[:, HEADS[head].index(label)] = proba[:, j]
        return out

    def explain(self, X: sparse.csr_matrix, row: int, head: str, label: str, top: int = 5) -> list[str]:
        """The word n-grams that pushed ``label`` up the most for this message."""
        classes = list(self.classes_[head])
        weights = self.weights_[head]
        w = weights[classes.index(label)] if weights.shape[0] > 1 else weights[0] * (1 if classes.index(label) else -1)
        start, end = X.indptr[row], X.indptr[row + 1]
        index = X.indices[start:end]
        contrib = X.data[start:end] * w[index]
        up = contrib > 0
        assert self.word_names_ is not None and self.named_ is not None  # set by finish and by loading
        keep = up & self.named_[index]
        words = self.word_names_[index[keep]][np.argsort(-contrib[keep], kind="stable")]
        return list(dict.fromkeys(words))[:top]

    def predict(self, messages: list[Message], nlp: Language) -> list[Result]:
        return self.predict_prepared(messages, prepare(messages, nlp))

    def predict_prepared(self, messages: list[Message], prepared: list[Prepared]) -> list[Result]:
        """Predict messages already prepared (training validates on preparations made once)."""
        if not messages:
            return []
        X, proba = self.probabilities(prepared)
        return [self._result(X, i, msg, prep, proba["type"][i], proba["urgency"][i])
                for i, (msg, prep) in enumerate(zip(messages, prepared))]

    def _result(self, X: sparse.csr_matrix, i: int, msg: Message, prep: Prepared,
                p_type: np.ndarray, p_urg: np.ndarray) -> Result:
        mtype, type_conf = TYPES[int(p_type.argmax())], float(p_type.max())
        sure = type_conf >= self.thresholds["type"]
        # LABELS.md bounds the urgency by the type; an unsure clarification keeps every urgency
        # and the safety net, since it may be a report the model mistook for a question.
        allowed = ALLOWED_URGENCIES[mtype] if sure or mtype != "clarification" else URGENCIES
        urgency = max(allowed, key=lambda u: p_urg[URGENCIES.index(u)])
        if mtype == "other":  # every message of type other is low; the type decides
            urgency, p_urg = "low", np.eye(len(URGENCIES))[URGENCIES.index("low")] * type_conf
        # Danger cues are trusted over the model unless it is sure the mail cannot be an emergency:
        # an out-of-office reply that mentions "fughe di gas" must not page the on-call operator,
        # nor a question on whom to call if a pole falls (on writer folds the cues raised 75 such
        # messages wrongly for 11 rightly, most of them questions).
        settled = sure and "emergency" not in ALLOWED_URGENCIES[mtype]
        fired = [] if settled else safety.check(prep.folded)
        # A missed emergency costs more than a false one: the model's own emergency probability
        # raises the urgency from a threshold chosen on writer folds for the target recall.
        p_emergency = float(p_urg[URGENCIES.index("emergency")])
        if mtype != "other" and not settled and urgency != "emergency" and p_emergency >= self.thresholds.get("emergency", 1.1):
            fired.append(safety.Fired("probabilità di emergenza", "emergency", f"{p_emergency:.2f}"))
        raised = safety.raise_urgency(urgency, fired)
        urgency_conf = float(p_urg[URGENCIES.index(raised)])  # the model's own belief, even when a rule overrode it
        needs_review = (not sure or (raised == urgency and urgency_conf < self.thresholds["urgency"])
                        or raised not in ALLOWED_URGENCIES[mtype])
        explanation = {
            "type": self.explain(X, i, "type", mtype),
            "urgency": self.explain(X, i, "urgency", urgency),
            "rules": [f"{f.rule}: '{f.match}' -> {f.urgency}" for f in fired if f.urgency == raised and raised != urgency],
            "read_from": [prep.read_from],  # "attachment": the body was a cover note, the letter decided
        }
        return Result(
            type=mtype, type_confidence=round(type_conf, 4), urgency=raised, urgency_confidence=round(urgency_conf, 4),
            probabilities={"type": {t: round(float(p), 4) for t, p in zip(TYPES, p_type)},
                           "urgency": {u: round(float(p), 4) for u, p in zip(URGENCIES, p_urg)}},
            needs_review=bool(needs_review), explanation=explanation,
            entities=entities.extract(prep.text, prep.subject, msg.sender, prep.signature,
                                      signer=msg.signer if prep.read_from == "attachment" else ""),
            model_version=self.version,
        )
