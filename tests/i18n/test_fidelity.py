"""A translation is held to its source on what binds: planted divergences are caught, faithful rewordings are not.

Each case is an English sentence, a faithful translation (with rewordings a translator or an
editor could make: a synonym, another word order, a corrected typo) and a translation that
changes one thing that binds, as a translator's slip or an unreviewed edit would.
"""

from __future__ import annotations

import pytest
from translation_cases import Cases, params, show

from policykit.i18n.fidelity import compare

# feature -> English source, then per language: (faithful translations, a diverging translation)
CASES: Cases = {
    "negation": ("We do not sell your personal information.", {
        "de": (("Wir verkaufen Ihre personenbezogenen Daten nicht.",
                "Ihre personenbezogenen Daten verkaufen wir nicht.",
                "Wir veräußern Ihre personenbezogenen Daten nicht."),
               "Wir verkaufen Ihre personenbezogenen Daten."),
        "ja": (("当社は、お客様の個人情報を販売しません。",
                "お客様の個人情報を当社が販売することはありません。",
                "当社は、お客様の個人情報を売却しません。"),
               "当社は、お客様の個人情報を販売します。"),
        "zh-Hans": (("我们不会出售您的个人信息。",
                     "您的个人信息不会被我们出售。",
                     "我们不出售您的个人信息。"),
                    "我们会出售您的个人信息。"),
    }),
    "modality": ("We may share your personal information with our affiliates.", {
        "de": (("Wir können Ihre personenbezogenen Daten an unsere verbundenen Unternehmen weitergeben.",
                "Ihre personenbezogenen Daten können wir an unsere verbundenen Unternehmen weitergeben.",
                "Wir dürfen Ihre personenbezogenen Daten an unsere verbundenen Unternehmen weitergeben."),
               "Wir geben Ihre personenbezogenen Daten an unsere verbundenen Unternehmen weiter."),
        "ja": (("当社は、お客様の個人情報を当社の関連会社と共有することがあります。",
                "当社は、当社の関連会社との間でお客様の個人情報を共有する場合があります。"),
               "当社は、お客様の個人情報を当社の関連会社と共有します。"),
        "zh-Hans": (("我们可能会与我们的关联公司共享您的个人信息。",
                     "您的个人信息可能会被我们与关联公司共享。"),
                    "我们会与我们的关联公司共享您的个人信息。"),
    }),
    "numbers": ("We keep up to 3 copies of your data.", {
        "de": (("Wir bewahren bis zu 3 Kopien Ihrer Daten auf.",
                "Wir bewahren bis zu drei Kopien Ihrer Daten auf."),
               "Wir bewahren bis zu 5 Kopien Ihrer Daten auf."),
        "ja": (("当社は、お客様のデータの複製を最大3部まで保管します。",),
               "当社は、お客様のデータの複製を最大5部まで保管します。"),
        "zh-Hans": (("我们最多保留您数据的3份副本。",),
                    "我们最多保留您数据的5份副本。"),
    }),
    "durations": ("We delete your personal information within 30 days after you close your account.", {
        "de": (("Wir löschen Ihre personenbezogenen Daten innerhalb von 30 Tagen, nachdem Sie Ihr Konto "
                "geschlossen haben.",
                "Nachdem Sie Ihr Konto geschlossen haben, löschen wir Ihre personenbezogenen Daten binnen "
                "30 Tagen.",
                "Wir löschen Ihre personenbezogenen Daten innerhalb eines Monats, nachdem Sie Ihr Konto "
                "geschlossen haben."),
               "Wir löschen Ihre personenbezogenen Daten innerhalb von 90 Tagen, nachdem Sie Ihr Konto "
               "geschlossen haben."),
        "ja": (("当社は、お客様がアカウントを閉鎖した後30日以内に、お客様の個人情報を削除します。",
                "お客様がアカウントを閉鎖された場合、当社は、30日以内にお客様の個人情報を削除します。"),
               "当社は、お客様がアカウントを閉鎖した後90日以内に、お客様の個人情報を削除します。"),
        "zh-Hans": (("在您注销账号后30天内，我们会删除您的个人信息。",
                     "我们会在您注销账号后的30日内删除您的个人信息。"),
                    "在您注销账号后90天内，我们会删除您的个人信息。"),
    }),
    "dates": ("This policy takes effect on 7 December 2026.", {
        "de": (("Diese Datenschutzerklärung tritt am 7. Dezember 2026 in Kraft.",
                "Am 7. Dezember 2026 tritt diese Datenschutzerklärung in Kraft."),
               "Diese Datenschutzerklärung tritt am 7. Januar 2026 in Kraft."),
        "ja": (("本ポリシーは、2026年12月7日に発効します。",
                "本ポリシーの効力発生日は2026年12月7日です。"),
               "本ポリシーは、2026年1月7日に発効します。"),
        "zh-Hans": (("本政策自2026年12月7日起生效。",),
                    "本政策自2026年1月7日起生效。"),
    }),
    "ages": ("We do not knowingly collect personal information from children under 16.", {
        "de": (("Wir erheben wissentlich keine personenbezogenen Daten von Kindern unter 16 Jahren.",
                "Von Kindern unter 16 Jahren erheben wir wissentlich keine personenbezogenen Daten."),
               "Wir erheben wissentlich keine personenbezogenen Daten von Kindern unter 13 Jahren."),
        "ja": (("当社は、16歳未満の子どもの個人情報を、それと知りながら取得することはありません。",),
               "当社は、13歳未満の子どもの個人情報を、それと知りながら取得することはありません。"),
        "zh-Hans": (("我们不会在知情的情况下收集未满16周岁儿童的个人信息。",),
                    "我们不会在知情的情况下收集未满13周岁儿童的个人信息。"),
    }),
    "countries": ("We transfer personal information to Japan and Singapore.", {
        "de": (("Wir übermitteln personenbezogene Daten nach Japan und Singapur.",
                "Personenbezogene Daten übermitteln wir nach Singapur und Japan."),
               "Wir übermitteln personenbezogene Daten nach Japan und in die Vereinigten Staaten."),
        "ja": (("当社は、個人情報を日本およびシンガポールに移転します。",
                "当社は、個人情報をシンガポールおよび日本に移転します。"),
               "当社は、個人情報を日本および米国に移転します。"),
        "zh-Hans": (("我们会将个人信息传输至日本和新加坡。",),
                    "我们会将个人信息传输至日本和美国。"),
    }),
    "parties": ("We share your personal information with our service providers.", {
        "de": (("Wir geben Ihre personenbezogenen Daten an unsere Dienstleister weiter.",
                "Wir übermitteln Ihre personenbezogenen Daten an unsere Dienstleister."),
               "Wir geben Ihre personenbezogenen Daten an unsere Werbepartner weiter."),
        "ja": (("当社は、お客様の個人情報を当社のサービスプロバイダーと共有します。",
                "当社は、お客様の個人情報を当社の委託先と共有します。"),
               "当社は、お客様の個人情報を当社の広告主と共有します。"),
        "zh-Hans": (("我们会与我们的服务提供商共享您的个人信息。",),
                    "我们会与我们的广告合作伙伴共享您的个人信息。"),
    }),
    "consent": ("We use these cookies only with your consent.", {
        "de": (("Wir verwenden diese Cookies nur mit Ihrer Einwilligung.",
                "Diese Cookies verwenden wir nur mit Ihrer Zustimmung."),
               "Wir verwenden diese Cookies, solange Sie dem nicht widersprechen."),
        "ja": (("当社は、お客様の同意がある場合に限り、これらのクッキーを使用します。",
                "当社は、お客様の同意を得た場合にのみ、これらのクッキーを使用します。"),
               "当社は、お客様が異議を述べない限り、これらのクッキーを使用します。"),
        "zh-Hans": (("我们仅在获得您同意的情况下使用这些Cookie。",),
                    "除非您提出反对，我们会使用这些Cookie。"),
    }),
}


@pytest.mark.parametrize(("feature", "source", "tag", "translation"), params(CASES, "faithful"))
def test_a_faithful_translation_or_rewording_is_not_flagged(feature: str, source: str, tag: str,
                                                            translation: str) -> None:
    assert compare(source, translation, tag) == [], show(compare(source, translation, tag))


@pytest.mark.parametrize(("feature", "source", "tag", "translation"), params(CASES, "diverging"))
def test_a_planted_divergence_is_caught_as_its_feature(feature: str, source: str, tag: str,
                                                       translation: str) -> None:
    found = compare(source, translation, tag)
    assert feature in {d.feature for d in found}, show(found)
    hit = next(d for d in found if d.feature == feature)
    assert hit.source_sentence == source and hit.translated_sentence == translation


def test_a_divergence_names_what_the_translation_drops_and_adds() -> None:
    [d] = compare("We delete your data within 30 days.", "Wir löschen Ihre Daten innerhalb von 90 Tagen.", "de")
    assert (d.feature, d.missing, d.added) == ("durations", ("30 days",), ("90 days",))
    assert str(d) == "durations: the source says 30 days, the translation 90 days"


def test_a_sentence_split_in_two_is_aligned_and_the_divergence_located_in_its_half() -> None:
    source = ("We use your e-mail address to answer your inquiries. We delete your data within 30 days, "
              "unless the law requires us to keep it, and we do not sell it to advertisers.")
    faithful = ("Wir verwenden Ihre E-Mail-Adresse, um Ihre Anfragen zu beantworten. Wir löschen Ihre Daten "
                "innerhalb von 30 Tagen, sofern wir nicht gesetzlich zur Aufbewahrung verpflichtet sind. "
                "Wir verkaufen sie nicht an Werbetreibende.")
    assert compare(source, faithful, "de") == []
    planted = faithful.replace("Wir verkaufen sie nicht an Werbetreibende.", "Wir verkaufen sie an Werbetreibende.")
    [d] = compare(source, planted, "de")
    assert d.feature == "negation" and d.translated_sentence.endswith("Wir verkaufen sie an Werbetreibende.")
    assert d.source_sentence.startswith("We delete your data")


def test_a_dropped_negation_among_two_is_caught_but_a_repeated_one_is_not() -> None:
    source = "We do not sell your personal information, and we do not share it with advertisers."
    repeated = ("Wir verkaufen Ihre personenbezogenen Daten nicht und geben sie nicht an Werbetreibende weiter; "
                "auch nicht gelegentlich.")
    dropped = "Wir verkaufen Ihre personenbezogenen Daten nicht und geben sie an Werbetreibende weiter."
    assert [d.feature for d in compare(source, repeated, "de")] == []
    assert [d.feature for d in compare(source, dropped, "de")] == ["negation"]


def test_list_items_are_compared_item_by_item() -> None:
    source = "We keep:\n\n- account data for 30 days\n- log files for 6 months\n"
    swapped = "Wir bewahren auf:\n\n- Kontodaten 6 Monate lang\n- Protokolldateien 30 Tage lang\n"
    found = compare(source, swapped, "de")
    assert [(d.feature, d.missing, d.added) for d in found] == [
        ("durations", ("30 days",), ("180 days",)), ("durations", ("180 days",), ("30 days",))]


def test_a_permission_given_to_the_user_is_not_the_company_s_discretion() -> None:
    source = "You can withdraw your consent at any time."
    assert compare(source, "Sie können Ihre Einwilligung jederzeit widerrufen.", "de") == []
    found = compare(source, "Wir können Ihre Einwilligung jederzeit widerrufen.", "de")
    assert [(d.feature, d.source, d.translation) for d in found] == [("modality", ("user-may",), ("may",))]


def test_a_country_in_an_address_kept_in_latin_script_is_read() -> None:
    source = "Huawei Technologies Co., Ltd., Shenzhen 518129, China, is responsible for your personal information."
    assert compare(source, "Huawei Technologies Co., Ltd.（住所：Shenzhen 518129, China）は、お客様の個人情報について"
                           "責任を負います。", "ja") == []


def test_a_negating_character_inside_a_word_is_not_a_negation() -> None:
    # 不同 (different) and 非常 (very) are words of their own: their 不 and 非 negate nothing.
    assert compare("We may charge a different price.", "我们可能会收取不同的价格。", "zh-Hans") == []
    assert compare("We take security very seriously.", "当社は、セキュリティを非常に重視しています。", "ja") == []
    assert [d.feature for d in compare("We take security seriously.", "我们并不重视安全。", "zh-Hans")] == ["negation"]
