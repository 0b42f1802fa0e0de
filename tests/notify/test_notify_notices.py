"""What a notice says (issue #12 item 1): read back from a real SMTP server and a real HTTP server on loopback,
for a release that needs fresh consent and for one that needs notice only."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from notify_project import (
    CONSENT_URL,
    REPO,
    VERSION,
    email_channel,
    entry,
    policyctl,
    webhook_channel,
    write_config,
    write_release,
)
from notify_servers import SECRET, SMTPReceiver, WebhookReceiver

ENV = {"TEST_WEBHOOK_SECRET": SECRET}
LOCALES = {"aiko@example.jp": "ja", "bernd@example.de": "de", "carol@example.com": "en", "li@example.cn": "zh-Hans"}
# What the old notices said: continued use taken as acceptance (not consent: GDPR Art. 4(11), 7).
CONTINUED_USE = ("If you keep using our services", "ご利用いただく場合は、新しい版が適用", "weiter nutzen, gilt",
                 "继续使用即视为")


@pytest.fixture
def smtp() -> Iterator[SMTPReceiver]:
    server = SMTPReceiver(expected_locale=LOCALES).start()
    yield server
    server.stop()


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    yield server
    server.stop()


def deliver(project: Path, smtp: SMTPReceiver, hook: WebhookReceiver, *, consent: bool) -> None:
    write_release(project, entry(consent=consent))
    (project / "state").mkdir()
    (project / "state" / "recipients.txt").write_text("".join(f"{a} {t}\n" for a, t in LOCALES.items()), "utf-8")
    write_config(project, email_channel(smtp.port).replace("[en, ja, de]", "[en, ja, de, zh-Hans]")
                 + webhook_channel(hook.url))
    policyctl(project, "notify", "enqueue", VERSION)
    policyctl(project, "notify", "deliver", "--until-empty", env=ENV)
    assert smtp.problems == [] and hook.problems == []


def test_a_release_that_needs_consent_asks_for_it_in_every_email_and_never_implies_it(
        project: Path, smtp: SMTPReceiver, hook: WebhookReceiver) -> None:
    deliver(project, smtp, hook, consent=True)
    by_to = {m.envelope_to[0]: m for m in smtp.messages}
    assert sorted(by_to) == sorted(LOCALES)
    asks = {"en": "We need your consent", "ja": "同意のお願い", "de": "Wir bitten um Ihre Einwilligung",
            "zh-Hans": "请您作出同意选择"}
    for address, tag in LOCALES.items():
        mail = by_to[address]
        link = CONSENT_URL.format(locale=tag, version=VERSION)
        assert asks[tag] in mail.text and asks[tag] in mail.html, tag
        assert link in mail.text and f'href="{link}"' in mail.html, tag
        assert not any(phrase in mail.text for phrase in CONTINUED_USE), mail.text
    # Continued use is named only to say it is not consent.
    assert "continuing to use our services does not count as consent" in by_to["carol@example.com"].text
    # The change that needs consent is marked, in the reader's language.
    assert "(needs your consent)" in by_to["carol@example.com"].text
    assert "（同意が必要です）" in by_to["aiko@example.jp"].text or "(同意が必要です)" in by_to["aiko@example.jp"].text


def test_every_email_names_the_dpo_and_the_controller_and_carries_unsubscribe_and_reply_to(
        project: Path, smtp: SMTPReceiver, hook: WebhookReceiver) -> None:
    deliver(project, smtp, hook, consent=False)
    for m in smtp.messages:
        headers = m.message
        assert "dpo-jp@huawei.com" in m.text and 'href="mailto:dpo-jp@huawei.com"' in m.html
        assert "Huawei Industrial Base" in m.text
        # RFC 2369 / RFC 8058: an https one-click unsubscribe for this very recipient.
        unsubscribe = str(headers["List-Unsubscribe"])
        assert unsubscribe == f"<https://account.example.com/unsubscribe?address={m.envelope_to[0]}>"
        assert str(headers["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
        assert str(headers["Reply-To"]) == "dpo-jp@huawei.com"  # the policy's DPO when the channel names none
    ja = next(m for m in smtp.messages if m.language == "ja")
    assert "華為技術有限公司" in ja.text or "ファーウェイ" in ja.text or "Huawei" in ja.text


def test_a_notice_only_release_says_when_it_applies_and_asks_nothing(
        project: Path, smtp: SMTPReceiver, hook: WebhookReceiver) -> None:
    deliver(project, smtp, hook, consent=False)
    en = next(m for m in smtp.messages if m.language == "en")
    assert "The new version applies from June 8, 2026. You do not need to do anything." in en.text
    assert "consent" not in en.text.lower()
    for m in smtp.messages:
        assert not any(phrase in m.text for phrase in CONTINUED_USE), m.text
    body = hook.bodies[f"privacy-policy:{VERSION}:app:en"]["data"]
    assert body["consent"] is False and body["consent_url"] is None
    assert [c["consent"] for c in body["changes"]] == [False]


def test_the_chinese_email_is_in_chinese(project: Path, smtp: SMTPReceiver, hook: WebhookReceiver) -> None:
    deliver(project, smtp, hook, consent=True)
    zh = next(m for m in smtp.messages if m.envelope_to[0] == "li@example.cn")
    assert zh.language == "zh-Hans" and 'lang="zh-Hans"' in zh.html
    assert zh.subject == "隐私政策更新通知：自2026年6月8日起适用"
    assert "我们更新了隐私政策" in zh.text and "继续使用我们的服务不视为同意" in zh.text
    assert "我们收集的个人信息类型发生变化" in zh.text  # the reason, in Chinese


def test_the_webhook_carries_consent_overall_and_per_change_localised_reasons_and_its_language(
        project: Path, smtp: SMTPReceiver, hook: WebhookReceiver) -> None:
    import jsonschema

    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    deliver(project, smtp, hook, consent=True)
    schema = json.loads((REPO / "src/policykit/schemas/notice.schema.json").read_text("utf-8"))
    for tag in ("en", "ja", "de"):
        key = f"privacy-policy:{VERSION}:app:{tag}"
        body = hook.bodies[key]
        jsonschema.validate(body, schema, format_checker=jsonschema.FormatChecker())
        assert hook.headers[key]["content-language"] == tag
        data = body["data"]
        assert data["consent"] is True and data["consent_url"] == CONSENT_URL.format(locale=tag, version=VERSION)
        assert {c["path"]: c["consent"] for c in data["changes"]} == {
            "facts.data_categories.device-id": False, "facts.purposes.profiling": True}
        assert all(c["reason_locale"] == tag for c in data["changes"])
        assert data["contacts"]["dpo"]["email"] == "dpo-jp@huawei.com"
        assert data["contacts"]["controller"]["address"].startswith("Huawei Industrial Base")
        # The event's time, not midnight of the publication date.
        stamp = dt.datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00"))
        assert stamp >= before and body["timestamp"] != "2026-05-04T00:00:00Z"
    ja = hook.bodies[f"privacy-policy:{VERSION}:app:ja"]["data"]["changes"]
    de = hook.bodies[f"privacy-policy:{VERSION}:app:de"]["data"]["changes"]
    assert ja[1]["reason"] == "個人データの利用目的が追加または変更されます。"
    assert de[0]["reason"].startswith("Die Arten personenbezogener Daten")
    en = hook.bodies[f"privacy-policy:{VERSION}:app:en"]["data"]["changes"]
    assert en[0]["reason"].startswith("A new category of personal data is collected")


def test_a_release_that_needs_consent_is_not_queued_without_a_consent_link(project: Path) -> None:
    write_release(project, entry(consent=True))
    write_config(project, webhook_channel("https://hooks.example.com/x"))
    config = project / "policy" / "notify.yaml"
    config.write_text(config.read_text("utf-8").replace(f'  consent: "{CONSENT_URL}"\n', ""), "utf-8")
    done = policyctl(project, "notify", "enqueue", VERSION, check=False)
    assert done.returncode == 1 and "needs fresh consent" in done.stderr and "urls.consent" in done.stderr
    assert "nothing was queued" in done.stderr and not (project / "state" / "outbox.sqlite3").exists()


def test_without_a_base_url_enqueue_warns_that_the_notice_has_no_link(project: Path) -> None:
    policy = project / "policy" / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace("base_url: https://privacy.example.com/\n", ""), "utf-8")
    write_release(project)
    write_config(project, webhook_channel("https://hooks.example.com/x"))
    done = policyctl(project, "notify", "enqueue", VERSION)
    assert "warning: the notice has no link to the new version: set base_url" in done.stderr


def test_preview_shows_the_exact_email_and_webhook_without_sending(
        project: Path, smtp: SMTPReceiver, hook: WebhookReceiver) -> None:
    write_release(project, entry(consent=True))
    (project / "state").mkdir()
    (project / "state" / "recipients.txt").write_text("aiko@example.jp ja\ncarol@example.com en\n", "utf-8")
    write_config(project, email_channel(smtp.port) + webhook_channel(hook.url))
    shown = policyctl(project, "notify", "preview", VERSION, "--locale", "ja", env=ENV).stdout
    assert "=== customers (email) · ja · aiko@example.jp" in shown
    assert "Subject: 【プライバシーポリシー改定のお知らせ】2026年6月8日から適用" in shown
    assert "List-Unsubscribe: <https://account.example.com/unsubscribe?address=aiko@example.jp>" in shown
    assert "--- text/plain ---" in shown and "--- text/html ---" in shown and "同意のお願い" in shown
    assert "=== app (webhook) · ja · ja" in shown and "content-language: ja" in shown
    assert "webhook-signature: v1," in shown and '"consent":true' in shown
    only = policyctl(project, "notify", "preview", VERSION, "--channel", "app", "--locale", "en").stdout
    assert "(signed when delivered" in only and "customers" not in only
    assert smtp.count == 0 and hook.calls == 0 and not (project / "state" / "outbox.sqlite3").exists()
    bad = policyctl(project, "notify", "preview", VERSION, "--channel", "nope", check=False)
    assert bad.returncode == 1 and "no channel 'nope'" in bad.stderr


def test_a_release_superseded_before_it_took_effect_is_not_notified_and_its_successor_carries_its_changes(
        project: Path, hook: WebhookReceiver) -> None:
    first = entry(version="9.0.0", published=dt.date(2026, 5, 4), effective=dt.date(2026, 6, 8))
    second = entry(version="10.0.0", previous="9.0.0", published=dt.date(2026, 5, 20), effective=dt.date(2026, 6, 20),
                   path="facts.data_categories.location", consent=True)
    write_release(project, first)
    write_release(project, second)
    write_config(project, webhook_channel(hook.url, locales="[en]"))
    refused = policyctl(project, "notify", "enqueue", "9.0.0", check=False)
    assert refused.returncode == 1 and "superseded by 10.0.0" in refused.stderr and "--superseded" in refused.stderr
    policyctl(project, "notify", "enqueue", "10.0.0")
    policyctl(project, "notify", "deliver", "--until-empty", env=ENV)
    assert hook.ids == ["privacy-policy:10.0.0:app:en"]
    paths = [c["path"] for c in hook.bodies["privacy-policy:10.0.0:app:en"]["data"]["changes"]]
    assert paths == ["facts.data_categories.location", "facts.purposes.profiling", "facts.data_categories.device-id"]
    assert "1 job(s) added" in policyctl(project, "notify", "enqueue", "9.0.0", "--superseded").stdout


def test_status_shows_progress_and_rate_per_channel(project: Path, smtp: SMTPReceiver, hook: WebhookReceiver) -> None:
    deliver(project, smtp, hook, consent=False)
    text = policyctl(project, "notify", "status").stdout
    assert "customers: 4 of 4 delivered (100.0% settled), 0 dead, 0 retrying, 0 to go" in text
    assert "app: 3 of 3 delivered" in text and "/s over the last minute" in text
    data = json.loads(policyctl(project, "notify", "status", "--format", "json").stdout)
    assert {c["channel"]: c["counts"]["delivered"] for c in data["channels"]} == {"app": 3, "customers": 4}


def test_release_is_told_which_releases_its_new_one_supersedes(project: Path) -> None:
    from policykit.notify.jobs import superseded_note

    first = write_release(project, entry(version="9.0.0", effective=dt.date(2026, 6, 8)))
    second = write_release(project, entry(version="10.0.0", previous="9.0.0", published=dt.date(2026, 5, 20),
                                          effective=dt.date(2026, 6, 20)))
    note = superseded_note(project, second)
    assert note is not None and note.startswith("9.0.0 (effective 2026-06-08) superseded before taking effect")
    assert "10.0.0's notice carries its changes" in note
    assert superseded_note(project, first) is None
    # A later editorial release sends no notice: it supersedes nothing for notification.
    write_release(project, entry(version="10.0.1", level="editorial", previous="10.0.0",
                                 published=dt.date(2026, 6, 1), effective=dt.date(2026, 6, 1)))
    from policykit.changelog import read_entries
    from policykit.notify.jobs import superseded_by

    assert superseded_by(second, read_entries(project)) is None


def test_an_email_channel_without_an_unsubscribe_url_is_warned_about(project: Path) -> None:
    write_release(project)
    (project / "state").mkdir()
    (project / "state" / "recipients.txt").write_text("carol@example.com en\n", "utf-8")
    write_config(project, email_channel(25).replace('    unsubscribe: "https://account.example.com/unsubscribe?'
                                                    'address={recipient}"\n', ""))
    done = policyctl(project, "notify", "enqueue", VERSION)
    assert "channel 'customers' has no `unsubscribe` URL" in done.stderr and "1 job(s) added" in done.stdout
