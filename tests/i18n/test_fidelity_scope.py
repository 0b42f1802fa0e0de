"""What a translation may not change beyond the nine first features: bounds, open lists, "only",
all and some, "and" and "or", actions, purposes, conditions, categories and a party's scope.

Written apart from the lawyer's translation cases (``tests/cases/classify/translation-*.yaml``),
which measure the same reading in ``benchmarks/bench_fidelity.py``: each case is an English
sentence, translations a translator could write, and one that changes the feature.
"""

from __future__ import annotations

import pytest
from translation_cases import Cases, params, show

from policykit.i18n.fidelity import compare

# feature -> English source, then per language: (faithful translations, a diverging translation)
CASES: Cases = {
    "bounds": ("We keep your messages for at most 6 months.", {
        "de": (("Wir speichern Ihre Nachrichten höchstens 6 Monate lang.",
                "Ihre Nachrichten bewahren wir maximal sechs Monate auf."),
               "Wir speichern Ihre Nachrichten mindestens 6 Monate lang."),
        "ja": (("当社は、お客様のメッセージを最長6か月間保存します。",),
               "当社は、お客様のメッセージを少なくとも6か月間保存します。"),
        "zh-Hans": (("我们保留您的消息最长6个月。", "我们最多将您的消息保留6个月。"),
                    "我们保留您的消息至少6个月。"),
    }),
    "lists": ("We collect your name and your e-mail address.", {
        "de": (("Wir erheben Ihren Namen und Ihre E-Mail-Adresse.",),
               "Wir erheben unter anderem Ihren Namen und Ihre E-Mail-Adresse."),
        "ja": (("当社は、お客様の氏名およびメールアドレスを取得します。",),
               "当社は、お客様の氏名、メールアドレスなどを取得します。"),
        "zh-Hans": (("我们收集您的姓名和电子邮件地址。",),
                    "我们收集您的姓名、电子邮件地址等信息。"),
    }),
    "exclusivity": ("We use your telephone number only to deliver your order.", {
        "de": (("Wir verwenden Ihre Telefonnummer nur, um Ihre Bestellung zuzustellen.",
                "Ihre Telefonnummer verwenden wir ausschließlich für die Zustellung Ihrer Bestellung."),
               "Wir verwenden Ihre Telefonnummer, um Ihre Bestellung zuzustellen."),
        "ja": (("当社は、お客様の電話番号を、ご注文の配送のためにのみ利用します。",
                "当社は、お客様の電話番号をご注文の配送のためだけに利用します。"),
               "当社は、お客様の電話番号を、ご注文の配送のために利用します。"),
        "zh-Hans": (("我们仅将您的电话号码用于配送您的订单。", "我们只会将您的电话号码用于配送您的订单。"),
                    "我们将您的电话号码用于配送您的订单。"),
    }),
    "quantifiers": ("When you close your account, we delete all of your personal information.", {
        "de": (("Wenn Sie Ihr Konto schließen, löschen wir alle Ihre personenbezogenen Daten.",
                "Wenn Sie Ihr Konto schließen, löschen wir sämtliche personenbezogenen Daten über Sie."),
               "Wenn Sie Ihr Konto schließen, löschen wir einige Ihrer personenbezogenen Daten."),
        "ja": (("お客様がアカウントを閉鎖された場合、当社は、お客様の個人情報をすべて削除します。",),
               "お客様がアカウントを閉鎖された場合、当社は、お客様の個人情報の一部を削除します。"),
        "zh-Hans": (("当您注销账号时，我们会删除您的所有个人信息。", "当您注销账号时，我们会删除您的全部个人信息。"),
                    "当您注销账号时，我们会删除您的部分个人信息。"),
    }),
    "conjunctions": ("To create an account, you need to give us your e-mail address or your telephone number.", {
        "de": (("Um ein Konto zu erstellen, müssen Sie uns Ihre E-Mail-Adresse oder Ihre Telefonnummer angeben.",),
               "Um ein Konto zu erstellen, müssen Sie uns Ihre E-Mail-Adresse und Ihre Telefonnummer angeben."),
        "ja": (("アカウントを作成するには、メールアドレスまたは電話番号をご提供いただく必要があります。",
                "アカウントを作成するには、メールアドレスもしくは電話番号をご提供いただく必要があります。"),
               "アカウントを作成するには、メールアドレスおよび電話番号をご提供いただく必要があります。"),
        "zh-Hans": (("要创建账号，您需要向我们提供您的电子邮件地址或电话号码。",),
                    "要创建账号，您需要向我们提供您的电子邮件地址和电话号码。"),
    }),
    "actions": ("When you close your account, we delete your purchase history.", {
        "de": (("Wenn Sie Ihr Konto schließen, löschen wir Ihren Kaufverlauf.",
                "Schließen Sie Ihr Konto, wird Ihr Kaufverlauf von uns gelöscht."),
               "Wenn Sie Ihr Konto schließen, sperren wir Ihren Kaufverlauf."),
        "ja": (("お客様がアカウントを閉鎖された場合、当社は、お客様の購入履歴を削除します。",),
               "お客様がアカウントを閉鎖された場合、当社は、お客様の購入履歴をアーカイブします。"),
        "zh-Hans": (("当您注销账号时，我们会删除您的购买记录。",),
                    "当您注销账号时，我们会封存您的购买记录。"),
    }),
    "purposes": ("We use your purchase history to process returns.", {
        "de": (("Wir verwenden Ihren Kaufverlauf, um Rücksendungen zu bearbeiten.",),
               "Wir verwenden Ihren Kaufverlauf, um Rücksendungen zu bearbeiten und Ihnen Werbung anzuzeigen."),
        "ja": (("当社は、お客様の購入履歴を返品の処理のために利用します。",),
               "当社は、お客様の購入履歴を返品の処理および広告の配信のために利用します。"),
        "zh-Hans": (("我们使用您的购买记录来处理退货。",),
                    "我们使用您的购买记录来处理退货并向您展示广告。"),
    }),
    "conditions": ("Where the law allows, we keep your invoices for ten years.", {
        "de": (("Soweit gesetzlich zulässig, bewahren wir Ihre Rechnungen zehn Jahre lang auf.",),
               "Wir bewahren Ihre Rechnungen zehn Jahre lang auf."),
        "ja": (("法律により認められる場合には、当社は、お客様の請求書を10年間保存します。",),
               "当社は、お客様の請求書を10年間保存します。"),
        "zh-Hans": (("在法律允许的情况下，我们会将您的发票保留十年。",),
                    "我们会将您的发票保留十年。"),
    }),
    "categories": ("We treat the combined data as personal information.", {
        "de": (("Wir behandeln die zusammengeführten Daten als personenbezogene Daten.",),
               "Wir behandeln die zusammengeführten Daten als nicht personenbezogene Daten."),
        "ja": (("当社は、組み合わせた情報を個人情報として取り扱います。",),
               "当社は、組み合わせた情報を非個人情報として取り扱います。"),
        "zh-Hans": (("我们会将结合后的信息作为个人信息处理。",),
                    "我们会将结合后的信息作为非个人信息处理。"),
    }),
    "parties": ("We share your data with the affiliates we control.", {
        "de": (("Wir geben Ihre Daten an die von uns kontrollierten verbundenen Unternehmen weiter.",),
               "Wir geben Ihre Daten an unsere verbundenen Unternehmen weiter."),
        "ja": (("当社は、お客様のデータを当社の支配下にある関連会社と共有します。",),
               "当社は、お客様のデータを当社の関連会社と共有します。"),
        "zh-Hans": (("我们会与我们控制的关联公司共享您的数据。",),
                    "我们会与我们的关联公司共享您的数据。"),
    }),
}


@pytest.mark.parametrize(("feature", "source", "tag", "translation"), params(CASES, "faithful"))
def test_a_faithful_translation_keeps_the_scope(feature: str, source: str, tag: str, translation: str) -> None:
    assert compare(source, translation, tag) == [], show(compare(source, translation, tag))


@pytest.mark.parametrize(("feature", "source", "tag", "translation"), params(CASES, "diverging"))
def test_a_changed_scope_is_caught_as_its_feature(feature: str, source: str, tag: str, translation: str) -> None:
    found = compare(source, translation, tag)
    assert feature in {d.feature for d in found}, show(found)


# -- how values compare -----------------------------------------------------------------------
def test_at_most_and_at_least_are_contrary_and_within_answers_at_most() -> None:
    [d] = compare("We respond within 30 days at the latest.", "Wir antworten frühestens nach 30 Tagen.", "de")
    assert (d.feature, d.missing, d.added) == ("bounds", ("max",), ("min",))
    assert compare("We keep it for at most 30 days.", "Wir bewahren sie innerhalb von 30 Tagen auf.", "de") == []


def test_a_bound_is_read_only_near_a_quantity() -> None:
    assert compare("We keep your data up to date.", "Wir halten Ihre Daten auf dem neuesten Stand.", "de") == []


def test_or_and_and_diverge_only_where_one_replaces_the_other() -> None:
    source = "You can send us a letter or an e-mail."
    # A list without a conjunction says neither.
    assert compare(source, "お客様は、書面、メールで当社にご連絡いただけます。", "ja") == []
    [d] = compare(source, "Sie können uns einen Brief und eine E-Mail senden.", "de")
    assert (d.feature, d.missing, d.added) == ("conjunctions", ("or",), ("and",))


def test_two_negations_say_what_only_says() -> None:
    source = "We do not use cookies for any purpose that this policy does not describe."
    assert compare(source, "Wir verwenden Cookies nur für die in dieser Richtlinie beschriebenen Zwecke.", "de") == []
    assert compare(source, "我们仅将Cookie用于本政策所说明的目的。", "zh-Hans") == []


def test_unless_is_only_if_not() -> None:
    source = "We rely on these interests only where your rights do not prevail."
    assert compare(source, "Wir stützen uns auf diese Interessen, sofern nicht Ihre Rechte überwiegen.", "de") == []


def test_a_user_permission_may_be_stated_as_a_fact_but_not_become_the_company_s() -> None:
    assert compare("You can also reach us by e-mail.", "Sie erreichen uns auch per E-Mail.", "de") == []
    # Japanese leaves the subject out: できます with no subject is read as either.
    assert compare("You can also reach us by e-mail.", "メールでもご連絡いただけます。", "ja") == []
    found = compare("You can object at any time.", "Wir können jederzeit widersprechen.", "de")
    assert [(d.feature, d.source, d.translation) for d in found] == [("modality", ("user-may",), ("may",))]


def test_a_translation_may_name_what_the_source_refers_to_by_a_pronoun() -> None:
    source = "We also collect non-personal information. It helps us improve our services."
    named = "当社は、非個人情報も取得します。非個人情報は、当社のサービスの改善に役立ちます。"
    assert compare(source, named, "ja") == []
    # Without a pronoun in the source sentence, a category the translation adds is its own.
    source = "We also collect non-personal information. We use personal information to improve our services."
    planted = "当社は、非個人情報も取得します。当社は、非個人情報を当社のサービスの改善に利用します。"
    assert "categories" in {d.feature for d in compare(source, planted, "ja")}


def test_a_word_listed_as_written_is_not_read_from_its_stem() -> None:
    # "purchases" shares the stem of "purchaser": only the word as written names a buyer.
    assert compare("We keep records of your purchases.", "Wir bewahren Aufzeichnungen über Ihre Käufe auf.", "de") == []
