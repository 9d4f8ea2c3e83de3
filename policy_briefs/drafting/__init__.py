"""Writing a brief: its sections in Markdown, every save a revision, merges and conflicts."""
