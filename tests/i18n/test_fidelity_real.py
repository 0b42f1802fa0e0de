"""The real translations held to the English: what the tool flags, each read by a person.

Of 242 current ja and de units and 179 zh-Hans ones, these diverge by the rules of
``policykit/data/fidelity/``. One is a real omission: the Japanese joint-use text cites
"the Act on the Protection of Personal Information" without saying "Japan's" (no meaning is lost
to a Japanese reader, but the text differs). The others are the rules' limits, kept visible here
so that a change that adds or removes one is a change a person looks at: chiefly modality (a
German "können" or Japanese "できる" where the English states a plain fact, "the law requires" read
as an obligation on one side only), a translation repeating a negation as its own phrasing ("bei
denen es sich nicht um Huawei handelt" for "other than Huawei"), and words of the fact tables.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from i18n_helpers import cli, load
from tests.conftest import REPO

from policykit.i18n.fidelity import check_locale
from policykit.i18n.status import status, to_text


@pytest.fixture
def current(tmp_path: Path) -> Path:
    """The policy and its translations as they are in this checkout (not a release): a temp copy."""
    for folder in ("policy", "locales"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    return tmp_path

FLAGGED: dict[str, set[tuple[str, str]]] = {
    "ja": {
        ("collection.definition", "parties"),
        ("collection.non-pii", "negation"),
        ("facts.sources.public-providers", "parties"),
        ("facts.sources.commercial-providers", "parties"),
        ("cookies.what-is-a-cookie", "modality"),
        ("cookies.web-beacons", "modality"),
        ("disclosure.service-providers", "parties"),
        ("disclosure.joint-use", "countries"),
        ("access.how-to-request", "modality"),
        ("access.withdraw-consent", "consent"),
        ("access.complaint", "modality"),
        ("security.retention", "modality"),
        ("facts.retention.legal-requirement", "modality"),
        ("minors.parental-consent", "modality"),
        ("transfers.international-processing", "modality"),
        ("transfers.destinations", "modality"),
        ("transfers.safeguards", "modality"),
        ("updates.changes", "modality"),
        ("contact.more-channels", "modality"),
        ("vocabulary:recipients.type.affiliate", "parties"),
        ("vocabulary:retention.basis.legal-requirement", "modality"),
    },
    "de": {
        ("collection.mandatory-provision", "modality"),
        ("collection.legitimate-interests", "modality"),
        ("collection.non-pii", "modality"),
        ("cookies.what-is-a-cookie", "modality"),
        ("cookies.managing", "modality"),
        ("access.how-to-request", "modality"),
        ("third-parties.third-party-content", "negation"),
        ("transfers.international-processing", "modality"),
        ("transfers.destinations", "modality"),
        ("contact.more-channels", "modality"),
        ("contact.eu-representative", "modality"),
        ("vocabulary:tracking.refuse", "modality"),
    },
    "zh-Hans": {
        ("collection.separation", "negation"),
        ("cookies.what-is-a-cookie", "modality"),
        ("cookies.managing", "modality"),
        ("contact.responsible-entity", "modality"),
        ("vocabulary:recipients.type.processor", "parties"),
        ("vocabulary:retention.from.last-activity", "numbers"),
        ("vocabulary:rights.right.withdraw-consent", "consent"),
        ("vocabulary:age_limits.parental_consent.true", "negation"),
    },
}


@pytest.mark.parametrize("tag", ["ja", "de", "zh-Hans"])
def test_the_real_translations_diverge_only_where_a_person_has_read_it(current: Path, tag: str) -> None:
    found = {(u.key, "/".join(sorted({d.feature for d in u.divergences}))) for u in check_locale(load(current), tag)}
    assert found == FLAGGED[tag]


def test_the_japanese_joint_use_text_does_not_name_japan(current: Path) -> None:
    [unit] = [u for u in check_locale(load(current), "ja") if u.key == "disclosure.joint-use"]
    [d] = unit.divergences
    assert (d.feature, d.missing, d.added) == ("countries", ("JP",), ())
    assert "Japan's Act on the Protection of Personal Information" in d.source_sentence
    assert "個人情報の保護に関する法律第27条第5項第3号" in d.translated_sentence
    assert unit.where.startswith("locales/ja/disclosure.yaml:")


def test_a_planted_divergence_makes_its_unit_diverging_in_status(current: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project = current
    path = project / "locales" / "de" / "security.yaml"
    text = path.read_text("utf-8")
    assert "innerhalb von 30 Tagen" in text
    path.write_text(text.replace("innerhalb von 30 Tagen", "innerhalb von 90 Tagen"), "utf-8")
    [de] = status(load(project), ["de"])
    [unit] = [u for u in de.diverging if u.key == "security.retention"]
    assert [(d.feature, d.missing, d.added) for d in unit.divergences] == [("durations", ("30 days",), ("90 days",))]
    assert de.has("diverging") and not de.has("stale")
    shown = to_text([de])
    assert "security.retention  locales/de/security.yaml:" in shown
    assert "durations: the source says 30 days, the translation 90 days" in shown
    assert cli(project, "status", "--locale", "de", "--fail-on", "stale,missing") == 0
    assert cli(project, "status", "--locale", "de", "--fail-on", "diverging") == 1
    assert "de: diverging (--fail-on diverging)" in capsys.readouterr().err
    assert cli(project, "status", "--locale", "de", "--format", "json") == 0
    [data] = json.loads(capsys.readouterr().out)
    [entry] = [e for e in data["diverging"] if e["key"] == "security.retention"]
    assert entry["divergences"][0] | {"source_sentence": "", "translated_sentence": ""} == {
        "feature": "durations", "source": ["30 days"], "translation": ["90 days"], "missing": ["30 days"],
        "added": ["90 days"], "source_sentence": "", "translated_sentence": ""}
    assert data["counts"]["blocks"]["diverging"] == len([e for e in data["diverging"] if "." in e["key"]
                                                        and not e["key"].startswith(("facts.", "vocabulary:"))])
