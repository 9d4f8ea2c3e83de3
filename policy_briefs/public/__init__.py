"""Published briefs for everyone: the list, each brief's page, its PDF, the Atom feed."""
