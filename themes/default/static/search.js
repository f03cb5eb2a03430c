// qunce search: matches Chinese by character bigrams and other words by lower-cased tokens.
// Works from file:// because the index is a script (window.QUNCE_INDEX), not a fetched file.
(function () {
  "use strict";
  var index = window.QUNCE_INDEX || [];
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var empty = document.getElementById("empty");
  // A few words of the page around the first term, so a result says why it matched.
  function snippet(text, term) {
    var at = text.toLowerCase().indexOf(term);
    if (at < 0) { return text.slice(0, 80); }
    var start = Math.max(0, at - 30);
    return (start > 0 ? "…" : "") + text.slice(start, at + term.length + 50) + "…";
  }
  function terms(text) {
    var out = [];
    var parts = text.toLowerCase().match(/[\u3400-\u9fff]+|[a-z0-9_]+/g) || [];
    parts.forEach(function (p) {
      if (/^[\u3400-\u9fff]+$/.test(p)) {
        if (p.length === 1) { out.push(p); }
        for (var i = 0; i + 1 < p.length; i++) { out.push(p.slice(i, i + 2)); }
      } else {
        out.push(p);
      }
    });
    return out;
  }
  function search() {
    var q = terms(input.value);
    list.textContent = "";
    if (empty) { empty.hidden = true; }
    if (!q.length) { return; }
    var shown = 0;
    index
      .map(function (page) {
        var hay = (page.title + " " + page.text).toLowerCase();
        var hits = q.filter(function (t) { return hay.indexOf(t) >= 0; }).length;
        return { page: page, score: hits === q.length ? hits + (page.title.toLowerCase().indexOf(q[0]) >= 0 ? 1 : 0) : 0 };
      })
      .filter(function (r) { return r.score > 0; })
      .sort(function (a, b) { return b.score - a.score; })
      .slice(0, 30)
      .forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "../" + r.page.url;
        a.textContent = r.page.title;
        li.appendChild(a);
        var s = document.createElement("span");
        s.className = "snippet";
        s.textContent = snippet(r.page.text || "", q[0]);
        li.appendChild(s);
        list.appendChild(li);
        shown++;
      });
    if (empty && shown === 0) { empty.hidden = false; }
  }
  if (input) {
    input.addEventListener("input", search);
    var m = /[?&]q=([^&]*)/.exec(window.location.search);
    if (m) { input.value = decodeURIComponent(m[1].replace(/\+/g, " ")); search(); }
  }
})();
