"""policy/notify.yaml: every problem reported with its place; secrets never from the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from notify_project import REPO, policyctl

from policykit.errors import InvalidPolicy
from policykit.notify.config import parse_config


def problems(text: str) -> list[str]:
    with pytest.raises(InvalidPolicy) as info:
        parse_config(text.encode(), "policy/notify.yaml")
    return [str(d) for d in info.value.diagnostics]


def test_the_real_projects_config_reads_cleanly() -> None:
    config = parse_config((REPO / "policy" / "notify.yaml").read_bytes())
    assert [(c.id, c.type) for c in config.channels] == [
        ("app-backend", "webhook"), ("customers-email", "email"), ("audit-log", "command")]
    assert config.outbox.path == ".policyctl/outbox.sqlite3" and config.outbox.lease == 300


def test_a_secret_written_into_the_file_is_an_error_at_its_line() -> None:
    found = problems("channels:\n  - id: app\n    type: webhook\n    url: https://h.example.com/\n"
                     "    secret: whsec_abc\n    locales: [en]\n")
    assert any(p.startswith("policy/notify.yaml:5:5: error:") and "never write a secret" in p for p in found)


def test_an_unknown_channel_type_suggests_the_right_one() -> None:
    [p] = problems("channels:\n  - id: app\n    type: webhok\n    locales: [en]\n")
    assert p.startswith("policy/notify.yaml:3:11:") and "did you mean 'webhook'" in p


def test_plain_http_is_only_for_localhost() -> None:
    [p] = problems("channels:\n  - id: app\n    type: webhook\n    url: http://hooks.example.com/\n"
                   "    secret_env: S\n    locales: [en]\n")
    assert "must use https" in p and p.startswith("policy/notify.yaml:4:10:")


def test_an_smtp_password_is_never_sent_without_tls() -> None:
    found = problems("channels:\n  - id: mail\n    type: email\n    host: smtp.example.com\n    tls: none\n"
                     "    password_env: P\n    username_env: U\n    from: a@example.com\n"
                     "    recipients: {file: r.txt}\n    locales: [en]\n")
    assert any("tls: none would send the SMTP password in clear text" in p for p in found)


def test_every_problem_is_reported_at_once() -> None:
    found = problems(
        "outbox:\n  workers: 0\n  lease: 5 minutes\n"
        "channels:\n"
        "  - id: Mail\n    type: email\n    locales: [en]\n"
        "  - id: mail\n    type: email\n    locales: [xx-invalid-!]\n    host: h\n    from: not-an-address\n"
        "    recipients: {file: a, command: [b]}\n"
        "  - id: cmd\n    type: command\n    locales: [en]\n")
    text = "\n".join(found)
    for expected in ("'workers' in outbox must be a whole number ≥ 1", "'lease' in outbox must be a positive ISO 8601",
                     "channel id 'Mail'", "not a BCP 47 locale tag", "`from` must be an address",
                     "exactly one of `file` or `command`", "channel 'cmd' needs `command`"):
        assert expected in text, expected


def test_channels_without_locales_are_refused() -> None:
    [p] = problems("channels:\n  - id: app\n    type: command\n    command: [true]\n")
    assert "needs `locales`" in p


def test_a_missing_config_is_a_clear_error(project: Path) -> None:
    (project / "policy" / "notify.yaml").unlink(missing_ok=True)
    done = policyctl(project, "notify", "deliver", "--once", check=False)
    assert done.returncode == 1 and "policy/notify.yaml not found" in done.stderr


def test_a_broken_config_reports_file_line_col_and_no_traceback(project: Path) -> None:
    (project / "policy" / "notify.yaml").write_text("channels:\n  - id: app\n    type: [\n", "utf-8")
    done = policyctl(project, "notify", "deliver", "--once", check=False)
    assert done.returncode == 1 and "policy/notify.yaml:" in done.stderr and "Traceback" not in done.stderr


def test_the_outbox_url_must_hold_no_password_and_the_path_must_stay_inside() -> None:
    found = problems("outbox:\n  url: postgresql://notify:hunter2@db.example.com/policy\nchannels: []\n")
    assert any(p.startswith("policy/notify.yaml:2:") and "holds a password" in p for p in found)
    found = problems("outbox:\n  path: /var/lib/outbox.sqlite3\nchannels: []\n")
    assert any("must be relative to the project folder" in p for p in found)
    found = problems("outbox:\n  path: state/../../outbox.sqlite3\nchannels: []\n")
    assert any("leaves the project folder" in p for p in found)
    config = parse_config(b"outbox:\n  url: postgresql://notify@db.example.com/policy\nchannels: []\n")
    assert config.outbox.url == "postgresql://notify@db.example.com/policy"


def test_an_email_channel_needs_an_https_one_click_unsubscribe_url() -> None:
    channel = ("channels:\n  - id: mail\n    type: email\n    locales: [en]\n    host: smtp.example.com\n"
               "    from: Privacy <privacy@example.com>\n    recipients: {file: r.txt}\n")
    parse_config(channel.encode())  # optional (enqueue warns without it), so older files stay valid
    found = problems(channel + "    unsubscribe: http://example.com/u?r={recipient}\n")
    assert any(p.startswith("policy/notify.yaml:8:") and "must be an https URL" in p for p in found)
    found = problems(channel + "    unsubscribe: https://example.com/u?r={address}\n")
    assert any("bad placeholder" in p for p in found)
    found = problems(channel + "    unsubscribe: https://example.com/u?r={recipient}\n    reply_to: not an address\n")
    assert any("`reply_to` must be an address" in p for p in found)


def test_the_consent_url_must_be_an_http_url() -> None:
    found = problems("urls:\n  consent: javascript:alert(1)\nchannels: []\n")
    assert any(p.startswith("policy/notify.yaml:2:") and "urls.consent must be an http(s) URL" in p for p in found)
