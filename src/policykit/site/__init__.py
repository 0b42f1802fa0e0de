"""The static site: every released version in every locale, redlines, feeds, incremental and atomic.

:func:`policykit.site.build.build_site` is the entry point (``policyctl build``
and ``policyctl serve`` call it). Modules, in the order a build uses them:

    plan      versions, what is in force on a date, every file with the key of its inputs
    cache     content-hash store, input fingerprints, assembling and swapping the site in
    workers   the pool that renders policy pages, PDFs and redlines
    redline   two versions of one locale, block by block, word by word
    pages     the site's own pages and what it adds to a policy page
    feeds     versions.json, <locale>/current.json, <locale>/changes.atom
    sitemap   sitemap.xml with hreflang alternates
"""
