"""The admin for reviewers: concepts, their versions and rows, and teams."""

# Importing the modules registers their admins with the site.
from . import concepts, rows, teams, versions  # noqa: F401
