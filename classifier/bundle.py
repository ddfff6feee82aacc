"""Saving and loading model bundles: ``models/<version>/model.joblib`` plus ``metadata.json``.

Loading checks the bundle against its metadata before unpickling anything: a missing file, a
sha256 that does not match (a corrupt or tampered bundle) or library versions that differ from
those it was trained with are refused with a message that says what to do.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import joblib
from spacy.language import Language

from classifier import nlp as nlp_mod
from classifier.features import Message
from classifier.model import Result, TriageModel

BUNDLE = "model.joblib"
METADATA = "metadata.json"
#: Libraries whose pickles or features are only trusted at the same major.minor version.
PINNED = ("scikit-learn", "numpy", "scipy", "spacy")
TRACKED = PINNED + ("joblib", "spacy-lookups-data", "selectolax")
#: The layout of ``model.joblib``; 2 holds flattened tables only, no scikit-learn objects.
BUNDLE_FORMAT = 2


class ModelLoadError(RuntimeError):
    """A model bundle is missing, corrupt or incompatible with the installed libraries."""


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in TRACKED:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save(model: TriageModel, models_dir: Path, metadata: dict[str, Any]) -> Path:
    """Write the bundle and its metadata; return the version directory."""
    directory = models_dir / model.version
    directory.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, directory / BUNDLE, compress=3)
    meta = {"version": model.version, **metadata, "bundle_format": BUNDLE_FORMAT, "spacy_pipeline": model.spacy_pipeline,
            "thresholds": model.thresholds, "libraries": library_versions(),
            "bundle_sha256": sha256_file(directory / BUNDLE)}
    (directory / METADATA).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return directory


def latest(models_dir: Path) -> Path | None:
    """The newest version directory that has metadata (versions sort by creation time)."""
    candidates = sorted(p for p in models_dir.glob("*/") if (p / METADATA).exists()) if models_dir.is_dir() else []
    return candidates[-1] if candidates else None


CHAMPION = "champion.json"


def champion(models_dir: Path) -> Path | None:
    """The version directory promoted to serve (``models/champion.json``), if it is still there."""
    pointer = models_dir / CHAMPION
    try:
        version = json.loads(pointer.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    directory = models_dir / str(version)
    return directory if (directory / METADATA).exists() else None


def in_service(models_dir: Path) -> Path | None:
    """What the service loads: the champion, or the newest model while none was promoted."""
    return champion(models_dir) or latest(models_dir)


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def read_metadata(directory: Path) -> dict[str, Any]:
    meta_path = directory / METADATA
    if not meta_path.exists():
        raise ModelLoadError(f"no model at {directory}: {METADATA} is missing; run 'smista train'")
    try:
        metadata: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        return metadata
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelLoadError(f"{meta_path} is not valid JSON ({exc}); the bundle is corrupt, retrain it") from exc


def load_model(path: Path) -> tuple[TriageModel, dict[str, Any]]:
    """Load and verify a bundle; ``path`` is a version directory or the models directory (its champion)."""
    directory = path if (path / METADATA).exists() or (path / BUNDLE).exists() else in_service(path)
    if directory is None:
        raise ModelLoadError(f"no trained model under {path}; run 'smista train'")
    meta = read_metadata(directory)
    bundle = directory / BUNDLE
    if not bundle.exists():
        raise ModelLoadError(f"{bundle} is missing; the model directory is incomplete, retrain it")
    if sha256_file(bundle) != meta.get("bundle_sha256"):
        raise ModelLoadError(f"{bundle} does not match the sha256 in {METADATA}: the bundle is corrupt or was altered")
    if meta.get("bundle_format", 1) != BUNDLE_FORMAT:
        raise ModelLoadError(f"model {meta.get('version')} is a bundle of format {meta.get('bundle_format', 1)}, and this "
                             f"smista reads format {BUNDLE_FORMAT}; retrain it with 'smista train'")
    installed = library_versions()
    wrong = [f"{lib} {meta.get('libraries', {}).get(lib, '?')} (installed {installed[lib]})" for lib in PINNED
             if _minor(meta.get("libraries", {}).get(lib, "?")) != _minor(installed[lib])]
    if wrong:
        raise ModelLoadError(f"model {meta.get('version')} was trained with {', '.join(wrong)}; retrain it with "
                             "'smista train' or install the versions it was trained with")
    try:
        model = joblib.load(bundle)
    except Exception as exc:  # any unpickling failure means the same thing to the operator
        raise ModelLoadError(f"{bundle} could not be loaded ({type(exc).__name__}: {exc}); retrain it") from exc
    if not isinstance(model, TriageModel):
        raise ModelLoadError(f"{bundle} holds a {type(model).__name__}, not a smista model")
    return model, meta


@dataclass
class Classifier:
    """A loaded model with its spaCy pipeline: what the CLI, the poller and the API call."""

    model: TriageModel
    nlp: Language
    metadata: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> Classifier:
        model, meta = load_model(path)
        if model.lemmas_ is not None:
            return cls(model, nlp_mod.with_lemmas(model.lemmas_), meta)
        try:
            nlp, _ = nlp_mod.load(model.spacy_pipeline)
        except RuntimeError as exc:
            raise ModelLoadError(str(exc)) from exc
        return cls(model, nlp, meta)

    @property
    def version(self) -> str:
        return self.model.version

    def classify(self, messages: list[Message]) -> list[Result]:
        return self.model.predict(messages, self.nlp) if messages else []

    def classify_one(self, message: Message) -> Result:
        return self.classify([message])[0]


def classify_isolated(classify: Callable[[list[Message]], list[Result]], messages: list[Message]) -> list[Result | str]:
    """Classify a batch; if the batch fails, each message alone, so that a message the model
    cannot read fails with its reason and the others of its batch are still classified."""
    try:
        return list(classify(messages))
    except Exception:  # noqa: BLE001 - which message failed is found below, one by one
        out: list[Result | str] = []
        for message in messages:
            try:
                out.append(classify([message])[0])
            except Exception as exc:  # noqa: BLE001 - recorded as this message's failure
                out.append(f"classification failed: {type(exc).__name__}: {str(exc)[:500]}")
        return out
