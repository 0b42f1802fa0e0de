"""How the rules see a change: one or more flat *observations* per change.

An observation is a flat mapping such as ``{"on": "fact", "change": "added",
"fact": "purposes", "taxonomy": ...}``; for prose there is one per finding of
:func:`policykit.compare.prose.analyse` (``{"on": "text", "feature": "modal", "direction":
"widening", ...}``). :class:`Context` carries what an observation needs beyond the
change itself: both versions, the sentences that moved between blocks, and what
the old version already names.
"""

from __future__ import annotations

import json
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from policykit.compare import contacts, prose, recipients, topics
from policykit.compare.diff import Change
from policykit.compare.findings import Known, delta
from policykit.compare.rules import RuleSet
from policykit.compare.text import foreign_sentences, normalise, strip_punctuation
from policykit.model import Policy
from policykit.taxonomy import is_under
from policykit.vocabulary import duration_days, fact_kinds

if TYPE_CHECKING:  # imported where a translation edit is read
    from policykit.i18n.fidelity import Readings


@dataclass
class Context:
    """What classification needs beyond the change itself."""

    rules: RuleSet
    before: Policy | None = None
    after: Policy | None = None
    moved: dict[str, Counter[str]] = field(default_factory=dict)  # locale -> sentences that moved
    lent: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)  # (locale, path) -> went elsewhere
    borrowed: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)  # came edited
    known: Known = field(default_factory=Known)
    relaid: frozenset[str] = frozenset()  # paths of texts whose words all stand unchanged in the running text
    switched: str = ""  # "en → de" when the source text is written in another language than before
    written: str = ""  # the language the new version's source text is written in, as its words show
    # What the translation edits' sentences state, each (text, language) read once per diff: the
    # source sentence of three translations is read once (policykit.i18n.fidelity.edit_divergences).
    readings: Readings = field(default_factory=dict)

    def language(self, change: Change) -> str:
        if change.locale:
            return change.locale
        policy = self.after or self.before
        return policy.source_locale if policy else "en"


def _texts(change: Change) -> tuple[str, str] | None:
    """The before and after text of a change that is prose, or None."""
    b, a = change.before, change.after
    textual = change.kind in ("text-changed", "retitled") or (change.target == "block" and change.kind in
                                                              ("added", "removed") and not isinstance(b or a, dict))
    plain = isinstance(b, (str, type(None))) and isinstance(a, (str, type(None)))
    if plain and (change.locale or (textual and change.target in ("block", "fact"))):
        return b or "", a or ""
    return None


def observations(change: Change, ctx: Context) -> list[dict[str, Any]]:
    """How the rules see ``change``: one or more flat observations."""
    base: dict[str, Any] = {"change": change.kind, "path": change.path, "label": change.label,
                            "locale": change.locale or "source", "translation": bool(change.locale),
                            "before": _show(change.before), "after": _show(change.after),
                            "detail": f"{_show(change.before)} → {_show(change.after)}"}
    texts = _texts(change)
    if texts is not None and change.locale and change.before is not None and change.after is not None:
        return _translation_observations(change, base, ctx)
    whole = _whole_text_observation(change, base, texts, ctx)
    if whole is not None:
        return whole
    if texts is not None and change.kind == "removed" and not change.locale and _cut_short(ctx):
        return [{**base, "on": "text", "target": "block", "feature": "truncated", "direction": "neutral",
                 "detail": "the new version stops where the old one went on", "topic": ""}]
    if texts is not None:
        # A block whose id names a definition: its first sentence defines a term (prose.analyse
        # reports a `definition` finding only for a substantive hunk in a defining sentence).
        definition_block = "defin" in change.path.rsplit(".", 1)[-1] and change.target == "block"
        fact = change.path.split(".")[1] if change.target == "fact" else ""
        where = (change.locale, change.path)
        findings = prose.analyse(*texts, ctx.rules.lexicons, moved=ctx.moved.get(change.locale),
                                 lent=ctx.lent.get(where), borrowed=ctx.borrowed.get(where, ()), known=ctx.known,
                                 known_words=_dictionary(ctx.language(change)), definition_block=definition_block,
                                 fact=fact, old_context=_old_section_text(change, ctx),
                                 english=ctx.language(change).split("-")[0] == "en")
        target = {"fact": "label", "block": "block", "section": "title"}.get(change.target, "metadata")
        d = delta(*texts)
        changed = (*d.removed, *d.added)
        out = [{**base, "on": "text", "target": target, "feature": f.feature, "direction": f.direction,
                "detail": f.detail, "defines": False, **({"fact": fact} if fact else {}), **f.props,
                "topic": topics.of_text(f.feature, f.detail, changed, change.section)}
               for f in findings] or [{**base, "on": "text", "feature": "format", "direction": "neutral"}]
        where_base = {**base, "target": target, **({"fact": fact} if fact else {})}
        out += _recipient_widened(change, ctx, texts, out, where_base)
        if fact:
            for obs in out:
                if obs["feature"] == "country":
                    listed = _listed_countries(change, ctx)
                    if listed is not None:
                        # The item lists where its data goes: a country it lists is judged there; another
                        # one the label names is the origin or a description, not a destination.
                        code = obs.get("value")
                        members = set(ctx.rules.lexicons.country_groups.get(str(code), ()))
                        obs["trend"] = "listed" if code in listed or members & listed else "mentioned"
        return out
    if change.target == "policy":
        key = change.path.removeprefix("policy.")
        return [{**base, "on": "metadata", "field": key, "trend": _trend(key, change.before, change.after)}]
    if change.target == "fact":
        return [_fact_observation(change, base, ctx)]
    obs = {**base, "on": change.target}
    if change.target == "block" and change.kind == "attribute-changed":
        obs["attribute"] = change.path.rsplit(".", 1)[-1]
    table = next((v["list"] for v in (change.after, change.before) if isinstance(v, dict) and v.get("list")), None)
    if change.target == "block" and change.kind in ("added", "removed") and table:
        obs["fact"] = table  # a table of facts published (or no longer) where this block stands
        spec = fact_kinds().get(str(table))
        obs["detail"] = spec.caption if spec else str(table)
    return [obs]


def _whole_text_observation(change: Change, base: dict[str, Any], texts: tuple[str, str] | None,
                            ctx: Context) -> list[dict[str, Any]] | None:
    """What the whole document says of a change of the source text, before its words are read: the text
    switched language, a sentence is in another language than the policy's, or its words only moved in the
    running text (renumbered, split, merged); None when none of these holds."""
    if ctx.switched and not change.locale and change.target in ("section", "block") and \
            (texts is not None or change.kind in ("added", "removed", "retitled")):
        return [{**base, "on": "text", "target": change.target, "feature": "language-switched", "direction": "neutral",
                 "detail": f"the text is now written in another language ({ctx.switched})", "topic": ""}]
    # (the policy's language as its text shows it: a text the history imported from another language's page is
    # read against its own language, not the one it declares)
    written = ctx.written or (ctx.language(change) if ctx.after or ctx.before else "")
    foreign = foreign_sentences(*texts, written, ctx.rules.lexicons) if texts is not None and \
        not change.locale and not ctx.switched else []
    if foreign:
        return [{**base, "on": "text", "target": change.target, "feature": "foreign-sentence", "direction": "neutral",
                 "detail": f"a sentence in another language than the policy's ({written}): "
                           f"“{foreign[0][:80]}”", "topic": ""}]
    if change.path in ctx.relaid and not change.locale:
        return [{**base, "on": "text", "target": change.target, "feature": "relaid", "direction": "neutral",
                 "detail": "the same words in the same order as the other version has them: only the numbering, "
                           "the markup or the split into headings and paragraphs changed", "topic": ""}]
    return None


def _translation_observations(change: Change, base: dict[str, Any], ctx: Context) -> list[dict[str, Any]]:
    """An edit of a translation alone, held to the controlling text (:mod:`policykit.i18n.fidelity`): it
    opens a divergence from the source, touches a word that binds, repairs a divergence, or only rewords."""
    from policykit.i18n.fidelity import describe, edit_divergences

    before, after = str(change.before), str(change.after)
    if normalise(before) == normalise(after) or \
            strip_punctuation(before) == strip_punctuation(after):
        return [{**base, "on": "text", "feature": "format", "direction": "neutral",
                 "detail": "only white space, punctuation or markup changed"}]
    source_after = _source_text(ctx.after, change) or ""
    source_before = _source_text(ctx.before, change) or source_after
    tag = change.locale
    either = ctx.after or ctx.before
    source_tag = either.source_locale if either is not None else "en"
    fid = edit_divergences(source_before, source_after, before, after, tag, source_tag=source_tag,
                           readings=ctx.readings)
    text = {**base, "on": "text", "target": "translation"}
    if fid.opened:
        d = fid.opened[0]
        where = f" (the source says: “{d.source_sentence}”; the translation: “{d.translated_sentence}”)" \
            if d.source_sentence else ""
        return [{**text, "feature": "translation-diverges", "direction": "widening",
                 "detail": "; ".join(describe(x) for x in fid.opened) + where}]
    if source_before != source_after:
        # The source changed too (it is judged on its own): a translation that follows it, opening no
        # divergence, changes nothing more for its readers.
        return [{**text, "feature": "translation-follows", "direction": "neutral",
                 "detail": "the translation follows its source's change and states what it states"}]
    if fid.repaired:  # (a repair touches binding words: that is what it repairs)
        return [{**text, "feature": "translation-repaired", "direction": "narrowing",
                 "detail": "; ".join(describe(x) for x in fid.repaired)}]
    if fid.binding:
        return [{**text, "feature": "translation-binding", "direction": "neutral",
                 "detail": "; ".join(str(b) for b in fid.binding)}]
    return [{**text, "feature": "translation-faithful", "direction": "neutral",
             "detail": "the translation is reworded; it states what the controlling text states on every point "
                       "that binds"}]


CUT_SHORT_BLOCKS = 3  # a single closing paragraph deleted is an edit, judged as one


def _cut_short(ctx: Context) -> bool:
    """Whether the new version is the old one cut short: every block it has reads as the old version's, in
    the same order, the last one possibly cut off, and the rest of the old version (``CUT_SHORT_BLOCKS`` or
    more) is missing: what a capture that stopped early looks like, or the end of a policy deleted.
    Decided once per comparison."""
    found = ctx.__dict__.get("_cut_short")
    if found is None:
        found = False
        if ctx.before is not None and ctx.after is not None:
            old = [b.text or "" for s in ctx.before.sections for b in s.blocks]
            new = [b.text or "" for s in ctx.after.sections for b in s.blocks]
            found = (0 < len(new) <= len(old) - CUT_SHORT_BLOCKS and new[:-1] == old[:len(new) - 1]
                     and old[len(new) - 1].startswith(new[-1]))
        ctx.__dict__["_cut_short"] = found
    return bool(found)


def _source_text(policy: Policy | None, change: Change) -> str | None:
    """The source text a translated text (title, block, label) translates, in ``policy``."""
    if policy is None:
        return None
    path = change.path
    fixed = {"policy.title": policy.title, "policy.controller.name": policy.controller.name,
             "policy.controller.representative": policy.controller.representative}
    if path in fixed:
        return fixed[path]
    if path.startswith("facts."):
        _, kind, fid, *_ = path.split(".")
        item = policy.fact(kind, fid)
        return item.label if item else None
    sid, _, bid = path.partition(".")
    section = policy.section(sid)
    if section is None:
        return None
    if not bid:
        return section.title
    block = section.block(bid)
    return block.text if block else None


def _fact_observation(change: Change, base: dict[str, Any], ctx: Context) -> dict[str, Any]:
    parts = change.path.split(".")
    kind, item_id = parts[1], parts[2]
    attribute = parts[3] if len(parts) > 3 else None
    item = (ctx.after.fact(kind, item_id) if ctx.after else None) or (
        ctx.before.fact(kind, item_id) if ctx.before else None)
    attrs: dict[str, Any] = dict(item.attrs) if item else {}
    if change.kind in ("added", "removed") and isinstance(change.after or change.before, dict):
        attrs = {k: v for k, v in (change.after or change.before).items() if k != "label"}
    obs = {**base, "on": "fact", "fact": kind, "taxonomy": attrs.get("taxonomy"),
           **{f"item.{k}": v for k, v in attrs.items() if isinstance(v, (str, int, bool))}}
    if isinstance(attrs.get("period"), str):
        obs["period_days"] = duration_days(attrs["period"])
    if attribute == "countries":
        obs["countries_added"] = sorted(set(change.after or ()) - set(change.before or ()))
    elif change.kind == "added" and isinstance(attrs.get("countries"), (list, tuple)):
        obs["countries_added"] = sorted(map(str, attrs["countries"]))
    if change.kind in ("added", "removed"):
        obs["detail"] = change.label
    if attribute:
        obs["attribute"] = attribute
        obs["value"] = change.after
        obs["value_before"] = change.before
        obs["trend"] = _trend(attribute, change.before, change.after, kind)
        if attribute == "taxonomy":
            obs["taxonomy"] = change.after
    return obs


def _old_section_text(change: Change, ctx: Context) -> str | None:
    """For a new block: what its section said in the old version (the topic's old text)."""
    if change.before is not None or change.target != "block" or ctx.before is None:
        return None
    section = ctx.before.section(change.section)
    if section is None:
        return None
    return "\n\n".join(b.text for b in section.blocks if b.text)


def _recipient_widened(change: Change, ctx: Context, texts: tuple[str, str], found: list[dict[str, Any]],
                       base: dict[str, Any]) -> list[dict[str, Any]]:
    """What reads as a recipient taken out may be its limit taken out, or the recipient described anew
    (:mod:`policykit.compare.recipients`): asked of an English change that reads as narrowing."""
    if ctx.language(change).split("-")[0] != "en" or not any(o["direction"] == "narrowing" for o in found):
        return []
    widened = recipients.recipients_widened(*texts, ctx.rules.lexicons)
    return [{**base, "on": "text", "feature": "recipient-widened", "direction": "widening", "detail": widened,
             "defines": False, "topic": "recipient"}] if widened else []


def _listed_countries(change: Change, ctx: Context) -> set[str] | None:
    """The countries the fact item whose label ``change`` is lists, or None when it lists none."""
    parts = change.path.split(".")
    item = ctx.after.fact(parts[1], parts[2]) if ctx.after and len(parts) > 2 else None
    countries = set(item.attrs.get("countries") or ()) if item else set()
    return countries or None


def _trend(name: str, before: Any, after: Any, kind: str | None = None) -> str:
    """How a value moved: longer/shorter, lower/higher, set/unset, added-items, widened …"""
    if before is None or before == "" or before == ():
        return "set"
    if after is None or after == "" or after == ():
        return "unset"
    if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)):
        sa, sb = set(map(str, before)), set(map(str, after))
        return "added-items" if sb > sa else "removed-items" if sb < sa else "changed-items"
    if isinstance(after, bool):
        return "true" if after else "false"
    if isinstance(before, int) and isinstance(after, int):
        return "lower" if after < before else "higher"
    attr_type = ""
    if kind is not None:
        spec = fact_kinds().get(kind)
        attr = spec.attributes.get(name) if spec else None
        attr_type = attr.type if attr else ""
    if name == "notice_period" or attr_type in ("duration", "lifetime"):
        da, db = _length(str(before)), _length(str(after))
        if da is not None and db is not None and da != db:
            return "longer" if db > da else "shorter"
    if attr_type.startswith("taxonomy:"):
        return "narrowed" if is_under(str(after), str(before)) else "widened"
    if attr_type in ("email", "url"):
        return "same-domain" if contacts.host(str(before)) == contacts.host(str(after)) else "domain-changed"
    if isinstance(before, str) and isinstance(after, str) and strip_punctuation(before) == \
            strip_punctuation(after):
        return "format"
    return "changed"


def _length(value: str) -> float | None:
    if value == "session":
        return 0.0
    if value == "persistent":
        return float("inf")
    return duration_days(value)


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return str(value.get("label") or value.get("list") or ", ".join(f"{k}: {v}" for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(str, value)) + "]" if value else "[]"
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:79] + "…"


@cache
def _dictionary_text(language: str) -> str | None:
    """The word list pyspellchecker ships for ``language`` (``"word": count``, one a line), lowercased, or
    None. Looked up as text, not parsed: the few words of a possible typo fix cost a millisecond each
    once the list is read (0.04 s of CPU), where ``SpellChecker`` parses all 160,000 English words (0.24 s).
    ``known`` answers as ``SpellChecker.known`` does (held to it by tests/diff/test_diff_fast_paths.py)."""
    import gzip
    from importlib.resources import files

    lang = language.split("-")[0].lower()
    try:
        packed = files("spellchecker").joinpath("resources", f"{lang}.json.gz").read_bytes()
    except (ImportError, OSError):
        return None
    return "\n" + gzip.decompress(packed).decode("utf-8").lower()


def _number(word: str) -> bool:
    """A word the library never checks, as a number (``float`` reads it), bar nan and inf."""
    if word in ("nan", "inf", "infinity"):
        return False
    try:
        float(word)
    except ValueError:
        return False
    return True


def _dictionary(language: str) -> Callable[[set[str]], set[str]]:
    """Which of some words a dictionary of ``language`` knows (for typo fixes); none without a dictionary.

    The dictionary is read (about 0.04 s) only when a possible typo fix needs it.
    """

    def known(words: set[str]) -> set[str]:
        text = _dictionary_text(language)
        if text is None:
            return set()
        lowered = {w.lower() for w in words}
        return {w for w in lowered if f"\n{json.dumps(w, ensure_ascii=False)}:" in text and not _number(w)
                and not (len(w) == 1 and w in string.punctuation)}

    return known
