"""The static site: every released version in every locale, redlines, feeds, incremental and atomic.

:func:`policykit.site.build.build_site` is the entry point (``policyctl build``
and ``policyctl serve`` call it). Modules, in the order a build uses them:

    plan      versions, what is in force on a date (pending, never in force), every file with its key
    specs     what each file is made from: the artefact with its key, the typed inputs of each producer
    theme     site.yaml: a custom_dir of template and stylesheet overrides, a logo
    cache     content-hash store, input fingerprints, assembling and swapping the site in
    workers   the pool that renders policy pages, PDFs and redlines
    redline   two versions of one locale, block by block, word by word
    marked    two Markdown texts compared keeping emphasis, links, lists and headings
    reasons   what each classified change means for a reader, in the reader's language
    pages     the site's own pages and what it adds to a policy page
    feeds     versions.json, <locale>/current.json, <locale>/changes.atom
    sitemap   sitemap.xml with hreflang alternates
    archive   what a release publishes, rendered to be kept (policykit.published checks it)
"""
