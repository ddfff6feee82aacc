import joblib
import numpy as np

from classifier.features import Message, prepare


def test_fast_paths_match_scikit_learn_also_after_pickling(tiny_model, tmp_path):
    model, records, nlp = tiny_model
    prepared = prepare([Message(r["subject"], r["body"]) for r in records] + [Message("", ""), Message("ok", "xyzzy")], nlp)
    X = model.features.transform(prepared)
    assert abs(X - model.transform(prepared)).max() < 1e-6  # float32 features
    assert abs(X - model.transform(prepared)).max() < 1e-6  # again, with every word's columns remembered
    assert X[-2].nnz == 1  # an empty message has no features but the thread block's constant token
    joblib.dump(model, tmp_path / "m.joblib")
    reloaded = joblib.load(tmp_path / "m.joblib")
    assert abs(X - reloaded.transform(prepared)).max() < 1e-6
    for head, clf in model.heads.items():
        np.testing.assert_allclose(model.fast_[head].predict_proba(X), clf.predict_proba(X), atol=1e-6)


def test_other_is_always_low_and_explanations_name_content_words(tiny_model):
    model, _, nlp = tiny_model
    out = model.predict([Message("", "Sono fuori ufficio fino a lunedì"), Message("", "Il lampione di via Roma è spento")], nlp)
    assert out[0].type == "other" and out[0].urgency == "low"
    assert out[1].explanation["type"] and all(w not in ("il", "di", "è") for w in out[1].explanation["type"])


def test_the_type_bounds_the_urgency_as_labels_md_does(tiny_model):
    model, _, nlp = tiny_model
    question = Message("", "Quali documenti servono per il bando? E per un albero caduto sulla strada chi chiamo?")
    status = Message("", "A che punto è la pratica 123?")
    sure = model.predict([question, status], nlp)
    assert sure[0].type == "clarification" and sure[0].urgency != "emergency" and not sure[0].explanation["rules"]
    assert sure[1].type == "status" and sure[1].urgency in ("emergency", "high", "normal")
    saved = dict(model.thresholds)
    try:  # unsure of the type: the danger cue is trusted, and a human looks at it
        model.thresholds["type"] = 0.999
        unsure = model.predict([question], nlp)[0]
        assert unsure.urgency == "emergency" and unsure.needs_review and unsure.explanation["rules"]
    finally:
        model.thresholds = saved
