"""Translations held to the source: cold costs, the segmenters compared, and the translation cases.

``python benchmarks/run.py fidelity`` prints:

1. the cold cost of each segmenter (a fresh process: import, load the dictionary, segment one
   sentence), for the ones kept and, when installed, the candidates that lost (fugashi with
   unidic-lite, Janome, jieba);
2. for each segmenter of Japanese, how many of the real ja translations the fidelity rules flag
   (fewer is better: the translations are faithful) and whether the planted divergences of
   ``tests/i18n/test_fidelity.py`` are all caught;
3. the time to check every current translation of the real project;
4. on the lawyer's translation cases (``tests/cases/classify/translation-*.yaml``), the share of
   meaning-changing edits caught (a new divergence in the edited unit) and of faithful ones flagged.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
COLD = {
    "sudachipy + sudachidict-core (kept, ja)": "from sudachipy import Dictionary, SplitMode\n"
    "t = Dictionary(dict='core').tokenizer(mode=SplitMode.C)\nlist(t.tokenize('当社は個人情報を販売しません。'))",
    "rjieba (kept, zh)": "import rjieba\nrjieba.cut('我们不会出售您的个人信息。')",
    "simplemma (kept, de+en)": "import simplemma\nsimplemma.lemmatize('Behörden', lang='de'); "
    "simplemma.lemmatize('authorities', lang='en')",
    "fugashi + unidic-lite (ja)": "import fugashi\nlist(fugashi.Tagger()('当社は個人情報を販売しません。'))",
    "janome (ja)": "from janome.tokenizer import Tokenizer\n"
    "list(Tokenizer().tokenize('当社は個人情報を販売しません。'))",
    "jieba (zh)": "import jieba\njieba.setLogLevel(60)\nlist(jieba.cut('我们不会出售您的个人信息。'))",
}
MODULES = {"fugashi + unidic-lite (ja)": "fugashi", "janome (ja)": "janome", "jieba (zh)": "jieba"}


def _cold(code: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def cold_costs() -> None:
    base = _cold("pass")
    print(f"cold cost in a fresh process, best of 3, less a bare interpreter ({base * 1000:.0f} ms):")
    for name, code in COLD.items():
        module = MODULES.get(name)
        if module and importlib.util.find_spec(module) is None:
            print(f"  {name:<40} not installed")
            continue
        print(f"  {name:<40} {(_cold(code) - base) * 1000:7.0f} ms")
    cli = _cold("import policykit.cli") - base
    print(f"  {'import policykit.cli (no segmenter)':<40} {cli * 1000:7.0f} ms")


def _japanese_backends() -> dict[str, object]:
    from policykit.i18n.segment import Token

    out: dict[str, object] = {}
    if importlib.util.find_spec("fugashi"):
        import fugashi

        tagger = fugashi.Tagger()

        def fugashi_tokens(text: str) -> list[Token]:
            toks, at = [], 0
            for w in tagger(text):
                at = text.index(w.surface, at)
                if w.feature.pos1 not in ("補助記号", "空白"):
                    toks.append(Token(w.surface, w.feature.lemma or w.surface, at))
                at += len(w.surface)
            return toks

        out["fugashi + unidic-lite"] = fugashi_tokens
    if importlib.util.find_spec("janome"):
        from janome.tokenizer import Tokenizer

        janome = Tokenizer()

        def janome_tokens(text: str) -> list[Token]:
            toks, at = [], 0
            for w in janome.tokenize(text):
                at = text.index(w.surface, at)
                if not w.part_of_speech.startswith("記号"):
                    base = w.base_form if w.base_form != "*" else w.surface
                    toks.append(Token(w.surface, base, at))
                at += len(w.surface)
            return toks

        out["janome"] = janome_tokens
    return out


def segmenters_on_the_real_text() -> None:
    from policykit.i18n import reading, segment
    from policykit.i18n.fidelity import check_locale, compare
    from policykit.load import FileSource, load_project

    sys.path.insert(0, str(REPO / "tests" / "i18n"))
    from test_fidelity import CASES

    policy = load_project(FileSource(REPO)).policy
    assert policy is not None
    planted = [(feature, source, per["ja"][1]) for feature, (source, per) in CASES.items()]
    faithful = [(source, text) for _, (source, per) in CASES.items() for text in per["ja"][0]]
    original = segment._japanese
    backends: dict[str, object] = {"sudachipy + sudachidict-core (kept)": original, **_japanese_backends()}
    print("Japanese segmenters on the real ja translations and the planted cases:")
    for name, fn in backends.items():
        segment._japanese = fn  # type: ignore[assignment]
        reading.read.__globals__["tokens"] = segment.tokens
        try:
            flagged = len(check_locale(policy, "ja"))
            caught = sum(feature in {d.feature for d in compare(src, tr, "ja")} for feature, src, tr in planted)
            false = sum(bool(compare(src, tr, "ja")) for src, tr in faithful)
        finally:
            segment._japanese = original
        print(f"  {name:<36} real units flagged {flagged:>3}   planted caught {caught}/{len(planted)}   "
              f"faithful flagged {false}/{len(faithful)}")


def whole_project() -> None:
    from policykit.i18n.fidelity import check_locale
    from policykit.load import FileSource, load_project

    policy = load_project(FileSource(REPO)).policy
    assert policy is not None
    for tag in ("ja", "de", "zh-Hans"):
        start = time.perf_counter()
        found = check_locale(policy, tag)
        print(f"  check_locale {tag:<8} {time.perf_counter() - start:6.2f} s (warm dictionaries after the first), "
              f"{len(found)} units flagged")


def translation_cases() -> None:
    folder = REPO / "tests" / "cases" / "classify"
    files = sorted(folder.glob("translation*.yaml")) if folder.is_dir() else []
    if not files:
        print("translation cases: none yet (tests/cases/classify/translation-*.yaml): no figure")
        return
    import tempfile

    from tests.cases.casefile import apply, load_cases, materialise

    from policykit.i18n.catalog import units
    from policykit.i18n.fidelity import check_unit
    from policykit.load import FileSource, load_project

    cases = [c for c in load_cases(folder) if c.locales]
    caught = material = flagged = faithful = 0
    missed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        bases: dict[str, Path] = {}
        for case in cases:
            base = bases.setdefault(case.base, materialise(case.base, Path(tmp) / f"base-{case.base}"))
            root = materialise(case.base, Path(tmp) / case.id)
            apply(case, root)
            new = _flags(root, case, check_unit, units, load_project, FileSource)
            old = _flags(base, case, check_unit, units, load_project, FileSource)
            diverges = bool(new - old)
            if case.material:
                material += 1
                caught += diverges
                if not diverges:
                    missed.append(case.id)
            else:
                faithful += 1
                flagged += diverges
    print(f"translation cases ({len(cases)} in {len(files)} files):")
    if material:
        print(f"  meaning-changing edits caught   {caught}/{material} ({caught / material:.0%})")
    if faithful:
        print(f"  faithful edits flagged          {flagged}/{faithful} ({flagged / faithful:.0%})")
    for case_id in missed:
        print(f"  missed: {case_id}")


def _flags(root: Path, case: object, check_unit: object, units: object, load_project: object,
           source: object) -> set[tuple[str, str, str]]:
    policy = load_project(source(root)).policy  # type: ignore[operator]
    out = set()
    keys = {str(e["block"]) for e in case.edits if e.get("locale")}  # type: ignore[attr-defined]
    for tag in case.locales:  # type: ignore[attr-defined]
        for unit in units(policy, tag):  # type: ignore[operator]
            if unit.key in keys or (unit.key.endswith(":title") and unit.key.replace(":title", ".title") in keys):
                for d in check_unit(unit, tag, policy.source_locale):  # type: ignore[operator]
                    out.add((unit.key, d.feature, "|".join(d.missing) + ">" + "|".join(d.added)))
    return out


def main() -> None:
    sys.path.insert(0, str(REPO))
    cold_costs()
    segmenters_on_the_real_text()
    whole_project()
    translation_cases()


if __name__ == "__main__":
    main()
