// The rendered redline of generator/redline.py, ported rule for rule (its module docstring states
// them; change both files together): the same tokens from the same clause HTML, Myers' diff with the
// same tie-breaking, the same slide, clean-up and rendering, so that the history page's comparison
// (compare.js) marks exactly what the pre-rendered changes pages mark. tests/test_compare_browser.py
// checks that they agree. The HTML it makes is the clause HTML re-serialized from its tokens, text and
// attribute values escaped, as redline.py makes it.
(function () {
  "use strict";
  // Python's \w+|\s+|[^\w\s] (str.isspace's characters, not JavaScript's \s, which differs by four).
  var WORD = /[\p{L}\p{N}_]+|[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[^\p{L}\p{N}_\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/gu;
  var SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/u;
  var VOID = { br: 1, hr: 1 };
  var CHILDREN = { ul: ["li"], ol: ["li"], table: ["thead", "tbody", "tr"], thead: ["tr"], tbody: ["tr"],
                   tr: ["td", "th"], dl: ["dt", "dd"] };
  var FLOW = ["div", "li", "td", "th", "blockquote", "dd", "section"];
  var BLOCKS = ["p", "ul", "ol", "table", "blockquote", "pre", "dl", "div", "hr", "h1", "h2", "h3", "h4", "h5", "h6"];
  var WRAPPERS = { ul: ["li"], ol: ["li"], table: ["tr", "td"], thead: ["tr", "td"], tbody: ["tr", "td"],
                   tr: ["td"], dl: ["dd"] };
  var REMOVED_CLASS = "policy-removed";
  var MAX_EDITS = 2000;
  var own = function (object, key) { return Object.prototype.hasOwnProperty.call(object, key); };
  var has = function (list, item) { return list.indexOf(item) >= 0; };

  function escape(text, quote) {
    text = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return quote ? text.replace(/"/g, "&quot;") : text;
  }

  function length(text) {  // in code points, as Python counts
    var n = 0;
    for (var ignored of text) { n += ignored ? 1 : 0; }
    return n;
  }

  function token(kind, text, name) { return { kind: kind, text: text, name: name || "", key: kind + text }; }

  // Rule 1: what Python's html.parser sees in the same HTML, from the DOM the browser parses of it.
  function walk(node, tokens) {
    node.childNodes.forEach(function (child) {
      if (child.nodeType === 3) {
        (child.data.normalize("NFC").match(WORD) || []).forEach(function (w) { tokens.push(token("w", w)); });
        return;
      }
      if (child.nodeType !== 1) { return; }
      var name = child.localName, html = "<" + name;
      Array.prototype.forEach.call(child.attributes, function (a) { html += " " + a.name + '="' + escape(a.value, true) + '"'; });
      tokens.push(token(own(VOID, name) ? ">" : "<", html + ">", name));
      if (own(VOID, name)) { return; }
      walk(child.content || child, tokens);
      tokens.push(token("/", "</" + name + ">", name));
      var href = name === "a" ? child.getAttribute("href") : "";
      if (href) { tokens.push(token("h", href)); }
    });
    return tokens;
  }

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function tokenize(html) { return walk(parse(html), []); }

  // Rule 2: Myers' O(ND) diff, whole top-level blocks first, then tokens where blocks differ.
  function myers(x, y, limit) {
    var n = x.length, m = y.length, max = Math.min(n + m, limit), off = max + 1;
    var v = new Int32Array(2 * max + 3), trace = [];
    for (var d = 0; d <= max; d++) {
      trace.push(v.slice(off - d - 1, off + d + 2));  // keys -d-1 .. d+1: all the walk back reads
      for (var k = -d; k <= d; k += 2) {
        var i = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
        var j = i - k;
        while (i < n && j < m && x[i] === y[j]) { i++; j++; }
        v[off + k] = i;
        if (i >= n && j >= m) { return path(trace, n, m); }
      }
    }
    return null;
  }

  function path(trace, n, m) {
    var script = [], i = n, j = m, e;
    for (var d = trace.length - 1; d > 0; d--) {
      var v = trace[d], k = i - j, at = function (key) { return v[key + d + 1]; };
      var down = k === -d || (k !== d && at(k - 1) < at(k + 1));
      var prevK = down ? k + 1 : k - 1, prevI = at(prevK), midI = down ? prevI : prevI + 1;
      for (e = 0; e < i - midI; e++) { script.push("="); }
      script.push(down ? "+" : "-");
      i = prevI; j = prevI - prevK;
    }
    for (e = 0; e < i; e++) { script.push("="); }
    return script.reverse();
  }

  function units(tokens) {
    var spans = [], depth = 0, start = 0;
    tokens.forEach(function (t, index) {
      depth += t.kind === "<" ? 1 : t.kind === "/" ? -1 : 0;
      if (depth <= 0) { spans.push([start, index + 1]); depth = 0; start = index + 1; }
    });
    if (start < tokens.length) { spans.push([start, tokens.length]); }
    return spans;
  }

  function keys(tokens) { return tokens.map(function (t) { return t.key; }); }

  function tokensDiff(old, now) {
    var script = myers(keys(old), keys(now), MAX_EDITS);
    if (script === null) {
      return old.map(function (t) { return ["-", t]; }).concat(now.map(function (t) { return ["+", t]; }));
    }
    var ops = [], i = 0, j = 0;
    script.forEach(function (op) {
      if (op === "+") { ops.push(["+", now[j++]]); return; }
      ops.push([op, old[i++]]);
      if (op === "=") { j++; }
    });
    return ops;
  }

  function compareTokens(a, b) {
    var unitsA = units(a), unitsB = units(b), key = function (tokens, span) {
      return keys(tokens.slice(span[0], span[1])).join("\x00");
    };
    var script = myers(unitsA.map(function (s) { return key(a, s); }), unitsB.map(function (s) { return key(b, s); }),
                       unitsA.length + unitsB.length) || [];
    var ops = [], oldRun = [], newRun = [], i = 0, j = 0;
    script.forEach(function (op) {
      if (op === "=") {
        ops = ops.concat(tokensDiff(oldRun, newRun),
                         a.slice(unitsA[i][0], unitsA[i][1]).map(function (t) { return ["=", t]; }));
        oldRun = []; newRun = []; i++; j++;
      } else if (op === "-") { oldRun = oldRun.concat(a.slice(unitsA[i][0], unitsA[i][1])); i++; }
      else { newRun = newRun.concat(b.slice(unitsB[j][0], unitsB[j][1])); j++; }
    });
    return ops.concat(tokensDiff(oldRun, newRun));
  }

  // Rule 3: one-sided changes slid to whole elements, short kept runs between changes absorbed.
  function unbalanced(ops, start, end) {
    var stack = [], alone = 0;
    for (var i = start; i < end; i++) {
      var t = ops[i][1];
      if (t.kind === "<") { stack.push(t.name); }
      else if (t.kind === "/") {
        if (stack.length && stack[stack.length - 1] === t.name) { stack.pop(); } else { alone++; }
      }
    }
    return alone + stack.length;
  }

  function slide(input) {
    var ops = input.slice(), start = 0;
    while (start < ops.length) {
      if (ops[start][0] === "=") { start++; continue; }
      var end = start;
      while (end < ops.length && ops[end][0] !== "=") { end++; }
      var side = ops[start][0];
      if (ops.slice(start, end).every(function (op) { return op[0] === side; })) {
        while (start > 0 && ops[start - 1][0] === "=" && ops[start - 1][1].key === ops[end - 1][1].key) {
          ops[start - 1] = [side, ops[start - 1][1]]; ops[end - 1] = ["=", ops[end - 1][1]]; start--; end--;
        }
        var best = unbalanced(ops, start, end), bestStart = start, score;
        while (end < ops.length && ops[end][0] === "=" && ops[end][1].key === ops[start][1].key) {
          ops[start] = ["=", ops[start][1]]; ops[end] = [side, ops[end][1]]; start++; end++;
          if ((score = unbalanced(ops, start, end)) < best) { best = score; bestStart = start; }
        }
        while (start > bestStart) {
          ops[start - 1] = [side, ops[start - 1][1]]; ops[end - 1] = ["=", ops[end - 1][1]]; start--; end--;
        }
      }
      start = end;
    }
    return ops;
  }

  function groups(ops) {
    var found = [];
    ops.forEach(function (op) {
      var last = found[found.length - 1];
      if (last && (last[0][0] === "=") === (op[0] === "=")) { last.push(op); } else { found.push([op]); }
    });
    return found;
  }

  function size(group) {
    var sides = { "-": 0, "+": 0 };
    group.forEach(function (op) { if (op[1].kind === "w" && own(sides, op[0])) { sides[op[0]] += length(op[1].text); } });
    return Math.max(sides["-"], sides["+"]);
  }

  function absorbable(group) {
    return group.every(function (op) { return op[1].kind === "w" && op[1].text.indexOf("\n") < 0; });
  }

  function cleanUp(ops) {
    var found = groups(slide(ops)), merged = [], index = 0;
    while (index < found.length) {
      var group = found[index];
      if (group[0][0] === "=" && merged.length && index + 1 < found.length && absorbable(group) &&
          group.reduce(function (n, op) { return n + length(op[1].text); }, 0) <=
          Math.min(size(merged[merged.length - 1]), size(found[index + 1]))) {
        var asChange = group.map(function (op) { return ["-", op[1]]; }).concat(group.map(function (op) { return ["+", op[1]]; }));
        merged[merged.length - 1] = merged[merged.length - 1].concat(asChange, found[index + 1]);
        index += 2;
        continue;
      }
      merged.push(group);
      index++;
    }
    var out = [];
    merged.forEach(function (g) {
      if (g[0][0] === "=") { out = out.concat(g); return; }
      out = out.concat(g.filter(function (op) { return op[0] === "-"; }), g.filter(function (op) { return op[0] === "+"; }));
    });
    return out;
  }

  // Rule 4: the new version's structure, deleted elements kept where their parent allows them.
  function pairsOf(ops) {
    var pairs = new Map(), open = [];
    ops.forEach(function (op, index) {
      var t = op[1];
      if (op[0] !== "-") { open = []; }
      else if (t.kind === "<") { open.push(index); }
      else if (t.kind === "/" && open.length && ops[open[open.length - 1]][1].name === t.name) {
        var start = open.pop();
        pairs.set(start, index); pairs.set(index, start);
      }
    });
    return pairs;
  }

  function allowed(parent, child) {
    if (own(CHILDREN, parent)) { return has(CHILDREN[parent], child); }
    if (has(FLOW, parent)) { return true; }
    return !has(BLOCKS, child) && !Object.keys(CHILDREN).some(function (p) { return has(CHILDREN[p], child); });
  }

  function Writer(said) {
    this.said = said; this.out = []; this.stack = ["div"]; this.mark = ""; this.opened = 0; this.wrapped = [];
  }

  Writer.prototype.top = function () { return this.stack[this.stack.length - 1]; };

  Writer.prototype.close = function () {
    if (this.mark) { this.out.push(this.mark.charAt(0) === "-" ? "</del>" : "</ins>"); this.mark = ""; }
  };

  Writer.prototype.announce = function (op) {
    return '<span class="visually-hidden">' + escape(this.said[op]) + " </span>";
  };

  Writer.prototype.text = function (op, text, tag) {
    var space = SPACE.test(text), self = this;
    if (op === "=" || (space && own(WRAPPERS, this.top()))) {
      this.close();
      if (op !== "-") { this.out.push(escape(text)); }
      return;
    }
    if (own(WRAPPERS, this.top())) {  // deleted text between items or rows: an item or cell of its own
      this.close();
      WRAPPERS[this.top()].forEach(function (name) {
        self.out.push("<" + name + ' class="' + REMOVED_CLASS + '">');
        self.stack.push(name);
        self.wrapped.push(name);
      });
    }
    if (this.mark === op + "s" && !space && !tag) {
      this.out[this.opened] = "<" + (op === "-" ? "del" : "ins") + ">" + this.announce(op);
      this.mark = op;
    }
    if (this.mark.replace(/s$/, "") !== op || tag) {
      this.close();
      this.opened = this.out.length;
      var quiet = space && !tag;
      this.out.push("<" + (op === "-" ? "del" : "ins") + (quiet ? ' class="policy-space"' : tag) + ">" +
                    (quiet ? "" : this.announce(op)));
      this.mark = op + (quiet ? "s" : "");
    }
    this.out.push(escape(text));
  };

  Writer.prototype.unwrap = function () {
    this.close();
    while (this.wrapped.length) { this.out.push("</" + this.wrapped.pop() + ">"); this.stack.pop(); }
  };

  Writer.prototype.tag = function (t, removed) {
    this.unwrap();
    if (t.kind === "/") {
      this.out.push(t.text);
      if (this.top() === t.name) { this.stack.pop(); }
      return;
    }
    var html = t.text;
    if (removed && html.indexOf(' class="') < 0) { html = html.slice(0, -1) + ' class="' + REMOVED_CLASS + '">'; }
    this.out.push(html);
    if (t.kind === "<") { this.stack.push(t.name); }
  };

  function render(ops, said) {
    var pairs = pairsOf(ops), kept = new Set(), writer = new Writer(said);
    ops.forEach(function (entry, index) {
      var op = entry[0], t = entry[1];
      if (t.kind === "w") { writer.text(op, t.text, ""); }
      else if (t.kind === "h") {
        if (op !== "=") { writer.text(op, t.text, ' class="policy-href"'); writer.close(); }
      } else if (op !== "-") { writer.tag(t, false); }
      else if (pairs.has(index) && t.kind === "<" && allowed(writer.top(), t.name)) {
        kept.add(index);
        writer.tag(t, true);
      } else if (pairs.has(index) && kept.has(pairs.get(index))) { writer.tag(t, false); }
      else if (t.kind === ">" && allowed(writer.top(), t.name)) { writer.tag(t, true); }
    });
    writer.unwrap();
    return writer.out.join("");
  }

  function redline(old, now, said) { return render(cleanUp(compareTokens(tokenize(old), tokenize(now))), said); }

  window.PolicyRedline = { redline: redline, parse: parse, escape: escape };
})();
