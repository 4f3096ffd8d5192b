// Compare any two versions on a policy's history page: both versions' sections.json are fetched
// and diffed here, clause by clause (aligned by id) and word by word, like the pre-rendered
// "what changed" pages. Built with DOM calls and textContent only.
(function () {
  "use strict";
  var form = document.querySelector("form.policy-compare");
  if (!form || !window.fetch) { return; }
  var result = document.querySelector(".policy-compare__result");
  var label = function (key) { return form.getAttribute("data-label-" + key) || key; };
  var TOKEN = /[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]/gu;
  var REF = /\[\[([^\[\]\n]*)\]\]/g;
  var names = { "-": {}, "+": {}, "=": {} };  // how [[id]] reads: the older version's for deletions

  function named(op, text) {
    return text.replace(REF, function (whole, id) {
      var known = names[op];
      return Object.prototype.hasOwnProperty.call(known, id.trim()) ? known[id.trim()] : whole;  // "constructor" is an id too
    });
  }

  function words(a, b) {
    var x = a.match(TOKEN) || [], y = b.match(TOKEN) || [];
    var n = x.length, m = y.length, table = [];
    for (var i = 0; i <= n; i++) { table.push(new Int32Array(m + 1)); }
    for (i = n - 1; i >= 0; i--) {
      for (var j = m - 1; j >= 0; j--) {
        table[i][j] = x[i] === y[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    var ops = [], push = function (op, text) {
      var last = ops[ops.length - 1];
      if (last && last[0] === op) { last[1] += text; } else { ops.push([op, text]); }
    };
    i = 0; j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && x[i] === y[j]) { push("=", x[i]); i++; j++; }
      else if (j < m && (i === n || table[i][j + 1] >= table[i + 1][j])) { push("+", y[j]); j++; }
      else { push("-", x[i]); i++; }
    }
    return ops;
  }

  function paragraph(ops) {
    var p = document.createElement("p");
    ops.forEach(function (op) {
      var node = document.createTextNode(named(op[0], op[1]));
      if (op[0] === "=") { p.appendChild(node); return; }
      var mark = document.createElement(op[0] === "-" ? "del" : "ins");
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = label(op[0] === "-" ? "deleted" : "inserted") + " ";
      mark.appendChild(hidden);
      mark.appendChild(node);
      p.appendChild(mark);
    });
    return p;
  }

  function section(status, entry, ops) {
    var block = document.createElement("section");
    block.className = "policy-change policy-change--" + status;
    var heading = document.createElement("h3");
    heading.textContent = entry.name + " ";
    var tag = document.createElement("span");
    tag.className = "policy-change__status";
    tag.textContent = label(status);
    heading.appendChild(tag);
    block.appendChild(heading);
    block.appendChild(paragraph(ops));
    return block;
  }

  function compare(older, newer) {
    names = { "-": older.labels || {}, "+": newer.labels || {}, "=": newer.labels || {} };
    var before = {};
    older.sections.forEach(function (s) { before[s.id] = s; });
    var seen = {}, blocks = [];
    var oldOrder = older.sections.map(function (s) { return s.id; });
    var lastIndex = -1;
    newer.sections.forEach(function (s) {
      var o = before[s.id];
      seen[s.id] = true;
      if (!o) { blocks.push(section("added", s, [["+", s.title + "\n\n" + s.text]])); return; }
      var index = oldOrder.indexOf(s.id);
      var moved = index < lastIndex;
      lastIndex = Math.max(lastIndex, index);
      var ops = words(o.title === s.title ? o.text : o.title + "\n\n" + o.text,
                      o.title === s.title ? s.text : s.title + "\n\n" + s.text);
      var changed = ops.some(function (op) { return op[0] !== "="; });
      if (moved || changed) { blocks.push(section(moved ? "moved" : "changed", s, ops)); }
    });
    older.sections.forEach(function (s) {
      if (!seen[s.id]) { blocks.push(section("removed", s, [["-", s.title + "\n\n" + s.text]])); }
    });
    result.replaceChildren();
    if (!blocks.length) {
      var none = document.createElement("p");
      none.textContent = label("none");
      result.appendChild(none);
    }
    blocks.forEach(function (b) { result.appendChild(b); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var root = form.getAttribute("data-root");
    var ids = [form.elements.from.value, form.elements.to.value].sort();
    Promise.all(ids.map(function (id) {
      return fetch(root + id + "/sections.json").then(function (r) { return r.json(); });
    })).then(function (pair) { compare(pair[0], pair[1]); });
  });
})();
