"""Inline CSS and JavaScript for the HTML pages (kept as strings so every page is one file)."""

from __future__ import annotations

__all__ = ["BASE_CSS", "DIFF_CSS", "DIFF_JS"]

BASE_CSS = """
:root{
  --fg:#1d2430;--muted:#5b6575;--bg:#fff;--panel:#f5f6f8;--line:#d9dde3;--accent:#1f5fbf;
  --k-formula:#7a8aa6;--k-name:#8a4fbf;--k-phrasing:#d0551c;--k-paraphrase:#138a72;
  --k-quotation:#b08900;
  --k-formula-bg:#e6eaf1;--k-name-bg:#f0e6f8;--k-phrasing-bg:#fde6d8;--k-paraphrase-bg:#d8f2ea;
  --k-quotation-bg:#fbf0c8;
  --del:#ffd7d5;--del-fg:#8a1f17;--ins:#d4f4dc;--ins-fg:#135c27;--mv:#e5dcff;--mv-fg:#4b2a9a;
}
*{box-sizing:border-box}
html{font-size:15px}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
  color:var(--fg);background:var(--bg);line-height:1.5}
header,main,footer{padding:0 1.25rem}
header{border-bottom:1px solid var(--line);padding-bottom:.5rem;margin-bottom:1rem}
h1{font-size:1.4rem;margin:.8rem 0 .3rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:1rem;margin:1rem 0 .4rem}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
kbd{border:1px solid var(--line);border-radius:3px;padding:0 .3em;background:var(--panel);
  font-size:.85em}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid var(--line);padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:var(--panel);font-weight:600}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
  white-space:nowrap}
.muted,.hint{color:var(--muted);font-size:.9rem}
.legend{list-style:none;padding:0;margin:.4rem 0;display:flex;flex-wrap:wrap;gap:.4rem 1rem}
.legend li{display:flex;align-items:center;gap:.35rem}
del.d{background:var(--del);color:var(--del-fg);text-decoration:line-through;
  text-decoration-thickness:1px}
ins.i{background:var(--ins);color:var(--ins-fg);text-decoration:none}
del.fine,ins.fine{background:none}
del.fine b{background:var(--del);font-weight:inherit}
ins.fine b{background:var(--ins);font-weight:inherit}
.mv{background:var(--mv);color:var(--mv-fg);text-decoration:none;border-radius:2px}
.mv .tag{font-size:.75em;font-weight:600;margin-right:.3em;white-space:nowrap}
.flash{animation:flash 1.6s ease-out 1}
@keyframes flash{0%{box-shadow:0 0 0 4px #ffbf00;background:#fff3bf}
  100%{box-shadow:0 0 0 0 transparent}}
@media print{
  :root{font-size:11pt}
  header .hint,.controls,.no-print,.pager{display:none!important}
  a{color:inherit;text-decoration:none}
  details>summary{list-style:none}
  details:not([open])>*:not(summary){display:block}
  tr,li,figure,.pair{break-inside:avoid}
  .flash{animation:none}
}
"""

DIFF_CSS = """
.sbs{table-layout:fixed}
.sbs td{white-space:pre-wrap;word-wrap:break-word;font-family:ui-serif,Georgia,serif;
  font-size:.95rem;width:50%}
.sbs tr.eq td{color:#39414d}
.sbs tr.chg-row td{background:#fffdf4}
.sbs tr.chg-row:focus{outline:3px solid var(--accent)}
.fold{display:inline}
.fold>summary{display:inline;cursor:pointer;color:var(--muted);font-family:system-ui,sans-serif;
  font-size:.85rem;background:var(--panel);border-radius:3px;padding:0 .4em}
.fold[open]>summary{display:block}
.files .side-a,.files .side-b{font-family:ui-monospace,monospace}
.stats{font-weight:600}
@media print{.sbs td{font-size:9pt}.fold>summary{display:none}}
"""

DIFF_JS = """
(function(){
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.chg-row"));
  var at = -1;
  function go(i){
    if(!rows.length){return;}
    at = (i + rows.length) % rows.length;
    var row = rows[at];
    row.scrollIntoView({block:"center"});
    row.focus({preventScroll:true});
  }
  document.addEventListener("keydown", function(e){
    if(e.ctrlKey || e.metaKey || e.altKey){return;}
    var t = e.target && e.target.tagName;
    if(t === "INPUT" || t === "SELECT" || t === "TEXTAREA"){return;}
    if(e.key === "n" || e.key === "j"){go(at + 1); e.preventDefault();}
    if(e.key === "p" || e.key === "k"){go(at - 1); e.preventDefault();}
  });
  document.addEventListener("click", function(e){
    var a = e.target.closest ? e.target.closest("a.mv") : null;
    if(!a){return;}
    var target = document.getElementById(a.getAttribute("href").slice(1));
    if(!target){return;}
    e.preventDefault();
    target.scrollIntoView({block:"center"});
    target.classList.remove("flash"); void target.offsetWidth; target.classList.add("flash");
    target.focus({preventScroll:true});
  });
})();
"""
