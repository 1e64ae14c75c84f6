(function(){
  "use strict";
  var root = document.getElementById("scan");
  if(!root){ return; }
  var D = JSON.parse(document.getElementById("docdiff-data").textContent);
  var docs = D.docs, pairs = D.pairs;
  var form = document.getElementById("filters");
  var range = document.getElementById("min-score");
  var out = document.getElementById("min-score-value");
  var PAGE = 50, CPAGE = 20, HEAT_MAX = 40;
  var state = {sort: "d", dir: -1, page: 0, cpage: 0, fpage: 0, kinds: {}, min: 0, rows: []};

  function esc(s){
    return String(s).replace(/[&<>"']/g, function(c){
      return {"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c];
    });
  }
  function name(i){ var d = docs[i]; return d ? (d.name || d.id) : "?"; }
  function titled(i){ var d = docs[i]; return d && d.title ? ' title="' + esc(d.title) + '"' : ""; }
  function when(i){
    var d = docs[i];
    return d && d.date ? ' <span class="when">' + esc(d.date) + "</span>" : "";
  }
  // Heatmap labels: the part of the name the documents do not share, its start and its end.
  var shared = (function(){
    var names = docs.map(function(d){ return d ? (d.name || d.id) : ""; });
    if(names.length < 2) return 0;
    var p = names[0];
    names.forEach(function(x){ while(p && x.indexOf(p) !== 0) p = p.slice(0, -1); });
    var cut = Math.max(p.lastIndexOf("_"), p.lastIndexOf("/"), p.lastIndexOf("-"));
    return cut + 1;
  })();
  // ... nor the ending they all share, their file name at least (one folder each:
  // "bash/copyright", "yarl-1.25.1.dist-info/METADATA"), as the report gives it.
  var sharedEnd = (D.ending || "").length;
  function shortName(i){
    var n = name(i), rest = n.slice(shared, n.length - sharedEnd) || n;
    return rest.length > 30 ? rest.slice(0, 12) + "\u2026" + rest.slice(-17) : rest;
  }
  function label(i){
    var d = docs[i];
    return d ? name(i) + (d.title ? " \u2014 " + d.title : "") + (d.date ? " (" + d.date + ")" : "") : "?";
  }
  function ok(m){ return !!state.kinds[m[0]] && m[1] >= state.min; }
  function readFilters(){
    state.kinds = {};
    form.querySelectorAll("input[name=kind]").forEach(function(b){
      if(b.checked){ state.kinds[b.value] = 1; }
    });
    state.min = parseFloat(range.value) || 0;
    out.value = range.value;
  }
  function filtered(){
    var rows = [];
    for(var i = 0; i < pairs.length; i++){
      var p = pairs[i], n = 0, longest = 0, kc = {};
      for(var j = 0; j < p.m.length; j++){
        var m = p.m[j];
        if(ok(m)){ n++; if(m[2] > longest){ longest = m[2]; } kc[m[0]] = (kc[m[0]] || 0) + 1; }
      }
      if(n || (!p.m.length && state.min === 0)){
        rows.push({i:i, p:p, n:n, longest:longest, kc:kc});
      }
    }
    var key = state.sort, dir = state.dir;
    rows.sort(function(x, y){
      var a, b;
      if(key === "a" || key === "b"){ a = name(x.p[key]); b = name(y.p[key]);
        return a < b ? -dir : a > b ? dir : 0; }
      if(key === "n" || key === "longest"){ a = x[key]; b = y[key]; }
      else { a = x.p[key]; b = y.p[key]; }
      return (a - b) * dir || (y.p.d - x.p.d) || (y.p.s - x.p.s);
    });
    return rows;
  }
  function kindBadges(kc){
    return D.kinds.filter(function(k){ return kc[k]; }).map(function(k){
      return '<span class="badge k-' + k + '" title="' + k + '">' + k + " " + kc[k] + "</span>";
    }).join(" ");
  }
  function pager(id, page, total, size){
    var pages = Math.max(1, Math.ceil(total / size));
    return '<div class="pager" data-pager="' + id + '"><button type="button" data-step="-1"' +
      (page <= 0 ? " disabled" : "") + '>← Previous</button><span>page ' + (page + 1) +
      " of " + pages + " (" + total + ")</span>" + '<button type="button" data-step="1"' +
      (page >= pages - 1 ? " disabled" : "") + ">Next →</button></div>";
  }
  var COLS = [["rank","#",0],["a","Document A",0],["b","Document B",0],
    ["s","Similarity",1],["d","Distinctive",1],["ca","Cover A",1],["cb","Cover B",1],
    ["n","Passages",1],["longest","Longest passage (words)",1]];
  // A query's source whose text other indexed documents hold word for word: its copies.
  function sameText(p, short){
    if(!p.same || !p.same.length) return "";
    var n = p.same.length, what = n + (n === 1 ? " identical copy" : " identical copies");
    var names = p.same.map(function(i){ return name(i); });
    if(short){
      return ' <span class="muted" title="' + esc(names.join(", ")) + '">and ' + what + "</span>";
    }
    return '<p class="muted">Its text is held too by ' + what + ": " + esc(names.join(", ")) + "</p>";
  }
  function renderPairs(){
    var rows = state.rows, start = state.page * PAGE;
    var h = '<table class="data" id="pairs-tbl"><caption class="visually-hidden">Document pairs ' +
      "ranked by distinctive similarity (formulae, names and wording many documents share left out); " +
      "click a column header to sort</caption><thead><tr>";
    COLS.forEach(function(c){
      var sorted = state.sort === c[0];
      var aria = sorted ? ' aria-sort="' + (state.dir < 0 ? "descending" : "ascending") + '"' : "";
      var cls = c[2] ? ' class="num"' : "";
      h += '<th scope="col"' + cls + aria + ">" + (c[0] === "rank" ? c[1] :
        '<button type="button" data-sort="' + c[0] + '">' + c[1] + "</button>") + "</th>";
    });
    h += "<th scope=\"col\">Kinds</th></tr></thead><tbody>";
    rows.slice(start, start + PAGE).forEach(function(r, k){
      var p = r.p;
      h += '<tr data-pair="' + r.i + '"><td class="num">' + (start + k + 1) + "</td>" +
        '<td><a href="#pair-' + r.i + '"' + titled(p.a) + ">" + esc(name(p.a)) + "</a>" + when(p.a) + "</td>" +
        '<td><a href="#pair-' + r.i + '"' + titled(p.b) + ">" + esc(name(p.b)) + "</a>" + when(p.b) +
        sameText(p, true) + "</td>" +
        '<td class="num">' + p.s.toFixed(1) + '</td><td class="num">' + p.d.toFixed(1) +
        '</td><td class="num">' + p.ca.toFixed(1) + '</td><td class="num">' + p.cb.toFixed(1) +
        '</td><td class="num">' + r.n + '</td><td class="num">' + r.longest + "</td><td>" +
        kindBadges(r.kc) + "</td></tr>";
    });
    h += "</tbody></table>";
    var pg = pager("pairs", state.page, rows.length, PAGE);
    if(!rows.length){
      h = '<p class="empty">' + (pairs.length ? "No pair passes the filters." :
        "No pairs in this report.") + "</p>";
      pg = "";
    }
    document.getElementById("pairs-table").innerHTML = h + (rows.length > PAGE ? pg : "");
    document.getElementById("shown-count").textContent = rows.length + " of " + pairs.length;
  }

  // White to deep red; the square root spreads the usual 10-60 range over visible shades.
  // Colours run from 0 to the largest value shown (scores of a large corpus are often small).
  function heatColour(v, top){
    var t = Math.sqrt(Math.max(0, Math.min(1, v / (top || 100))));
    var r = Math.round(255 - t * (255 - 103)), g = Math.round(245 - t * 245),
        b = Math.round(240 - t * (240 - 13));
    return "rgb(" + r + "," + g + "," + b + ")";
  }
  function heatLegend(x, y, top){
    var s = '<g aria-hidden="true">';
    for(var k = 0; k <= 10; k++){
      s += '<rect x="' + (x + k * 14) + '" y="' + y + '" width="14" height="10" fill="' +
        heatColour(k * top / 10, top) + '"/>';
    }
    return s + '<text x="' + x + '" y="' + (y + 22) + '">0</text><text x="' + (x + 140) +
      '" y="' + (y + 22) + '">' + (top >= 10 ? top.toFixed(0) : top.toFixed(1)) + "</text></g>";
  }
  function renderHeatmap(){
    var measure = document.getElementById("heat-measure").value;
    var order = document.getElementById("heat-order").value;
    var strength = {}, cell = {};
    state.rows.forEach(function(r){
      var v = r.p[measure];
      strength[r.p.a] = (strength[r.p.a] || 0) + v;
      strength[r.p.b] = (strength[r.p.b] || 0) + v;
      cell[r.p.a + ":" + r.p.b] = r; cell[r.p.b + ":" + r.p.a] = r;
    });
    var ids = Object.keys(strength).map(Number);
    ids.sort(function(x, y){ return strength[y] - strength[x]; });
    var total = ids.length;
    ids = ids.slice(0, HEAT_MAX);
    function val(x, y){ var r = cell[x + ":" + y]; return r ? r.p[measure] : 0; }
    if(order === "name"){ ids.sort(function(x, y){ return name(x) < name(y) ? -1 : 1; }); }
    else if(order === "date"){
      ids.sort(function(x, y){ var a = docs[x].date || "9999", b = docs[y].date || "9999";
        return a < b ? -1 : a > b ? 1 : 0; });
    } else if(order === "cluster" && ids.length){
      var left = ids.slice(1), seq = [ids[0]];
      while(left.length){
        var last = seq[seq.length - 1], bi = 0, bv = -1;
        for(var i = 0; i < left.length; i++){ var v = val(last, left[i]); if(v > bv){ bv = v; bi = i; } }
        seq.push(left.splice(bi, 1)[0]);
      }
      ids = seq;
    }
    // Room for the longest label shown (10px type: about 6px a character, 30 at most), to the
    // left of the rows and above the columns, whose labels rise at 60 degrees; on the right
    // for the last column's label, below for the colour legend.
    var longest = 0;
    ids.forEach(function(d){ longest = Math.max(longest, shortName(d).length); });
    var n = ids.length, cs = n > 25 ? 14 : n > 12 ? 20 : 28;
    var lab = Math.min(190, Math.max(48, longest * 6 + 10));
    var w = lab + n * cs + Math.ceil(lab * 0.6), h = lab + n * cs + 40;
    var s = '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="heat-title" ' +
      'viewBox="0 0 ' + w + " " + h + '" width="' + w + '" height="' + h + '">' +
      '<title id="heat-title">Similarity heatmap of ' + n + " documents</title>";
    ids.forEach(function(d, k){
      var short = "<title>" + esc(label(d)) + "</title>" + esc(shortName(d));
      s += '<text x="' + (lab - 4) + '" y="' + (lab + k * cs + cs * 0.7) + '" text-anchor="end">' +
        short + "</text>";
      s += '<text transform="translate(' + (lab + k * cs + cs * 0.7) + "," + (lab - 4) +
        ') rotate(-60)">' + short + "</text>";
    });
    var top = 0;
    ids.forEach(function(x){ ids.forEach(function(y){ if(x !== y) top = Math.max(top, val(x, y)); }); });
    top = top || 100;
    ids.forEach(function(x, i){
      ids.forEach(function(y, j){
        var r = cell[x + ":" + y], X = lab + j * cs, Y = lab + i * cs;
        if(x === y){
          s += '<rect x="' + X + '" y="' + Y + '" width="' + cs + '" height="' + cs + '" fill="#e9ecf1"/>';
        } else if(r){
          var v = r.p[measure];
          s += '<a href="#pair-' + r.i + '"><rect x="' + X + '" y="' + Y + '" width="' + cs +
            '" height="' + cs + '" fill="' + heatColour(v, top) + '" stroke="#fff"><title>' +
            esc(label(x)) + " \u2194 " + esc(label(y)) + ": " + v.toFixed(1) + "</title></rect></a>";
        } else {
          s += '<rect x="' + X + '" y="' + Y + '" width="' + cs + '" height="' + cs +
            '" fill="#fff" stroke="#f0f0f0"/>';
        }
      });
    });
    s += heatLegend(lab, lab + n * cs + 8, top) + "</svg>";
    var fig = document.getElementById("heatmap");
    var cap = '<figcaption class="muted" id="heat-caption">' + (total > n ?
      "The " + n + " most connected of " + total + " linked documents. " : "") +
      "Darker is more similar; click a cell to open the pair.</figcaption>";
    fig.innerHTML = n ? s + cap : '<p class="empty">' + (pairs.length ?
      "No pair passes the filters." : "No pairs in this report.") + "</p>";
  }

  function sideHtml(text, ops, side){
    // ops: [tag, a0, a1, b0, b1] relative to the passage starts; equal ops only for paraphrase.
    var k = side === "a" ? 1 : 3, list = ops.filter(function(o){ return o[k + 1] > o[k]; });
    list.sort(function(x, y){ return x[k] - y[k]; });
    var h = "", cur = 0;
    list.forEach(function(o){
      if(o[k] < cur || o[k + 1] > text.length){ return; }
      h += esc(text.slice(cur, o[k]));
      var cls = o[0] === "r" ? "chg" : o[0] === "e" ? "same" : (side === "a" ? "gone" : "added");
      h += '<span class="' + cls + '">' + esc(text.slice(o[k], o[k + 1])) + "</span>";
      cur = o[k + 1];
    });
    return h + esc(text.slice(cur));
  }
  function renderPairView(){
    var view = document.getElementById("pair-view");
    var m = /^#pair-(\d+)$/.exec(location.hash);
    if(!m || !pairs[+m[1]]){ view.hidden = true; view.innerHTML = ""; return; }
    var i = +m[1], p = pairs[i], shown = p.m.filter(ok);
    var h = '<h2 id="pair-h" tabindex="-1">' + esc(name(p.a)) + " \u2194 " + esc(name(p.b)) + "</h2>" +
      '<p><a href="#pairs-h">\u2190 back to the pairs</a></p>' + sameText(p, false) + '<div class="scores">' +
      [["Similarity", p.s], ["Distinctive similarity", p.d], ["Coverage of A", p.ca],
       ["Coverage of B", p.cb]].map(function(x){
        return '<div class="score"><span class="label">' + x[0] + '</span><span class="value">' +
          x[1].toFixed(1) + '</span><span class="bar" aria-hidden="true"><span style="width:' +
          Math.min(100, x[1]) + '%"></span></span></div>';
      }).join("") + "</div>" +
      '<p class="muted">A: ' + esc(docs[p.a].path || docs[p.a].id) + (docs[p.a].date ? " (" + esc(docs[p.a].date) + ")" : "") +
      " \u00b7 B: " + esc(docs[p.b].path || docs[p.b].id) + (docs[p.b].date ? " (" + esc(docs[p.b].date) + ")" : "") +
      " \u00b7 " + shown.length + " of " + p.m.length + (p.m.length === 1 ? " passage" : " passages") +
      (shown.length === 1 ? " passes" : " pass") + " the filters</p><ol class=\"pairs\">";
    shown.forEach(function(x, k){
      h += '<li class="pair k-' + x[0] + '" data-kind="' + x[0] + '"><div class="pair-head"><span class="num">#' +
        (k + 1) + '</span><span class="badge k-' + x[0] + '">' + x[0] + '</span><span class="pscore">score ' +
        x[1].toFixed(1) + '</span><span class="words">' + x[2] + " words \u00b7 A " + esc(x[10]) +
        " \u00b7 B " + esc(x[11]) + '</span></div><div class="sides"><blockquote class="side side-a">' +
        sideHtml(x[5], x[9], "a") + '</blockquote><blockquote class="side side-b">' +
        sideHtml(x[8], x[9], "b") + "</blockquote></div></li>";
    });
    view.innerHTML = h + "</ol>";
    view.hidden = false;
    var head = document.getElementById("pair-h");
    head.scrollIntoView({block:"start"});
    head.focus({preventScroll:true});
  }

  function timeline(members){
    var pts = members.filter(function(x){ return docs[x[0]] && docs[x[0]].date; }).map(function(x){
      return {d: docs[x[0]].date, t: Date.parse(docs[x[0]].date.length === 4 ? docs[x[0]].date + "-01-01" : docs[x[0]].date), i: x[0]};
    }).filter(function(p){ return !isNaN(p.t); });
    if(pts.length < 2){ return ""; }
    var lo = Math.min.apply(null, pts.map(function(p){ return p.t; }));
    var hi = Math.max.apply(null, pts.map(function(p){ return p.t; }));
    var W = 520, x0 = 40, span = Math.max(1, hi - lo);
    pts.sort(function(a, b){ return a.t - b.t; });
    var s = '<svg class="timeline" width="' + (W + 80) + '" height="34" role="img" aria-label="Timeline from ' +
      esc(pts[0].d) + " to " + esc(pts[pts.length - 1].d) + '"><line x1="' + x0 + '" y1="14" x2="' + (x0 + W) + '" y2="14"/>';
    pts.forEach(function(p, k){
      var x = x0 + (p.t - lo) / span * W;
      s += '<circle cx="' + x.toFixed(1) + '" cy="14" r="5"' + (k === 0 ? ' class="origin"' : "") +
        "><title>" + esc(name(p.i)) + " (" + esc(p.d) + ")" + (k === 0 ? " \u2014 earliest" : "") + "</title></circle>";
    });
    s += '<text x="' + x0 + '" y="31" text-anchor="middle">' + esc(pts[0].d) + '</text><text x="' + (x0 + W) +
      '" y="31" text-anchor="middle">' + esc(pts[pts.length - 1].d) + "</text></svg>";
    return s;
  }
  function docCount(c){
    if(c._n === undefined){
      var seen = {}; c._n = 0;
      c.members.forEach(function(x){ if(!seen[x[0]]){ seen[x[0]] = 1; c._n++; } });
    }
    return c._n;
  }
  function renderClusters(){
    var list = D.clusters.filter(function(c){ return state.kinds[c.kind]; });
    list.sort(function(a, b){ return docCount(b) - docCount(a) || b.members.length - a.members.length; });
    var start = state.cpage * CPAGE, h = "";
    list.slice(start, start + CPAGE).forEach(function(c){
      // Members are passages; list each document once, in date order, with its passage count.
      var per = {}, order = [];
      c.members.forEach(function(x){
        if(!(x[0] in per)){ per[x[0]] = 0; order.push(x[0]); }
        per[x[0]]++;
      });
      order.sort(function(a, b){
        var da = (docs[a] && docs[a].date) || "9999", db = (docs[b] && docs[b].date) || "9999";
        return da < db ? -1 : da > db ? 1 : 0;
      });
      function item(i){
        var d = docs[i];
        return (d ? esc(name(i)) + (d.date ? " (" + esc(d.date) + ")" : "") : "?") +
          (per[i] > 1 ? " \u00d7" + per[i] : "");
      }
      var names = order.slice(0, 12).map(item).join("; ");
      if(order.length > 12){
        names += ' <details class="more"><summary>and ' + (order.length - 12) +
          (order.length === 13 ? " more document" : " more documents") + "</summary>" +
          order.slice(12).map(item).join("; ") + "</details>";
      }
      var text = c.text.length > 400 ? c.text.slice(0, 400) + "\u2026" : c.text;
      h += '<article class="cluster" data-kind="' + c.kind + '"><h3>Cluster ' + c.id +
        ' <span class="badge k-' + c.kind + '">' + c.kind + "</span> \u00b7 " + order.length +
        " documents" + (c.members.length > order.length ? ", " + c.members.length + " passages" : "") +
        (c.origin >= 0 ? " \u00b7 earliest: " + esc(label(c.origin)) : "") +
        (c.part ? " \u00b7 part of cluster " + c.part : "") +
        '</h3><p class="text">' + esc(text) + "</p>" + timeline(c.members) +
        '<p class="members">' + names + "</p></article>";
    });
    if(!list.length){ h = '<p class="empty">No clusters' + (D.clusters.length ? " pass the kind filter." : ".") + "</p>"; }
    document.getElementById("clusters").innerHTML = h + (list.length > CPAGE ? pager("clusters", state.cpage, list.length, CPAGE) : "");
  }
  function renderFormulae(){
    var list = D.formulae, start = state.fpage * PAGE;
    if(!document.getElementById("formulae")){ return; }  // the section is left out when empty
    if(!list.length){ document.getElementById("formulae").innerHTML = '<p class="empty">No formulae.</p>'; return; }
    var h = '<table class="data"><caption class="visually-hidden">Formulae with their slots and ' +
      'frequencies</caption><thead><tr><th scope="col">Template</th><th scope="col" class="num">Documents</th>' +
      '<th scope="col">Slot examples</th><th scope="col">First</th><th scope="col">Last</th></tr></thead><tbody>';
    list.slice(start, start + PAGE).forEach(function(f){
      var k = 0;
      var t = esc(f.t).replace(/\{[^}]*\}/g, function(){ k++; return '<span class="slot">slot ' + k + "</span>"; });
      var slots = f.slots.map(function(ex, j){
        return "<b>" + (j + 1) + ":</b> " + ex.slice(0, 4).map(esc).join(" \u00b7 ");
      }).join("<br>");
      h += '<tr><td class="template">' + t + '</td><td class="num">' + f.n + "</td><td>" + slots +
        "</td><td class=\"date\">" + esc(f.first) + "</td><td class=\"date\">" + esc(f.last) +
        "</td></tr>";
    });
    document.getElementById("formulae").innerHTML = h + "</tbody></table>" +
      (list.length > PAGE ? pager("formulae", state.fpage, list.length, PAGE) : "");
  }

  function refresh(keepPage){
    readFilters();
    state.rows = filtered();
    if(!keepPage){ state.page = 0; state.cpage = 0; }
    renderPairs(); renderHeatmap(); renderClusters();
    if(!document.getElementById("pair-view").hidden){ renderPairView(); }
    root.dataset.min = String(state.min);  // the minimum score the tables now show
  }
  // The slider redraws 60 ms after its last move; its change (on release) redraws at once and
  // drops the redraw still pending, which would otherwise replace the tables a moment later,
  // under a click already begun on them (a press on one sort button, its release on the next).
  var timer = null;
  form.addEventListener("change", function(){ clearTimeout(timer); refresh(false); });
  range.addEventListener("input", function(){
    out.value = range.value;
    clearTimeout(timer); timer = setTimeout(function(){ refresh(false); }, 60);
  });
  document.getElementById("heat-order").addEventListener("change", renderHeatmap);
  document.getElementById("heat-measure").addEventListener("change", renderHeatmap);
  root.addEventListener("click", function(e){
    var b = e.target.closest && e.target.closest("button");
    if(!b){ return; }
    if(b.dataset.sort){
      var key = b.dataset.sort;
      state.dir = state.sort === key ? -state.dir : (key === "a" || key === "b" ? 1 : -1);
      state.sort = key; state.page = 0; state.rows = filtered(); renderPairs();
      var again = document.querySelector("button[data-sort='" + key + "']");
      if(again){ again.focus(); }
      return;
    }
    var pg = b.closest("[data-pager]");
    if(pg && b.dataset.step){
      var which = pg.dataset.pager, step = +b.dataset.step;
      if(which === "pairs"){ state.page += step; renderPairs(); }
      if(which === "clusters"){ state.cpage += step; renderClusters(); }
      if(which === "formulae"){ state.fpage += step; renderFormulae(); }
      // Show the new page from its top; keyboard focus goes to its first link.
      var head = document.getElementById(which + "-h");
      if(head){ head.scrollIntoView({block:"start"}); }
      var box = document.getElementById(which === "pairs" ? "pairs-table" : which);
      var link = box && box.querySelector("tbody a, article h3, tbody td");
      if(link){
        if(!link.hasAttribute("tabindex") && link.tagName !== "A"){ link.tabIndex = -1; }
        link.focus({preventScroll:true});
      }
    }
  });
  window.addEventListener("hashchange", renderPairView);
  // Printing shows up to 1,000 pairs and 200 clusters instead of the current page.
  window.addEventListener("beforeprint", function(){
    PAGE = 1000; CPAGE = 200; state.page = 0; state.cpage = 0; renderPairs(); renderClusters();
  });
  window.addEventListener("afterprint", function(){
    PAGE = 50; CPAGE = 20; renderPairs(); renderClusters();
  });
  refresh(false);
  renderFormulae();
  renderPairView();
})();
