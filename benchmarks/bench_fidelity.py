"""Translations held to the source: cold costs, the segmenters compared, and the translation cases.

``python benchmarks/run.py fidelity`` prints:

1. the cold cost of each segmenter or stemmer (a fresh process: import, load the dictionary,
   segment one sentence), for the ones kept and, when installed, the candidates that lost (fugashi
   with unidic-lite, Janome, jieba; simplemma, which the Snowball stemmers replaced);
2. per language, the cold cost of judging one translation edit in a fresh process
   (``edit_divergences`` on a real unit: imports, word lists, segmenter, reading both versions): what
   ``policyctl diff`` adds when a translation in that language changed;
3. for each segmenter of Japanese, how many of the real ja translations the fidelity rules flag
   (fewer is better: the translations are faithful) and whether the planted divergences of
   ``tests/i18n/test_fidelity.py`` are all caught;
4. the time to check every current translation of the real project, and the units flagged;
5. on the lawyer's translation cases (``tests/cases/classify/translation-*.yaml``), the share of
   meaning-changing edits caught (a new divergence in the edited unit) and of faithful ones flagged,
   and by ``edit_divergences``: meaning-changing edits that open a divergence or touch a binding
   word, faithful edits that do either.
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
    "PyStemmer (kept, de+en)": "import Stemmer\nStemmer.Stemmer('german').stemWord('behörden')"
    "\nStemmer.Stemmer('english').stemWord('authorities')",
    "simplemma (de+en, replaced)": "import simplemma\nsimplemma.lemmatize('Behörden', lang='de'); "
    "simplemma.lemmatize('authorities', lang='en')",
    "fugashi + unidic-lite (ja)": "import fugashi\nlist(fugashi.Tagger()('当社は個人情報を販売しません。'))",
    "janome (ja)": "from janome.tokenizer import Tokenizer\n"
    "list(Tokenizer().tokenize('当社は個人情報を販売しません。'))",
    "jieba (zh)": "import jieba\njieba.setLogLevel(60)\nlist(jieba.cut('我们不会出售您的个人信息。'))",
}
MODULES = {"fugashi + unidic-lite (ja)": "fugashi", "janome (ja)": "janome", "jieba (zh)": "jieba",
           "simplemma (de+en, replaced)": "simplemma"}
# One real unit per language, its translation edited as a translator might (a bound reversed).
EDIT = {
    "de": ("höchstens jedoch 13 Monate", "mindestens jedoch 13 Monate"),
    "ja": ("その期間は最長13か月です", "その期間は少なくとも13か月です"),
    "zh-Hans": ("保留期最长为13个月", "保留期最短为13个月"),
}
EDIT_CODE = """\
from policykit import yamlio
from policykit.i18n.fidelity import edit_divergences
def text(path, find):
    return find(yamlio.load_roundtrip(open(path, encoding="utf-8").read(), path))
src = text({source!r}, lambda d: [b for b in d["blocks"] if b["id"] == "session-vs-persistent"][0]["text"])
tr = text({translation!r}, lambda d: d["blocks"]["session-vs-persistent"]["text"])
result = edit_divergences(src, src, tr, tr.replace({before!r}, {after!r}), {tag!r})
assert result.opened, result
"""


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
    print("one translation edit judged in a fresh process (edit_divergences on cookies.session-vs-persistent, "
          "whole process, best of 3):")
    for tag, (before, after) in EDIT.items():
        code = EDIT_CODE.format(source=str(REPO / "policy" / "sections" / "cookies.yaml"),
                                translation=str(REPO / "locales" / tag / "cookies.yaml"),
                                before=before, after=after, tag=tag)
        print(f"  {tag:<40} {_cold(code) * 1000:7.0f} ms")


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
    from policykit.load import FileSource, read_project

    sys.path.insert(0, str(REPO / "tests" / "i18n"))
    from test_fidelity import CASES

    policy = read_project(FileSource(REPO)).policy
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
    from policykit.load import FileSource, read_project

    policy = read_project(FileSource(REPO)).policy
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

    from tests.cases.casefile import load_cases, materialise

    from policykit.i18n.catalog import units
    from policykit.i18n.fidelity import edit_divergences
    from policykit.load import FileSource, read_project

    cases = [c for c in load_cases(folder) if c.locales]
    texts: dict[tuple[str, str, str], tuple[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for version in sorted({c.base for c in cases}):
            policy = read_project(FileSource(materialise(version, Path(tmp) / version))).policy
            assert policy is not None
            for tag in sorted({t for c in cases for t in c.locales}):
                for unit in units(policy, tag):
                    if unit.translated is not None:
                        texts[version, tag, unit.key] = (unit.source, unit.translated.text)
    tally = {True: [0, 0, 0], False: [0, 0, 0]}  # cases, a new divergence, a divergence or a binding word
    missed: list[str] = []
    for case in cases:
        opened = touched = False
        for edit in case.edits:
            block = str(edit["block"])
            key = block.replace(".title", ":title") if block.endswith(".title") else block
            source, before = texts[case.base, str(edit["locale"]), key]
            after = before.replace(str(edit["before"]), str(edit["after"]))
            result = edit_divergences(source, source, before, after, str(edit["locale"]))
            opened, touched = opened or bool(result.opened), touched or result.touches_binding
        row = tally[case.material]
        row[0] += 1
        row[1] += opened
        row[2] += opened or touched
        if case.material != opened:
            missed.append(f"{'missed' if case.material else 'flagged'}: {case.id}")
    material, faithful = tally[True], tally[False]
    print(f"translation cases ({len(cases)} in {len(files)} files):")
    print(f"  meaning-changing edits caught (a new divergence)       {material[1]}/{material[0]} "
          f"({material[1] / max(1, material[0]):.0%})")
    print(f"  faithful edits flagged (a new divergence)              {faithful[1]}/{faithful[0]} "
          f"({faithful[1] / max(1, faithful[0]):.0%})")
    print(f"  meaning-changing edits: divergence or binding word     {material[2]}/{material[0]}")
    print(f"  faithful edits: divergence or binding word             {faithful[2]}/{faithful[0]}")
    for line in missed:
        print(f"  {line}")


def main() -> None:
    sys.path.insert(0, str(REPO))
    cold_costs()
    segmenters_on_the_real_text()
    whole_project()
    translation_cases()


if __name__ == "__main__":
    main()
