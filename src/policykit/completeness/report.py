"""The completeness report as text (a terminal), Markdown (a README, a pull request) or JSON (a machine)."""

from __future__ import annotations

import json
from typing import Any

from policykit.completeness.assess import CompletenessReport, RequirementFinding
from policykit.completeness.evidence import Evidence

FORMATS = ("text", "markdown", "json")
SHOWN = 5  # evidence items listed per requirement in text and Markdown (JSON lists all)
_LABEL = {"met": "met", "missing": "MISSING", "waived": "waived", "not-applicable": "n/a"}


def _why(f: RequirementFinding) -> list[str]:
    """The lines that explain a finding: its evidence, what is missing, the waiver, or the condition."""
    req = f.requirement
    if f.status == "met":
        return [f"evidence: {_refs(f.evidence) or '(nothing to show: no item needs it)'}"]
    if f.status == "not-applicable":
        return [f"applies only when {req.condition}; here: {'; '.join(f.gaps)}"]
    lines = [f"not found: {'; '.join(f.gaps)}"]
    if f.applies_because:
        lines.append(f"applies because {req.condition}: {_refs(f.applies_because)}")
    if f.waiver is not None:
        lines.insert(0, f"waived: {' '.join(f.waiver.reason.split())}")
    return lines


def _refs(evidence: tuple[Evidence, ...]) -> str:
    refs = [str(e) for e in evidence]
    return ", ".join(refs[:SHOWN]) + (f" and {len(refs) - SHOWN} more" if len(refs) > SHOWN else "")


def render_text(report: CompletenessReport) -> str:
    out: list[str] = []
    for jr in report.jurisdictions:
        j = jr.jurisdiction
        out.append(f"{j.id} — {j.title}")
        width = max(len(f.requirement.id) for f in jr.findings)
        for f in jr.findings:
            req = f.requirement
            out.append(f"  {_LABEL[f.status]:<8} {req.id:<{width}}  {req.title} [{req.citation}]")
            out.extend(f"  {'':<8} {'':<{width}}    {line}" for line in _why(f))
        out.append(jr.summary)
        out.append("")
    return "\n".join(out).rstrip("\n")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _link(e: Evidence, link_base: str) -> str:
    if link_base and not link_base.endswith("/"):
        link_base += "/"
    target = f"{link_base}{e.pos.file}" + (f"#L{e.pos.line}" if e.pos.line else "")
    return f"[`{e.ref}`]({target})" if e.pos.file else f"`{e.ref}`"


def render_markdown(report: CompletenessReport, *, link_base: str = "") -> str:
    """Tables, one per jurisdiction; evidence links to ``file#Lline`` (relative to the project, after ``link_base``)."""
    out: list[str] = []
    for jr in report.jurisdictions:
        j = jr.jurisdiction
        out += [f"#### {j.id}: {j.title}", "", "| Status | Requirement | Evidence, or what is missing |",
                "|---|---|---|"]
        for f in jr.findings:
            req = f.requirement
            status = {"met": "met", "missing": "**missing**", "waived": "waived",
                      "not-applicable": "not applicable"}[f.status]
            what = f"`{req.id}` {_cell(req.title)} ({_cell(req.citation)})"
            if f.status == "met":
                why = ", ".join(_link(e, link_base) for e in f.evidence[:SHOWN]) or "nothing to show: no item needs it"
                if len(f.evidence) > SHOWN:
                    why += f" and {len(f.evidence) - SHOWN} more"
            else:
                why = "<br>".join(_cell(line) for line in _why(f))
            out.append(f"| {status} | {what} | {why} |")
        out += ["", f"**{jr.summary}**", ""]
    return "\n".join(out).rstrip("\n")


def _pos(e: Evidence) -> dict[str, Any]:
    return {"ref": e.ref, "file": e.pos.file, "line": e.pos.line, "col": e.pos.col, "shown_in": e.shown_in}


def render_json(report: CompletenessReport) -> str:
    data = {
        "ok": report.ok,
        "jurisdictions": [
            {
                "id": jr.jurisdiction.id,
                "title": jr.jurisdiction.title,
                "law": jr.jurisdiction.law,
                "summary": jr.summary,
                "counts": {s: jr.count(s) for s in ("met", "missing", "waived", "not-applicable")},
                "requirements": [
                    {
                        "id": f.requirement.id,
                        "title": f.requirement.title,
                        "citation": f.requirement.citation,
                        "status": f.status,
                        "condition": f.requirement.condition or None,
                        "evidence": [_pos(e) for e in f.evidence],
                        "applies_because": [_pos(e) for e in f.applies_because],
                        "gaps": list(f.gaps),
                        "waiver": None if f.waiver is None else {
                            "reason": f.waiver.reason, "file": f.waiver.pos.file, "line": f.waiver.pos.line},
                    }
                    for f in jr.findings
                ],
            }
            for jr in report.jurisdictions
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def render(report: CompletenessReport, fmt: str, *, link_base: str = "") -> str:
    """``link_base``: put before each evidence link of the markdown, so links work where it is read
    (a pull-request comment: ``https://github.com/ORG/REPO/blob/SHA/``)."""
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report, link_base=link_base)
    return render_text(report)
