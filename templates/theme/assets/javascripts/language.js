// The reader's place goes along to the other language and to another version: a clause has the
// same id in every language and every version, so the link gets the anchor of the clause being read
// (…/privacy/#security): the one in the address, else the last clause heading scrolled past.
// A version without that clause opens at its top. Without JavaScript the links still lead to the
// same page in the other language, at its top.
(function () {
  "use strict";
  var HEADINGS = ".md-content h2[id], .md-content h3[id], .md-content h4[id]";

  /** The anchor ("#id") of the clause the reader is at, or "" at the top of the page. */
  window.policyPlace = function () {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id && document.getElementById(id)) { return location.hash; }
    // At the end of the page the last clauses cannot reach the top: the last one in view is read.
    var end = innerHeight + scrollY >= document.documentElement.scrollHeight - 2;
    var line = end ? innerHeight : Math.min(innerHeight / 3, 200), place = "";
    document.querySelectorAll(HEADINGS).forEach(function (heading) {
      if (heading.getBoundingClientRect().top <= line) { place = "#" + heading.id; }
    });
    return scrollY > 0 ? place : "";
  };

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[hreflang]") : null;
    if (!link || link.hash) { return; }
    link.hash = window.policyPlace();
  }, true);
})();
