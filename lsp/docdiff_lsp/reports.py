"""Reports written for the editor, and the project file (``.docdiff.toml``) as the server uses it.

* The letter report (Show Similarity Report): this letter's sources ranked, short names, the
  same figures as the status bar, and a link to one pair report per source.
* Pair reports: the project's HTML renderer on one pair, formulae named by family label.
* The ignore lists and kinds live in the workspace's ``.docdiff.toml`` (beside the server's
  ``.docdiff`` folder), so an ignore made in the editor also holds for ``docdiff scan``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from docdiff.corpus.metadata import date_of
from docdiff.errors import DocdiffError
from docdiff.model import Document, PairResult, Report
from docdiff.project import FILE_NAME, Project, add_ignores, load_project

from .analysis import (
    Analysis,
    Counts,
    Ignores,
    Passage,
    counts_of,
    family_label,
    group_passages,
    normalise,
    policy_for,
)
from .confine import write_text
from .convert import html_escape, quoted, source_name
from .settings import Settings

__all__ = [
    "apply_project",
    "letter_report",
    "load_ignores",
    "pair_counts",
    "project_file",
    "render_report",
    "report_path",
    "save_ignores",
    "summary_of",
]


def render_report(report: Report, families: Mapping[str, str] | None = None) -> str:
    """A pair or corpus report as a self-contained HTML page, formulae named by family."""
    from docdiff.render.html import render_html

    page: str = render_html(_with_labels(report, families or {}))
    return page


def _with_labels(report: Report, families: Mapping[str, str]) -> Report:
    """`report` with each formula match naming its family label instead of its template."""
    pairs = tuple(
        replace(
            pair,
            matches=tuple(
                replace(m, formula=family_label(m.formula, families)) if m.formula else m
                for m in pair.matches
            ),
        )
        for pair in report.pairs
    )
    return replace(report, pairs=pairs)


def report_path(folder: Path, *names: str) -> Path:
    """Where a report comparing `names` is written (inside the workspace's .docdiff folder)."""
    stem = "--".join(re.sub(r"[^\w.-]+", "_", Path(n).stem)[:60] for n in names) or "report"
    return folder / "reports" / f"{stem}.html"


def pair_counts(doc: Document, report: Report, settings: Settings, ignores: Ignores) -> Counts:
    """The figures of a pair report, counted the way the editor counts a letter's marks."""
    passages, sources = group_passages(
        doc, report, ignores, settings.options.kinds, policy_for(settings, ignores)
    )
    similar = [(p, d) for p, d in sources if round(p.summary.similarity) >= 1]
    return counts_of(passages, similar)


def summary_of(report: Report, path: Path, counts: Counts) -> dict[str, object]:
    """What a report command returns to the client: the file and the same figures the
    status bar shows."""
    best = max(report.pairs, key=lambda p: p.summary.similarity, default=None)
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
        "passages": counts.reused,
        "counts": counts.to_json(),
        "headline": counts.headline(),
    }


# -- the letter report ------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:60rem;padding:0 1rem;
color:#1f2328;background:#fff}
h1{font-size:1.35rem;margin:0 0 .2rem}h2{font-size:1.1rem;margin:1.6rem 0 .4rem}
.headline{font-size:1.05rem;margin:.2rem 0 1rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;
padding:.35rem .5rem;border-bottom:1px solid #d0d7de}th{font-weight:600;background:#f6f8fa}
td.num,th.num{text-align:right;white-space:nowrap}
.kind{display:inline-block;padding:0 .4rem;border-radius:.6rem;font-size:.8rem;
background:#ddf4ff}.kind.echo,.kind.formula,.kind.name{background:#eaeef2}
.muted{color:#59636e;font-size:.9rem}q{quotes:"“" "”"}
@media (prefers-color-scheme:dark){body{background:#1e1e1e;color:#d4d4d4}
th{background:#2d2d2d}th,td{border-color:#444}.kind{background:#264f78}
.kind.echo,.kind.formula,.kind.name{background:#3a3d41}.muted{color:#9da5b4}a{color:#4daafc}}
"""

_OPEN_SCRIPT = """<script>
(function(){
  var api = typeof acquireVsCodeApi === "function" ? acquireVsCodeApi() : null;
  document.addEventListener("click", function(e){
    var a = e.target.closest ? e.target.closest("a[data-report]") : null;
    if (!a || !api) { return; }
    e.preventDefault();
    api.postMessage({openReport: a.getAttribute("data-report")});
  });
})();
</script>"""


def letter_report(
    analysis: Analysis, pair_links: Mapping[str, Path], folder: Path, families: Mapping[str, str]
) -> str:
    """The report about one letter: headline, sources ranked with links to each pair report,
    then every passage shown in the editor with its kind and the source's wording."""
    doc = analysis.doc
    name = source_name(doc)
    counts = analysis.counts
    rows: list[str] = []
    by_source: dict[str, list[Passage]] = {}
    for p in analysis.passages:
        by_source.setdefault(p.best.source.id, []).append(p)
    # The similar sources (≥ 1 %) most similar first, then any other source a mark names.
    listed = list(analysis.similar)
    listed += [(p, d) for p, d in analysis.sources if d.id in by_source and (p, d) not in listed]
    for rank, (pair, source) in enumerate(listed, 1):
        s = pair.summary
        mine = by_source.get(source.id, [])
        shown = sum(1 for p in mine if p.level != "hint")
        hints = len(mine) - shown
        link = pair_links.get(source.id)
        label = html_escape(source_name(source))
        cell = (
            f'<a href="{html_escape(link.relative_to(folder).as_posix())}" '
            f'data-report="{html_escape(str(link))}">{label}</a>'
            if link
            else label
        )
        date = date_of(source.meta) if source.meta else None
        rows.append(
            f"<tr><td class='num'>{rank}</td><td>{cell}"
            f"{f' <span class=muted>{html_escape(date)}</span>' if date else ''}</td>"
            f"<td class='num'>{round(s.similarity)} %</td>"
            f"<td class='num'>{round(s.distinctive_similarity)} %</td>"
            f"<td class='num'>{shown}</td><td class='num'>{hints}</td></tr>"
        )
    passages = [
        f"<tr><td><span class='kind {html_escape(p.kind)}'>{html_escape(p.kind)}</span>"
        f"{f'<br><span class=muted>{html_escape(p.label)}</span>' if p.label else ''}</td>"
        f"<td>{html_escape(quoted(doc.slice(p.span), 200))}</td>"
        f"<td>{html_escape(quoted(p.best.source.slice(p.best.match.b.span), 200))}"
        f"<br><span class=muted>{html_escape(source_name(p.best.source))}"
        f"{f' and {p.more} more like it here' if p.more else ''}</span></td></tr>"
        for p in analysis.passages
    ]
    sources_table = (
        "<table><thead><tr><th class='num'>#</th><th>Source</th>"
        "<th class='num'>Similarity</th><th class='num'>Distinctive</th>"
        "<th class='num'>Reused passages</th><th class='num'>Hints</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p>No document of the corpus shares wording with this letter.</p>"
    )
    passages_table = (
        "<table><thead><tr><th>Kind</th><th>This letter</th><th>Source</th></tr></thead>"
        f"<tbody>{''.join(passages)}</tbody></table>"
        if passages
        else "<p>No reused passage.</p>"
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>docdiff: {html_escape(name)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html_escape(name)}</h1>"
        f"<p class='headline'>{html_escape(counts.headline())}</p>"
        "<p class='muted'>Reused passages are marked at information level; echoes (common "
        "wording of the genre), formulae and names are hints. Similarity is the share of "
        "wording two documents have in common; distinctive similarity leaves out formulae, "
        "names and wording many documents of the corpus share.</p>"
        f"<h2>Sources, most similar first</h2>{sources_table}"
        "<p class='muted'>Each source opens the side-by-side report of the pair.</p>"
        f"<h2>Passages marked in the editor</h2>{passages_table}"
        f"{_OPEN_SCRIPT}</body></html>"
    )


def pair_report(
    doc: Document, pair: PairResult, source: Document, options: Mapping[str, object]
) -> Report:
    """A compare report of one pair of a query report (no second alignment)."""
    return Report("compare", (doc, source), (pair,), settings=dict(options))


# -- the project file -------------------------------------------------------------------------


def project_file(folder: Path | None) -> Path | None:
    """The project file for the server's state folder: ``.docdiff.toml`` beside a workspace's
    ``.docdiff`` folder (None without a workspace)."""
    if folder is None or folder.name != ".docdiff":
        return None
    return folder.parent / FILE_NAME


def _legacy_file(folder: Path) -> Path:
    return folder / "lsp-state.json"


def load_ignores(folder: Path | None) -> tuple[Ignores, str | None]:
    """The ignore lists and kinds of the workspace's project file (plus lists an older
    version saved in ``.docdiff/lsp-state.json``), and a problem message when unreadable."""
    if folder is None:
        return Ignores(), None
    problems: list[str] = []
    sources: set[str] = set()
    formulae: set[str] = set()
    quotations: set[str] = set()
    legacy = _legacy_file(folder)
    if legacy.is_file():
        try:
            data = json.loads(legacy.read_text(encoding="utf-8"))
            sources |= set(map(str, data.get("ignoredSources", [])))
            formulae |= set(map(str, data.get("ignoredFormulae", [])))
            quotations |= set(map(str, data.get("quotations", [])))
        except (OSError, ValueError, AttributeError, TypeError) as exc:
            problems.append(f"{legacy}: cannot read the ignore lists ({exc})")
    project = Project()
    path = project_file(folder)
    if path is not None and path.is_file():
        try:
            project = load_project(path)
        except DocdiffError as exc:
            problems.append(str(exc))
    sources |= project.source_keys()
    formulae |= set(project.ignored_formulae)
    quotations |= {normalise(q) for q in project.quotations}
    ignores = Ignores(
        sources=frozenset(sources),
        formulae=frozenset(formulae),
        quotations=frozenset(quotations),
        severity=dict(project.severity),
        project=project,
    )
    return ignores, "; ".join(problems) or None


def save_ignores(folder: Path | None, ignores: Ignores) -> None:
    """Add the ignore lists to the workspace's ``.docdiff.toml`` (only its ``[ignore]`` table
    changes); without a workspace, to the server's own state file."""
    if folder is None:
        return
    path = project_file(folder)
    if path is None:
        folder.mkdir(parents=True, exist_ok=True)
        data = {
            "ignoredSources": sorted(ignores.sources),
            "ignoredFormulae": sorted(ignores.formulae),
            "quotations": sorted(ignores.quotations),
        }
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        write_text(_legacy_file(folder), text, within=folder)
        return
    known = ignores.project.source_keys()
    try:
        add_ignores(
            path,
            sources=sorted(s for s in ignores.sources if s not in known and Path(s).is_absolute()),
            formulae=sorted(ignores.formulae),
            quotations=sorted(ignores.quotations),
        )
    except DocdiffError as exc:
        raise OSError(str(exc)) from None


def apply_project(settings: Settings, ignores: Ignores) -> Settings:
    """Settings with the project file's corpus and lexicon: its corpus paths are added, its
    include and exclude globs (when given) replace the editor's, its lexicon is used when the
    editor names none."""
    project = ignores.project
    if project.path is None:
        return settings
    changes: dict[str, object] = {}
    if project.corpus_paths:
        changes["corpus_paths"] = tuple(
            dict.fromkeys((*settings.corpus_paths, *project.corpus_paths))
        )
    if project.include:
        changes["corpus_include"] = project.include
    if project.exclude:
        changes["corpus_exclude"] = project.exclude
    if project.lexicon and settings.options.formulae is None:
        changes["options"] = settings.options.with_changes(formulae=project.lexicon)
    return replace(settings, **changes) if changes else settings  # type: ignore[arg-type]


def ranked(sources: Sequence[tuple[PairResult, Document]]) -> list[tuple[PairResult, Document]]:
    """Sources most similar first."""
    return sorted(sources, key=lambda item: -item[0].summary.similarity)
