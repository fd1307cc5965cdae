// Idle sign-out warning. The server signs a session out after data-idle-timeout seconds without
// a request; data-idle-warning seconds before that, this shows a notice with "Stay signed in".
// Before warning it asks the server how long is left, so activity in another tab counts.
(function () {
  "use strict";
  var body = document.body;
  var timeout = parseInt(body.dataset.idleTimeout, 10);
  var warning = parseInt(body.dataset.idleWarning, 10);
  var notice = document.getElementById("idle-warning");
  var stay = document.getElementById("idle-stay");
  if (!timeout || !notice || !stay) return;
  warning = Math.min(warning || 60, timeout);
  var timer = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function schedule(remaining) {
    clearTimeout(timer);
    if (remaining <= 0) {
      window.location.assign(body.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname));
      return;
    }
    if (remaining > warning) {
      notice.hidden = true;
      timer = setTimeout(check, (remaining - warning) * 1000);
    } else {
      notice.hidden = false;
      timer = setTimeout(check, Math.min(remaining, 15) * 1000);
    }
  }

  function check() {
    fetch(body.dataset.sessionUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) { schedule(state.signed_in ? state.remaining : 0); })
      .catch(function () { schedule(warning); });
  }

  stay.addEventListener("click", function () {
    fetch(body.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    })
      .then(function (response) { return response.json(); })
      .then(function (state) { schedule(state.remaining); })
      .catch(function () { schedule(0); });
  });

  schedule(timeout);
})();
