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
 * Escape closes it without a choice (nothing is stored: it comes back on the next visit). After a
 * choice, or Escape, the focus goes back where it was before the banner took it, or where the
 * visitor went meanwhile. While it is open it never covers the focused element (WCAG 2.2 SC 2.4.11):
 * the page keeps room for it below its end and scrolls a focused element out from under it.
 * No inline script or style, no innerHTML: it works under a strict Content-Security-Policy.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var configUrl = new URL((script && script.getAttribute("data-config")) || "../../banner/banner.json",
                          script ? script.src : location.href);
  var config = null, root = null, returnFocus = null, spacer = null, resizing = null, scrollPadding = "";
  var wanted = false;
  var MARGIN = 8;  // px kept between a focused element and the banner

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
    var body = element("div", { "class": "policy-banner__body" });  // scrolls; the buttons below stay in view
    body.appendChild(element("h2", { id: "policy-banner-title" }, t.title));
    var text = element("p");
    t.text.forEach(function (part) {
      if (part.policy) {
        text.appendChild(element("a", { href: t.policy_url }, t.policy_title));
      } else {
        text.appendChild(document.createTextNode(part.text));
      }
    });
    body.appendChild(text);
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
    body.appendChild(fieldset);
    inner.appendChild(body);
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
    if (!config) { wanted = true; return; }  // asked for before its texts arrived: opened when they do
    close();
    returnFocus = document.activeElement;
    if (!returnFocus || returnFocus === document.body) { returnFocus = target(); }
    root = render();
    document.body.appendChild(root);
    reserve();
    root.focus({ preventScroll: true });  // keyboard users start in the banner; it is not modal, Tab leaves it
  }

  function target() {
    // Nothing had the focus: the visitor's place is the clause the address points to (#id), if any.
    try {
      var id = decodeURIComponent(location.hash.slice(1));
      return id ? document.getElementById(id) : null;
    } catch (error) { return null; }  // an address with a broken %-escape
  }

  function close() {
    if (!root) { return; }
    var inside = root.contains(document.activeElement);
    root.remove();
    root = null;
    release();
    if (inside) { restore(returnFocus); }  // else the visitor has already moved on: the focus stays there
    returnFocus = null;
  }

  function restore(node) {
    if (!node || !node.isConnected || node === document.body || !node.focus) { return; }
    if (!node.hasAttribute("tabindex") && node.tabIndex < 0) {
      // A clause heading: focusable only for this, so that Tab goes on from there, not from the top.
      node.setAttribute("tabindex", "-1");
      node.addEventListener("blur", function () { node.removeAttribute("tabindex"); }, { once: true });
    }
    node.focus({ preventScroll: true });
  }

  function reserve() {
    // Room below the page's end, and scroll padding, as tall as the banner: nothing has to stay under it.
    spacer = element("div", { "class": "policy-banner-spacer", "aria-hidden": "true" });
    document.body.appendChild(spacer);
    scrollPadding = document.documentElement.style.scrollPaddingBottom;
    measure();
    if (window.ResizeObserver) {
      resizing = new ResizeObserver(measure);
      resizing.observe(root);
    }
  }

  function measure() {
    if (!root) { return; }
    var height = root.getBoundingClientRect().height + MARGIN;
    spacer.style.height = height + "px";
    document.documentElement.style.scrollPaddingBottom = height + "px";
  }

  function release() {
    if (resizing) { resizing.disconnect(); resizing = null; }
    if (spacer) { spacer.remove(); spacer = null; }
    document.documentElement.style.scrollPaddingBottom = scrollPadding;
  }

  function uncover(node) {
    // Scroll each scrolling box around the element, then the page, until the banner no longer covers it.
    var top = root.getBoundingClientRect().top - MARGIN;
    for (var box = node.parentElement; box && covered(node, top) > 0; box = box.parentElement) {
      var style = getComputedStyle(box);
      if (box.scrollHeight > box.clientHeight && /auto|scroll/.test(style.overflowY)) {
        box.scrollTop += covered(node, top);
      }
    }
    if (covered(node, top) > 0) { window.scrollBy(0, covered(node, top)); }
  }

  function covered(node, top) {
    var rect = node.getBoundingClientRect(), banner = root.getBoundingClientRect();
    var apart = rect.right <= banner.left || rect.left >= banner.right || rect.width + rect.height === 0;
    return apart ? 0 : rect.bottom - top;
  }

  document.addEventListener("focusin", function (event) {
    if (!root || root.contains(event.target) || event.target === spacer) { return; }
    returnFocus = event.target;  // the visitor went on in the page: after a choice, focus comes back here
    uncover(event.target);
  });

  document.addEventListener("keydown", function (event) {
    if (!root || event.key !== "Escape") { return; }
    // Escape in a field or menu of the page (its search box) is that field's; anywhere else it is the banner's.
    var own = root.contains(event.target) || !(event.defaultPrevented || /^(INPUT|TEXTAREA|SELECT)$/.test(
      event.target.tagName || "") || event.target.isContentEditable);
    if (own) { close(); }  // no choice: nothing is stored, and the banner is shown again on the next visit
  });

  window.PolicyConsent = {
    get: function () { return config ? current() : null; },
    open: open,
    ready: fetch(configUrl, { credentials: "omit" }).then(function (response) {
      if (!response.ok) { throw new Error("policy-banner: " + configUrl + " answered " + response.status); }
      return response.json();
    }).then(function (data) {
      config = data;
      if (wanted || !current()) { open(); }
      return config;
    })
  };

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-policy-consent-open]");
    if (opener) { event.preventDefault(); open(); }
  });
})();
