"""The translation workflow: status, PO/XLIFF round trips, glossary, release gate.

::

    catalog   the translatable units of a policy for a locale, and writing them back
    status    translated / diverging / stale / missing per locale, with the source diff since then
    segment   words, lemmas and sentences of ja, zh, de, en (SudachiPy, rjieba, Snowball stems; lazy)
    lexicon   the features (data/fidelity/features.yaml) and the words of each language
    quantities numbers, durations, dates and ages read from a text
    reading   what a sentence binds, feature by feature
    align     which sentences of a translation say what which source sentences say
    fidelity  a translation (or an edit of one) compared with its source on what binds
    history   the source text a stale translation was made from (from git history)
    po        gettext PO export and import (polib)
    xliff     XLIFF 1.2 export and import
    glossary  per-locale terms (locales/<tag>/glossary.yaml) and the consistency check
    gate      which changed units of a locale block a release
    notice    the controlling-language notice of a translated page
    scaffold  ``i18n new``: a new locale folder, registered unpublished

Nothing here is imported at CLI start-up; the loader imports only ``glossary``.
"""
