// Drag an event on a review timeline to another day (or another speaker's timeline) to move it.
// It fills in and submits the same no-JavaScript move form, so the server checks the hard rules.
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

  document.querySelectorAll("table.timeline a.event").forEach(function (event) {
    event.setAttribute("draggable", "true");
    event.addEventListener("dragstart", function (e) {
      dragged = event;
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", event.dataset.requestId);
      event.classList.add("dragging");
    });
    event.addEventListener("dragend", function () {
      event.classList.remove("dragging");
      dragged = null;
    });
  });

  document.querySelectorAll("table.timeline td.day").forEach(function (cell) {
    cell.addEventListener("dragover", function (e) {
      if (!dragged) { return; }
      var form = moveForm(dragged.dataset.requestId);
      if (form && hasOption(form.elements.day, cell.dataset.date)) {
        e.preventDefault();
        cell.classList.add("drop-target");
      }
    });
    cell.addEventListener("dragleave", function () { cell.classList.remove("drop-target"); });
    cell.addEventListener("drop", function (e) {
      e.preventDefault();
      cell.classList.remove("drop-target");
      var form = dragged && moveForm(dragged.dataset.requestId);
      if (!form) { return; }
      form.elements.day.value = cell.dataset.date;
      form.elements.speaker.value = cell.closest("table.timeline").dataset.speakerId;
      form.submit();
    });
  });
})();
