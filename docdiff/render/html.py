"""The self-contained, offline HTML report for compare, scan and query results.

One file: inline CSS, JavaScript and SVG, no network request. A compare report is rendered
on the server side (it reads and prints without JavaScript); filters and passage linking are
JavaScript on top. A scan report embeds its data as JSON in ``<script type="application/json">``
and renders tables, heatmap and pair views lazily and in pages, so thousands of pairs stay fluid.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from docdiff.corpus.metadata import date_of
from docdiff.model import AlignOp, Document, Kind, Match, Passage, Report
from docdiff.render.html_assets import asset, page
from docdiff.render.notes import (
    common_ending,
    common_folder,
    documents_scanned,
    formulae_notes,
    identical_sources,
    plural,
    query_summary,
    readable_template,
    scan_notes,
    slot_labels,
    slot_spans,
    where,
)
from docdiff.text.tokens import count_words

__all__ = ["render_html"]

KIND_ORDER = (Kind.PHRASING, Kind.PARAPHRASE, Kind.QUOTATION, Kind.FORMULA, Kind.NAME)
KIND_HELP = {
    Kind.PHRASING: "reused wording of the sender",
    Kind.PARAPHRASE: "reworded or reordered reuse",
    Kind.QUOTATION: "text inside quotation marks",
    Kind.FORMULA: (
        "courtesy and procedural formula, a dateline, a letter's head, or an edition's apparatus"
    ),
    Kind.NAME: "names and titles",
}
# Character detail inside changed words only for short, similar words.
_DETAIL_MAX_CHARS = 40


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (compare view, or scan view for many pairs)."""
    if report.command == "compare" and len(report.pairs) <= 1:
        title, body = _compare_page(report)
        script = asset("report.js")
    elif is_formulae_report(report):
        title, body = _formulae_page(report)
        script = ""
    else:
        title, body = _scan_page(report)
        script = asset("report.js") + asset("scan.js")
    return page(title, asset("report.css"), body, script)


def is_formulae_report(report: Report) -> bool:
    """A report of `docdiff formulae` (mined templates, no pairs)."""
    return report.settings.get("report") == "formulae" and not report.pairs


def _formulae_page(report: Report) -> tuple[str, str]:
    """The mined formulae as a static table: template, spread, dates, slot fillers, examples."""
    scanned = documents_scanned(report)
    by_id = {d.id: d for d in report.documents}
    rows = []
    dated = any(f.first_date for f in report.formulae)  # (no column of empty dates)
    for n, f in enumerate(report.formulae, start=1):
        dates = f"<td>{escape(f'{f.first_date} – {f.last_date}')}</td>" if f.first_date else ""
        labels = slot_labels(f.template, len(f.slot_examples))
        slots = "".join(
            f'<li><span class="muted">{escape(label)}:</span> '
            + " · ".join(f"<q>{escape(x)}</q>" for x in examples[:5])
            + "</li>"
            for label, examples in zip(labels, f.slot_examples, strict=True)
            if examples
        )
        seen = [m for m in f.members[:3] if m.doc in by_id]
        examples = "".join(
            f"<li><code>{escape(m.doc)}</code>: {escape(by_id[m.doc].slice(m.span))}</li>"
            for m in seen
        )
        slot_list = f'<ul class="slots">{slots}</ul>' if slots else ""
        share = f" ({100 * f.doc_freq / scanned:.0f}%)" if scanned else ""
        if f.family_docs > f.doc_freq:
            share += f'<br><span class="muted">{f.family_docs} with its wordings</span>'
        if f.apparatus:
            share += '<br><span class="muted">the editors\' apparatus</span>'
        if f.lexicon:
            family = f'<span class="family">{escape(f.lexicon)}</span>'
            share += f'<br><span class="muted">in the lexicon: {family}</span>'
        shown = f"<details><summary>instances</summary><ul>{examples}</ul></details>"
        # The formula's other wordings, each with its documents (one entry, one rank).
        variants = "".join(
            f'<li><span class="template">{_template_html(v.template, len(v.slot_examples))}</span> '
            f'<span class="muted">({plural(v.doc_freq, "document")})</span></li>'
            for v in f.variants
        )
        variant_list = (
            f'<p class="muted">also worded:</p><ul class="variants">{variants}</ul>'
            if variants
            else ""
        )
        marked = _template_html(f.template, len(f.slot_examples))
        rows.append(
            f'<tr><td>{n}</td><td><span class="template">{marked}</span>'
            f"{slot_list}{variant_list}{shown if examples else ''}</td><td>{f.doc_freq}{share}</td>"
            f"{dates or ('<td></td>' if dated else '')}</tr>"
        )
    mined = plural(len(report.formulae), "formula", "formulae")
    title = f"docdiff formulae: {mined} in {plural(scanned, 'document')}"
    left = any(report.settings.get(k) for k in ("one_family_left_out", "no_genre_left_out"))
    empty = (
        "<p>No formula; the notes above say what was left out.</p>"
        if left
        else "<p>No formula recurs in enough documents.</p>"
    )
    known = (
        " A formula marked <em>in the lexicon</em> is one the formula lexicon knows (the"
        " built-in one, the project's or <code>--formulae</code>), listed on its spread alone."
        if any(f.lexicon for f in report.formulae)
        else ""
    )
    senders = "".join(
        f'\n<p class="muted">{escape(n)}</p>' for n in formulae_notes(report.settings)
    )
    table = f"""
<table class="formulae"><thead><tr><th>#</th><th>template</th><th>documents</th>\
{"<th>dates</th>" if dated else ""}</tr></thead><tbody>
{"".join(rows)}
</tbody></table>"""
    body = f"""<header>
<h1>Formulae</h1>
<p>{_counted(len(report.formulae), "formula", "formulae")} mined from
{_counted(scanned, "document")}, ranked by their spread across documents and senders.
<code>{{…}}</code> is a slot of any words; <code>{{date}}</code>, <code>{{number}}</code>,
<code>{{symbol}}</code>, <code>{{email}}</code> and <code>{{name}}</code> are slots whose fillers
vary. A formula's
other wordings are listed under it, each with its documents.{known}</p>{senders}
</header>
<main id="formulae-report">
<section aria-label="Formulae">{table if rows else empty}
</section>
</main>
<footer><p class="muted">{_settings_line(report)}</p></footer>"""
    return title, body


def _counted(n: int, word: str, many: str | None = None) -> str:
    """``<strong>1</strong> pair``, ``<strong>2</strong> pairs`` (`plural` in bold)."""
    number, _, noun = plural(n, word, many).partition(" ")
    return f"<strong>{number}</strong> {noun}"


def _template_html(template: str, slots: int) -> str:
    """A template with its slots marked (numbered as the slot fillers listed under it; a
    symbol's shape, "A/{number}/PV.{number}", is one slot)."""
    out = []
    pos = 0
    for n, (start, end) in enumerate(slot_spans(template, slots), start=1):
        out.append(escape(template[pos:start]))
        out.append(f'<span class="slot" title="slot {n}">{escape(template[start:end])}</span>')
        pos = end
    out.append(escape(template[pos:]))
    return "".join(out)


def _duplicates_section(report: Report) -> str:
    if not report.duplicates:
        return ""
    items = "".join(
        f"<li><strong>{escape(g.representative)}</strong> and {len(g.members) - 1} "
        f"{'copy' if len(g.members) == 2 else 'copies'} ({g.coverage:.0f}% shared): "
        + ", ".join(f"<code>{escape(m)}</code>" for m in g.members if m != g.representative)
        + "</li>"
        for g in report.duplicates
    )
    return f"""<section aria-labelledby="duplicates-h">
<h2 id="duplicates-h">Duplicate documents</h2>
<p class="muted">Copies covering each other by 80% or more are shown once: only the first
document of each group takes part in the pairs and clusters.</p>
<ol class="duplicates">{items}</ol>
</section>"""


def json_script(data: object, element_id: str) -> str:
    """Data embedded as JSON that no text inside can break out of (``<`` is escaped)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


# --- shared pieces ---------------------------------------------------------------------------


def _kinds_present(matches: Sequence[Match]) -> list[Kind]:
    present = {m.kind for m in matches}
    return [k for k in KIND_ORDER if k in present] or list(KIND_ORDER)


def _controls(kinds: Sequence[Kind], counts: dict[Kind, int], *, what: str) -> str:
    boxes = "".join(
        f'<label class="kind-filter k-{k.value}"><input type="checkbox" name="kind" '
        f'value="{k.value}" checked> <span class="swatch" aria-hidden="true"></span>'
        f"{k.value} <span class='count'>({counts.get(k, 0)})</span>"
        f'<span class="visually-hidden"> — {KIND_HELP[k]}</span></label>'
        for k in kinds
    )
    return f"""<form class="controls" id="filters" aria-label="Filters" onsubmit="return false">
<fieldset><legend>Kinds</legend>{boxes}</fieldset>
<fieldset><legend>Minimum score</legend>
<label for="min-score" class="visually-hidden">Minimum passage score</label>
<input type="range" id="min-score" name="min-score" min="0" max="100" step="1" value="0">
<output id="min-score-value" for="min-score">0</output>
</fieldset>
<p class="shown" aria-live="polite"><span id="shown-count"></span> {what} shown</p>
</form>"""


def _legend() -> str:
    items = "".join(
        f'<li><span class="badge k-{k.value}">{k.value}</span> {escape(KIND_HELP[k])}</li>'
        for k in KIND_ORDER
    )
    return f'<ul class="legend" aria-label="Kinds of reuse">{items}</ul>'


def _score_bar(label: str, value: float) -> str:
    pct = max(0.0, min(100.0, value))
    return (
        f'<div class="score"><span class="label" title="{escape(label)}">{escape(label)}</span>'
        f'<span class="value">{value:.1f}</span>'
        f'<span class="bar" aria-hidden="true"><span style="width:{pct:.1f}%"></span></span></div>'
    )


def _doc_label(doc: Document) -> str:
    return doc.meta.get("title") or doc.path or doc.id


def _slice(doc: Document, passage: Passage) -> str:
    return doc.text[passage.span.start : passage.span.end]


# --- compare page ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Numbered:
    number: int
    match: Match


def _compare_page(report: Report) -> tuple[str, str]:
    a_doc, b_doc = (report.documents + report.documents)[:2]
    pair = report.pairs[0] if report.pairs else None
    matches = sorted(pair.matches if pair else (), key=lambda m: (m.a.span.start, m.b.span.start))
    numbered = [_Numbered(i + 1, m) for i, m in enumerate(matches)]
    counts: dict[Kind, int] = {}
    for m in matches:
        counts[m.kind] = counts.get(m.kind, 0) + 1
    title = f"docdiff: {_doc_label(a_doc)} ↔ {_doc_label(b_doc)}"
    summary = ""
    if pair is not None:
        s = pair.summary
        summary = (
            '<section class="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>'
            '<div class="scores">'
            + _score_bar("Similarity", s.similarity)
            + _score_bar("Distinctive similarity", s.distinctive_similarity)
            + _score_bar("Coverage of A", s.coverage_a)
            + _score_bar("Coverage of B", s.coverage_b)
            + "</div><p class=\"muted\">Distinctive similarity leaves out formulae and names (in "
            "a corpus, also wording many of its documents share): "
            "two letters that share only courtesy formulae are not similar. Coverage is the share "
            "of each text inside shared passages.</p></section>"
        )  # fmt: skip
    passages = "\n".join(_passage_article(a_doc, b_doc, n) for n in numbered)
    if not numbered:
        passages = '<p class="empty">No shared passages were found.</p>'
    body = f"""<header>
<h1>Reused wording</h1>
<dl class="docs">
<dt>A</dt><dd>{_doc_head(a_doc)}</dd>
<dt>B</dt><dd>{_doc_head(b_doc)}</dd>
</dl>
{_legend()}
<p class="hint">Click a highlighted passage to jump to its counterpart.
Keys: <kbd>n</kbd> / <kbd>p</kbd> next / previous passage,
<kbd>Enter</kbd> on a passage jumps to its counterpart.</p>
</header>
<main id="compare" data-view="compare">
{summary}
{_controls(_kinds_present(matches), counts, what="passages")}
<section aria-labelledby="passages-h"><h2 id="passages-h">Shared passages ({len(numbered)})</h2>
<ol class="pairs" id="pairs">
{passages}
</ol>
</section>
{_echoes_section(a_doc, b_doc, pair.echoes if pair else ())}
<section aria-labelledby="texts-h" class="texts-section"><h2 id="texts-h">Full texts</h2>
<div class="texts">
<article class="fulltext" id="text-a" aria-label="Text A: {escape(a_doc.id, quote=True)}">
<h3>A · {escape(_doc_label(a_doc))}</h3>
<div class="body" tabindex="0">{_marked_text(a_doc.text, numbered, side="a")}</div>
</article>
<article class="fulltext" id="text-b" aria-label="Text B: {escape(b_doc.id, quote=True)}">
<h3>B · {escape(_doc_label(b_doc))}</h3>
<div class="body" tabindex="0">{_marked_text(b_doc.text, numbered, side="b")}</div>
</article>
</div>
</section>
</main>
<footer><p class="muted">{_settings_line(report)}</p></footer>"""
    return title, body


def _echoes_section(a_doc: Document, b_doc: Document, echoes: Sequence[Match]) -> str:
    """Short shared phrases below the passage size, most distinctive first."""
    if not echoes:
        return ""
    items = "\n".join(
        f'<li class="echo k-{m.kind.value}" data-kind="{m.kind.value}">'
        f'<span class="badge k-{m.kind.value}">{m.kind.value}</span> '
        f'<span class="pscore" title="distinctiveness (0-100)">'
        f"{m.distinctiveness or 0.0:.1f}</span> "
        f"<q>{escape(_slice(a_doc, m.a))}</q> · <q>{escape(_slice(b_doc, m.b))}</q></li>"
        for m in echoes
    )
    return (
        '<section aria-labelledby="echoes-h"><h2 id="echoes-h">'
        f"Echoes ({len(echoes)})</h2>"
        '<p class="muted">Isolated short phrases both texts share, below the passage size; most '
        "distinctive first (rare words that are not a topic of either text).</p>"
        f'<ol class="echoes">\n{items}\n</ol></section>'
    )


def _doc_head(doc: Document) -> str:
    # Counted as the JSON report counts them: a token a word (a character in Chinese).
    words = doc.words if doc.words is not None else count_words(doc.text)
    meta = " · ".join(
        escape(f"{k}: {v}") for k, v in sorted(doc.meta.items()) if k in {"date", "sender", "title"}
    )
    path = (
        f' <span class="path">{escape(doc.path)}</span>' if doc.path and doc.path != doc.id else ""
    )
    return (
        f'<strong>{escape(doc.id)}</strong>{path} <span class="muted">({plural(words, "word")}'
        f"{' · ' + meta if meta else ''})</span>"
    )


def _settings_line(report: Report) -> str:
    if not report.settings:
        return "Made with docdiff."
    parts = ", ".join(f"{k}={v}" for k, v in sorted(report.settings.items()) if v is not None)
    return "Made with docdiff. Settings: " + escape(parts)


def _passage_article(a_doc: Document, b_doc: Document, n: _Numbered) -> str:
    m = n.match
    a_html, b_html = _side_by_side(a_doc, b_doc, m)
    extra = ""
    if m.formula:
        shown = readable_template(m.formula, a_doc.text[m.a.span.start : m.a.span.end])
        full = f' title="{escape(m.formula)}"' if shown != m.formula else ""
        extra += f'<p class="formula">Formula: <q{full}>{escape(shown)}</q></p>'
    if m.reason:
        extra += f'<p class="reason muted">{escape(m.reason)}</p>'
    return f"""<li class="pair k-{m.kind.value}" id="p{n.number}" data-kind="{m.kind.value}" data-score="{m.score:.1f}" data-m="{n.number}">
<div class="pair-head"><span class="num">#{n.number}</span>
<span class="badge k-{m.kind.value}">{m.kind.value}</span>
<span class="pscore" title="passage score (0-100)">score {m.score:.1f}</span>
<span class="words">{plural(m.words, "word")}</span>
<a href="#a-m{n.number}" class="goto" data-go="a" data-m="{n.number}">in A</a>
<a href="#b-m{n.number}" class="goto" data-go="b" data-m="{n.number}">in B</a></div>
<div class="sides"><blockquote class="side side-a" cite="#text-a">{a_html}</blockquote>
<blockquote class="side side-b" cite="#text-b">{b_html}</blockquote></div>{extra}
</li>"""  # noqa: E501


def _side_by_side(a_doc: Document, b_doc: Document, m: Match) -> tuple[str, str]:
    """Both sides of a match with word-level differences from its ops."""
    ops = sorted(m.ops, key=lambda op: (op.a.start, op.b.start))
    # A paraphrase reorders its words: mark the shared ones, which are its evidence.
    shared = m.kind == Kind.PARAPHRASE
    return (
        _one_side(a_doc.text, m.a, ops, side="a", other=b_doc.text, shared=shared),
        _one_side(b_doc.text, m.b, sorted(ops, key=lambda op: (op.b.start, op.a.start)),
                  side="b", other=a_doc.text, shared=shared),
    )  # fmt: skip


def _one_side(
    text: str, passage: Passage, ops: Sequence[AlignOp], *, side: str, other: str, shared: bool
) -> str:
    start, end = passage.span.start, passage.span.end
    out: list[str] = []
    cursor = start
    for op in ops:
        span = op.a if side == "a" else op.b
        if (op.tag == "equal" and not shared) or len(span) == 0:
            continue
        if span.start < cursor or span.end > end:
            continue  # ops outside the passage or overlapping: show the text plain
        out.append(escape(text[cursor : span.start]))
        word = text[span.start : span.end]
        other_span = op.b if side == "a" else op.a
        if op.tag == "equal":
            out.append(f'<span class="same" title="shared word">{escape(word)}</span>')
        elif op.tag == "replace":
            out.append(_changed_word(word, other[other_span.start : other_span.end], side=side))
        else:
            cls = "gone" if side == "a" else "added"
            title = "only in A" if side == "a" else "only in B"
            out.append(f'<span class="{cls}" title="{title}">{escape(word)}</span>')
        cursor = span.end
    out.append(escape(text[cursor:end]))
    return "".join(out)


def _changed_word(word: str, other: str, *, side: str) -> str:
    """A replaced word, shown whole; char detail only when both words are short and similar."""
    title = escape(f"{'B' if side == 'a' else 'A'} has: {other}", quote=True)
    if 0 < len(word) <= _DETAIL_MAX_CHARS and 0 < len(other) <= _DETAIL_MAX_CHARS:
        from docdiff.chardiff import char_ops, similarity

        old, new = (word, other) if side == "a" else (other, word)
        ops = char_ops(old, new)
        if similarity(ops) >= 0.5:
            keep = "delete" if side == "a" else "insert"
            inner = "".join(
                escape(op.text) if op.tag == "equal" else f"<b>{escape(op.text)}</b>"
                for op in ops
                if op.tag in ("equal", keep)
            )
            return f'<span class="chg fine" title="{title}">{inner}</span>'
    return f'<span class="chg" title="{title}">{escape(word)}</span>'


def _marked_text(text: str, numbered: Sequence[_Numbered], *, side: str) -> str:
    """The full text with every reused passage marked; overlapping passages share segments."""
    bounds = {0, len(text)}
    spans: list[tuple[int, int, _Numbered]] = []
    for n in numbered:
        span = n.match.a.span if side == "a" else n.match.b.span
        s, e = max(0, span.start), min(len(text), span.end)
        if s < e:
            spans.append((s, e, n))
            bounds.update((s, e))
    cuts = sorted(bounds)
    out: list[str] = []
    first_seen: set[int] = set()
    for s, e in itertools.pairwise(cuts):
        covering = [n for (ps, pe, n) in spans if ps <= s and e <= pe]
        piece = escape(text[s:e])
        if not covering:
            out.append(piece)
            continue
        primary = max(covering, key=lambda n: (n.match.score, -n.number))
        ids = " ".join(str(n.number) for n in covering)
        anchor = ""
        for n in covering:
            if n.number not in first_seen:
                first_seen.add(n.number)
                anchor += f'<span class="anchor" id="{side}-m{n.number}"></span>'
        kinds = " ".join(sorted({f"k-{n.match.kind.value}" for n in covering}))
        label = escape(
            f"passage {primary.number}, {primary.match.kind.value}, score "
            f"{primary.match.score:.1f}; Enter jumps to the other text", quote=True,
        )  # fmt: skip
        out.append(
            f'{anchor}<mark class="seg {kinds}" data-m="{ids}" '
            f'data-kind="{primary.match.kind.value}" data-primary="{primary.number}" '
            f'tabindex="0" aria-label="{label}">{piece}</mark>'
        )
    return "".join(out)


# --- scan page -------------------------------------------------------------------------------


def _scan_data(report: Report) -> dict[str, object]:
    """Compact JSON for the scan view: arrays, document indexes, offsets relative to passages."""
    index = {d.id: i for i, d in enumerate(report.documents)}
    # Short names for tables and heatmap labels: ids without their shared folder prefix.
    ids = [d.id for d in report.documents]
    cut = len(common_folder(ids))
    docs = [
        {
            "id": d.id,
            "path": d.path,
            # The name every view shows is the id (short, unique); a title (often shared:
            # "CABLEGRAM TO CANBERRA") goes beside it.
            "name": d.id[cut:] or d.id,
            "title": d.meta.get("title", ""),
            "date": date_of(d.meta) or "",
            "sender": d.meta.get("sender", ""),
        }
        for d in report.documents
    ]
    by_id = {d.id: d for d in report.documents}
    # A query's sources holding one text are one entry, their copies named with it.
    same_text = identical_sources(report) if report.command == "query" else {}
    pairs: list[dict[str, object]] = []
    for p in report.pairs:
        if p.a not in index or p.b not in index or (same_text and p.b not in same_text):
            continue
        da, db = by_id[p.a], by_id[p.b]
        matches = [_scan_match(da, db, m) for m in p.matches]
        s = p.summary
        pairs.append(
            {
                "a": index[p.a],
                "b": index[p.b],
                "s": round(s.similarity, 1),
                "d": round(s.distinctive_similarity, 1),
                "ca": round(s.coverage_a, 1),
                "cb": round(s.coverage_b, 1),
                "m": matches,
                **({"same": [index[c] for c in same_text[p.b]]} if same_text.get(p.b) else {}),
            }
        )
    clusters = [
        {
            "id": c.id,
            "kind": c.kind.value,
            "text": c.text,
            "members": [[index.get(p.doc, -1), p.span.start, p.span.end] for p in c.members],
            "origin": index.get(c.origin.doc, -1) if c.origin else -1,
            "part": c.part_of or 0,
        }
        for c in report.clusters
    ]
    formulae = [
        {
            "t": f.template,
            "n": f.doc_freq,
            "slots": [list(s) for s in f.slot_examples],
            "first": f.first_date or "",
            "last": f.last_date or "",
        }
        for f in report.formulae
    ]
    return {
        "command": report.command,
        "docs": docs,
        # What every name ends in (`common_ending`), which the heatmap's labels leave out.
        "ending": common_ending([str(d["name"]) for d in docs]),
        "pairs": pairs,
        "clusters": clusters,
        "formulae": formulae,
        "kinds": [k.value for k in KIND_ORDER],
    }


def _scan_match(da: Document, db: Document, m: Match) -> list[object]:
    """[kind, score, words, a_start, a_end, a_text, b_start, b_end, b_text, ops, where in A,
    where in B] (where: "line 12" or "p.3 line 40", as the terminal says it)."""
    a0, b0 = m.a.span.start, m.b.span.start
    keep_equal = m.kind == Kind.PARAPHRASE  # its shared words are marked, as in compare
    ops = [
        [op.tag[0], op.a.start - a0, op.a.end - a0, op.b.start - b0, op.b.end - b0]
        for op in m.ops
        if op.tag != "equal" or keep_equal
    ]
    return [
        m.kind.value,
        round(m.score, 1),
        m.words,
        m.a.span.start,
        m.a.span.end,
        _slice(da, m.a),
        m.b.span.start,
        m.b.span.end,
        _slice(db, m.b),
        ops,
        where(da, m.a.span.start),
        where(db, m.b.span.start),
    ]


def _scan_page(report: Report) -> tuple[str, str]:
    data = _scan_data(report)
    counts: dict[Kind, int] = {}
    all_matches = [m for p in report.pairs for m in p.matches]
    for m in all_matches:
        counts[m.kind] = counts.get(m.kind, 0) + 1
    n_docs, n_pairs = len(report.documents), len(report.pairs)
    heading = "Corpus scan" if report.command == "scan" else "Query results"
    total = report.settings.get("documents_scanned")
    read = total if isinstance(total, int) else n_docs  # (the documents the run read)
    title = f"docdiff {report.command}: {plural(read, 'document')}, {plural(n_pairs, 'pair')}"
    scanned = f"{_counted(total, 'document')} scanned; " if isinstance(total, int) else ""
    # Sections appear only when they have something to show.
    extra_counts = extra_nav = formulae_section = ""
    if report.formulae:
        extra_counts += f", {_counted(len(report.formulae), 'formula', 'formulae')}"
        extra_nav += ' · <a href="#formulae-h">Formulae</a>'
        formulae_section = (
            '<section aria-labelledby="formulae-h"><h2 id="formulae-h">Formulae</h2>\n'
            '<div id="formulae"></div>\n</section>'
        )
    if report.duplicates:
        extra_counts += f", {_counted(len(report.duplicates), 'duplicate group')}"
        extra_nav += ' · <a href="#duplicates-h">Duplicates</a>'

    notes = "".join(
        f'<p class="muted"><strong>{label}:</strong> {escape(note)}</p>\n'
        for label, note in scan_notes(report.settings)
    )
    counted = (
        f"{scanned}{_counted(n_docs, 'document')} in {_counted(n_pairs, 'pair')} sharing text,\n"
        f"{_counted(len(report.clusters), 'cluster')}{extra_counts}."
    )
    summary = query_summary(report)
    body = f"""<header>
<h1>{heading}</h1>
<p>{escape(summary) if summary else counted}</p>
{notes}{_legend()}
<nav aria-label="Sections" class="toc no-print"><a href="#heatmap-h">Heatmap</a> ·
<a href="#pairs-h">Pairs</a> · <a href="#clusters-h">Clusters</a>{extra_nav}</nav>
</header>
<main id="scan" data-view="scan">
{_controls(_kinds_present(all_matches), counts, what="pairs")}
<section aria-labelledby="heatmap-h"><h2 id="heatmap-h">Similarity heatmap</h2>
<div class="heat-controls no-print"><label for="heat-order">Order by</label>
<select id="heat-order"><option value="cluster">groups (seriation)</option>
<option value="strength">total similarity</option><option value="date">date</option>
<option value="name">name</option></select>
<label for="heat-measure">Colour by</label>
<select id="heat-measure"><option value="s">similarity</option>
<option value="d">distinctive similarity</option></select></div>
<figure id="heatmap" class="heatmap">
<figcaption class="muted" id="heat-caption"></figcaption></figure>
</section>
<section aria-labelledby="pairs-h"><h2 id="pairs-h">Ranked pairs</h2>
<div id="pairs-table"></div>
</section>
<section id="pair-view" class="pair-view" aria-live="polite" hidden></section>
<section aria-labelledby="clusters-h"><h2 id="clusters-h">Clusters of reused passages</h2>
<div id="clusters"></div>
</section>
{formulae_section}{_duplicates_section(report)}
<noscript><p>This report needs JavaScript to show its tables; the data is embedded in the page
as JSON (element <code>docdiff-data</code>).</p></noscript>
</main>
<footer><p class="muted">{_settings_line(report)}</p></footer>
{json_script(data, "docdiff-data")}"""
    return title, body
