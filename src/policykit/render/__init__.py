"""Render a :class:`~policykit.localise.LocalisedPolicy` as HTML, PDF or JSON.

``render_html(localised) -> str`` (:mod:`.html`), ``render_pdf(localised) -> bytes``
(:mod:`.pdf`, the only module that imports WeasyPrint, and only when called) and
``render_json(localised) -> dict`` (:mod:`.json`) are plain functions of typed
objects, safe to call from a worker process. :mod:`.formats` registers them as the
output formats of ``policyctl build``.
"""
