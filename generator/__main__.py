"""`python -m generator` runs the policygen command line."""

from __future__ import annotations

from .cli import main

main()
