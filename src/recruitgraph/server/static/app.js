// recruitgraph UI: sortable result tables, the editor's example picker, the search box and the
// timeline's "+N" lists.
// Data reaches the page as server-escaped HTML; this script only reorders rows and copies
// option values into the textarea; the search box writes data with textContent only.
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

  // The search box: matches from /search?format=json, grouped by class, picked with the keyboard.
  function siteSearch(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var options = [], active = -1, timer = null, asked = "";

    function close() {
      list.hidden = true; list.replaceChildren(); options = []; active = -1;
      input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
    }
    function mark(i) {
      options.forEach(function (o, k) { o.setAttribute("aria-selected", k === i ? "true" : "false"); });
      active = i;
      if (i >= 0) { input.setAttribute("aria-activedescendant", options[i].id); options[i].scrollIntoView({ block: "nearest" }); }
      else input.removeAttribute("aria-activedescendant");
    }
    function option(text, href, note) {
      var li = document.createElement("li");
      li.setAttribute("role", "option"); li.id = "site-search-opt-" + options.length;
      li.className = "option";
      var a = document.createElement("a"); a.href = href; a.textContent = text; a.tabIndex = -1;
      li.appendChild(a);
      if (note) { var s = document.createElement("span"); s.className = "muted"; s.textContent = " " + note; li.appendChild(s); }
      li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = href; });
      options.push(li);
      return li;
    }
    function show(data) {
      list.replaceChildren(); options = []; active = -1;
      if (!data.total) {
        var none = document.createElement("li"); none.className = "empty"; none.setAttribute("role", "presentation");
        none.textContent = "No name or alias starts like that.";
        list.appendChild(none);
      }
      data.groups.forEach(function (g) {
        var head = document.createElement("li"); head.className = "group"; head.setAttribute("role", "presentation");
        head.textContent = g.label + " (" + g.count + ")";
        list.appendChild(head);
        g.items.forEach(function (it) {
          list.appendChild(option(it.label, "/id/" + encodeURI(it.id), it.matched ? "also called " + it.matched : ""));
        });
      });
      if (data.total) list.appendChild(option("All " + data.total + " matches for “" + data.query + "”",
                                             "/search?q=" + encodeURIComponent(data.query), ""));
      list.hidden = false; input.setAttribute("aria-expanded", "true");
      list.setAttribute("data-query", data.query);
    }
    function ask() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      if (q === asked) return;
      asked = q;
      fetch("/search?format=json&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && input.value.trim() === q) show(data); })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); asked = ""; timer = setTimeout(ask, 90); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && options.length) { e.preventDefault(); mark((active + 1) % options.length); }
      else if (e.key === "ArrowUp" && options.length) { e.preventDefault(); mark(active <= 0 ? options.length - 1 : active - 1); }
      else if (e.key === "Escape" && !list.hidden) { e.preventDefault(); close(); }  // not also clear the box
      else if (e.key === "Enter" && active >= 0) {
        e.preventDefault(); window.location.href = options[active].querySelector("a").getAttribute("href");
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  // The timeline's "+N" marks: each opens the items it stands for in place, next to the mark
  // (a disclosure: Enter or Space opens, Escape or the close link shuts and returns focus).
  function timelineMore(wrap) {
    var open = null;
    function place(opener, pop) {
      var box = wrap.getBoundingClientRect(), at = opener.getBoundingClientRect();
      var left = Math.max(0, Math.min(at.left - box.left - 8, box.width - pop.offsetWidth));
      pop.style.left = left + "px";  // CSSOM, which the page's style-src 'self' allows
      pop.style.top = (at.bottom - box.top + 6) + "px";
    }
    function shut(returnFocus) {
      if (!open) return;
      var opener = open.opener, pop = open.pop;
      pop.hidden = true; opener.setAttribute("aria-expanded", "false"); open = null;
      if (returnFocus) opener.focus();
    }
    function show(opener, pop) {
      shut(false);
      pop.hidden = false; opener.setAttribute("aria-expanded", "true"); open = { opener: opener, pop: pop };
      place(opener, pop);
      var first = pop.querySelector(".more-item a"); if (first) first.focus();
    }
    wrap.querySelectorAll("svg a.more").forEach(function (opener) {
      var pop = document.getElementById(opener.getAttribute("aria-controls"));
      if (!pop) return;
      opener.setAttribute("role", "button");
      opener.setAttribute("aria-expanded", "false");
      function toggle(e) {
        e.preventDefault();
        if (open && open.pop === pop) shut(true); else show(opener, pop);
      }
      opener.addEventListener("click", toggle);
      opener.addEventListener("keydown", function (e) { if (e.key === " ") toggle(e); });
      pop.querySelector(".more-close").addEventListener("click", function (e) { e.preventDefault(); shut(true); });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && open) { e.preventDefault(); shut(true); }
    });
    document.addEventListener("click", function (e) {
      if (open && !open.pop.contains(e.target) && !open.opener.contains(e.target)) shut(false);
    });
    window.addEventListener("resize", function () { if (open) place(open.opener, open.pop); });
    wrap.classList.add("scripted");  // from here on the script, not the address's #more-N, shows them
    var linked = location.hash && wrap.querySelector('svg a.more[href="' + location.hash.replace(/"/g, "") + '"]');
    if (linked) show(linked, document.getElementById(linked.getAttribute("aria-controls")));
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#timeline-wrap").forEach(timelineMore);
    document.querySelectorAll("input#site-search").forEach(siteSearch);
    document.querySelectorAll("table.sortable").forEach(makeSortable);
    document.querySelectorAll("select#examples").forEach(examplePicker);
    document.body.setAttribute("data-ready", "1");
  });
})();
