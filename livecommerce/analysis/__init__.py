"""Analyses of a study: sensitivity and uncertainty, coherence, optimised weights, what-if, and the audit of the
report's own numbers."""

__all__ = []
