"""End to end on loopback: `policyctl notify` in its own process against real SMTP and HTTP servers."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from notify_project import (
    REPO,
    SUMMARY,
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
RECIPIENTS = {
    "aiko@example.jp": "ja",
    "bernd@example.de": "de",
    "carol@example.com": "en",
    "dana@example.com": "en",  # no locale given: the channel's first
    "paulo@example.com.br": "en",  # pt-BR is not offered: falls back to the first
    "hiro@example.jp": "ja",  # ja-JP → ja
}
RECIPIENT_LINES = """# address  locale
aiko@example.jp ja
bernd@example.de, de
carol@example.com\ten
dana@example.com
paulo@example.com.br pt-BR
hiro@example.jp ja-JP
AIKO@example.jp ja   # the same address again: one message only
"""


@pytest.fixture
def smtp() -> Iterator[SMTPReceiver]:
    server = SMTPReceiver(expected_locale=RECIPIENTS).start()
    yield server
    server.stop()


@pytest.fixture
def released(project: Path) -> Path:
    write_release(project)
    (project / "state").mkdir()
    (project / "state" / "recipients.txt").write_text(RECIPIENT_LINES, "utf-8")
    return project


def webhook(**kw: object) -> WebhookReceiver:
    return WebhookReceiver(**kw).start()  # type: ignore[arg-type]


def status(project: Path) -> dict[str, object]:
    return json.loads(policyctl(project, "notify", "status", "--format", "json").stdout)


def test_every_recipient_gets_one_email_in_their_language(released: Path, smtp: SMTPReceiver) -> None:
    write_config(released, email_channel(smtp.port))
    out = policyctl(released, "notify", "enqueue", VERSION).stdout
    assert "6 job(s) added" in out
    policyctl(released, "notify", "deliver", "--until-empty")
    assert smtp.problems == []
    assert sorted(m.envelope_to[0] for m in smtp.messages) == sorted(RECIPIENTS)
    by_to = {m.envelope_to[0]: m for m in smtp.messages}
    ja = by_to["aiko@example.jp"]
    assert ja.subject == "【プライバシーポリシー改定のお知らせ】2026年6月8日から適用"
    assert SUMMARY["ja"].split("\n")[0] in ja.text and "2026年6月8日" in ja.text
    assert "8. Juni 2026" in by_to["bernd@example.de"].subject
    assert "June 8, 2026" in by_to["carol@example.com"].text
    assert "https://privacy.example.com/ja/9.0.0/" in ja.text
    assert 'href="https://privacy.example.com/de/compare/8.1.0...9.0.0/"' in by_to["bernd@example.de"].html
    # The Message-ID is derived from the idempotency key, so a resent copy can be recognised.
    key = f"privacy-policy:{VERSION}:customers:aiko@example.jp"
    assert str(ja.message["Message-ID"]) == f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@example.com>"
    assert str(ja.message["X-Policyctl-Key"]) == key
    assert status(released)["counts"] == {"pending": 0, "in-flight": 0, "delivered": 6, "failed-retrying": 0,
                                          "dead": 0}


def test_html_in_a_summary_is_escaped_in_the_email(project: Path, smtp: SMTPReceiver) -> None:
    write_release(project, entry(summary={"en": "<script>alert(1)</script> & more", "ja": None, "de": None}))
    (project / "state").mkdir()
    (project / "state" / "recipients.txt").write_text("carol@example.com en\naiko@example.jp ja\n", "utf-8")
    write_config(project, email_channel(smtp.port))
    policyctl(project, "notify", "enqueue", VERSION)
    policyctl(project, "notify", "deliver", "--until-empty")
    html = {m.envelope_to[0]: m.html for m in smtp.messages}
    assert "<script>" not in html["carol@example.com"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html["carol@example.com"]
    # Japanese summary pending: the English one is shown, marked, in its own language.
    assert "まだ翻訳されていません" in html["aiko@example.jp"] and '<div lang="en">' in html["aiko@example.jp"]


def test_enqueue_twice_adds_no_duplicates(released: Path, smtp: SMTPReceiver) -> None:
    receiver = webhook()
    try:
        write_config(released, email_channel(smtp.port) + webhook_channel(receiver.url))
        # 10 lines: AIKO@example.jp repeats aiko@example.jp in other capitals, and is one recipient.
        assert "9 job(s) added, 1 already queued" in policyctl(released, "notify", "enqueue", VERSION).stdout
        assert "0 job(s) added, 10 already queued" in policyctl(released, "notify", "enqueue", VERSION).stdout
        policyctl(released, "notify", "deliver", "--until-empty", env=ENV)
        assert "0 job(s) added" in policyctl(released, "notify", "enqueue", VERSION).stdout  # even after delivery
        policyctl(released, "notify", "deliver", "--until-empty", env=ENV)
        assert len(smtp.messages) == 6 and len(receiver.ids) == 3
    finally:
        receiver.stop()


def test_webhooks_are_signed_and_carry_the_key_as_id(released: Path) -> None:
    import jsonschema

    receiver = webhook()
    try:
        write_config(released, webhook_channel(receiver.url))
        policyctl(released, "notify", "enqueue", VERSION)
        policyctl(released, "notify", "deliver", "--until-empty", env=ENV)
    finally:
        receiver.stop()
    assert receiver.problems == []
    assert sorted(receiver.ids) == [f"privacy-policy:{VERSION}:app:{tag}" for tag in ("de", "en", "ja")]
    schema = json.loads((REPO / "src/policykit/schemas/notice.schema.json").read_text("utf-8"))
    for key, body in receiver.bodies.items():
        jsonschema.validate(body, schema, format_checker=jsonschema.FormatChecker())
        locale = key.rsplit(":", 1)[1]
        data = body["data"]
        assert data["locale"] == locale and data["summary"] == SUMMARY[locale]
        assert [c["path"] for c in data["changes"]] == ["facts.data_categories.device-id"]
    assert receiver.bodies[f"privacy-policy:{VERSION}:app:ja"]["data"]["title"] == "プライバシーポリシー"


def test_a_wrong_secret_is_refused_by_the_receiver_and_retried(released: Path) -> None:
    receiver = webhook()
    try:
        write_config(released, webhook_channel(receiver.url, locales="[en]"), max_attempts=2)
        policyctl(released, "notify", "enqueue", VERSION)
        other = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"
        done = policyctl(released, "notify", "deliver", "--until-empty", env={"TEST_WEBHOOK_SECRET": other},
                         check=False)
        assert done.returncode == 1 and "1 dead job(s)" in done.stderr
    finally:
        receiver.stop()
    assert receiver.problems and "bad signature" in receiver.problems[0]
    assert status(released)["counts"]["dead"] == 1  # 400 from the receiver: not retried


def test_a_receiver_failing_the_first_calls_gets_them_retried_then_delivered(released: Path) -> None:
    receiver = webhook(fail_first=3)
    try:
        write_config(released, webhook_channel(receiver.url, locales="[en]"), max_attempts=5)
        policyctl(released, "notify", "enqueue", VERSION)
        first = policyctl(released, "notify", "deliver", "--once", env=ENV)
        assert "1 to retry" in first.stdout and "HTTP 503" in first.stderr
        assert status(released)["counts"]["failed-retrying"] == 1
        policyctl(released, "notify", "deliver", "--until-empty", env=ENV)
    finally:
        receiver.stop()
    assert receiver.calls == 4 and set(receiver.ids) == {f"privacy-policy:{VERSION}:app:en"}
    assert status(released)["counts"]["delivered"] == 1


def test_a_receiver_answering_410_makes_the_job_dead_after_one_try(released: Path) -> None:
    receiver = webhook(status=410)
    try:
        write_config(released, webhook_channel(receiver.url, locales="[en, ja]"))
        policyctl(released, "notify", "enqueue", VERSION)
        done = policyctl(released, "notify", "deliver", "--until-empty", env=ENV, check=False)
        assert done.returncode == 1 and "2 dead job(s) in the outbox (2 from this run)" in done.stderr
        assert receiver.calls == 2
        text = policyctl(released, "notify", "status", VERSION).stdout
        assert "2 dead" in text and "HTTP 410" in text and f"privacy-policy:{VERSION}:app:ja" in text
        # Fixed on the receiver's side: retry the dead jobs.
        receiver.status = 200
        assert "2 job(s) made pending again" in policyctl(released, "notify", "retry", "--dead").stdout
        policyctl(released, "notify", "deliver", "--until-empty", env=ENV)
    finally:
        receiver.stop()
    assert status(released)["counts"]["delivered"] == 2 and receiver.calls == 4


def test_a_worker_killed_mid_delivery_loses_nothing_and_doubles_nothing(released: Path) -> None:
    receiver = webhook(hold_first=True)
    try:
        write_config(released, webhook_channel(receiver.url), lease="PT1S", workers=1)
        policyctl(released, "notify", "enqueue", VERSION)
        worker = subprocess.Popen(
            [sys.executable, str(REPO / "policyctl.py"), "-C", str(released), "notify", "deliver", "--until-empty"],
            env={**os.environ, **ENV}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert receiver.holding.wait(60), "the first webhook never arrived"
        worker.send_signal(signal.SIGKILL)  # mid-delivery: the request is out, no answer yet
        worker.wait(30)
        held = receiver.ids[0]
        assert status(released)["counts"]["in-flight"] >= 1
        receiver.release.set()
        policyctl(released, "notify", "deliver", "--until-empty", env=ENV)  # waits for the lease, then redelivers
    finally:
        receiver.stop()
    counts = status(released)["counts"]
    assert counts["delivered"] == 3 and counts["in-flight"] == 0
    expected = {f"privacy-policy:{VERSION}:app:{tag}" for tag in ("en", "ja", "de")}
    assert set(receiver.ids) == expected  # every recipient, and only under its one key
    repeats = Counter(receiver.ids)
    assert repeats[held] == 2 and all(repeats[k] == 1 for k in expected - {held})


def test_a_command_channel_gets_the_job_on_stdin(released: Path, tmp_path: Path) -> None:
    out = tmp_path / "received"
    out.mkdir()
    script = released / "state" / "post.py"
    script.write_text(
        "import json, os, sys\n"
        "job = json.load(sys.stdin)\n"
        f"if job['recipient'] == 'de' and job['attempt'] == 1:\n    sys.exit('try again later')\n"
        f"open(os.path.join({str(out)!r}, job['recipient']), 'w').write(json.dumps(job))\n", "utf-8")
    channel = (f"  - id: status-page\n    type: command\n    locales: [en, de]\n"
               f"    command: [{sys.executable}, state/post.py]\n")
    write_config(released, channel)
    policyctl(released, "notify", "enqueue", VERSION)
    done = policyctl(released, "notify", "deliver", "--until-empty")
    assert "try again later" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["de", "en"]
    job = json.loads((out / "de").read_text("utf-8"))
    assert job["key"] == f"privacy-policy:{VERSION}:status-page:de" and job["attempt"] == 2
    assert job["notice"]["data"]["summary"] == SUMMARY["de"]


def test_delivery_without_the_secret_in_the_environment_is_refused(released: Path) -> None:
    write_config(released, webhook_channel("https://hooks.example.com/x"))
    policyctl(released, "notify", "enqueue", VERSION)  # queueing needs no secret
    done = policyctl(released, "notify", "deliver", "--once", check=False)
    assert done.returncode == 1
    assert "TEST_WEBHOOK_SECRET is not set" in done.stderr and "Traceback" not in done.stderr


def test_a_release_that_is_not_significant_is_not_enqueued(project: Path) -> None:
    write_release(project, entry(version="9.0.1", level="editorial"))
    write_config(project, webhook_channel("https://hooks.example.com/x"))
    done = policyctl(project, "notify", "enqueue", "9.0.1", check=False)
    assert done.returncode == 1 and "editorial: users need no notice" in done.stderr
    assert "3 job(s) added" in policyctl(project, "notify", "enqueue", "9.0.1", "--any-level").stdout


def test_an_unknown_version_is_a_clear_error(released: Path) -> None:
    write_config(released, webhook_channel("https://hooks.example.com/x"))
    done = policyctl(released, "notify", "enqueue", "7.0.0", check=False)
    assert done.returncode == 1 and "no release '7.0.0'" in done.stderr and VERSION in done.stderr


def test_slow_receivers_are_waited_for_only_as_long_as_the_timeout(released: Path) -> None:
    receiver = webhook(hold_first=True)
    try:
        config = webhook_channel(receiver.url, locales="[en]").replace("timeout: PT5S", "timeout: PT0.5S")
        write_config(released, config)
        policyctl(released, "notify", "enqueue", VERSION)
        done = policyctl(released, "notify", "deliver", "--once", env=ENV)
        assert "no complete answer within 0.5 s" in done.stderr
    finally:
        receiver.stop()
    assert status(released)["counts"]["failed-retrying"] == 1
