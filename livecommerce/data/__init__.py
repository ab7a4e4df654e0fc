"""Data in: the region registry, the report's published tables, raw panels, an edition's inputs, their schemas,
and reading and writing files (the first stage of the flow; nothing here knows the index)."""

__all__ = []
