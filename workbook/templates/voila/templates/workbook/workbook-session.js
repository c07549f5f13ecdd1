/* The sign-in cookie (workbook/serving/web_session.py). A page that signed in by code shows a one-time
   ticket in an element's data-wb-ticket; this posts it to the server, which answers with the
   HttpOnly session cookie (no script can read it, no URL carries it). An element with
   data-wb-signout asks the server to clear the cookie. Both posts carry the _xsrf token. An element with
   data-wb-lang gives the page's language (the person's choice), set on <html lang>. */
(function () {
  function xsrf() {
    var m = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function base() {
    try {
      return JSON.parse(document.getElementById("jupyter-config-data").textContent).baseUrl || "/";
    } catch (e) {
      return "/";
    }
  }
  function post(path, body) {
    return fetch(base().replace(/\/?$/, "/") + path, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "X-XSRFToken": xsrf()},
      body: body || ""
    }).catch(function () {});
  }
  function scan() {
    document.querySelectorAll("[data-wb-ticket]").forEach(function (el) {
      var ticket = el.getAttribute("data-wb-ticket");
      el.removeAttribute("data-wb-ticket");
      if (ticket) { post("workbook/session", "ticket=" + encodeURIComponent(ticket)); }
    });
    document.querySelectorAll("[data-wb-lang]").forEach(function (el) {
      var lang = el.getAttribute("data-wb-lang");
      if (lang && document.documentElement.lang !== lang) { document.documentElement.lang = lang; }
    });
    /* a link to copy (the coach's link to a trainee's report): shown whole, copied by its button */
    document.querySelectorAll("input[data-wb-link]").forEach(function (el) {
      el.value = new URL(el.getAttribute("data-wb-link"), window.location.href).href;
      el.removeAttribute("data-wb-link");
    });
    document.querySelectorAll("button[data-wb-copy]").forEach(function (el) {
      var href = new URL(el.getAttribute("data-wb-copy"), window.location.href).href;
      el.removeAttribute("data-wb-copy");
      el.addEventListener("click", function () {
        var done = function () { el.textContent = el.getAttribute("data-wb-copied") || el.textContent; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(href).then(done, function () {});
        } else {  // plain http: select the field so that Ctrl+C copies it
          var field = el.parentElement.querySelector("input.wb-link-field");
          if (field) { field.select(); try { document.execCommand("copy"); done(); } catch (e) { /* selected */ } }
        }
      });
    });
    document.querySelectorAll("[data-wb-signout]").forEach(function (el) {
      el.removeAttribute("data-wb-signout");
      post("workbook/signout");
    });
  }
  var queued = false;
  function later() {
    if (!queued) { queued = true; setTimeout(function () { queued = false; scan(); }, 0); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    scan();
    new MutationObserver(later).observe(document.body, {childList: true, subtree: true, attributes: true,
      attributeFilter: ["data-wb-ticket", "data-wb-signout", "data-wb-lang", "data-wb-link", "data-wb-copy"]});
  });
})();
