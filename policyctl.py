#!/usr/bin/env python3
"""Run policyctl from a checkout: ``python policyctl.py validate``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from policykit.cli import main

if __name__ == "__main__":
    sys.exit(main())
