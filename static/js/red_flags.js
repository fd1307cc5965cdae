// "None of these" for a group of red-flag questions: answers every question in the group "No".
// Each question keeps its own Yes/No, so a group is never skipped unseen.
document.querySelectorAll(".red-flag-group").forEach((group) => {
  const button = group.querySelector(".js-none-of-these");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    group.querySelectorAll('input[type="radio"][value="no"]').forEach((radio) => {
      radio.checked = true;
    });
  });
});
