"""Run every benchmark and print its figures: ``python benchmarks/run.py [NAME…]``.

Each ``benchmarks/bench_<name>.py`` has a ``main() -> None`` that prints its own
figures. Speed is measured here, never in unit tests.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    sys.path.insert(0, str(HERE.parent / "src"))
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if names and name not in names:
            continue
        print(f"== {name}", flush=True)
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        # Registered under its own name, as `python bench_x.py` would be reachable: a benchmark
        # that starts "spawn" processes pickles its functions by module name.
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
