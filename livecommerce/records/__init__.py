"""Records in: the record tables a data firm exports (anchors, live sessions, shops, shop sales), validated, their
free-text locations attributed to registry regions, and the indicators computed from them on an engine (the stage
before the panel: it reads data/ and feeds index/)."""

__all__ = []
