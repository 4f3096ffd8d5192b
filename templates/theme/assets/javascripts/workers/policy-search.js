/*
 * policygen's search worker for Material for MkDocs (docs/architecture.md, "Search").
 *
 * Material lets a site replace its lunr worker (base.html's __config "search") as long as the
 * worker answers its four messages: SETUP (the search index) -> READY, QUERY (a string) ->
 * RESULT ({items: [[article, ...sections]]}). Ours exists because lunr's Vietnamese support
 * could not be made right: its trimmer dropped a final accented letter ("số" became the prefix
 * "s"), both tone placements ("hoà" / "hòa") were different words, NFD queries found nothing,
 * and its highlighter printed markup into snippets.
 *
 * Here a word is every run of letters, digits and combining marks, in NFC. A query word with
 * diacritics matches that word exactly, tone placement aside; one without matches with or without
 * them ("so" finds "số", "sở", "so"); the last word, while typed, also matches as a prefix when it
 * has no diacritics and three letters or more. Sections are ranked by how many query words they
 * contain, then by how many query words they contain side by side as typed (a phrase such as
 * "dữ liệu cá nhân"), then by where (the title counts most) and how rare the words are.
 * Snippets are the section's text, escaped, with <mark> around the words found.
 */
"use strict"

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
var TONES = /[\u0300\u0301\u0303\u0309\u0323]/g  // grave, acute, tilde, hook above, dot below
var MARKS = /\p{M}/gu
var WORD = /[\p{L}\p{N}\p{M}]+/gu
var SNIPPET = 240

var docs = []  // {location, title, text, parent, fields: {title: [...], text: [...]}}
var vocabulary = new Map()  // folded key -> number of sections containing it

/** A word's key with its tone, wherever the tone was placed: "hoà" and "hòa" give "hoa\u0300". */
function exactKey(word) {
  var decomposed = word.toLowerCase().normalize("NFD")
  var tones = decomposed.match(TONES) || []
  return decomposed.replace(TONES, "").normalize("NFC") + tones.join("")
}

/** A word without any diacritic, đ as d: "Đồng" gives "dong". */
function foldKey(word) {
  return word.toLowerCase().normalize("NFD").replace(MARKS, "").replace(/đ/g, "d")
}

/** The words of a text, with where each is: {start, end, exact, fold}. */
function words(text) {
  var found = []
  for (var match of text.matchAll(WORD)) {
    var word = match[0]
    found.push({start: match.index, end: match.index + word.length, exact: exactKey(word), fold: foldKey(word)})
  }
  return found
}

var ENTITIES = {amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0"}

/** The text of the index's HTML: block ends become spaces, tags go, entities are decoded. */
function plainText(html) {
  return String(html || "")
    .replace(/<\/(p|li|h[1-6]|td|th|tr|div|dd|dt|pre|blockquote|table)>|<br\s*\/?>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, function (entity, name) {
      if (name[0] === "#")
        return String.fromCodePoint(parseInt(name[1] === "x" || name[1] === "X" ? name.slice(2) : name.slice(1),
                                             name[1] === "x" || name[1] === "X" ? 16 : 10))
      return ENTITIES[name.toLowerCase()] || entity
    })
    .replace(/\s+/g, " ")
    .trim()
    .normalize("NFC")
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
}

/** Read the index Material hands over: every page and section, with its words. */
function setup(index) {
  var pages = new Map()
  docs = index.docs.map(function (doc) {
    var title = plainText(doc.title), text = plainText(doc.text)
    var path = doc.location.split("#")[0]
    var entry = {location: doc.location, title: title, text: text, parent: pages.has(path),
                 fields: {title: words(title), text: words(text)}}
    if (!pages.has(path))
      pages.set(path, entry)
    return entry
  })
  vocabulary = new Map()
  for (var doc of docs) {
    var seen = new Set(doc.fields.title.concat(doc.fields.text).map(function (w) { return w.fold }))
    for (var key of seen)
      vocabulary.set(key, (vocabulary.get(key) || 0) + 1)
  }
}

/** The query's words, each with how it may match. */
function parseQuery(query) {
  var text = String(query).normalize("NFC")
  var typing = !/[\s\p{P}]$/u.test(text)
  var terms = words(text)
  return terms.map(function (term, i) {
    var accented = term.fold !== term.exact
    return {word: text.slice(term.start, term.end), exact: term.exact, fold: term.fold, accented: accented,
            prefix: typing && i === terms.length - 1 && !accented && term.fold.length >= 3}
  })
}

/** How well one word of a text matches one query term: 0 (not), 1 (as a prefix), 2 (as a word). */
function matches(term, word) {
  if (term.accented)
    return word.exact === term.exact ? 2 : 0
  if (word.fold === term.fold)
    return 2
  if (word.fold === term.fold + "s" || word.fold === term.fold + "es")  // English plurals
    return 2
  return term.prefix && word.fold.startsWith(term.fold) ? 1 : 0
}

/** Where in a list of words each query term matches: one array of indexes per term. */
function hits(terms, list) {
  return terms.map(function (term) {
    var found = []
    for (var i = 0; i < list.length; i++)
      if (matches(term, list[i]))
        found.push(i)
    return found
  })
}

/** How rare a term is among the sections, between 0 and 1. */
function rarity(term) {
  var count = 0
  for (var [key, sections] of vocabulary)
    if (key === term.fold || (term.prefix && key.startsWith(term.fold)))
      count = Math.max(count, sections)
  return Math.log(1 + docs.length / (1 + count)) / Math.log(1 + docs.length)
}

/** Query terms found side by side, in the order typed, within one field. */
function phrases(found) {
  var pairs = 0
  for (var t = 0; t + 1 < found.length; t++) {
    var next = new Set(found[t + 1])
    if (found[t].some(function (i) { return next.has(i + 1) }))
      pairs++
  }
  return pairs
}

/** A section's score for the query (0: not found), and where its words were found. */
function score(doc, terms, weights) {
  var title = hits(terms, doc.fields.title), text = hits(terms, doc.fields.text)
  var matched = 0, weight = 0
  for (var t = 0; t < terms.length; t++) {
    if (!title[t].length && !text[t].length)
      continue
    matched++
    weight += weights[t] * (2 * Math.min(title[t].length, 1) + Math.log(1 + text[t].length) / Math.log(6))
  }
  if (!matched)
    return {score: 0}
  var together = Math.max(phrases(title), phrases(text))
  // Of two sections with the same words, the one whose title is most about them comes first.
  var about = doc.fields.title.length ? new Set([].concat.apply([], title)).size / doc.fields.title.length : 0
  return {score: matched * 100 + together * 20 + weight + 4 * about + (doc.parent ? 0 : 0.5), title: title,
          text: text}
}

/** The escaped text with <mark> around the given words. */
function marked(text, list, indexes, from, to) {
  var out = "", at = from
  for (var i of [...new Set(indexes)].sort(function (a, b) { return a - b })) {
    var word = list[i]
    if (word.start < from || word.end > to)
      continue
    out += escapeHtml(text.slice(at, word.start)) + "<mark>" + escapeHtml(text.slice(word.start, word.end)) + "</mark>"
    at = word.end
  }
  return out + escapeHtml(text.slice(at, to))
}

/** A short passage of a section's text around its first match, marked. */
function snippet(doc, indexes) {
  var text = doc.text, list = doc.fields.text
  if (!text)
    return ""
  var first = indexes.length ? list[Math.min.apply(null, indexes)].start : 0
  var from = first > 60 ? text.lastIndexOf(" ", first - 40) + 1 : 0
  var to = Math.min(text.length, from + SNIPPET)
  if (to < text.length && text.lastIndexOf(" ", to) > from)
    to = text.lastIndexOf(" ", to)
  var body = marked(text, list, indexes, from, to)
  return "<p>" + (from > 0 ? "… " : "") + body + (to < text.length ? " …" : "") + "</p>"
}

/** Material's `terms`: the words found (for ?h= on the page opened) and the query words not found. */
function termsOf(doc, terms, found) {
  var result = {}
  terms.forEach(function (term, t) {
    var seen = found.title[t].map(function (i) { return doc.title.slice(doc.fields.title[i].start, doc.fields.title[i].end) })
      .concat(found.text[t].map(function (i) { return doc.text.slice(doc.fields.text[i].start, doc.fields.text[i].end) }))
    if (!seen.length)
      result[term.word] = false
    for (var word of seen.slice(0, 8))
      result[word.toLowerCase()] = true
  })
  return result
}

/** One result item in Material's shape. */
function item(doc, terms, found) {
  var all = [].concat.apply([], found.text)
  return {location: doc.location,
          title: marked(doc.title, doc.fields.title, [].concat.apply([], found.title), 0, doc.title.length),
          text: snippet(doc, all), score: found.score, terms: termsOf(doc, terms, found)}
}

/** The results for a query, grouped by page, best first. */
function search(query) {
  var terms = parseQuery(query)
  if (!terms.length)
    return {items: []}
  var weights = terms.map(rarity)
  var groups = new Map()
  for (var doc of docs) {
    var found = score(doc, terms, weights)
    if (!found.score)
      continue
    var path = doc.location.split("#")[0]
    groups.set(path, (groups.get(path) || []).concat([item(doc, terms, found)]))
  }
  for (var [path, items] of groups) {
    items.sort(function (a, b) { return b.score - a.score })
    if (!items.some(function (i) { return i.location === path })) {
      var page = docs.find(function (d) { return d.location === path })
      if (page)
        items.push({location: page.location, title: escapeHtml(page.title), text: "", score: 0, terms: {}})
    }
  }
  return {items: [...groups.values()].sort(function (a, b) { return b[0].score - a[0].score })}
}

/* Exposed for the tests, which run it in Chromium against the same index. */
self.policySearch = {search: search, setup: setup, exactKey: exactKey, foldKey: foldKey}

addEventListener("message", function (event) {
  var message = event.data
  if (message.type === SETUP) {
    setup(message.data)
    postMessage({type: READY})
  } else if (message.type === QUERY) {
    postMessage({type: RESULT, data: search(message.data)})
  }
})
