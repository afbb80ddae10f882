"""`python -m slagen`."""

from .cli import run

run()
