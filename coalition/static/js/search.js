// Enhances the search form (it works without this file): suggestions while typing, and the
// page updated in place when a filter changes. The server stays the only one to render the
// page: the script fetches it for the new address and takes from it the form (facet options
// and their counts, checked boxes, field errors) and the results. No data leaves the platform.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.DOMParser || !form.replaceChildren) { return; }
  // On a phone the results come first: the filters start folded (their summary says how
  // many are on), unless a field needs correcting.
  var filters = form.querySelector("details.filters");
  if (filters && window.matchMedia && window.matchMedia("(max-width: 40em)").matches &&
      !form.querySelector(".invalid")) {
    filters.open = false;
  }
  var suggestUrl = form.getAttribute("data-suggest-url");
  var lang = form.getAttribute("data-lang");
  var timer = null;
  var pending = null;
  var slice = function (list) { return Array.prototype.slice.call(list); };

  function items(payload) {
    var raw = Array.isArray(payload) ? payload : (payload.suggestions || payload.items || []);
    return raw.map(function (item) { return typeof item === "string" ? item : item.text; })
              .filter(Boolean);
  }

  function suggest() {
    // Looked up each time: the form's content is replaced when the page is updated.
    var input = document.getElementById("search-q");
    var list = document.getElementById("search-suggestions");
    var prefix = input ? input.value.trim() : "";
    if (!suggestUrl || !list || prefix.length < 2) { return; }
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

  // What makes a control "the same" in the page and in the server's new version of it.
  function key(node) {
    if (node.id) { return "#" + node.id; }
    if (!node.name) { return null; }
    return node.name + (node.type === "checkbox" || node.type === "hidden" ? "=" + node.value : "");
  }

  function counterpart(node, region) {
    var wanted = key(node);
    return wanted && slice(region.querySelectorAll(node.tagName)).filter(function (other) {
      return key(other) === wanted;
    })[0];
  }

  function copyAttributes(node, fresh) {
    slice(node.attributes).forEach(function (attribute) {
      if (!fresh.hasAttribute(attribute.name)) { node.removeAttribute(attribute.name); }
    });
    slice(fresh.attributes).forEach(function (attribute) {
      node.setAttribute(attribute.name, attribute.value);
    });
  }

  // Make `node` (in the page) like `fresh` (the server's version) but leave in the page the
  // pinned nodes it holds: taken out, the focused control would lose the focus, and the live
  // region would be a new one that announces nothing.
  function patch(node, fresh, pins) {
    var inside = pins.filter(function (pin) {
      return pin.node !== node && node.contains(pin.node);
    });
    var wanted = slice(fresh.childNodes).map(function (child) {
      var pin = inside.filter(function (p) { return child.contains(p.fresh); })[0];
      if (!pin) { return child; }
      var mine = pin.node;
      while (mine.parentNode !== node) { mine = mine.parentNode; }
      if (mine.nodeName !== child.nodeName) { return child; }
      copyAttributes(mine, child);
      if (mine !== pin.node) {
        patch(mine, child, pins);
      } else if (mine.type === "checkbox") {
        mine.checked = child.checked;
      } else if (mine.tagName !== "INPUT") {
        mine.replaceChildren.apply(mine, slice(child.childNodes));
      }
      return mine;
    });
    slice(node.childNodes).forEach(function (child) {
      if (wanted.indexOf(child) < 0) { node.removeChild(child); }
    });
    var at = node.firstChild;
    wanted.forEach(function (child) {
      if (child === at) { at = at.nextSibling; } else { node.insertBefore(child, at); }
    });
  }

  function update(doc) {
    var regions = [form, document.getElementById("results")];
    var fresh = regions.map(function (region) {
      var served = region && doc.getElementById(region.id);
      return served && document.adoptNode(served);
    });
    if (!fresh[0] || !fresh[1]) { return false; }
    // What the visitor typed since the request left stays, and so do the suggestions.
    var typed = "input[type=text], input[type=search], input[type=number], datalist";
    slice(form.querySelectorAll(typed)).forEach(function (node) {
      var same = counterpart(node, fresh[0]);
      if (same && node.tagName === "DATALIST") {
        same.replaceChildren.apply(same, slice(node.childNodes));
      } else if (same) {
        same.value = node.value;
      }
    });
    var pins = [];
    var count = document.getElementById("result-count");
    if (count) { pins.push({ node: count, fresh: fresh[1].querySelector("#result-count") }); }
    var focused = document.activeElement;
    var focusedIn = regions.filter(function (region) { return region.contains(focused); })[0];
    var home = null;
    if (focusedIn && focused !== focusedIn) {
      var same = counterpart(focused, fresh[regions.indexOf(focusedIn)]);
      if (same) {
        pins.push({ node: focused, fresh: same });
      } else {
        // The focused option is gone: the focus goes to its group rather than to the page.
        home = focused.closest("[id]");
      }
    }
    pins = pins.filter(function (pin) { return pin.fresh; });
    regions.forEach(function (region, index) { patch(region, fresh[index], pins); });
    if (home && !document.body.contains(focused)) {
      // A group left without options is not shown: the focus goes to the filters' summary.
      var group = document.getElementById(home.id) ||
        document.querySelector("#search-form details.filters > summary");
      if (group) {
        if (!group.hasAttribute("tabindex")) { group.setAttribute("tabindex", "-1"); }
        group.focus({ preventScroll: true });
      }
    }
    return true;
  }

  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    var url = form.getAttribute("action") + "?" + params.toString();
    if (pending) { pending.abort(); }
    var request = pending = new AbortController();
    form.setAttribute("aria-busy", "true");
    fetch(url, { signal: request.signal, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (request !== pending) { return; }
        if (update(new DOMParser().parseFromString(html, "text/html"))) {
          window.history.replaceState(null, "", url);
        }
      })
      .catch(function () { /* the submit button still works */ })
      .finally(function () {
        if (request === pending) { form.removeAttribute("aria-busy"); }
      });
  }

  form.addEventListener("input", function (event) {
    if (event.target && event.target.id === "search-q") {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 200);
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target && (event.target.type === "checkbox" || event.target.tagName === "SELECT")) {
      refresh();
    }
  });
}());
