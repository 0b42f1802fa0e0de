"""policykit: a privacy policy kept as code.

The pipeline (see docs/architecture.md): load -> validate -> localise -> render;
versions -> diff -> classify -> release -> notify; site.
"""

from __future__ import annotations

__version__ = "0.1.0.dev0"
