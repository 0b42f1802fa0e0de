"""What ``validate`` says about completeness: references, waivers, missing items, implausible claims.

* errors: a ``jurisdictions:`` id, a ``satisfies:`` id or a waived requirement
  that no requirement set defines; a waiver twice or without a reason;
* warnings: a requirement that is missing (not waived); a waiver of a
  requirement that is met after all; a ``satisfies:`` on a requirement only
  facts can meet (it is ignored); a block that declares a requirement but no
  mentions none of its keywords, in the source or in a translation.
"""

from __future__ import annotations

from collections.abc import Iterator

from policykit.completeness.assess import assess
from policykit.completeness.requirements import Requirement, all_requirements, jurisdictions
from policykit.diagnostics import Diagnostic, Pos, error, warning
from policykit.model import Block, Policy, Section
from policykit.validate import register_whole
from policykit.vocabulary import did_you_mean


def problems(policy: Policy, *, reasons: bool = True) -> list[Diagnostic]:
    """Wrong references and waivers: errors (and ignored declarations: warnings).

    ``reasons=False`` leaves out the waiver without a reason, which the loader
    already reports for a policy read from files.
    """
    known = jurisdictions()
    requirements = all_requirements()
    out: list[Diagnostic] = []
    for jid in policy.jurisdictions:
        if jid not in known:
            out.append(error(policy.where("jurisdictions"),
                             f"no requirement set for jurisdiction {jid!r}{did_you_mean(jid, known)}; "
                             f"known: {', '.join(known)}", "completeness.unknown-jurisdiction"))
    for section in policy.sections:
        for block in section.blocks:
            for rid in block.satisfies:
                req = requirements.get(rid)
                if req is None:
                    out.append(error(block.pos, f"{section.id}.{block.id} satisfies {rid!r}, which no requirement "
                                     f"set defines{did_you_mean(rid, requirements)}",
                                     "completeness.unknown-requirement"))
                elif not req.declarable:
                    out.append(warning(block.pos, f"{section.id}.{block.id} declares {rid}, but only facts can meet "
                                       f"it ({req.title}); the declaration is ignored", "completeness.not-declarable"))
    seen: dict[str, Pos] = {}
    for w in policy.waivers:
        if w.requirement not in requirements:
            out.append(error(w.pos, f"waiver of {w.requirement!r}: no requirement set defines it"
                             f"{did_you_mean(w.requirement, requirements)}", "completeness.unknown-requirement"))
        if w.requirement in seen:
            out.append(error(w.pos, f"{w.requirement} is waived twice (first at line {seen[w.requirement].line})",
                             "completeness.waiver-twice"))
        seen.setdefault(w.requirement, w.pos)
        if reasons and not w.reason.strip():
            out.append(error(w.pos, f"the waiver of {w.requirement} has no reason: write why the requirement is "
                             "knowingly not met (`reason:`)", "completeness.waiver-reason"))
    return out


def _mentions(text: str, keywords: tuple[str, ...]) -> bool:
    flat = " ".join(text.casefold().split())
    return any(k in flat for k in keywords)


def _block_text(section: Section, block: Block) -> str:
    if block.text is not None:
        return block.text
    return "\n".join(f.label for f in section.facts.get(block.list or "", ()))


def implausible(policy: Policy) -> Iterator[Diagnostic]:
    """Blocks that declare a requirement but no longer mention what it is about."""
    requirements = all_requirements()
    for section in policy.sections:
        for block in section.blocks:
            for rid in block.satisfies:
                req = requirements.get(rid)
                if req is None or not req.declarable:
                    continue
                words = req.keywords_for(policy.source_locale)
                if words and not _mentions(_block_text(section, block), words):
                    yield _implausible(block.text_pos, f"{section.id}.{block.id}", req, words, "")
                for tag, lt in sorted(policy.translations.items()):
                    st = lt.sections.get(section.id)
                    t = st.blocks.get(block.id) if st else None
                    words = req.keywords_for(tag)
                    if t is not None and words and not _mentions(t.text, words):
                        yield _implausible(t.pos, f"{section.id}.{block.id}", req, words, f"[{tag}] ")


def _implausible(pos: Pos, ref: str, req: Requirement, words: tuple[str, ...], prefix: str) -> Diagnostic:
    return warning(pos, f"{prefix}{ref} declares {req.id} ({req.title}) but mentions none of the words that "
                   f"usually say it: {', '.join(words)}", "completeness.implausible",
                   hint=f"a heuristic: if the text does say it, in other words, nothing is wrong; if it no longer "
                   f"does, say it again or take {req.id} out of `satisfies`")


@register_whole
def check_completeness(policy: Policy) -> Iterator[Diagnostic]:
    """The ``validate`` check: reference problems, missing requirements, unneeded waivers, implausible claims."""
    yield from problems(policy, reasons=False)
    known = jurisdictions()
    sets = [known[j] for j in policy.jurisdictions if j in known]
    report = assess(policy, sets)
    where = policy.where("jurisdictions")
    for jr in report.jurisdictions:
        for f in jr.findings:
            req = f.requirement
            if f.status == "missing":
                yield warning(where, f"{req.id} is missing ({req.title}; {req.citation}): {'; '.join(f.gaps)}. "
                              "Add the evidence, or waive it in policy.yaml with a reason",
                              "completeness.missing")
    waived = {w.requirement: w for w in policy.waivers}
    for rid, w in waived.items():
        found = report.finding(rid)
        if found is not None and found.status in ("met", "not-applicable"):
            state = "met" if found.status == "met" else "not applicable"
            yield warning(w.pos, f"{rid} is waived but is {state}: the waiver can go", "completeness.waiver-unneeded")
    yield from implausible(policy)
