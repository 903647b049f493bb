// The request form, enhanced. Without JavaScript every part still works through the server:
// "Add another choice" posts the form and comes back with one more row, the city is checked when
// the form is sent, and the error summary is the first thing on the page.
// With it: the next choice row opens in place, cities are suggested as you type (from
// /cities?q=...), and the error summary takes the focus so a screen reader reads it first.
(function () {
  "use strict";

  var form = document.querySelector("form.request-form");
  if (!form) {
    return;
  }

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  var addButton = form.querySelector("button.add-choice");
  var shown = form.querySelector('input[name="shown_choices"]');
  if (addButton) {
    // A plain button now, so Enter in a field sends the form instead of adding a choice.
    addButton.type = "button";
    addButton.addEventListener("click", function (event) {
      var next = form.querySelector("fieldset.choice[hidden]");
      if (!next) {
        return;
      }
      event.preventDefault();
      next.hidden = false;
      if (shown) {
        shown.value = String(Number(shown.value || "1") + 1);
      }
      if (!form.querySelector("fieldset.choice[hidden]")) {
        addButton.parentNode.hidden = true;
      }
      var date = next.querySelector('input[type="date"]');
      if (date) {
        date.focus();
      }
    });
  }

  var city = form.querySelector('input[name="city"]');
  var list = document.getElementById("city-suggestions");
  if (!city || !list || !window.fetch) {
    return;
  }
  var searchUrl = form.getAttribute("data-city-search") + "?q=";
  var timer = null;
  var latest = "";

  function offer(labels) {
    list.textContent = "";
    labels.forEach(function (label) {
      var option = document.createElement("option");
      option.value = label;
      list.appendChild(option);
    });
  }

  city.addEventListener("input", function () {
    var typed = city.value.trim();
    clearTimeout(timer);
    if (typed.length < 2) {
      return;
    }
    timer = setTimeout(function () {
      latest = typed;
      fetch(searchUrl + encodeURIComponent(typed), { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { cities: [] };
        })
        .then(function (found) {
          if (typed === latest) {
            offer(found.cities);
          }
        })
        .catch(function () {
          // Suggestions are a convenience: the server still checks the city when the form is sent.
        });
    }, 150);
  });
})();
