"""What a translation may not change in how consent is given and when: explicit or deemed consent
(``consent-quality``), before or after an event (``timing``), and "on request" however a language
phrases it (``conditions``).

Made-up sentences, written apart from the lawyer's translation cases (``tests/cases/classify/``):
each English source has translations a translator could write, which must stay faithful, and one
that changes the feature, which must be caught as that feature.
"""

from __future__ import annotations

import pytest
from translation_cases import Cases, params, show

from policykit.i18n.fidelity import compare, edit_divergences
from policykit.i18n.reading import read

# feature -> English source, then per language: (faithful translations, a diverging translation)
CASES: Cases = {
    "consent-quality": ("We process your health data only with your explicit consent.", {
        "de": (("Wir verarbeiten Ihre Gesundheitsdaten nur mit Ihrer ausdrücklichen Einwilligung.",
                "Ihre Gesundheitsdaten verarbeiten wir ausschließlich, wenn Sie ausdrücklich eingewilligt haben."),
               "Wir verarbeiten Ihre Gesundheitsdaten nur mit Ihrer stillschweigenden Einwilligung."),
        "ja": (("当社は、お客様の明示的な同意がある場合に限り、健康データを取り扱います。",
                "当社は、お客様の明確な同意がある場合に限り、健康データを取り扱います。"),
               "当社は、お客様の同意があるとみなされる場合に限り、健康データを取り扱います。"),
        "zh-Hans": (("我们仅在获得您的明示同意后处理您的健康数据。", "我们仅在获得您的明确同意后处理您的健康数据。"),
                    "我们仅在视为您同意时处理您的健康数据。"),
    }),
    "timing": ("Withdrawing your consent does not affect the lawfulness of processing carried out before the "
               "withdrawal.", {
        "de": (("Der Widerruf Ihrer Einwilligung berührt nicht die Rechtmäßigkeit der vor dem Widerruf erfolgten "
                "Verarbeitung.",),
               "Der Widerruf Ihrer Einwilligung berührt nicht die Rechtmäßigkeit der nach dem Widerruf erfolgten "
               "Verarbeitung."),
        "ja": (("同意の撤回は、撤回前に行われた処理の適法性に影響しません。",
                "同意を撤回されても、撤回以前に行われた処理の適法性には影響しません。"),
               "同意の撤回は、撤回後に行われる処理の適法性に影響しません。"),
        "zh-Hans": (("撤回同意不影响撤回前所进行的处理的合法性。", "撤回同意不影响在撤回之前已进行的处理的合法性。"),
                    "撤回同意不影响撤回之后所进行的处理的合法性。"),
    }),
    "conditions": ("We will tell you the name of our representative on request.", {
        "de": (("Den Namen unseres Vertreters teilen wir Ihnen auf Ihren Wunsch mit.",
                "Auf Ihre schriftliche Anfrage hin teilen wir Ihnen den Namen unseres Vertreters mit."),
               "Wir teilen Ihnen den Namen unseres Vertreters mit."),
        "ja": (("ご要望に応じて、当社の代理人の氏名をお知らせします。",
                "お客様のご依頼に応じ、当社の代理人の氏名をお知らせします。"),
               "当社の代理人の氏名をお知らせします。"),
        "zh-Hans": (("我们将应您的要求告知我们代表的姓名。", "我们代表的姓名可应您的要求提供。",
                     "根据您的要求，我们将告知我们代表的姓名。"),
                    "我们将告知我们代表的姓名。"),
    }),
}


@pytest.mark.parametrize(("feature", "source", "tag", "translation"), params(CASES, "faithful"))
def test_a_faithful_translation_stays_faithful(feature: str, source: str, tag: str, translation: str) -> None:
    assert compare(source, translation, tag) == [], show(compare(source, translation, tag))


@pytest.mark.parametrize(("feature", "source", "tag", "translation"), params(CASES, "diverging"))
def test_a_changed_quality_time_or_condition_is_caught(feature: str, source: str, tag: str, translation: str) -> None:
    found = compare(source, translation, tag)
    assert feature in {d.feature for d in found}, show(found)


# -- consent -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "tag"), [
    ("You are deemed to have consented if you keep using the app.", "en"),
    ("Ihre Einwilligung gilt als erteilt, wenn Sie die App weiter nutzen.", "de"),
    ("アプリの利用を継続された場合、お客様は同意したものとみなします。", "ja"),
    ("继续使用本应用即视为您同意。", "zh-Hans"),
])
def test_consent_deemed_given_is_still_a_consent_and_deemed(text: str, tag: str) -> None:
    reading = read(text, tag)
    assert reading.firm("consent") == ("consent",)
    assert reading.firm("consent-quality") == ("deemed",)


@pytest.mark.parametrize(("translation", "tag"), [
    ("如果没有Cookie，网站会将您视为新访问者。", "zh-Hans"),
    ("Cookieがなければ、ウェブサイトはお客様を新しい訪問者とみなします。", "ja"),
    ("Ohne Cookies gilt jeder Besuch als neuer Besuch.", "de"),
])
def test_a_legal_fiction_that_is_not_about_consent_diverges_from_nothing(translation: str, tag: str) -> None:
    # 视为 / みなす / gilt als alone ("treats you as") only answer "deemed": a plain source says no such thing.
    assert compare("Without cookies, a website treats you as a new visitor.", translation, tag) == []


def test_dropping_explicit_from_the_consent_diverges() -> None:
    found = compare("We process your health data only with your explicit consent.",
                    "Wir verarbeiten Ihre Gesundheitsdaten nur mit Ihrer Einwilligung.", "de")
    assert [(d.feature, d.source, d.translation) for d in found] == [("consent-quality", ("explicit",), ())]


# -- time --------------------------------------------------------------------------------------
SEQUENCE = "We ask for your consent before we use your precise location."


@pytest.mark.parametrize(("translation", "tag"), [
    ("当社は、お客様の同意を得た上で、正確な位置情報を利用します。", "ja"),
    ("当社は、お客様の同意を取得した後、正確な位置情報を利用します。", "ja"),
    ("当社は、正確な位置情報を利用する前に、お客様の同意を求めます。", "ja"),
    ("我们会在获得您的同意后使用您的精确位置信息。", "zh-Hans"),
    ("在使用您的精确位置信息之前，我们会征求您的同意。", "zh-Hans"),
    ("Wir verwenden Ihren genauen Standort nach Einholung Ihrer Einwilligung.", "de"),
    ("Bevor wir Ihren genauen Standort verwenden, bitten wir um Ihre Einwilligung.", "de"),
])
def test_consent_first_then_the_act_says_the_same_from_either_end(translation: str, tag: str) -> None:
    # "Before we use it, we ask" and "after obtaining consent, we use it" put the same two acts in the same
    # order: a translator-lawyer reads no change, so "after obtaining your consent" states no time relation.
    assert compare(SEQUENCE, translation, tag) == [], show(compare(SEQUENCE, translation, tag))


@pytest.mark.parametrize(("translation", "tag"), [
    ("当社は、正確な位置情報を利用した後に、お客様の同意を求めます。", "ja"),
    ("在使用您的精确位置信息之后，我们会征求您的同意。", "zh-Hans"),
    ("Nachdem wir Ihren genauen Standort verwendet haben, bitten wir um Ihre Einwilligung.", "de"),
])
def test_using_first_and_asking_after_is_a_reversal(translation: str, tag: str) -> None:
    found = compare(SEQUENCE, translation, tag)
    assert [(d.feature, d.source, d.translation) for d in found] == [("timing", ("before",), ("after",))]


def test_a_translation_that_leaves_the_sequence_implicit_is_not_held_to_it() -> None:
    # Every time word is weak: "with your consent" says no time, and neither contradicts "before".
    assert compare(SEQUENCE, "Wir verwenden Ihren genauen Standort mit Ihrer Einwilligung.", "de") == []


# -- edits of a translation ----------------------------------------------------------------------
WITHDRAW = "Withdrawal does not affect processing carried out before the withdrawal."


def test_an_edit_from_before_to_after_opens_a_divergence_and_its_rewording_does_not() -> None:
    before = "撤回は、撤回前に行われた処理に影響しません。"
    reversed_ = edit_divergences(WITHDRAW, WITHDRAW, before, "撤回は、撤回後に行われる処理に影響しません。", "ja")
    assert not reversed_.faithful and [d.feature for d in reversed_.opened] == ["timing"]
    reworded = edit_divergences(WITHDRAW, WITHDRAW, before, "撤回は、撤回以前に行われた処理には影響しません。", "ja")
    assert reworded.faithful, reworded


def test_an_edit_between_two_ways_of_obtaining_consent_first_is_faithful() -> None:
    before = "当社は、お客様の同意を得た上で、正確な位置情報を利用します。"
    after = "当社は、お客様の同意を取得した後、正確な位置情報を利用します。"
    assert edit_divergences(SEQUENCE, SEQUENCE, before, after, "ja").faithful


def test_an_edit_from_explicit_to_deemed_consent_touches_a_binding_word() -> None:
    source = "We need the explicit consent of a parent."
    result = edit_divergences(source, source, "親の明示的な同意が必要です。",
                              "親の同意があるとみなされる場合があります。", "ja")
    assert "consent-quality" in {d.feature for d in result.opened}


# -- on request ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "tag"), [
    ("其姓名可应您的要求提供。", "zh-Hans"),
    ("我们并应您的要求提供副本。", "zh-Hans"),
    ("ご要望に応じて、写しを提供します。", "ja"),
    ("Auf Ihre schriftliche Anfrage hin stellen wir eine Kopie bereit.", "de"),
    ("Upon your written request, we provide a copy.", "en"),
])
def test_on_request_is_read_however_the_request_is_phrased(text: str, tag: str) -> None:
    assert read(text, tag).firm("conditions") == ("on-request",)


def test_a_glued_adverb_is_split_and_keeps_its_own_meaning() -> None:
    # jieba reads 或应 as one word: split, 或 is still "or" and 应您请求 still "on request".
    reading = read("与您订立的合同，或应您请求在订立合同前采取的措施", "zh-Hans")
    assert reading.values("conjunctions") == ("or",)
    assert reading.firm("conditions") == ("on-request",)


def test_acting_on_a_request_states_no_condition() -> None:
    assert read("We verify your identity before we act on a request.", "en").values("conditions") == ()
