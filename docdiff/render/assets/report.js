(function(){
  "use strict";
  var root = document.getElementById("compare");
  if(!root){ return; }
  var form = document.getElementById("filters");
  var range = document.getElementById("min-score");
  var out = document.getElementById("min-score-value");
  var items = Array.prototype.slice.call(document.querySelectorAll("#pairs li.pair"));
  var segs = Array.prototype.slice.call(document.querySelectorAll("mark.seg"));
  var visible = {};
  function kinds(){
    var k = {};
    form.querySelectorAll("input[name=kind]").forEach(function(b){ if(b.checked){ k[b.value] = 1; } });
    return k;
  }
  function apply(){
    var k = kinds(), min = parseFloat(range.value) || 0, shown = 0;
    out.value = range.value;
    items.forEach(function(li){
      var ok = !!k[li.dataset.kind] && parseFloat(li.dataset.score) >= min;
      li.hidden = !ok;
      visible[li.dataset.m] = ok;
      if(ok){ shown++; }
    });
    segs.forEach(function(s){
      var on = s.dataset.m.split(" ").some(function(m){ return visible[m]; });
      s.classList.toggle("off", !on);
      s.tabIndex = on ? 0 : -1;
    });
    document.getElementById("shown-count").textContent = shown + " of " + items.length;
  }
  form.addEventListener("change", apply);
  range.addEventListener("input", apply);
  apply();

  function flash(els){
    els.forEach(function(el){
      el.classList.remove("flash"); void el.offsetWidth; el.classList.add("flash");
    });
  }
  function jump(side, m){
    var targets = Array.prototype.slice.call(
      document.querySelectorAll("#text-" + side + " mark.seg[data-m~='" + m + "']"));
    if(!targets.length){ return; }
    segs.forEach(function(s){ s.classList.remove("current"); });
    targets.forEach(function(t){ t.classList.add("current"); });
    targets[0].scrollIntoView({block:"center", behavior:"auto"});
    targets[0].focus({preventScroll:true});
    flash(targets);
  }
  function primary(seg){
    var ids = seg.dataset.m.split(" ");
    if(visible[seg.dataset.primary]){ return seg.dataset.primary; }
    for(var i = 0; i < ids.length; i++){ if(visible[ids[i]]){ return ids[i]; } }
    return null;
  }
  function follow(seg){
    var m = primary(seg);
    if(m === null){ return; }
    var side = seg.closest("#text-a") ? "b" : "a";
    jump(side, m);
  }
  document.addEventListener("click", function(e){
    var seg = e.target.closest && e.target.closest("mark.seg");
    if(seg){ follow(seg); return; }
    var go = e.target.closest && e.target.closest("a.goto");
    if(go){ e.preventDefault(); jump(go.dataset.go, go.dataset.m); }
  });
  var at = -1;
  document.addEventListener("keydown", function(e){
    if(e.ctrlKey || e.metaKey || e.altKey){ return; }
    var t = e.target && e.target.tagName;
    if(t === "INPUT" || t === "SELECT" || t === "TEXTAREA" || t === "BUTTON"){ return; }
    if(e.key === "Enter" && e.target.matches && e.target.matches("mark.seg")){
      follow(e.target); e.preventDefault(); return;
    }
    if(e.key === "n" || e.key === "p"){
      var shown = items.filter(function(li){ return !li.hidden; });
      if(!shown.length){ return; }
      at = e.key === "n" ? Math.min(at + 1, shown.length - 1) : Math.max(at - 1, 0);
      shown[at].tabIndex = -1;
      shown[at].scrollIntoView({block:"start"});
      shown[at].focus({preventScroll:true});
      e.preventDefault();
    }
  });
})();
