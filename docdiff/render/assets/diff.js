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
