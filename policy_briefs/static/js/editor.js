// The brief editor without page reloads (every form works without this file):
// - "Save the section" sends the text to the section's JSON endpoint (PUT, the session
//   cookie and the X-CSRFToken header). A save merged with edits made meanwhile puts the
//   merged text in the text area. Anything else — a conflict, an error — sends the form
//   itself, so that the server shows the conflict page or the error beside the field.
// - Text selected in a section fills that section's "passage you comment on".
(function () {
  "use strict";
  if (!window.fetch || !window.JSON) { return; }
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var say = function (template, number) { return (template || "").replace("{n}", number); };

  each(document.querySelectorAll("form.pb-section-form[data-json-url]"), function (form) {
    var text = form.querySelector("textarea[name=text]");
    var base = form.querySelector("input[name=base_revision]");
    var token = form.querySelector("input[name=csrf_token]");
    var status = form.querySelector(".pb-save-status");
    var preview = document.getElementById(form.getAttribute("data-preview"));
    var busy = false;
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-fallback")) { return; }
      event.preventDefault();
      if (busy) { return; }
      busy = true;
      // Read-only while saving: what is typed meanwhile could not be merged with the answer.
      text.readOnly = true;
      status.textContent = form.getAttribute("data-saving");
      fetch(form.getAttribute("data-json-url"), {
        method: "PUT",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": token ? token.value : ""
        },
        body: JSON.stringify({ base_revision: parseInt(base.value, 10), text: text.value })
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (revision) {
        base.value = String(revision.number);
        text.value = revision.text;
        if (preview) { preview.innerHTML = revision.html; } // sanitised by the server (nh3)
        var message = !revision.changed ? "data-unchanged"
          : revision.merged ? "data-merged" : "data-saved";
        status.textContent = say(form.getAttribute(message), revision.number);
        text.readOnly = false;
        busy = false;
      }).catch(function () {
        // The server answers this one itself: the conflict page, or the error by the field.
        form.setAttribute("data-fallback", "1");
        text.readOnly = false;
        form.submit();
      });
    });
  });

  each(document.querySelectorAll("form.pb-comment-form[data-text-field]"), function (form) {
    var source = document.getElementById(form.getAttribute("data-text-field"));
    var quote = form.querySelector("input[name=quote]");
    var start = form.querySelector("input[name=quote_start]");
    if (!source || !quote || !start) { return; }
    var remember = function () {
      if (source.selectionEnd > source.selectionStart) {
        quote.value = source.value.slice(source.selectionStart, source.selectionEnd);
        start.value = String(source.selectionStart);
      }
    };
    source.addEventListener("mouseup", remember);
    source.addEventListener("keyup", remember);
    quote.addEventListener("input", function () { start.value = ""; });
  });
})();
