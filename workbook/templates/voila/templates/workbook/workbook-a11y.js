/* Accessibility of the widgets as ipywidgets draws them (README "Accessibility"), applied to each widget as it
   appears (a MutationObserver; the kernel draws and redraws widgets at any time):
   - a radio-button widget becomes a real radio group: role="radiogroup", its options share one name (Tab
     enters the group once, the arrow keys move and choose), named by its description or, without one, by the
     text just before it (a Likert item's .wb-item-text, a statement);
   - a slider's handle is named by the slider's description;
   - a toggle button (ipywidgets' ToggleButtons: the journey editor's element and map kind) says whether it is the
     chosen one (aria-pressed), which ipywidgets shows by colour only;
   - a text box, number box or drop-down without a <label> is named by its widget's description, else by the
     tooltip the kernel gave it (ipywidgets shows a tooltip only as a title, which is no visible label);
   - the page's content is the main landmark. */
(function () {
  var seq = 0;
  function ident(el) {
    if (!el.id) { el.id = "wb-a11y-" + (++seq); }
    return el.id;
  }
  function text(el) { return el ? (el.textContent || "").trim() : ""; }

  function groupLabel(radio) {
    var own = radio.querySelector(":scope > .widget-label");
    if (own && text(own)) { return own; }
    var before = radio.previousElementSibling;
    if (before) {
      return before.querySelector(".wb-item-text") || before.querySelector(".widget-html-content") || (text(before) ? before : null);
    }
    return null;
  }

  function radios(root) {
    root.querySelectorAll(".widget-radio").forEach(function (radio) {
      var box = radio.querySelector(".widget-radio-box");
      if (!box) { return; }
      box.setAttribute("role", "radiogroup");
      var name = ident(box);
      box.querySelectorAll("input[type=radio]").forEach(function (input) {
        if (input.name !== name) { input.name = name; }
      });
      var label = groupLabel(radio);
      if (label && box.getAttribute("aria-labelledby") !== ident(label)) {
        box.setAttribute("aria-labelledby", ident(label));
      }
    });
  }

  function sliders(root) {
    root.querySelectorAll(".widget-slider, .jupyter-widget-slider").forEach(function (slider) {
      var label = slider.querySelector(":scope > .widget-label");
      slider.querySelectorAll("[role=slider]").forEach(function (handle) {
        if (label && text(label)) {
          handle.setAttribute("aria-labelledby", ident(label));
        } else if (label && label.title) {
          handle.setAttribute("aria-label", label.title);
        }
      });
    });
  }

  function toggles(root) {
    root.querySelectorAll(".widget-toggle-buttons button, button.widget-toggle-button").forEach(function (b) {
      var pressed = b.classList.contains("mod-active") ? "true" : "false";
      if (b.getAttribute("aria-pressed") !== pressed) { b.setAttribute("aria-pressed", pressed); }
    });
  }

  function controls(root) {
    root.querySelectorAll(".wb-page input:not([type=radio]):not([type=hidden]), .wb-page select, .wb-page textarea").forEach(function (c) {
      if (c.hasAttribute("aria-labelledby") || (!c.hasAttribute("data-wb-named") && c.hasAttribute("aria-label"))) { return; }
      if (c.labels && c.labels.length && text(c.labels[0])) { return; }
      var widget = c.closest(".jupyter-widgets");
      var label = widget ? widget.querySelector(":scope > .widget-label") : null;
      if (label && text(label)) {
        c.setAttribute("aria-labelledby", ident(label));
        return;
      }
      var name = c.title || (label ? label.title : "");
      if (name && c.getAttribute("aria-label") !== name) {
        c.setAttribute("aria-label", name);
        c.setAttribute("data-wb-named", "");
      }
    });
  }

  function landmark() {
    var cells = document.getElementById("rendered_cells");
    if (cells && !cells.getAttribute("role")) { cells.setAttribute("role", "main"); }
  }

  var pending = false;
  function apply() {
    pending = false;
    if (!document.body) { return; }
    landmark();
    radios(document.body);
    sliders(document.body);
    toggles(document.body);
    controls(document.body);
  }
  function later() {
    if (!pending) { pending = true; window.setTimeout(apply, 0); }
  }
  function start() {
    apply();
    new MutationObserver(later).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["title", "class"] });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
