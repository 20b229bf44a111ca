/* One-click progress on the plan page: a status button saves at once, without reloading
   the page. Without JavaScript the same buttons post the form and the page comes back. */
(function () {
  "use strict";
  function text(el, value) { if (el) { el.textContent = value; } }

  function update(form, data) {
    var item = form.closest(".plan-item");
    item.dataset.status = data.status;
    item.classList.toggle("border-success", data.status === "done");
    form.querySelectorAll(".status-button").forEach(function (button) {
      var on = button.value === data.status;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    var saveDetails = form.querySelector(".save-details");
    if (saveDetails) { saveDetails.value = data.status; }
    var badge = item.querySelector(".status-badge");
    if (badge) {
      badge.className = "badge align-text-bottom status-badge d-print-none" +
        (data.status === "done" ? " text-bg-success" : data.status === "doing" ? " text-bg-warning" : " d-none");
      badge.textContent = data.status_label;
    }
    text(form.querySelector(".save-state"), "Saved");
    var phase = document.querySelector('.phase-progress[data-phase="' + data.phase.days + '"]');
    text(phase, data.phase.done + " of " + data.phase.total + " done" +
      (data.phase.total && data.phase.done === data.phase.total ? " · finished" : ""));
    text(document.getElementById("progress-text-numbers"), data.plan.done + " of " + data.plan.total);
    var bar = document.querySelector(".plan-progress");
    if (bar) {
      bar.setAttribute("aria-valuenow", data.plan.percent);
      bar.setAttribute("aria-valuetext", data.plan.done + " of " + data.plan.total + " actions done");
      var fill = bar.querySelector(".progress-bar");
      fill.className = "progress-bar progress-" + data.plan.percent;
    }
    var details = form.querySelector(".item-details");
    if (data.status === "done" && details && !form.querySelector("[name=evidence]").value) {
      details.open = true;  // done: ask (optionally) what came of it
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("plan-item-form") || !window.fetch) { return; }
    event.preventDefault();
    var body = new FormData(form);
    if (event.submitter && event.submitter.name) { body.set(event.submitter.name, event.submitter.value); }
    text(form.querySelector(".save-state"), "Saving…");
    // form.action would be the input named "action": read the attribute.
    fetch(form.getAttribute("action"), {method: "POST", body: body, headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error("not saved"); }
        return response.json();
      })
      .then(function (data) { update(form, data); })
      .catch(function () {
        // Fall back to the plain post, which shows any error in full.
        if (event.submitter && event.submitter.name) {
          var chosen = document.createElement("input");
          chosen.type = "hidden";
          chosen.name = event.submitter.name;
          chosen.value = event.submitter.value;
          form.appendChild(chosen);
          form.querySelectorAll("button[name]").forEach(function (b) { b.removeAttribute("name"); });
        }
        HTMLFormElement.prototype.submit.call(form);
      });
  });
})();
