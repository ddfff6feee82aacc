"""Pure inference for smista: text preparation, the model bundle, safety rules, entities.

Nothing in this package performs network or database I/O; the only files it touches are
the model bundle it is asked to load.
"""
