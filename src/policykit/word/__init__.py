"""Word (.docx) files, in and out: the only package that imports python-docx.

- :func:`read` checks a file before python-docx opens it (a zip at all, not encrypted, not a
  zip bomb) and returns its body as plain typed records: paragraphs (heading, list item,
  paragraph) with their runs (bold, italic, code, link), and tables; where each stands (its
  paragraph number) and the ids policyctl left in bookmarks when it wrote the file.
- :class:`Writer` makes a document: headings, paragraphs, lists, tables, bookmarks, and
  tracked changes (``w:ins`` / ``w:del``) with comments, built through python-docx's XML layer.
  Its bytes depend only on what was written into it (fixed dates, fixed zip timestamps).

Nothing else in policykit knows python-docx's types.
"""

from __future__ import annotations

from policykit.word.model import BOOKMARK_PREFIX, Run, WordDocument, WordError, WordParagraph, WordTable
from policykit.word.read import read
from policykit.word.write import Writer

__all__ = ["BOOKMARK_PREFIX", "Run", "WordDocument", "WordError", "WordParagraph", "WordTable", "Writer", "read"]
