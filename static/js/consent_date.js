// A consent checkbox with data-fills-date: ticking it fills the consent's date with today when
// that date is empty (today in the clinic's time zone, data-today) (the date field stays visible and can be changed before saving).
document.querySelectorAll("input[type=checkbox][data-fills-date]").forEach((box) => {
  box.addEventListener("change", () => {
    const field = document.getElementById(box.dataset.fillsDate);
    if (!box.checked || !field || field.value) return;
    field.value = box.dataset.today; // the clinic's date, from the server
    field.dispatchEvent(new Event("change", { bubbles: true }));
  });
});
