// framelens report: pagination, filters and the term search. No network.
(function () {
  "use strict";
  function pager(el) {
    var size = +el.dataset.size || 15, page = 0;
    var rows = function () {
      var list = el.tBodies ? el.tBodies[0].rows : el.children;
      return Array.prototype.filter.call(list, function (r) { return !r.classList.contains("filtered"); });
    };
    var all = function () { return el.tBodies ? el.tBodies[0].rows : el.children; };
    var bar = document.createElement("div");
    bar.className = "pager";
    el.parentNode.insertBefore(bar, el.nextSibling);
    function show() {
      var vis = rows(), pages = Math.max(1, Math.ceil(vis.length / size));
      page = Math.min(page, pages - 1);
      Array.prototype.forEach.call(all(), function (r) { r.style.display = "none"; });
      vis.forEach(function (r, i) { r.style.display = (i >= page * size && i < (page + 1) * size) ? "" : "none"; });
      bar.style.display = pages > 1 ? "" : "none";
      bar.innerHTML = "";
      var prev = document.createElement("button"), next = document.createElement("button");
      prev.textContent = "‹ previous"; next.textContent = "next ›";
      prev.disabled = page === 0; next.disabled = page >= pages - 1;
      prev.onclick = function () { page--; show(); };
      next.onclick = function () { page++; show(); };
      bar.appendChild(prev);
      bar.appendChild(document.createTextNode("page " + (page + 1) + " of " + pages + " (" + vis.length + ")"));
      bar.appendChild(next);
    }
    el.refresh = function () { page = 0; show(); };
    show();
  }
  document.querySelectorAll(".paged").forEach(pager);
  document.querySelectorAll("input.filter").forEach(function (inp) {
    var t = document.getElementById(inp.dataset.for);
    inp.addEventListener("input", function () {
      var q = inp.value.toLowerCase();
      Array.prototype.forEach.call(t.tBodies[0].rows, function (r) {
        r.classList.toggle("filtered", q !== "" && r.cells[0].textContent.toLowerCase().indexOf(q) < 0);
      });
      t.refresh();
    });
  });
  document.querySelectorAll("input.termsearch").forEach(function (inp) {
    var svg = document.getElementById(inp.dataset.for), pts = svg.querySelector(".pts");
    var body = inp.parentNode.querySelector("table.found tbody");
    inp.addEventListener("input", function () {
      var q = inp.value.trim().toLowerCase(), n = 0;
      body.innerHTML = "";
      pts.classList.toggle("dim", q !== "");
      pts.querySelectorAll("circle").forEach(function (c) {
        var hit = q !== "" && c.dataset.t.toLowerCase().indexOf(q) >= 0;
        c.classList.toggle("hit", hit);
        if (hit && n++ < 12) {
          var tr = body.insertRow(-1), v = c.dataset.v.split("|");
          tr.insertCell(-1).textContent = c.dataset.t;
          v.forEach(function (x) { var td = tr.insertCell(-1); td.textContent = x; td.className = "n"; });
        }
      });
      if (q !== "" && n === 0) {
        body.insertRow(-1).insertCell(-1).textContent = "not among the terms drawn";
      }
    });
  });
})();
