// The version selector: fills a <select> from the policy's versions.json, so that archived pages
// never change when a new version is published. Without JavaScript the history link remains.
// The clause being read goes along (language.js).
// Choosing an option changes nothing until the button is pressed (WCAG 3.2.2: a keyboard user
// moving through the options with the arrow keys must not be taken to another page).
(function () {
  "use strict";
  var nav = document.querySelector(".policy-versions[data-versions]");
  if (!nav || !window.fetch) { return; }
  fetch(nav.getAttribute("data-versions")).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (data) {
    if (!data || !data.versions || data.versions.length < 2) { return; }
    var root = nav.getAttribute("data-root");
    var select = document.createElement("select");
    select.className = "policy-versions__select";
    select.setAttribute("aria-label", data.label);
    data.versions.forEach(function (version) {
      var option = document.createElement("option");
      option.value = root + version.id + "/";
      option.textContent = version.label;
      option.selected = version.id === nav.getAttribute("data-version");
      select.appendChild(option);
    });
    var form = document.createElement("form");
    form.className = "policy-versions__form";
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "policy-versions__show";
    button.textContent = data.show || "OK";
    form.appendChild(select);
    form.appendChild(button);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      location.href = select.value + (window.policyPlace ? window.policyPlace() : "");  // language.js
    });
    nav.querySelector(".policy-versions__current").replaceWith(form);
  });
})();
