"""HTML comparison reports written for the editor, and the ignore lists kept per workspace."""

from __future__ import annotations

import json
import re
from pathlib import Path

from docdiff.model import Report

from .analysis import Ignores
from .confine import write_text
from .convert import html_escape

__all__ = ["load_ignores", "render_report", "report_path", "save_ignores", "summary_of"]


def render_report(report: Report) -> str:
    """The report as a self-contained HTML page (the project's renderer when present)."""
    try:
        from docdiff.render.html import render_html
    except ImportError:
        return _fallback_html(report)
    page: str = render_html(report)
    return page


def _fallback_html(report: Report) -> str:
    """A minimal page: each pair's summary and its passages side by side."""
    rows: list[str] = []
    for pair in report.pairs:
        a, b = report.document(pair.a), report.document(pair.b)
        s = pair.summary
        rows.append(
            f"<h2>{html_escape(a.path or a.id)} ↔ {html_escape(b.path or b.id)}</h2>"
            f"<p>similarity {s.similarity:.0f}, distinctive {s.distinctive_similarity:.0f}, "
            f"coverage {s.coverage_a:.0f} / {s.coverage_b:.0f}</p><table>"
            "<tr><th>kind</th><th>score</th><th>here</th><th>source</th></tr>"
        )
        rows.extend(
            f"<tr><td>{m.kind.value}</td><td>{m.score:.0f}</td>"
            f"<td>{html_escape(a.slice(m.a.span))}</td><td>{html_escape(b.slice(m.b.span))}</td></tr>"
            for m in pair.matches
        )
        rows.append("</table>")
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>docdiff report</title>'
        "<style>body{font-family:sans-serif}td{vertical-align:top;border-top:1px solid #ccc}"
        "</style></head><body><h1>docdiff report</h1>" + "".join(rows) + "</body></html>"
    )


def report_path(folder: Path, *names: str) -> Path:
    """Where a report comparing `names` is written (inside the workspace's .docdiff folder)."""
    stem = "--".join(re.sub(r"[^\w.-]+", "_", Path(n).stem)[:60] for n in names) or "report"
    return folder / "reports" / f"{stem}.html"


def summary_of(report: Report, path: Path) -> dict[str, object]:
    """What a report command returns to the client: the file and the headline figures."""
    best = report.pairs[0] if report.pairs else None
    return {
        "report": str(path),
        "uri": path.resolve().as_uri(),
        "title": path.stem,
        "summary": (
            {
                "similarity": best.summary.similarity,
                "distinctive_similarity": best.summary.distinctive_similarity,
            }
            if best
            else {"similarity": 0.0, "distinctive_similarity": 0.0}
        ),
        "passages": sum(len(p.matches) for p in report.pairs),
    }


def _state_file(folder: Path) -> Path:
    return folder / "lsp-state.json"


def load_ignores(folder: Path | None) -> tuple[Ignores, str | None]:
    """The ignore lists saved in `folder`, plus a problem message when the file is unreadable."""
    if folder is None or not _state_file(folder).is_file():
        return Ignores(), None
    try:
        data = json.loads(_state_file(folder).read_text(encoding="utf-8"))
        return (
            Ignores(
                sources=frozenset(map(str, data.get("ignoredSources", []))),
                formulae=frozenset(map(str, data.get("ignoredFormulae", []))),
                quotations=frozenset(map(str, data.get("quotations", []))),
            ),
            None,
        )
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        return Ignores(), f"{_state_file(folder)}: cannot read the ignore lists ({exc})"


def save_ignores(folder: Path | None, ignores: Ignores) -> None:
    """Persist the ignore lists (no-op without a workspace folder)."""
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "ignoredSources": sorted(ignores.sources),
        "ignoredFormulae": sorted(ignores.formulae),
        "quotations": sorted(ignores.quotations),
    }
    write_text(
        _state_file(folder), json.dumps(data, indent=2, ensure_ascii=False) + "\n", within=folder
    )
