"""Hand-written Italian phrase banks from which the seeded generator composes the corpus.

Each bank is plain data so that a reviewer can read and extend it without touching the
composition logic in ``training.generator``.
"""
