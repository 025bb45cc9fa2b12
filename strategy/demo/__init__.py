"""The demo concepts that `make run` loads, and their login."""

from pathlib import Path

DEMO_FILE = Path(__file__).with_name("concept.json")
"""A French-speaking hospital's concept."""
GERMAN_DEMO_FILE = Path(__file__).with_name("concept_de.json")
"""A German-speaking utility's concept."""
DEMO_FILES = (DEMO_FILE, GERMAN_DEMO_FILE)
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-strategie"
DEMO_TEAM_SLUG = "demo"
