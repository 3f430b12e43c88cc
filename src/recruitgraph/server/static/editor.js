// recruitgraph SPARQL editor: YASGUI (vendored under /static/vendor/yasgui, MIT) on this
// server's /sparql, with completions from the project's own prefixes and ontology only.
// Nothing is fetched from another host: the prefix.cc and LOV look-ups YASGUI would make are
// replaced by lists the page carries (a JSON element written by the server).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var host = document.getElementById("yasgui");
    var termsEl = document.getElementById("rg-terms");
    if (!host || !termsEl || !window.Yasgui) return;
    var terms = JSON.parse(termsEl.textContent);
    var Yasqe = window.Yasgui.Yasqe;
    var prefixLines = Object.keys(terms.prefixes).sort().map(function (p) { return p + ": <" + terms.prefixes[p] + ">"; });
    Yasqe.forkAutocompleter("prefixes", { name: "prefixes", get: function () { return prefixLines; } });
    Yasqe.forkAutocompleter("class", { name: "class", bulk: true, get: function () { return terms.classes; } });
    Yasqe.forkAutocompleter("property", { name: "property", bulk: true, get: function () { return terms.properties; } });
    var form = document.getElementById("editor-form");
    var textarea = document.getElementById("query-text");
    var yasgui = new window.Yasgui(host, {
      requestConfig: { endpoint: "/sparql", method: "POST" },
      copyEndpointOnNewTab: false,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: "/sparql" }]; } },
      persistenceId: null,
      populateFromUrl: false,
      yasqe: { value: textarea.value, prefixCcApi: "", resizeable: true, editorHeight: "320px" },
      yasr: { pluginOrder: ["table", "response"], defaultPlugin: "table" }
    });
    var tab = yasgui.getTab();
    tab.setQuery(textarea.value);
    var yasqe = tab.getYasqe();
    yasqe.on("change", function () { textarea.value = yasqe.getValue(); });
    textarea.hidden = true;
    form.classList.add("with-yasgui");
    document.querySelectorAll("select#examples").forEach(function (select) {
      select.addEventListener("change", function () { if (select.value) tab.setQuery(select.value); });
    });
    window.rgEditor = { yasgui: yasgui, yasqe: yasqe, tab: tab };
    document.body.setAttribute("data-editor", "yasgui");
  });
})();
