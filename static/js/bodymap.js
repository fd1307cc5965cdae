// Body map: click, tap, or press Space/Enter on a region to mark or unmark it. The checkboxes
// named after the map's field are the source of truth (and the way in without JavaScript);
// the drawing mirrors them.
(function () {
  "use strict";

  function init(map) {
    var form = map.closest("form");
    if (!form) return;
    var boxes = {};
    form.querySelectorAll('input[type="checkbox"][name="' + map.dataset.field + '"]')
      .forEach(function (box) { boxes[box.value] = box; });

    function paint(code) {
      var checked = boxes[code].checked;
      map.querySelectorAll('[data-region="' + code + '"]').forEach(function (shape) {
        shape.classList.toggle("is-marked", checked);
        shape.setAttribute("aria-checked", checked ? "true" : "false");
      });
    }

    function toggle(shape) {
      var box = boxes[shape.dataset.region];
      if (!box) return;
      box.checked = !box.checked;
      paint(box.value);
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }

    map.addEventListener("click", function (event) {
      var shape = event.target.closest("[data-region]");
      if (shape) toggle(shape);
    });
    map.addEventListener("keydown", function (event) {
      if (event.key !== " " && event.key !== "Enter") return;
      var shape = event.target.closest("[data-region]");
      if (!shape) return;
      event.preventDefault();
      toggle(shape);
    });
    Object.keys(boxes).forEach(function (code) {
      boxes[code].addEventListener("change", function () { paint(code); });
    });
  }

  document.querySelectorAll("[data-body-map][data-field]").forEach(init);
})();
