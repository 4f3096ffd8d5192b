// The language switcher keeps the reader's place: a clause has the same id in every language, so
// the anchor of the page (…/privacy/#security) goes with the link to the other language. Without
// JavaScript the link still leads to the same page in the other language, at its top.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[hreflang]") : null;
    if (!link || !location.hash || link.hash) { return; }
    link.hash = location.hash;
  }, true);
})();
