// Pain drawing: marking a region (on the map or in the list) adds its row of details from the
// <template>, empty so every value is chosen; unmarking removes the row. Enter on a map region
// marks it and moves focus to its intensity; Space marks it and stays on the map. Without
// JavaScript the form posts and each newly ticked region comes back with a row to fill in.
(function () {
  "use strict";
  var form = document.getElementById("pain-form");
  var rows = document.getElementById("pain-rows");
  var template = document.getElementById("pain-row-template");
  if (!form || !rows || !template) return;
  var status = document.getElementById("pain-status");
  var empty = document.getElementById("pain-rows-empty");
  var nothing = form.querySelector('input[name="nothing_marked"]');
  var boxes = {};
  var order = {};
  var enterOnMap = false;

  form.querySelectorAll('input[type="checkbox"][name="regions"]').forEach(function (box, i) {
    boxes[box.value] = box;
    order[box.value] = i;
  });

  function label(code) {
    var text = form.querySelector('label[for="region-' + code + '"]');
    return text ? text.textContent.trim() : code;
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  function rowFor(code) {
    return rows.querySelector('[data-region-row="' + code + '"]');
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function refreshEmpty() {
    if (empty) empty.hidden = rows.querySelector("[data-region-row]") !== null;
  }

  function showRemove(row) {
    row.querySelectorAll("[data-remove-region]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function addRow(code) {
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.split("__code__").join(code)
      .split("__label__").join(escapeHtml(label(code)));
    var row = holder.querySelector("[data-region-row]");
    var before = template;
    rows.querySelectorAll("[data-region-row]").forEach(function (other) {
      if (before === template && order[other.dataset.regionRow] > order[code]) before = other;
    });
    rows.insertBefore(row, before);
    showRemove(row);
    return row;
  }

  function sync(box) {
    var code = box.value;
    var row = rowFor(code);
    if (box.checked && !row) {
      row = addRow(code);
      if (nothing) nothing.checked = false;
      if (enterOnMap) {
        row.querySelector("input, select").focus();
        say(label(code) + " marked.");
      } else {
        say(label(code) + " marked: its details are in the list of marked regions.");
      }
    } else if (!box.checked && row) {
      row.remove();
      say(label(code) + " unmarked.");
    }
    refreshEmpty();
  }

  // Seen before bodymap.js toggles the region (capture phase), so sync() knows how it came.
  form.addEventListener("keydown", function (event) {
    enterOnMap = event.key === "Enter" && event.target.closest("[data-region]") !== null;
    if (enterOnMap) setTimeout(function () { enterOnMap = false; }, 0);
  }, true);

  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name === "regions" && boxes[box.value] === box) sync(box);
  });

  rows.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-region]");
    if (!button) return;
    var code = button.dataset.removeRegion;
    var box = boxes[code];
    if (!box) return;
    box.checked = false;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    var shape = form.querySelector('[data-body-map] [data-region="' + code + '"]');
    if (shape) shape.focus();
  });

  rows.querySelectorAll("[data-region-row]").forEach(showRemove);

  // Shade each marked region by the intensity typed for it (0–3, 4–6, 7–10).
  function shade(code, value) {
    var shape = form.querySelector('[data-body-map] [data-region="' + code + '"]');
    if (!shape) return;
    shape.classList.remove("pain-low", "pain-mid", "pain-high");
    var n = parseInt(value, 10);
    if (isNaN(n) || !boxes[code] || !boxes[code].checked) return;
    shape.classList.add(n <= 3 ? "pain-low" : n <= 6 ? "pain-mid" : "pain-high");
  }

  rows.addEventListener("input", function (event) {
    var row = event.target.closest("[data-region-row]");
    if (row && event.target.name === "intensity-" + row.dataset.regionRow) {
      shade(row.dataset.regionRow, event.target.value);
    }
  });

  // The candidate muscles follow the regions being drawn (saves nothing).
  var panel = document.getElementById("candidates");
  var url = panel && panel.dataset.candidatesUrl;
  var timer = null;
  var latest = 0;

  function refresh() {
    var request = ++latest;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    Object.keys(boxes).forEach(function (code) {
      if (boxes[code].checked) data.append("regions", code);
    });
    fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (request === latest) panel.innerHTML = html;
      })
      .catch(function () {
        // Keep the last list; the assessment page shows the ranking once saved.
      });
  }

  if (url) {
    form.addEventListener("change", function (event) {
      if (event.target.name !== "regions") return;
      if (!event.target.checked) shade(event.target.value, "");
      clearTimeout(timer);
      timer = setTimeout(refresh, 150);
    });
    if (Object.keys(boxes).some(function (code) { return boxes[code].checked; })) refresh();
  }
})();
