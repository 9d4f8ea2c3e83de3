"""Co-authored policy briefs: sections, revisions, merge, comments, sign-off, publication."""
