// "None of these" for a group of red-flag questions: a deliberate answer for the whole group,
// which sets every question in it to "No" (each question keeps its own Yes/No, visible and
// changeable, so a group is never skipped unseen). The button shows as pressed while every
// question in the group is "No", and says how many questions are still unanswered. From the
// keyboard (Enter or Space), it then moves on to the next group's button, and after the last
// group to the next field or button after the questions, so a screening with nothing positive
// takes a key per group.
const groups = Array.from(document.querySelectorAll(".red-flag-group"));
groups.forEach((group, index) => {
  const button = group.querySelector(".js-none-of-these");
  if (!button) return;
  const status = group.querySelector(".js-group-status");
  const questions = () => Array.from(group.querySelectorAll(".red-flag-question"));
  const answer = (q) => q.querySelector('input[type="radio"]:checked');
  const refresh = () => {
    const all = questions();
    const allNo = all.every((q) => answer(q) && answer(q).value === "no");
    const open = all.filter((q) => !answer(q)).length;
    const yes = all.filter((q) => answer(q) && answer(q).value === "yes").length;
    button.setAttribute("aria-pressed", allNo ? "true" : "false");
    button.classList.toggle("active", allNo);
    if (status) {
      status.textContent = allNo
        ? "All answered no."
        : [yes ? `${yes} yes` : "", open ? `${open} to answer` : ""].filter(Boolean).join(", ");
    }
  };
  button.hidden = false;
  button.addEventListener("click", (event) => {
    group.querySelectorAll('input[type="radio"][value="no"]').forEach((radio) => {
      radio.checked = true;
    });
    refresh();
    if (event.detail !== 0) return; // a mouse click or a tap: stay put
    const next = groups.slice(index + 1).map((g) => g.querySelector(".js-none-of-these"))[0];
    const last = groups[groups.length - 1];
    const after = Array.from(
      document.querySelectorAll("input:not([type=hidden]), select, textarea, button, a[href]")
    ).find(
      (el) => el.tabIndex >= 0 && !el.closest(".red-flag-group") && !el.hidden &&
        (last.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
    );
    (next || after || button).focus();
  });
  group.addEventListener("change", refresh);
  refresh();
});
