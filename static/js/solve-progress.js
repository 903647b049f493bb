// Live progress of a solve run. The page names the run's JSON in data-solve-status-url; this
// polls it and updates the bar and figures in place, then reloads the page once the run ends so
// the server renders its result. Without JavaScript the page refreshes itself instead.
(function () {
  "use strict";

  var box = document.querySelector("[data-solve-status-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-solve-status-url");
  var every = Number(box.getAttribute("data-poll-ms")) || 1000;
  var bar = box.querySelector("progress");

  function show(name, text) {
    var element = box.querySelector('[data-field="' + name + '"]');
    if (element) {
      element.textContent = text;
    }
  }

  function orDash(value) {
    return value === null || value === undefined ? "–" : String(value);
  }

  function update(run) {
    if (bar) {
      bar.max = run.time_limit;
      bar.value = Math.min(run.elapsed, run.time_limit);
      bar.textContent = Math.round(run.elapsed) + " s of " + run.time_limit + " s";
    }
    show("elapsed", Math.round(run.elapsed));
    show("served_weight", orDash(run.served_weight));
    show("bound", orDash(run.bound));
    show("gap", run.gap === null ? "–" : (run.gap * 100).toFixed(1) + " %");
    show("state", run.cancel_requested && !run.finished ? "stopping" : run.state);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (run) {
        update(run);
        if (run.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, every);
        }
      })
      .catch(function () {
        window.setTimeout(poll, every * 3); // a network hiccup: try again a little later
      });
  }

  window.setTimeout(poll, every);
})();
