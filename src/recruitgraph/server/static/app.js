// recruitgraph UI: sortable result tables and the editor's example picker.
// Data reaches the page as server-escaped HTML; this script only reorders rows and copies
// option values into the textarea, never builds HTML from data.
(function () {
  "use strict";

  function sortKey(cell) {
    var raw = cell.getAttribute("data-sort") || "";
    var num = Number(raw);
    return raw !== "" && !isNaN(num) ? num : raw.toLowerCase();
  }

  function makeSortable(table) {
    var buttons = table.querySelectorAll("thead th button.sort");
    buttons.forEach(function (button, column) {
      button.addEventListener("click", function () {
        var th = button.parentElement;
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortKey(a.cells[column]), y = sortKey(b.cells[column]);
          if (typeof x !== typeof y) { x = String(x); y = String(y); }
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function examplePicker(select) {
    var target = document.getElementById(select.getAttribute("data-target"));
    select.addEventListener("change", function () {
      if (select.value && target) {
        target.value = select.value;
        target.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.sortable").forEach(makeSortable);
    document.querySelectorAll("select#examples").forEach(examplePicker);
    document.body.setAttribute("data-ready", "1");
  });
})();
