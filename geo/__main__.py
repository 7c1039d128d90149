"""``python -m geo`` runs the command line."""

from geo.cli import app

app(prog_name="geo")
