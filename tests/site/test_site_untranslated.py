"""``current.json`` says which units of a locale are not (freshly) translated (issue #8, part 4).

On the three-release repository (see conftest.py): zh-Hans is a fallback locale with
whole sections not translated yet; 2.0.0 adds a purpose no translation has a label for,
and changes ``security.retention``, whose ja translation was updated and whose de one
was not (stale).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from policykit import yamlio

from .test_site_build import SCHEMAS, build, text


def _current(root: Path, locale: str) -> dict[str, Any]:
    import jsonschema

    current: dict[str, Any] = json.loads(text(root / "build/site" / locale / "current.json"))
    jsonschema.validate(current, json.loads(text(SCHEMAS / "current.schema.json")),
                        format_checker=jsonschema.FormatChecker())
    return current


def _gaps(brief: dict[str, Any]) -> tuple[list[str], list[str], bool]:
    return brief["untranslated"], brief["stale"], brief["complete"]


def test_a_fallback_locale_lists_its_untranslated_blocks(released: Path) -> None:
    assert "zh-Hans" in yamlio.parse((released / "policy/policy.yaml").read_bytes(), "policy.yaml")["fallback_locales"]
    assert not (released / "locales/zh-Hans/security.yaml").exists()  # security is not translated yet
    build(released)
    current = _current(released, "zh-Hans")
    for brief in (current["in_force"], current["upcoming"]):
        missing, stale, complete = _gaps(brief)
        assert "security.measures" in missing and "security:title" in missing
        assert "title" not in missing  # the document title is translated
        assert stale == [] and complete is False
        assert len(set(missing)) == len(missing)


def test_complete_locales_say_so_and_the_upcoming_version_lists_its_new_gaps(released: Path) -> None:
    build(released)
    for locale in ("en", "ja", "de"):
        assert _gaps(_current(released, locale)["in_force"]) == ([], [], True), locale
    assert _gaps(_current(released, "en")["upcoming"]) == ([], [], True)
    # 2.0.0 adds a purpose without translated labels; de kept its old retention text.
    assert _gaps(_current(released, "ja")["upcoming"]) == (["facts.purposes.personalised-ads"], [], False)
    assert _gaps(_current(released, "de")["upcoming"]) == (["facts.purposes.personalised-ads"],
                                                           ["security.retention"], False)


def test_the_answer_follows_the_version_in_force(released: Path) -> None:
    build(released)
    build(released, today=dt.date(2027, 3, 5))  # 2.0.0 now in force: same tree, answer from the cache
    current = _current(released, "ja")
    assert current["in_force"]["version"] == "2.0.0" and current["upcoming"] is None
    assert _gaps(current["in_force"]) == (["facts.purposes.personalised-ads"], [], False)
    assert [p for p in (released / "build/.cache/site/meta").rglob("*") if p.is_file()]


def test_keying_the_gaps_into_an_early_plan_equals_planning_with_them(released: Path, tmp_path: Path) -> None:
    # A first build plans before it reads the gaps (to start its workers early), then keys
    # them into current.json alone: the result must be the plan it would have made with them.
    from policykit.changelog import read_entries
    from policykit.site import cache, untranslated
    from policykit.site.plan import plan_site, with_gaps
    from policykit.site.releases import released_versions
    from policykit.site.timeline import timeline

    store = cache.Store(tmp_path / "cache")
    tl = timeline(released_versions(released, store, read_entries(released)), dt.date(2027, 2, 10))
    gaps = untranslated.all_gaps(released, store, (tl.in_force, tl.next))
    assert any(any(g) for per_locale in gaps.values() for g in per_locale.values())

    def plan(g: Any) -> list[Any]:
        return plan_site(tl, root=str(released), base_url="https://example.com/", salt=("t", "v"), gaps=g)

    early, full = plan(None), plan(gaps)
    assert with_gaps(early, gaps, ("t", "v")) == full
    changed = {a.path for a, b in zip(early, full, strict=True) if a.key != b.key}
    assert changed and all(p.endswith("/current.json") for p in changed)
