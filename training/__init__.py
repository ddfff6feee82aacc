"""Corpus handling, training, evaluation and MLflow tracking for smista's classifier."""
