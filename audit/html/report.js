(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  var groups = Array.prototype.slice.call(table.tBodies);
  var filter = document.getElementById("filter");
  var classFilter = document.getElementById("class-filter");
  var statusFilter = document.getElementById("status-filter");
  var shown = document.getElementById("shown");
  var expandAll = document.getElementById("expand-all");

  function apply() {
    var q = filter.value.toLowerCase();
    var c = classFilter.value, s = statusFilter.value, n = 0;
    groups.forEach(function (g) {
      var ok = (!c || g.dataset.class === c) && (!s || g.dataset.status === s) &&
        (!q || g.rows[0].textContent.toLowerCase().indexOf(q) >= 0);
      g.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = "Showing " + n + " of " + groups.length + " findings";
    table.dataset.visible = String(n);
  }

  // Each finding is its own tbody (summary row plus diff row), so sorting
  // moves both together.
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, col) {
    th.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var numeric = th.dataset.numeric === "1";
      groups.sort(function (a, b) {
        var x = a.rows[0].cells[col].dataset.v, y = b.rows[0].cells[col].dataset.v;
        var d = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return asc ? d : -d;
      });
      groups.forEach(function (g) { table.appendChild(g); });
    });
  });

  // Only findings with attribute changes or a hint have a detail row; their
  // summary row carries the ▸ marker and aria-expanded.
  var openable = groups.filter(function (g) { return g.rows.length > 1; });
  function setOpen(g, open) {
    g.rows[1].hidden = !open;
    g.rows[0].setAttribute("aria-expanded", String(open));
  }
  function syncExpandAll() {
    var all = openable.length > 0 && openable.every(function (g) { return !g.rows[1].hidden; });
    expandAll.textContent = all ? "Collapse all" : "Expand all";
    expandAll.setAttribute("aria-pressed", String(all));
  }
  openable.forEach(function (g) {
    var row = g.rows[0];
    function toggle() { setOpen(g, g.rows[1].hidden); syncExpandAll(); }
    row.addEventListener("click", toggle);
    row.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); } });
  });
  expandAll.disabled = openable.length === 0;
  expandAll.addEventListener("click", function () {
    var open = expandAll.getAttribute("aria-pressed") !== "true";
    openable.forEach(function (g) { setOpen(g, open); });
    syncExpandAll();
  });

  [filter, classFilter, statusFilter].forEach(function (el) { el.addEventListener("input", apply); });
  // A link can carry a filter (report.html#q=prod&class=changed), open the
  // findings of an import id (#open=abc123/prod) or all of them
  // (#expand=all), so a comment can point at the findings it is about.
  // Opening clicks, exactly as a reader would.
  var params = new URLSearchParams(location.hash.slice(1));
  filter.value = params.get("q") || "";
  classFilter.value = params.get("class") || "";
  statusFilter.value = params.get("status") || "";
  apply();
  var target = params.get("open");
  openable.forEach(function (g) {
    if (target && g.rows[0].cells[4].dataset.v === target) { g.rows[0].click(); }
  });
  if (params.get("expand") === "all") { expandAll.click(); }
  table.dataset.ready = "true";
})();
