"""Branches: the places where a member works. Adding, moving and removing them; whether a
branch opened in a city the coalition did not cover when the project started.

The branch pages are the staff workspace's (`coalition.staff`, the `orgs` blueprint they
share with the organisation's profile page).
"""
