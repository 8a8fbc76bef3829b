(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  var groups = Array.prototype.slice.call(table.tBodies);
  var filter = document.getElementById("filter");
  var classFilter = document.getElementById("class-filter");
  var statusFilter = document.getElementById("status-filter");
  var shown = document.getElementById("shown");

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

  groups.forEach(function (g) {
    var row = g.rows[0], detail = g.rows[1];
    function toggle() { detail.hidden = !detail.hidden; row.setAttribute("aria-expanded", String(!detail.hidden)); }
    row.addEventListener("click", toggle);
    row.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); } });
  });

  [filter, classFilter, statusFilter].forEach(function (el) { el.addEventListener("input", apply); });
  // A link can carry a filter (report.html#q=prod&class=changed), so a
  // comment can point at the findings it is about.
  var params = new URLSearchParams(location.hash.slice(1));
  filter.value = params.get("q") || "";
  classFilter.value = params.get("class") || "";
  statusFilter.value = params.get("status") || "";
  apply();
  table.dataset.ready = "true";
})();
