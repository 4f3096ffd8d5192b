// Material's search reads the box on `keyup` only. Text that arrives without a key being released
// (a word pasted with the mouse, a suggestion or correction picked on a phone's keyboard, dictation,
// a Vietnamese letter committed by an input method) would not be searched until the next key. Each
// `input` of the search box is passed on as a `keyup`; Material ignores a value it has already seen.
(function () {
  "use strict";
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.classList.contains("md-search__input")) {
      box.dispatchEvent(new KeyboardEvent("keyup"));
    }
  });
})();
