// Guozi's page behaviour. It lives in a static file, not in the HTML, because the
// Content-Security-Policy forbids inline script and event-handler attributes.

// <select data-autosubmit> (and any other field): submit its form when it changes.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.submit();
  }
});
