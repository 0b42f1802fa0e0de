"""Write ``src/policykit/data/countries.json``: the English names of the countries (CLDR, via Babel).

The classifier spots country names in prose (``policykit.compare.countries.countries_in``). It
used to ask Babel for ``Locale("en").territories`` in every process, which loads
the whole English CLDR locale (about 20 ms) for 264 names; the names are shipped
as data instead, made by this script from the installed Babel:

    .venv/bin/python scripts/export_countries.py

Run it after upgrading Babel; ``tests/diff/test_diff_countries.py`` fails while the
shipped file differs from what the installed Babel says. The data is Unicode CLDR
(Unicode License v3), which allows redistribution with this notice.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "policykit" / "data" / "countries.json"


def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 code -> English CLDR name, in CLDR's order."""
    from babel import Locale

    return {str(code): str(name) for code, name in Locale("en").territories.items()
            if len(code) == 2 and code.isalpha()}


def document() -> dict[str, object]:
    import babel
    from babel.core import get_cldr_version

    return {
        "source": f"Unicode CLDR {get_cldr_version()} English territory names (two-letter codes), "
                  f"exported from Babel {babel.__version__} by scripts/export_countries.py",
        "license": "Unicode License v3 (https://www.unicode.org/license.txt)",
        "names": country_names(),
    }


def render(doc: dict[str, object]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    OUT.write_text(render(document()), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
