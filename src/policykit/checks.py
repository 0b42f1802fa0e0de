"""The policy's own checks: ids, references, values, text, translations.

Each check yields diagnostics and registers itself with :mod:`policykit.validate`;
nothing here prints or exits.
"""

from __future__ import annotations

from collections.abc import Iterator

from policykit import markdown
from policykit.diagnostics import Diagnostic, Pos, error, warning
from policykit.model import Block, Policy, Section, source_hash
from policykit.validate import register, register_whole
from policykit.vocabulary import (
    check_value,
    close_match,
    control_problem,
    did_you_mean,
    duration_days,
    fact_kinds,
    url_problem,
)


def text_pos(start: Pos, finding: markdown.TextFinding) -> Pos:
    """The file position of a finding inside a text that starts at ``start``."""
    if finding.line == 0:
        return Pos(start.file, start.line, start.col + finding.col)
    return Pos(start.file, start.line + finding.line, start.col + finding.col)


@register
def check_document(policy: Policy) -> Iterator[Diagnostic]:
    if policy.notice_period and duration_days(policy.notice_period) is None:
        yield error(policy.where("notice_period"),
                    f"notice_period {policy.notice_period!r} is not an ISO 8601 duration (e.g. P30D)",
                    "schema.duration")
    if policy.unplaced_facts not in ("end-of-section", "error"):
        yield error(policy.where("unplaced_facts"), f"unplaced_facts is {policy.unplaced_facts!r}; use "
                    "`end-of-section` (facts no block shows appear at the end of their section) or `error`",
                    "schema.enum")
    if policy.base_url:
        problem = url_problem(policy.base_url, allow_mailto=False)
        if problem:
            yield error(policy.where("base_url"), f"base_url: {problem}", "links.url")
    if policy.controller.country:
        from policykit.vocabulary import Attribute

        problem = check_value(Attribute("country", "country"), policy.controller.country, {})
        if problem:
            yield error(policy.where("controller.country"), f"controller country {problem}", "schema.country")
    if policy.source_locale and policy.source_locale not in policy.locales and policy.source_locale_ok:
        yield error(policy.where("locales"),
                    f"the source locale {policy.source_locale!r} must be published: add it to `locales`",
                    "locale.source")
    if policy.authoritative_locale and policy.authoritative_locale not in policy.locales:
        yield error(policy.where("authoritative_locale"),
                    f"authoritative locale {policy.authoritative_locale!r} is not in `locales`", "locale.authoritative")
    for tag in set(policy.locales) & set(policy.fallback_locales):
        yield error(policy.where("fallback_locales"),
                    f"locale {tag!r} is in both `locales` and `fallback_locales`", "locale.duplicate")


@register
def check_facts(policy: Policy) -> Iterator[Diagnostic]:
    kinds = fact_kinds()
    ids: dict[str, set[str]] = {}
    for item in policy.facts():
        seen = ids.setdefault(item.kind, set())
        if item.id in seen:
            first = policy.fact(item.kind, item.id)
            assert first is not None
            yield error(item.where("id"),
                        f"{item.kind} id {item.id!r} is used twice (first in section {first.section!r}, "
                        f"{first.pos}); fact ids must be unique per kind", "ids.duplicate")
        seen.add(item.id)
    for item in policy.facts():
        if not item.label.strip():
            yield error(item.where("label"), f"{item.kind} item {item.id!r} has an empty label", "schema.empty")
        for name, value in item.attrs.items():
            attr = kinds[item.kind].attributes[name]
            values = value if attr.list else (value,)
            if attr.list and not isinstance(value, tuple):
                yield error(item.where(name), f"{name!r} must be a list", "schema.type")
                continue
            for v in values:
                is_ref = attr.type.startswith("ref:") or (
                    attr.type == "contact-or-url" and not str(v).startswith(("http://", "https://"))
                )
                if policy.unloaded_sections and is_ref:
                    continue  # the item may be in a section that failed to load; that error is reported
                problem = check_value(attr, v, ids)
                if problem:
                    yield error(item.where(name), f"{item.kind} item {item.id!r}: {name} {problem}", "facts.value")


def _text_blocks(policy: Policy) -> Iterator[tuple[Section, Block]]:
    for section in policy.sections:
        for block in section.blocks:
            yield section, block


@register
def check_blocks(policy: Policy) -> Iterator[Diagnostic]:
    for section in policy.sections:
        if not section.title.strip() and section.title_pos != section.pos:  # a missing one: the loader said
            yield error(section.title_pos, f"section {section.id!r} has an empty title", "schema.empty")
        for i, block in enumerate(section.blocks):
            if block.list is not None:
                if block.list not in section.facts:
                    where = [s.id for s in policy.sections if block.list in s.facts]
                    hint = (f" (it is in section {where[0]!r}; a list block renders its own section's facts)"
                            if where else did_you_mean(block.list, section.facts or fact_kinds()))
                    yield error(block.text_pos,
                                f"block {section.id}.{block.id} lists {block.list!r}, but section "
                                f"{section.id!r} has no such facts{hint}", "refs.list")
                continue
            if block.text is None:
                continue
            if not block.text.strip():
                yield error(block.text_pos, f"block {section.id}.{block.id} has empty text", "schema.empty")
                continue
            for finding in markdown.check(block.text):
                yield Diagnostic(text_pos(block.text_pos, finding), finding.severity,  # type: ignore[arg-type]
                                 f"{section.id}.{block.id}: {finding.message}", finding.code)
            yield from check_links(policy, block.text, block.text_pos, f"{section.id}.{block.id}")
            nxt = section.blocks[i + 1] if i + 1 < len(section.blocks) else None
            if markdown.ends_with_colon(block.text) and not (
                nxt is not None and (nxt.list is not None or (nxt.text and markdown.starts_with_list(nxt.text)))
            ):
                yield warning(block.text_pos,
                              f"{section.id}.{block.id} ends with a colon but no list follows; "
                              "was a list lost?", "markdown.lost-list")


def anchors(policy: Policy) -> dict[str, str]:
    """Every place a link inside the policy can reach (``#<anchor>``), each with what it is."""
    out: dict[str, str] = {}
    for section in policy.sections:
        out[section.id] = f"section {section.id!r}"
        for block in section.blocks:
            out[f"{section.id}.{block.id}"] = f"block {block.id!r} of section {section.id!r}"
        for kind, items in section.facts.items():
            for item in items:
                out[item.path] = f"the {kind} item {item.id!r}"
    return out


def check_links(policy: Policy, text: str, start: Pos, where: str, prefix: str = "") -> Iterator[Diagnostic]:
    """Each link inside the policy that ``text`` (at ``start``) makes must reach a section, a block or a fact."""
    links = markdown.internal_links(text)
    if not links:
        return
    known = anchors(policy)
    for link in links:
        target = link.target[1:]
        if target in known or target.split(".", 1)[0] in policy.unloaded_sections:
            continue  # a section that did not load: its error is reported already
        pos = text_pos(start, markdown.TextFinding(link.line, link.col, "error", "", ""))
        folded = {k.casefold(): k for k in known}
        near = folded.get(target.casefold()) or close_match(target, known, cutoff=0.5)
        yield error(pos, f"{prefix}{where}: the link {link.target} reaches nothing: no section, block or fact "
                    f"has the id {target!r}", "links.internal", length=len(link.target),
                    hint=f"did you mean #{near} ({known[near]})?" if near else
                    "link to #<section>, #<section>.<block> or #facts.<kind>.<id>, as written in policy/sections/")


@register
def check_translations(policy: Policy) -> Iterator[Diagnostic]:
    """What a translator owns: ids that exist in the source, and the Markdown of a current translation.

    A *stale* translation (its source changed since) is not checked against the new source:
    it waits for its translator, and :func:`policykit.i18n.gate.coverage` reports it.
    """
    sections = {s.id: s for s in policy.sections}
    for tag, lt in policy.translations.items():
        for sid, st in lt.sections.items():
            section = sections.get(sid)
            if section is None:
                continue  # the source section did not load; that error is reported already
            for bid, t in st.blocks.items():
                block = section.block(bid)
                if block is None or block.text is None:
                    known = [b.id for b in section.blocks if b.text is not None]
                    yield error(t.pos, f"[{tag}] {sid}.{bid}: no text block with this id in the source"
                                f"{did_you_mean(bid, known)}", "locale.unknown-block")
                    continue
                for finding in markdown.check(t.text):
                    if finding.code != "markdown.lost-list":
                        yield Diagnostic(text_pos(t.pos, finding), finding.severity,  # type: ignore[arg-type]
                                         f"[{tag}] {sid}.{bid}: {finding.message}", finding.code)
                yield from check_links(policy, t.text, t.pos, f"{sid}.{bid}", f"[{tag}] ")
                if t.source_hash != source_hash(block.text):
                    continue  # stale: it will be translated again from the new source
                for difference in markdown.structure(block.text).differences(markdown.structure(t.text)):
                    yield error(t.pos, f"[{tag}] {sid}.{bid}: the translation's Markdown differs from its "
                                f"source: {difference}", "locale.structure",
                                hint="a translation keeps the links, list items and emphasis of its source")
            for (kind, fid), t in st.labels.items():
                if not any(f.id == fid for f in section.facts.get(kind, ())):
                    known = [f.id for f in section.facts.get(kind, ())]
                    yield error(t.pos, f"[{tag}] no {kind} item {fid!r} in section {sid!r}"
                                f"{did_you_mean(fid, known)}", "locale.unknown-fact")


@register_whole  # published means translated (waits until every file reads)
def check_coverage(policy: Policy) -> Iterator[Diagnostic]:
    """Published means translated (:func:`policykit.i18n.gate.coverage`, which every release runs too)."""
    from policykit.i18n.gate import coverage

    yield from coverage(policy)


@register
def check_control_characters(policy: Policy) -> Iterator[Diagnostic]:
    """Titles, names and labels are one line without control characters: they become mail subjects and
    headers, where a line break would end the header (or fail every message of that language). Running
    text may hold line feeds and tabs, and no other control character."""
    def one(pos: Pos, what: str, text: str | None, single_line: bool = True) -> Iterator[Diagnostic]:
        problem = control_problem(text or "", single_line=single_line)
        if problem:
            yield error(pos, f"{what} {problem}", "text.control")

    yield from one(policy.where("title"), "the title", policy.title)
    yield from one(policy.where("controller.name"), "the controller's name", policy.controller.name)
    for section in policy.sections:
        yield from one(section.title_pos, f"the title of section {section.id!r}", section.title)
        for block in section.blocks:
            yield from one(block.text_pos, f"block {section.id}.{block.id}", block.text, single_line=False)
    for item in policy.facts():
        yield from one(item.where("label"), f"the label of {item.kind} item {item.id!r}", item.label)
    for tag, lt in policy.translations.items():
        for what, t in (("title", lt.title), ("controller name", lt.controller_name)):
            if t is not None:
                yield from one(t.pos, f"[{tag}] the {what}", t.text)
        for sid, st in lt.sections.items():
            if st.title is not None:
                yield from one(st.title.pos, f"[{tag}] the title of section {sid!r}", st.title.text)
            for bid, t in st.blocks.items():
                yield from one(t.pos, f"[{tag}] block {sid}.{bid}", t.text, single_line=False)
            for (kind, fid), t in st.labels.items():
                yield from one(t.pos, f"[{tag}] the label of {kind} item {fid!r}", t.text)
