"""Comments on a brief's sections, anchored to a quoted passage; replies; resolving."""
