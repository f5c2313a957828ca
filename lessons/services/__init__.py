"""Writes for lessons and classes, one module per subject."""
