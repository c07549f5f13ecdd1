/* A page's states outside its widgets (workbook/serving/page_state.py answers the questions):
   - preparing: from the first byte until the page's widgets are drawn, a card "Preparing your page…" with a
     progress bar (the page's cells run, then the widgets draw), never a blank page;
   - connection lost: the server cannot be reached (the kernel's websocket closed, or the state check fails):
     a banner "Connection lost — reconnecting; your saved answers are safe" with a reload button, gone once
     the server answers again;
   - closed: the page's kernel is gone (culled after inactivity, or died): "This page was closed after
     inactivity — reload to continue" with a reload button.
   The words come in every interface language (WB_STATE_TEXTS, set by the template); the page's language
   is the person's (data-wb-lang) or else the browser's. */
(function () {
  var TEXTS = window.WB_STATE_TEXTS || {};
  var CHECK_MS = 5000, HIDDEN_CHECK_MS = 30000;
  var state = {step: 0, steps: 0, finished: false, drawn: false, closed: false, lost: false, timer: null};

  function lang() {
    var el = document.querySelector("[data-wb-lang]");
    var wanted = [el ? el.getAttribute("data-wb-lang") : ""].concat(navigator.languages || [navigator.language || ""]);
    for (var i = 0; i < wanted.length; i++) {
      var code = (wanted[i] || "").toLowerCase().split("-")[0];
      if (TEXTS[code]) { return code; }
    }
    return "en";
  }
  function t(key, values) {
    var words = (TEXTS[lang()] || TEXTS.en || {})[key] || key;
    Object.keys(values || {}).forEach(function (k) { words = words.split("{" + k + "}").join(values[k]); });
    return words;
  }
  function base() {
    try {
      return JSON.parse(document.getElementById("jupyter-config-data").textContent).baseUrl || "/";
    } catch (e) { return "/"; }
  }
  function kernelId() {
    try {
      return JSON.parse(document.getElementById("jupyter-config-data").textContent).kernelId || "";
    } catch (e) { return ""; }
  }

  /* -- preparing ------------------------------------------------------------------------------ */
  function card() {
    var el = document.getElementById("wb-preparing");
    if (!el && document.body) {
      el = document.createElement("div");
      el.id = "wb-preparing";
      el.className = "wb-state-card";
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      el.innerHTML = '<p class="wb-state-title"></p><progress class="wb-state-progress" max="100" value="5"></progress><p class="wb-state-step"></p>';
      document.body.insertBefore(el, document.body.firstChild);
    }
    return el;
  }
  function showPreparing() {
    var el = card();
    if (!el) { return; }
    var bar = el.querySelector("progress"), step = el.querySelector(".wb-state-step");
    el.querySelector(".wb-state-title").textContent = t("preparing");
    if (state.finished) {  // the cells ran; the widgets draw (the last fifth of the bar)
      bar.value = 90;
      step.textContent = t("drawing");
    } else if (state.steps) {
      bar.value = 5 + Math.round(80 * state.step / state.steps);
      step.textContent = t("running", {step: state.step, steps: state.steps});
    }
  }
  function drawn() {
    if (state.drawn) { return; }
    state.drawn = true;
    var el = document.getElementById("wb-preparing");
    if (el) { el.parentNode.removeChild(el); }
    watch();
    goToAnchor();
  }

  /* -- deep links: "#name" scrolls to that part once it is drawn (pages/module.py: anchored) --------------------- */
  function goToAnchor() {
    var name = decodeURIComponent((window.location.hash || "").slice(1));
    if (!/^[A-Za-z0-9_-]+$/.test(name)) { return; }
    var seen = null, until = Date.now() + 120000;
    var find = function () {
      return document.querySelector('[data-wb-anchor="' + name + '"]') || document.querySelector(".wb-anchor-" + name);
    };
    var go = function () {
      var el = find();
      if (el && el !== seen) {  // drawn, or drawn again (the page re-renders its text at sign-in)
        seen = el;
        el.scrollIntoView({block: "start"});
        el.setAttribute("data-wb-linked", "true");
      }
      return el;
    };
    go();
    var observer = new MutationObserver(function () {
      go();
      if (Date.now() > until) { observer.disconnect(); }
    });
    observer.observe(document.body, {childList: true, subtree: true});
  }
  function lookForWidgets() {
    if (document.querySelector(".wb-page")) { drawn(); return true; }
    return false;
  }

  /* -- connection lost, page closed ------------------------------------------------------------ */
  function banner(kind) {
    var el = document.getElementById("wb-connection");
    if (!kind) {
      if (el) { el.parentNode.removeChild(el); }
      return;
    }
    if (!el) {
      el = document.createElement("div");
      el.id = "wb-connection";
      el.setAttribute("role", "alert");
      el.innerHTML = '<span class="wb-state-message"></span> <button type="button" class="wb-state-reload"></button>';
      el.querySelector("button").addEventListener("click", function () { window.location.reload(); });
      document.body.insertBefore(el, document.body.firstChild);
    }
    el.className = "wb-state-banner wb-state-" + kind;
    el.setAttribute("data-state", kind);
    el.querySelector(".wb-state-message").textContent = t(kind);
    el.querySelector("button").textContent = t("reload");
  }
  function check() {
    var id = kernelId();
    if (!id || state.closed) { return; }
    fetch(base().replace(/\/?$/, "/") + "workbook/page-state/" + id, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) {
        if (!r.ok) { throw new Error("status " + r.status); }
        return r.json();
      })
      .then(function (answer) {
        if (answer.state === "closed") {
          state.closed = true;
          banner("closed");
        } else if (state.lost) {
          state.lost = false;
          banner(null);
        }
      })
      .catch(function () {
        state.lost = true;
        banner("lost");
      });
  }
  function watch() {
    if (state.timer) { return; }
    var loop = function () {
      check();
      state.timer = setTimeout(loop, document.visibilityState === "hidden" ? HIDDEN_CHECK_MS : CHECK_MS);
    };
    state.timer = setTimeout(loop, CHECK_MS);
  }
  /* the kernel's websocket closing (server stopped, kernel shut down) is checked at once */
  var NativeSocket = window.WebSocket;
  if (NativeSocket) {
    var Watched = function (url, protocols) {
      var socket = protocols === undefined ? new NativeSocket(url) : new NativeSocket(url, protocols);
      if (String(url).indexOf("/api/kernels/") >= 0) {
        socket.addEventListener("close", function () { if (state.finished) { setTimeout(check, 200); } });
      }
      return socket;
    };
    Watched.prototype = NativeSocket.prototype;
    ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (k) { Watched[k] = NativeSocket[k]; });
    window.WebSocket = Watched;
  }

  /* -- hooks into Voila's page: called from the template's body (after Voila's own helpers) -------- */
  window.wbStates = {
    start: function () {
      var process = window.voila_process, finish = window.voila_finish;
      window.voila_process = function (index, count) {
        state.step = index;
        state.steps = count;
        showPreparing();
        if (process) { try { process(index, count); } catch (e) { /* Voila's own text: hidden */ } }
      };
      window.voila_finish = function () {
        state.finished = true;
        if (finish) { finish(); }
        watch();
        if (!lookForWidgets()) {
          showPreparing();
          new MutationObserver(function (records, observer) {
            if (lookForWidgets()) { observer.disconnect(); }
          }).observe(document.body, {childList: true, subtree: true});
        }
      };
      showPreparing();
    }
  };
})();
