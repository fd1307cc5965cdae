// Type-ahead for long grouped pickers (the trigger-point selects): a search box before each
// <select data-picker> that narrows its options to those containing every word typed. The
// select stays the form field; the box only rebuilds its option list. A single match is chosen.
(function () {
  "use strict";

  function words(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").split(/\s+/).filter(Boolean);
  }

  function setUp(select, index) {
    const original = Array.from(select.children).map((node) => node.cloneNode(true));
    const box = document.createElement("input");
    box.type = "search";
    box.className = (select.classList.contains("form-select-sm") ? "form-control form-control-sm" : "form-control") + " picker-filter mb-1";
    box.placeholder = "Type to find a " + select.dataset.picker + "…";
    box.autocomplete = "off";
    const label = document.querySelector('label[for="' + select.id + '"]');
    const named = label ? label.textContent.replace(/\*\s*$/, "").trim() : select.dataset.picker;
    box.setAttribute("aria-label", "Type to narrow the list: " + named);
    box.id = select.id + "_filter";
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);

    box.addEventListener("input", () => {
      const wanted = words(box.value);
      const chosen = select.value;
      const matches = (option) => option.value === "" || wanted.every((w) => words(option.textContent).join(" ").includes(w));
      select.replaceChildren();
      let found = [];
      for (const node of original) {
        if (node.tagName === "OPTGROUP") {
          const kept = Array.from(node.children).filter((o) => o.value === chosen || matches(o));
          if (kept.length) {
            const group = node.cloneNode(false);
            kept.forEach((o) => group.appendChild(o.cloneNode(true)));
            select.appendChild(group);
            found = found.concat(kept.filter((o) => matches(o) && o.value));
          }
        } else if (node.value === "" || node.value === chosen || matches(node)) {
          select.appendChild(node.cloneNode(true));
          if (node.value && matches(node)) found.push(node);
        }
      }
      const ids = new Set(found.map((o) => o.value));
      if (ids.size === 1 && wanted.length) {
        select.value = found[0].value;
      } else {
        select.value = chosen;
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault(); // choose, do not submit the form
        select.focus();
      }
    });
  }

  document.querySelectorAll("select[data-picker]").forEach(setUp);
})();
