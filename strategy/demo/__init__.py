"""The demo concept that `make run` loads, and its login."""

from pathlib import Path

DEMO_FILE = Path(__file__).with_name("concept.json")
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-strategie"
DEMO_TEAM_SLUG = "demo"
