/*
 * <policy-consent brand="voip24h" form="request" lang="vi" src="…/consent/manifest.json">
 *
 * Renders the same consent fieldset as the generated HTML fragment, from the brand's manifest:
 * unticked checkboxes with labels and links to the exact policy versions, and hidden inputs with
 * each box's legal basis and the versions and hashes. Everything is built with DOM calls and textContent (no innerHTML), in
 * the light DOM so that the inputs are submitted with the surrounding form. No dependencies, no
 * inline script or style: it works under a strict Content-Security-Policy.
 */
(function () {
  "use strict";
  var scriptUrl = document.currentScript ? document.currentScript.src : location.href;

  function element(name, attributes, text) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function hidden(name, value) {
    return element("input", { type: "hidden", name: name, value: value });
  }

  function render(host, data) {
    var brand = host.getAttribute("brand");
    var formId = host.getAttribute("form");
    var form = data.forms[formId];
    var lang = host.getAttribute("lang") || document.documentElement.lang || "";
    var text = form && (form.languages[lang] || form.languages[Object.keys(form.languages)[0]]);
    if (!text) { throw new Error("policy-consent: no form " + formId + " for " + brand); }
    lang = form.languages[lang] ? lang : Object.keys(form.languages)[0];
    var fieldset = element("fieldset", { "class": "policy-consent", "data-brand": brand, "data-form": formId,
                                         lang: lang });
    fieldset.appendChild(element("legend", {}, text.legend));
    var policies = {};
    text.purposes.forEach(function (purpose) {
      var id = "pc-" + brand + "-" + formId + "-" + lang + "-" + purpose.id;
      var row = element("div", { "class": "policy-consent__purpose" });
      var box = element("input", { type: "checkbox", id: id, name: "consent." + purpose.id, value: "yes" });
      box.required = !!purpose.required;
      var label = element("label", { "for": id });
      var refs = {};
      purpose.policies.forEach(function (ref) { refs[ref.id] = ref; policies[ref.id] = ref; });
      purpose.segments.forEach(function (segment) {
        if (segment.policy) {
          var ref = refs[segment.policy];
          label.appendChild(element("a", { href: ref.url, target: "_blank", rel: "noopener" }, ref.title));
        } else {
          label.appendChild(document.createTextNode(segment.text));
        }
      });
      row.appendChild(box);
      row.appendChild(label);
      fieldset.appendChild(row);
    });
    fieldset.appendChild(hidden("consent.form", formId));
    fieldset.appendChild(hidden("consent.locale", lang));
    fieldset.appendChild(hidden("consent.text_sha256", text.text_sha256));
    text.purposes.forEach(function (purpose) {
      fieldset.appendChild(hidden("consent." + purpose.id + ".basis", purpose.basis));
    });
    Object.keys(policies).forEach(function (key) {
      fieldset.appendChild(hidden("policy." + key + ".version", policies[key].version));
      fieldset.appendChild(hidden("policy." + key + ".sha256", policies[key].sha256));
    });
    host.replaceChildren(fieldset);
  }

  class PolicyConsent extends HTMLElement {
    connectedCallback() {
      var host = this;
      var src = new URL(host.getAttribute("src") || "../../consent/manifest.json", scriptUrl);
      fetch(src, { credentials: "omit" }).then(function (response) {
        if (!response.ok) { throw new Error("policy-consent: " + src + " answered " + response.status); }
        return response.json();
      }).then(function (data) { render(host, data); }).catch(function (error) {
        host.setAttribute("data-error", String(error.message || error));
      });
    }
  }

  if (!customElements.get("policy-consent")) { customElements.define("policy-consent", PolicyConsent); }
})();
