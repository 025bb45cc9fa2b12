// Follows a background task's progress (templates/strategy/_progress.html): asks its
// status URL every second, moves the bar, says the message, and goes on to the
// result (the file to download, the imported concept) once the task is done.
(function () {
  "use strict";
  const box = document.querySelector("[data-status-url]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const message = box.querySelector("[role=status]");
  const INTERVAL = 1000;

  function show(status) {
    bar.value = status.percent;
    bar.textContent = status.percent + " %";
    if (message.textContent !== status.message) message.textContent = status.message;
  }

  async function poll() {
    let status;
    try {
      const response = await fetch(box.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(response.status);
      status = await response.json();
    } catch (error) {
      window.setTimeout(poll, INTERVAL * 3); // a server restarting: try again
      return;
    }
    show(status);
    if (status.ready) {
      const next = status.next_url || box.dataset.nextUrl;
      if (next) window.location.assign(next);
    } else if (status.state === "failed") {
      if (status.reload) window.location.reload();
    } else {
      window.setTimeout(poll, INTERVAL);
    }
  }

  window.setTimeout(poll, INTERVAL);
})();
