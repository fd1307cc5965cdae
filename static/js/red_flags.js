// "None of these" for a group of red-flag questions: a deliberate answer for the whole group,
// which sets every question in it to "No" (each question keeps its own Yes/No, visible and
// changeable, so a group is never skipped unseen). The button shows as pressed while every
// question in the group is "No", and says how many questions are still unanswered.
document.querySelectorAll(".red-flag-group").forEach((group) => {
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
  button.addEventListener("click", () => {
    group.querySelectorAll('input[type="radio"][value="no"]').forEach((radio) => {
      radio.checked = true;
    });
    refresh();
  });
  group.addEventListener("change", refresh);
  refresh();
});
