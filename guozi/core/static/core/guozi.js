// Guozi's page behaviour. It lives in a static file, not in the HTML, because the
// Content-Security-Policy forbids inline script and event-handler attributes.

// <select data-autosubmit> (and any other field): submit its form when it changes.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.submit();
  }
});

// Search-as-you-type pickers (core.forms.LookupSelect): a text box beside a <select> that holds
// only the chosen row. Typing asks the picker's scoped JSON endpoint (data-lookup) for matches;
// choosing one puts it in the select and fires "change", which submits the filters (htmx's
// "change from:select" on the list form). The matches are written with textContent, never as HTML.
const lookupTimers = new WeakMap();

function lookupResults(picker) {
  return picker.querySelector("[data-lookup-results]");
}

function lookupClose(picker) {
  const results = lookupResults(picker);
  results.classList.remove("show");
  results.replaceChildren();
}

async function lookupAsk(box) {
  const picker = box.closest("[data-lookup]");
  const text = box.value.trim();
  if (!text) {
    lookupClose(picker);
    return;
  }
  const url = new URL(picker.dataset.lookup, window.location.href);
  url.searchParams.set("q", text);
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!response.ok || box.value.trim() !== text) {
    return; // refused, or a later keystroke asks again
  }
  const found = (await response.json()).results;
  const items = found.map((row) => {
    const item = document.createElement("button");
    item.type = "button";
    item.className = "dropdown-item";
    item.setAttribute("role", "option");
    item.dataset.lookupId = String(row.id);
    item.textContent = row.label;
    return item;
  });
  if (!items.length) {
    const none = document.createElement("span");
    none.className = "dropdown-item-text text-secondary";
    none.textContent = picker.dataset.lookupNone;
    items.push(none);
  }
  const results = lookupResults(picker);
  results.replaceChildren(...items);
  results.classList.add("show");
}

function lookupChoose(picker, id, label) {
  const select = picker.querySelector("select");
  let option = Array.from(select.options).find((candidate) => candidate.value === id);
  if (!option) {
    option = new Option(label, id);
    select.add(option);
  }
  select.value = id;
  picker.querySelector("[data-lookup-input]").value = "";
  lookupClose(picker);
  select.dispatchEvent(new Event("change", { bubbles: true }));
}

document.addEventListener("input", (event) => {
  const box = event.target.closest("[data-lookup-input]");
  if (box) {
    clearTimeout(lookupTimers.get(box));
    lookupTimers.set(box, setTimeout(() => lookupAsk(box), 250));
  }
});

document.addEventListener("keydown", (event) => {
  const box = event.target.closest("[data-lookup-input]");
  if (!box) {
    return;
  }
  const picker = box.closest("[data-lookup]");
  if (event.key === "Escape") {
    lookupClose(picker);
  } else if (event.key === "Enter") {
    const first = lookupResults(picker).querySelector("[data-lookup-id]");
    if (first) {
      event.preventDefault(); // Enter picks the first match rather than submitting the text
      lookupChoose(picker, first.dataset.lookupId, first.textContent);
    }
  }
});

document.addEventListener("click", (event) => {
  const choice = event.target.closest("[data-lookup-id]");
  if (choice) {
    lookupChoose(choice.closest("[data-lookup]"), choice.dataset.lookupId, choice.textContent);
    return;
  }
  for (const picker of document.querySelectorAll("[data-lookup]")) {
    if (!picker.contains(event.target)) {
      lookupClose(picker);
    }
  }
});
