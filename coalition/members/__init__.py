"""Member organisations: applying to join, admission and suspension, the profile, and the
coalition's public pages (home, joining, the members and each member's page).

The coalition office's pages that decide on members are in `coalition.office`; an
organisation's own profile page is in the staff workspace (`coalition.staff`).
"""
