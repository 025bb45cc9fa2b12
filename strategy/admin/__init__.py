"""The admin for reviewers: concepts, their versions and rows, the log, and teams."""

# Importing the modules registers their admins with the site.
from . import concepts, lockouts, log, rows, tasks, teams, users, versions  # noqa: F401
