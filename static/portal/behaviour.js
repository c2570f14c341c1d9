// Small behaviours the templates ask for with data- attributes, so that no page needs an
// inline handler (the Content-Security-Policy allows scripts from this server only).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
