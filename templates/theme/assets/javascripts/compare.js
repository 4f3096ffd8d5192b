// Compare any two versions on a policy's history page, as the pre-rendered "what changed" pages do:
// both versions' sections.json (each clause's rendered, sanitized HTML) are fetched, clauses are
// aligned by id as diff.py's diff_sections does, named as changes.py names them, and each changed
// clause is redlined by redline.js (generator/redline.py's rules). Everything but the redline's
// own HTML is built with DOM calls and textContent.
(function () {
  "use strict";
  var form = document.querySelector("form.policy-compare");
  if (!form || !window.fetch || !window.PolicyRedline) { return; }
  var result = document.querySelector(".policy-compare__result");
  var label = function (key) { return form.getAttribute("data-label-" + key) || key; };
  var own = function (object, key) { return Object.prototype.hasOwnProperty.call(object, key); };
  var redline = window.PolicyRedline.redline, parse = window.PolicyRedline.parse, escape = window.PolicyRedline.escape;

  // Clauses as diff.py's diff_sections aligns them; "moved": out of difflib's matching blocks.
  function longest(a, b, where, alo, ahi, blo, bhi) {
    var besti = alo, bestj = blo, bestsize = 0, j2len = new Map();
    for (var i = alo; i < ahi; i++) {
      var next = new Map(), j = where.has(a[i]) ? where.get(a[i]) : -1;
      if (j >= blo && j < bhi) {
        var k = (j2len.get(j - 1) || 0) + 1;
        next.set(j, k);
        if (k > bestsize) { besti = i - k + 1; bestj = j - k + 1; bestsize = k; }
      }
      j2len = next;
    }
    return [besti, bestj, bestsize];
  }

  function stable(a, b) {  // SequenceMatcher(a, b, autojunk=False).get_matching_blocks() on unique ids
    var where = new Map(), kept = new Set(), queue = [[0, a.length, 0, b.length]];
    b.forEach(function (id, j) { where.set(id, j); });
    while (queue.length) {
      var q = queue.pop(), found = longest(a, b, where, q[0], q[1], q[2], q[3]);
      var i = found[0], j = found[1], k = found[2];
      if (!k) { continue; }
      for (var n = 0; n < k; n++) { kept.add(b[j + n]); }
      if (q[0] < i && q[2] < j) { queue.push([q[0], i, q[2], j]); }
      if (i + k < q[1] && j + k < q[3]) { queue.push([i + k, q[1], j + k, q[3]]); }
    }
    return kept;
  }

  function diffSections(older, newer) {
    var before = new Map(), ids = new Set(), removedAfter = new Map(), anchor = null, changes = [];
    older.forEach(function (s) { before.set(s.id, s); });
    newer.forEach(function (s) { ids.add(s.id); });
    var inOrder = stable(older.filter(function (s) { return ids.has(s.id); }).map(function (s) { return s.id; }),
                         newer.filter(function (s) { return before.has(s.id); }).map(function (s) { return s.id; }));
    older.forEach(function (s) {
      if (ids.has(s.id)) { anchor = s.id; return; }
      if (!removedAfter.has(anchor)) { removedAfter.set(anchor, []); }
      removedAfter.get(anchor).push(s);
    });
    var removed = function (key) {
      (removedAfter.get(key) || []).forEach(function (s) { changes.push({ status: "removed", old: s, now: null }); });
    };
    removed(null);
    newer.forEach(function (s) {
      var o = before.get(s.id);
      if (!o) { changes.push({ status: "added", old: null, now: s }); }
      else {
        var differs = o.digest !== s.digest || o.title !== s.title;
        changes.push({ status: !inOrder.has(s.id) ? "moved" : differs ? "changed" : "unchanged", old: o, now: s });
      }
      removed(s.id);
    });
    return changes.filter(function (c) { return c.status !== "unchanged"; });
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, key) { return own(values, key) ? values[key] : whole; });
  }

  function where(change, refs) {  // changes.py's _where
    var id = (change.now || change.old).id;
    var was = own(refs[0], id) ? refs[0][id] : "", now = own(refs[1], id) ? refs[1][id] : "";
    if (change.status === "removed" && was) { return fill(label("was"), { was: was }); }
    if ((change.status === "moved" || change.status === "changed") && was && now && was !== now) {
      return fill(label("moved-from"), { was: was, now: now });
    }
    return "";
  }

  function section(change, refs, said) {
    var status = change.status, entry = change.now || change.old;
    var block = element("section", "policy-change policy-change--" + status);
    var heading = element("h3", "", entry.name + " ");
    heading.appendChild(element("span", "policy-change__status", label(status)));
    block.appendChild(heading);
    var moved = where(change, refs);
    if (moved) { block.appendChild(element("p", "policy-change__where", moved)); }
    if ((status === "changed" || status === "moved") && change.old.title !== change.now.title) {
      var title = element("p", "policy-change__title");
      title.appendChild(parse(redline(escape(change.old.title), escape(change.now.title), said)));
      block.appendChild(title);
    }
    var body = element("div", "policy-redline");
    body.appendChild(parse(redline(status !== "added" ? change.old.html : "", status !== "removed" ? change.now.html : "", said)));
    block.appendChild(body);
    return block;
  }

  function compare(older, newer) {
    var refs = newer.numbering !== "none" ? [older.labels || {}, newer.labels || {}] : [{}, {}];
    var said = { "-": label("deleted"), "+": label("inserted") };
    var blocks = diffSections(older.sections, newer.sections).map(function (c) { return section(c, refs, said); });
    result.replaceChildren();
    if (!blocks.length) { result.appendChild(element("p", "", label("none"))); }
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
