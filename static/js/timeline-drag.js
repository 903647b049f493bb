// Drag an event on a review timeline to another day (or another speaker's timeline) to move it.
// It fills in and submits the same no-JavaScript move form, so the server checks the hard rules.
// Listeners sit on the document, so timelines swapped in after an edit can be dragged too.
(function () {
  "use strict";
  var dragged = null;

  function moveForm(requestId) {
    var row = document.getElementById("event-" + requestId);
    return row ? row.querySelector("form.place-form") : null;
  }

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  function dayCell(e) {
    return e.target.closest && e.target.closest("table.timeline td.day");
  }

  function markDraggable() {
    document.querySelectorAll("table.timeline a.event:not([draggable])").forEach(function (a) {
      a.setAttribute("draggable", "true");
    });
  }
  markDraggable();
  new MutationObserver(markDraggable).observe(document.body, { childList: true, subtree: true });

  document.addEventListener("dragstart", function (e) {
    var event = e.target.closest && e.target.closest("table.timeline a.event");
    if (!event) { return; }
    dragged = event;
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", event.dataset.requestId);
    event.classList.add("dragging");
  });
  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
  });
  document.addEventListener("dragover", function (e) {
    var cell = dayCell(e);
    if (!dragged || !cell) { return; }
    var form = moveForm(dragged.dataset.requestId);
    if (form && hasOption(form.elements.day, cell.dataset.date)) {
      e.preventDefault();
      cell.classList.add("drop-target");
    }
  });
  document.addEventListener("dragleave", function (e) {
    var cell = dayCell(e);
    if (cell) { cell.classList.remove("drop-target"); }
  });
  document.addEventListener("drop", function (e) {
    var cell = dayCell(e);
    if (!cell) { return; }
    e.preventDefault();
    cell.classList.remove("drop-target");
    var form = dragged && moveForm(dragged.dataset.requestId);
    if (!form) { return; }
    form.elements.day.value = cell.dataset.date;
    form.elements.speaker.value = cell.closest("table.timeline").dataset.speakerId;
    form.requestSubmit();
  });
})();
