"""Notification of significant releases: jobs in a durable outbox, delivered by channels.

::

    changelog entry ─ notice (per locale) ─┐
    policy/notify.yaml ─ channels ─ audience ┴─ jobs ─► Outbox ─ dispatch (worker pool) ─► Channel

- :mod:`.config` reads ``policy/notify.yaml`` (positions kept for messages).
- :mod:`.outbox` is the queue interface (:class:`~.outbox.Outbox`, a Protocol) and
  the retry policy; :mod:`.sqlite` is the default, a single SQLite file;
  :mod:`.postgres` is one queue for delivery processes on several machines;
  :mod:`.rows` reads rows of either back, each problem naming its job.
- :mod:`.channels` holds the :class:`~.channels.Channel` Protocol and the registry
  of channel types (webhook, email, command).
- :mod:`.notice` builds what a job delivers (consent, contacts, localised reasons);
  :mod:`.jobs` turns a release into jobs (streamed); :mod:`.preview` shows them unsent;
  :mod:`.dispatch` runs the bounded pool of workers and renews their leases;
  :mod:`.deadline` bounds each delivery as a whole.

Delivery is at least once, with a stable idempotency key per job
(``document:version:channel:recipient``) that every channel passes on.
"""
