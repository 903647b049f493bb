// Edits in place on the review page: a move, assign, unassign, pin or undo form is posted with
// fetch, and the server's fragment (the edited row with its outcome, the timelines concerned,
// the summary, the undo bar) replaces those parts of the page; the outcome is read aloud.
// Without JavaScript the same forms post normally and the page returns to the edited row.
(function () {
  "use strict";
  var announcer = document.getElementById("edit-announcer");

  function swap(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var focus = null;
    var parts = [];
    Array.prototype.forEach.call(template.content.children, function (part) {
      if (part.matches("table[data-rows]")) {
        parts.push.apply(parts, part.querySelectorAll("tbody > tr"));
      } else {
        parts.push(part);
      }
    });
    parts.forEach(function (part) {
      if (part.id === "edit-announcement") {
        announcer.textContent = "";
        announcer.textContent = part.textContent;
        return;
      }
      var current = document.getElementById(part.id);
      var into = part.dataset.into && document.querySelector(part.dataset.into);
      if (into && (!current || !into.contains(current))) {
        if (current) { current.remove(); }
        into.prepend(part);
        var empty = into.querySelector("td[colspan]");
        if (empty) { empty.parentElement.remove(); }
      } else if (current) {
        current.replaceWith(part);
      }
      if (part.id.indexOf("event-") === 0) { focus = part; }
    });
    return focus;
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("edit-form") || !window.fetch) { return; }
    e.preventDefault();
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { form.submit(); return; }  // the server answers as without JavaScript
      return response.text().then(function (html) {
        var row = swap(html);
        if (row) {
          row.scrollIntoView({ block: "nearest" });
          row.focus({ preventScroll: true });
        }
      });
    }, function () {
      form.submit();  // not reached the server: post the form the ordinary way
    });
  });
})();
