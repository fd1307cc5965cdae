// Body map: click, tap, or press Space/Enter on a region to mark or unmark it. The checkboxes
// named after the map's field are the source of truth (and the way in without JavaScript);
// the drawing mirrors them. The whole map is one Tab stop (a roving tabindex): the arrow keys
// move to the nearest region in that direction (from the front view to the back view and
// back at the edges), Home and End to the first and last region.
// Where the two views do not fit side by side (static/css/myoplan.css) one shows at a time: the
// Front / Back buttons switch (aria-pressed), and so does moving the focus into the other view.
(function () {
  "use strict";

  // Show one view ("front" or "back") where only one fits; the Tab stop moves into it, so
  // the map stays reachable with the Tab key.
  function showView(map, name) {
    map.querySelectorAll("[data-show-view]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.dataset.showView === name ? "true" : "false");
    });
    map.querySelectorAll("[data-view-panel]").forEach(function (panel) {
      panel.classList.toggle("is-off", panel.dataset.viewPanel !== name);
    });
    var stop = map.querySelector('[data-region][tabindex="0"]');
    if (stop && stop.dataset.view !== name) {
      var inView = map.querySelector('[data-view="' + name + '"].is-marked') ||
        map.querySelector('[data-view="' + name + '"]');
      if (inView) {
        stop.setAttribute("tabindex", "-1");
        inView.setAttribute("tabindex", "0");
      }
    }
  }

  function initSwitch(map) {
    var buttons = map.querySelectorAll("[data-show-view]");
    if (!buttons.length) return;
    buttons.forEach(function (button) {
      button.addEventListener("click", function () { showView(map, button.dataset.showView); });
    });
    var stop = map.querySelector('[data-region][tabindex="0"]');
    showView(map, stop ? stop.dataset.view : buttons[0].dataset.showView);
    map.classList.add("body-map--switchable");
  }

  function init(map) {
    initSwitch(map);
    var form = map.closest("form");
    if (!form) return;
    var boxes = {};
    form.querySelectorAll('input[type="checkbox"][name="' + map.dataset.field + '"]')
      .forEach(function (box) { boxes[box.value] = box; });
    var shapes = Array.prototype.slice.call(map.querySelectorAll("[data-region][data-x]"));
    var views = [];
    shapes.forEach(function (shape) {
      if (views.indexOf(shape.dataset.view) < 0) views.push(shape.dataset.view);
    });

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

    function moveTo(shape) {
      if (!shape) return;
      var panel = shape.closest("[data-view-panel]");
      if (panel && panel.classList.contains("is-off")) showView(map, shape.dataset.view);
      shapes.forEach(function (other) { other.setAttribute("tabindex", other === shape ? "0" : "-1"); });
      shape.focus();
    }

    // The nearest region whose anchor lies in the direction (dx, dy): distance along the
    // direction counts once, distance across it twice, so "right" prefers the same height.
    function neighbour(from, dx, dy) {
      var x = +from.dataset.x, y = +from.dataset.y, best = null, bestScore = Infinity;
      shapes.forEach(function (shape) {
        if (shape === from || shape.dataset.view !== from.dataset.view) return;
        var ex = +shape.dataset.x - x, ey = +shape.dataset.y - y;
        var along = ex * dx + ey * dy, across = Math.abs(ex * dy - ey * dx);
        if (along <= 0.5) return;
        var score = along + 2 * across;
        if (score < bestScore) { bestScore = score; best = shape; }
      });
      if (best || dy !== 0) return best;
      // Past the edge of a view: the other view, at the nearest height.
      var next = views[(views.indexOf(from.dataset.view) + (dx > 0 ? 1 : views.length - 1)) % views.length];
      shapes.forEach(function (shape) {
        if (shape.dataset.view !== next) return;
        var score = Math.abs(+shape.dataset.y - y) * 2 + (dx > 0 ? +shape.dataset.x : -shape.dataset.x);
        if (score < bestScore) { bestScore = score; best = shape; }
      });
      return best;
    }

    var keys = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

    map.addEventListener("click", function (event) {
      var shape = event.target.closest("[data-region]");
      if (!shape) return;
      toggle(shape);
      if (shape.hasAttribute("tabindex")) moveTo(shape);
    });
    map.addEventListener("keydown", function (event) {
      var shape = event.target.closest("[data-region]");
      if (!shape) return;
      if (keys[event.key]) {
        event.preventDefault();
        moveTo(neighbour(shape, keys[event.key][0], keys[event.key][1]));
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        moveTo(event.key === "Home" ? shapes[0] : shapes[shapes.length - 1]);
      } else if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        toggle(shape);
      }
    });
    Object.keys(boxes).forEach(function (code) {
      boxes[code].addEventListener("change", function () { paint(code); });
    });
  }

  document.querySelectorAll("[data-body-map][data-field]").forEach(init);
})();
