// Socialplan pages: follow a job's server-sent events (a plan being computed, a batch) and show them as they come.
// No inline script anywhere (the CSP forbids it); every page works without this file, by refreshing itself.
"use strict";

function followPlan(box) {
  const steps = box.querySelectorAll("li[data-step]");
  const note = document.getElementById("progress-note");
  const source = new EventSource(box.dataset.events);
  source.addEventListener("step", (event) => {
    const step = JSON.parse(event.data).step;
    steps.forEach((li) => { if (li.dataset.step === step) { li.classList.add("done"); } });
  });
  source.addEventListener("done", (event) => {
    source.close();
    const data = JSON.parse(event.data);
    if (data.status && data.status !== "ok") {
      note.textContent = "error: " + (data.error || "the plan could not be made");
      note.classList.add("error");
      const again = document.getElementById("continue");
      if (again) { again.hidden = false; }
      return;
    }
    window.location.assign(box.dataset.next);
  });
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function followBatch(box) {
  if (box.dataset.finished) { return; }
  const rows = document.getElementById("batch-rows");
  const bar = document.getElementById("batch-progress");
  const heading = document.querySelector("h1");
  const total = Number(box.dataset.total);
  rows.textContent = "";
  let done = 0;
  const source = new EventSource(box.dataset.events);
  source.addEventListener("item", (event) => {
    const item = JSON.parse(event.data);
    const row = document.createElement("tr");
    cell(row, item.source);
    cell(row, item.client || "—");
    const result = cell(row, "");
    if (item.status === "ok") {
      const link = document.createElement("a");
      link.href = item.url;
      link.textContent = "planned";
      result.appendChild(link);
    } else {
      result.textContent = item.status + ": " + item.error;
    }
    cell(row, item.channels || "");
    rows.appendChild(row);
    done += 1;
    bar.value = done;
    heading.textContent = "Batch: " + done + " of " + total + " planned";
  });
  source.addEventListener("done", () => { source.close(); heading.textContent += " — finished"; });
}

document.addEventListener("DOMContentLoaded", () => {
  const plan = document.getElementById("progress");
  if (plan && plan.dataset.events) { followPlan(plan); }
  const batch = document.getElementById("batch");
  if (batch) { followBatch(batch); }
});
