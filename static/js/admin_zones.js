// Admin, trigger point: pick the referral zones on the body map of the preview. The inline
// rows (kind, area, laterality) stay the form; the map edits them and redraws from them as
// they change. A region on the preview's side cycles: essential, spillover, none. A region on
// the other side makes the zone "both sides"; a midline region makes it "midline". One Tab
// stop on the map, arrow keys between regions (as static/js/bodymap.js), Enter or Space picks.
(function () {
  "use strict";

  function start() {
    const picker = document.querySelector("[data-zone-picker]");
    const group = document.getElementById("zones-group");
    if (!picker || !group) return;
    const side = picker.dataset.side;
    const status = picker.querySelector(".admin-preview__status");
    const shapes = Array.from(picker.querySelectorAll("path[data-region]"));

    // Area codes from the area select's options, "Label (code)".
    function areaOptions() {
      const select = group.querySelector('select[name$="-area"]');
      const byCode = {};
      if (!select) return byCode;
      Array.from(select.options).forEach((option) => {
        const match = option.textContent.match(/\(([^()]+)\)\s*$/);
        if (match) byCode[match[1]] = option.value;
      });
      return byCode;
    }

    function rows() {
      return Array.from(group.querySelectorAll("tr.form-row, tr.dynamic-zones")).filter(
        (row) => row.querySelector('select[name$="-area"]') && !row.id.endsWith("-empty")
      );
    }

    function deleted(row) {
      const box = row.querySelector('input[name$="-DELETE"]');
      return box && box.checked;
    }

    function codeOf(area) {
      const byCode = areaOptions();
      return Object.keys(byCode).find((code) => byCode[code] === area) || "";
    }

    function regionsOf(row) {
      const area = codeOf(row.querySelector('select[name$="-area"]').value);
      const laterality = row.querySelector('select[name$="-laterality"]').value;
      if (!area) return [];
      if (laterality === "midline") return [area];
      if (laterality === "both") return [area + ".l", area + ".r"];
      return [area + "." + side];
    }

    function redraw() {
      const state = {};
      rows().forEach((row) => {
        if (deleted(row)) return;
        const kind = row.querySelector('select[name$="-kind"]').value;
        regionsOf(row).forEach((code) => {
          if (kind && state[code] !== "essential") state[code] = kind;
        });
      });
      shapes.forEach((shape) => {
        const kind = state[shape.dataset.region] || "";
        shape.classList.toggle("is-essential", kind === "essential");
        shape.classList.toggle("is-spillover", kind === "spillover");
        shape.setAttribute("aria-pressed", kind ? "true" : "false");
        const label = shape.dataset.name + (kind ? ": " + kind + " zone" : "");
        shape.setAttribute("aria-label", label);
      });
    }

    function rowFor(area) {
      return rows().find((row) => row.querySelector('select[name$="-area"]').value === area);
    }

    function newRow() {
      const add = group.querySelector(".add-row a");
      if (!add) return null;
      add.click();
      const all = rows();
      return all[all.length - 1];
    }

    function set(row, name, value) {
      const select = row.querySelector('select[name$="-' + name + '"]');
      select.value = value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function pick(shape) {
      const code = shape.dataset.region;
      const sided = /\.(l|r)$/.test(code);
      const areaCode = sided ? code.slice(0, -2) : code;
      const area = areaOptions()[areaCode];
      if (!area) return;
      const laterality = !sided ? "midline" : code.endsWith("." + side) ? "same" : "both";
      let row = rowFor(area);
      const box = row && row.querySelector('input[name$="-DELETE"]');
      const kind = row && !deleted(row) ? row.querySelector('select[name$="-kind"]').value : "";
      let said;
      if (!row || deleted(row)) {
        row = row || newRow();
        if (!row) return;
        if (box) box.checked = false;
        set(row, "area", area);
        set(row, "kind", "essential");
        set(row, "laterality", laterality);
        said = "essential";
      } else if (laterality === "both" && row.querySelector('select[name$="-laterality"]').value !== "both") {
        set(row, "laterality", "both");
        said = kind + ", both sides";
      } else if (kind === "essential") {
        set(row, "kind", "spillover");
        said = "spillover";
      } else {
        if (box) {
          box.checked = true;
        } else {
          const remove = row.querySelector(".inline-deletelink");
          if (remove) remove.click();
        }
        said = "removed (save to keep)";
      }
      if (status) status.textContent = shape.dataset.name + ": " + said + ".";
      redraw();
    }

    // The map as one Tab stop with arrow keys.
    const svgs = picker.querySelectorAll("svg");
    svgs.forEach((svg) => svg.setAttribute("role", "group"));
    const anchors = {};
    shapes.forEach((shape, index) => {
      const box = shape.getBBox();
      anchors[shape.dataset.region] = [box.x + box.width / 2, box.y + box.height / 2,
        shape.closest("figure")];
      const title = shape.querySelector("title");
      shape.dataset.name = title ? title.textContent : shape.dataset.region;
      shape.setAttribute("role", "button");
      shape.setAttribute("tabindex", index === 0 ? "0" : "-1");
    });
    function neighbour(from, dx, dy) {
      const [x, y, view] = anchors[from.dataset.region];
      let best = null, bestScore = Infinity;
      shapes.forEach((shape) => {
        const [sx, sy, sview] = anchors[shape.dataset.region];
        if (shape === from || sview !== view) return;
        const ex = sx - x, ey = sy - y;
        const along = ex * dx + ey * dy, across = Math.abs(ex * dy - ey * dx);
        if (along <= 0.5) return;
        const score = along + 2 * across;
        if (score < bestScore) { bestScore = score; best = shape; }
      });
      return best;
    }
    function moveTo(shape) {
      if (!shape) return;
      shapes.forEach((other) => other.setAttribute("tabindex", other === shape ? "0" : "-1"));
      shape.focus();
    }
    const keys = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    picker.addEventListener("click", (event) => {
      const shape = event.target.closest("path[data-region]");
      if (shape) { pick(shape); moveTo(shape); }
    });
    picker.addEventListener("keydown", (event) => {
      const shape = event.target.closest("path[data-region]");
      if (!shape) return;
      if (keys[event.key]) {
        event.preventDefault();
        moveTo(neighbour(shape, ...keys[event.key]));
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        pick(shape);
      }
    });
    group.addEventListener("change", redraw);
    group.addEventListener("click", () => setTimeout(redraw, 0));
    redraw();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
