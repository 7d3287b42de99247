// kg's own small script: SPARQL highlighting in the query editor, the caret put where the parser
// failed, Ctrl+Enter to run, and search suggestions as one types. Pages work without it.
(function () {
  "use strict";
  var KEYWORDS = /^(SELECT|CONSTRUCT|DESCRIBE|ASK|WHERE|PREFIX|BASE|FROM|NAMED|GRAPH|OPTIONAL|UNION|MINUS|FILTER|BIND|VALUES|AS|DISTINCT|REDUCED|ORDER|BY|ASC|DESC|GROUP|HAVING|LIMIT|OFFSET|NOT|EXISTS|IN|SERVICE|a|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT|SEPARATOR|STR|LANG|LCASE|UCASE|CONTAINS|STRSTARTS|REGEX|COALESCE|IF|BOUND|UNDEF)$/i;
  var TOKEN = /(#[^\n]*)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$][A-Za-z0-9_]+)|([A-Za-z][\w-]*)?:[\w.-]*|([A-Za-z_][A-Za-z_0-9]*)/g;

  function escapeHtml(s) { return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); }

  function highlight(text) {
    var out = "", last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      var cls = m[1] ? "com" : m[2] ? "str" : m[3] ? "iri" : m[4] ? "var" : m[6] ? (KEYWORDS.test(m[6]) ? "kw" : null) : "pn";
      out += escapeHtml(text.slice(last, m.index));
      out += cls ? '<span class="tok-' + cls + '">' + escapeHtml(m[0]) + "</span>" : escapeHtml(m[0]);
      last = m.index + m[0].length;
      if (m[0].length === 0) { TOKEN.lastIndex++; }
    }
    return out + escapeHtml(text.slice(last)) + "\n";
  }

  function setUpEditor(area) {
    var code = document.getElementById("query-highlight"), pre = code.parentNode;
    area.parentNode.classList.add("js");
    function paint() { code.innerHTML = highlight(area.value); pre.scrollTop = area.scrollTop; }
    area.addEventListener("input", paint);
    area.addEventListener("scroll", function () { pre.scrollTop = area.scrollTop; });
    area.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); area.form.submit(); }
    });
    paint();
    var line = parseInt(area.dataset.line || "0", 10), column = parseInt(area.dataset.column || "0", 10);
    if (line > 0) {  // put the caret where the parser stopped
      var lines = area.value.split("\n"), at = 0;
      for (var i = 0; i < line - 1 && i < lines.length; i++) { at += lines[i].length + 1; }
      at += Math.max(0, column - 1);
      area.focus();
      area.setSelectionRange(at, at);
    }
  }

  function setUpSuggest(input) {
    var list = document.getElementById(input.getAttribute("aria-controls")), timer = null, chosen = -1, items = [];
    function close() { list.hidden = true; list.innerHTML = ""; chosen = -1; items = []; input.setAttribute("aria-expanded", "false"); }
    function mark() {
      Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute("aria-selected", i === chosen ? "true" : "false"); });
    }
    function show(found) {
      items = found; list.innerHTML = ""; chosen = -1;
      found.forEach(function (s, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option"); li.id = list.id + "-" + i;
        li.innerHTML = '<span class="kind">' + escapeHtml(s.kind) + "</span>" + escapeHtml(s.label) +
          (s.matched !== s.label ? ' <span class="matched">' + escapeHtml(s.matched) + "</span>" : "");
        li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = s.url; });
        list.appendChild(li);
      });
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { close(); return; }
      timer = setTimeout(function () {
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (found) { if (input.value.trim() === q) { show(found); } })
          .catch(close);
      }, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) { return; }
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        chosen = (chosen + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        mark();
      } else if (e.key === "Enter" && chosen >= 0) {
        e.preventDefault(); window.location.href = items[chosen].url;
      } else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var area = document.getElementById("query");
    if (area && document.getElementById("query-highlight")) { setUpEditor(area); }
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), setUpSuggest);
  });
})();
