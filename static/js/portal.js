/* The patient's diary on their plan link: each tap is kept in a queue on the phone
   (localStorage) with an id made here, and sent when online. The server applies an id once,
   so a resend after a lost answer never doubles an entry; an entry leaves the queue only when
   the server has answered for it. Works without this script too: each button is a form. */
(function () {
  "use strict";
  var root = document.querySelector("[data-diary]");
  if (!root) return;
  var url = root.dataset.diaryUrl;
  var queueKey = root.dataset.queueKey;
  var today = root.dataset.today;
  var urgentPain = Number(root.dataset.urgentPain);
  var words = JSON.parse(root.dataset.warningWords || "[]");
  var csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;
  var status = document.getElementById("sync-status");
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(queueKey)) || []; } catch (e) { return []; }
  }
  function store(queue) { localStorage.setItem(queueKey, JSON.stringify(queue)); }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function show(message) {
    var n = load().length;
    if (message) { status.textContent = message; return; }
    if (!n) status.textContent = "All saved.";
    else if (!navigator.onLine) status.textContent = "You are offline. " + n + (n === 1 ? " entry is" : " entries are") + " kept on this phone and will be sent when you are back online.";
    else status.textContent = "Saving " + n + (n === 1 ? " entry" : " entries") + "…";
    root.dataset.pending = String(n);
  }

  function showHelp() {
    var help = document.getElementById("help");
    if (!help) return;
    help.hidden = false;
    help.focus();
    help.scrollIntoView({ block: "start" });
  }

  function matchesWarning(text) {
    var note = text.toLowerCase().replace(/\u2019/g, "'").split(/\s+/).join(" ");
    return words.some(function (word) {
      var escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return new RegExp("(?<![a-z])" + escaped).test(note);
    });
  }

  function enqueue(entry) {
    entry.id = newId();
    entry.day = today;
    var queue = load();
    queue.push(entry);
    store(queue);
    show();
    flush();
  }

  function flush() {
    var queue = load();
    if (sending || !queue.length) { show(); return; }
    if (!navigator.onLine) { show(); return; }
    sending = true;
    var sent = queue.map(function (e) { return e.id; });
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ entries: queue }),
    }).then(function (response) {
      if (response.status === 410) {
        /* The link is closed for good: nothing queued on this phone is kept (shared devices). */
        localStorage.removeItem(queueKey);
        show("This link no longer accepts entries. Reload the page.");
        return null;
      }
      if (response.status === 403 || response.status === 429) {
        show("This link does not accept entries just now. Reload the page.");
        return null;
      }
      if (!response.ok) return null;
      return response.json();
    }).then(function (data) {
      if (!data) return;
      var answered = new Set(data.saved.concat(Object.keys(data.refused)));
      store(load().filter(function (e) { return !answered.has(e.id); }));
      var refusals = Object.keys(data.refused).map(function (k) { return data.refused[k]; });
      if (data.help && data.help.length) showHelp();
      show(refusals.length ? "Not saved: " + refusals.join(" ") : null);
    }).catch(function () {
      show();  /* offline or the server unreachable: the queue stays */
    }).finally(function () {
      sending = false;
      var left = load().filter(function (e) { return sent.indexOf(e.id) === -1; });
      if (left.length && navigator.onLine) flush();
    });
  }

  function press(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function rowOf(item) {
    return root.querySelector('.portal-checklist__row[data-item="' + CSS.escape(item) + '"]');
  }

  function setDone(item, done) {
    var row = rowOf(item);
    if (!row) return;
    var tick = row.querySelector(".portal-tick");
    press(tick, done);
    tick.querySelector(".portal-tick__state").textContent = done ? "done today" : "not done yet";
    row.querySelector(".js-tick [name=done]").value = done ? "0" : "1";
    var worse = row.querySelector(".js-worse");
    worse.hidden = !done;
    if (!done) press(worse.querySelector("button"), false);
  }

  function setWorse(item, worse) {
    var row = rowOf(item);
    if (!row) return;
    press(row.querySelector(".portal-worse"), worse);
    row.querySelector(".js-worse [name=worse]").value = worse ? "0" : "1";
  }

  function setPain(value) {
    root.querySelectorAll(".portal-pain__value").forEach(function (b) {
      press(b, Number(b.value) === value);
    });
  }

  // What is still queued from an earlier visit shows as entered.
  load().forEach(function (e) {
    if (e.day !== today) return;
    if (e.item) { setDone(e.item, e.done); setWorse(e.item, e.worse); }
    if (e.pain !== undefined && e.pain !== null) setPain(e.pain);
  });

  root.addEventListener("submit", function (event) {
    var form = event.target;
    var item = form.querySelector("[name=item]");
    if (form.classList.contains("js-tick")) {
      event.preventDefault();
      var done = form.querySelector("[name=done]").value === "1";
      setDone(item.value, done);
      enqueue({ item: item.value, done: done, worse: false });
    } else if (form.classList.contains("js-worse")) {
      event.preventDefault();
      var worse = form.querySelector("[name=worse]").value === "1";
      setWorse(item.value, worse);
      enqueue({ item: item.value, done: true, worse: worse });
    } else if (form.classList.contains("js-pain")) {
      event.preventDefault();
      var value = Number(event.submitter && event.submitter.value);
      if (isNaN(value)) return;
      setPain(value);
      enqueue({ pain: value });
      if (value >= urgentPain) showHelp();
    } else if (form.classList.contains("js-note")) {
      event.preventDefault();
      var text = form.querySelector("[name=note]").value.trim();
      enqueue({ note: text });
      if (matchesWarning(text)) showHelp();
    }
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { show(); });
  flush();
})();
