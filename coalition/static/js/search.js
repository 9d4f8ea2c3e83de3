// Enhances the search form (it works without this file): suggestions while typing,
// and results updated in place when a filter changes. No data leaves the platform.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  var suggestUrl = form.getAttribute("data-suggest-url");
  var lang = form.getAttribute("data-lang");
  var timer = null;
  var pending = null;

  function items(payload) {
    var raw = Array.isArray(payload) ? payload : (payload.suggestions || payload.items || []);
    return raw.map(function (item) { return typeof item === "string" ? item : item.text; })
              .filter(Boolean);
  }

  function suggest() {
    var prefix = input.value.trim();
    if (!suggestUrl || prefix.length < 2) { return; }
    var url = suggestUrl + "?" + new URLSearchParams({ q: prefix, lang: lang }).toString();
    fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (payload) {
        list.textContent = "";
        items(payload).slice(0, 8).forEach(function (text) {
          var option = document.createElement("option");
          option.value = text;
          list.appendChild(option);
        });
      })
      .catch(function () { /* suggestions are optional */ });
  }

  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    var url = form.getAttribute("action") + "?" + params.toString();
    if (pending) { pending.abort(); }
    pending = new AbortController();
    form.setAttribute("aria-busy", "true");
    fetch(url, { signal: pending.signal, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("results");
        var current = document.getElementById("results");
        if (fresh && current) {
          // Keep the live region itself so screen readers announce the new count.
          var count = document.getElementById("result-count");
          var freshCount = fresh.querySelector("#result-count");
          Array.prototype.forEach.call(current.children, function (child) {
            if (child !== count) { child.remove(); }
          });
          Array.prototype.forEach.call(Array.prototype.slice.call(fresh.children), function (child) {
            if (child.id !== "result-count") { current.appendChild(child); }
          });
          if (count && freshCount) { count.innerHTML = freshCount.innerHTML; }
          window.history.replaceState(null, "", url);
        }
      })
      .catch(function () { /* the submit button still works */ })
      .finally(function () { form.removeAttribute("aria-busy"); });
  }

  if (input && list) {
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 200);
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target && (event.target.type === "checkbox" || event.target.tagName === "SELECT")) {
      refresh();
    }
  });
}());
