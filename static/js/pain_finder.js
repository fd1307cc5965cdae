// Pain finder: re-rank in place whenever the marked regions change. Without JavaScript the
// form posts and the page comes back with the ranking.
(function () {
  "use strict";
  var form = document.getElementById("pain-finder-form");
  var results = document.getElementById("candidates");
  if (!form || !results) return;
  var timer = null;
  var latest = 0;

  function refresh() {
    var request = ++latest;
    var data = new FormData(form);
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "X-Partial": "candidates" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (request === latest) results.innerHTML = html;
      })
      .catch(function () {
        // Leave the current list; the submit button still works.
      });
  }

  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
})();
