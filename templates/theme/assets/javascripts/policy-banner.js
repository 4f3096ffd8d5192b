/*
 * The consent banner of a brand's website. One file for every brand; it reads the brand's
 * banner.json (data-config on the script tag, else ../../banner/banner.json from this file).
 *
 *   <link rel="stylesheet" href="…/banner/banner.css" integrity="…" crossorigin="anonymous">
 *   <script src="…/assets/javascripts/policy-banner.js" integrity="…" crossorigin="anonymous" defer></script>
 *   <button type="button" data-policy-consent-open>Cookie settings</button>   (anywhere: reopens it)
 *
 * API: window.PolicyConsent.get() -> the stored choice or null; .open() shows the banner;
 * the document fires "policyconsent:change" (event.detail = the choice) when it changes.
 * A choice is {brand, policy, version, sha256, lang, purposes: {id: true|false}, date}, kept in
 * localStorage. It is asked again when the policy has changed materially since that version.
 * No inline script or style, no innerHTML: it works under a strict Content-Security-Policy.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var configUrl = new URL((script && script.getAttribute("data-config")) || "../../banner/banner.json",
                          script ? script.src : location.href);
  var config = null, root = null, returnFocus = null;

  function key() { return "policy-consent:" + config.brand; }

  function stored() {
    try { return JSON.parse(localStorage.getItem(key()) || "null"); } catch (error) { return null; }
  }

  function current() {
    var choice = stored();
    if (!choice || choice.policy !== config.policy) { return null; }
    if (config.reask.indexOf(choice.version) !== -1) { return null; }  // a material change came after it
    return choice;
  }

  function element(name, attributes, text) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function language() {
    var lang = (document.documentElement.lang || "").toLowerCase().split("-")[0];
    return config.languages[lang] ? lang : config.default_language;  // the page's, else the brand's default
  }

  function save(purposes) {
    var lang = language(), t = config.languages[lang];
    // The version and hash of the text the visitor was shown, in the language shown.
    var choice = { brand: config.brand, policy: config.policy, version: t.version, sha256: t.sha256, lang: lang,
                   purposes: purposes, date: new Date().toISOString() };
    try { localStorage.setItem(key(), JSON.stringify(choice)); } catch (error) { /* private mode */ }
    close();
    document.dispatchEvent(new CustomEvent("policyconsent:change", { detail: choice }));
  }

  function all(value) {
    var purposes = {};
    config.purposes.forEach(function (id) { purposes[id] = id === "necessary" ? true : value; });
    return purposes;
  }

  function render() {
    var lang = language(), t = config.languages[lang];
    var choice = current() || stored();
    var section = element("section", { "class": "policy-banner", role: "region",
                                       "aria-labelledby": "policy-banner-title", lang: lang, tabindex: "-1" });
    var inner = element("div", { "class": "policy-banner__inner" });
    inner.appendChild(element("h2", { id: "policy-banner-title" }, t.title));
    var text = element("p");
    t.text.forEach(function (part) {
      if (part.policy) {
        text.appendChild(element("a", { href: t.policy_url }, t.policy_title));
      } else {
        text.appendChild(document.createTextNode(part.text));
      }
    });
    inner.appendChild(text);
    var fieldset = element("div", { role: "group", "aria-labelledby": "policy-banner-title" });
    t.purposes.forEach(function (purpose) {
      var box = element("input", { type: "checkbox", name: purpose.id, id: "policy-banner-" + purpose.id });
      box.checked = purpose.required || !!(choice && choice.purposes && choice.purposes[purpose.id]);
      box.disabled = purpose.required;
      var label = element("label", { "for": box.id });
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + purpose.label));
      label.appendChild(element("span", { "class": "policy-banner__description" }, purpose.description));
      fieldset.appendChild(label);
    });
    inner.appendChild(fieldset);
    var buttons = element("div", { "class": "policy-banner__buttons" });
    var reject = element("button", { type: "button", "data-action": "reject" }, t.reject);
    var chosen = element("button", { type: "button", "data-action": "save" }, t.save);
    var accept = element("button", { type: "button", "data-action": "accept" }, t.accept);
    reject.addEventListener("click", function () { save(all(false)); });
    accept.addEventListener("click", function () { save(all(true)); });
    chosen.addEventListener("click", function () {
      var purposes = {};
      fieldset.querySelectorAll("input").forEach(function (box) { purposes[box.name] = box.checked; });
      save(purposes);
    });
    [reject, chosen, accept].forEach(function (b) { buttons.appendChild(b); });
    inner.appendChild(buttons);
    section.appendChild(inner);
    return section;
  }

  function open() {
    if (!config) { return; }
    close();
    returnFocus = document.activeElement;
    root = render();
    document.body.appendChild(root);
    root.focus();  // keyboard users start in the banner; it is not modal, Tab leaves it
  }

  function close() {
    if (root) {
      root.remove();
      root = null;
      if (returnFocus && returnFocus.focus && returnFocus !== document.body) { returnFocus.focus(); }
    }
  }

  window.PolicyConsent = {
    get: function () { return config ? current() : null; },
    open: open,
    ready: fetch(configUrl, { credentials: "omit" }).then(function (response) {
      if (!response.ok) { throw new Error("policy-banner: " + configUrl + " answered " + response.status); }
      return response.json();
    }).then(function (data) {
      config = data;
      if (!current()) { open(); }
      return config;
    })
  };

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-policy-consent-open]");
    if (opener) { event.preventDefault(); open(); }
  });
})();
