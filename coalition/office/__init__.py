"""The coalition office's pages (/admin/…): membership applications, the member
organisations (suspend, readmit) and the audit log.

It sits above the domains whose work it shows; the moderation of programmes is the
programmes domain's own page.
"""
